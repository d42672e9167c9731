"""Two-factor sign-in in Chromium on a phone-sized screen (390 px): a police officer without a
device is sent to enrolment, scans (here: reads) the secret shown, confirms with a code typed
on the numeric keypad, sees the recovery codes once, and signs in again with a code."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts import actions
from pcmd.accounts.models import User
from pcmd.accounts.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def code_for(secret_shown: str) -> str:
    """What an authenticator app shows now for the secret on the page."""
    secret = secret_shown.replace(" ", "").strip()
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return str(totp.token()).zfill(6)


def sign_in_with_password(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def test_enrolment_and_sign_in_on_a_phone(chromium_browser: Any, demo_server: Any) -> None:
    user = actions.create_user(
        actor=None, username="phone.police", password=PASSWORD, check_password=False
    )
    province = User.objects.get(username="congan").scope_units[0]
    actions.add_assignment(user, actor=None, role=Role.POLICE, unit=province)
    context = chromium_browser.new_context(viewport=PHONE, locale="vi-VN")
    try:
        page = context.new_page()
        sign_in_with_password(page, demo_server.url, "phone.police")
        page.wait_for_url("**/account/two-factor/**")
        # every other page sends the officer back to enrolment
        page.goto(f"{demo_server.url}/plans/")
        page.wait_for_url("**/account/two-factor/?next=%2Fplans%2F")
        qr = page.locator("figure.qr svg")
        assert qr.count() == 1 and qr.bounding_box()["width"] <= 390
        assert page.locator("img").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("#id_code")
        assert box.get_attribute("inputmode") == "numeric"
        assert box.get_attribute("autocomplete") == "one-time-code"
        secret = page.locator("#otp-secret").inner_text()

        box.fill("000000" if code_for(secret) != "000000" else "111111")
        page.click("main button[type=submit].primary")
        page.locator("#otp-error").wait_for()
        assert page.locator("#otp-error").get_attribute("role") == "alert"

        # the device throttles a quick second try (1 s after a wrong code): wait it out
        TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
        page.fill("#id_code", code_for(secret))
        page.click("main button[type=submit].primary")
        page.wait_for_url("**/account/two-factor/codes/**")
        codes = page.locator("#recovery-codes li")
        assert codes.count() == 10
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("main a.button.primary")
        page.wait_for_url(f"{demo_server.url}/plans/")
        assert page.locator("h1").count() >= 1

        # sign out, then in again: the code is asked after the password
        page.locator("form.logout button").click()
        page.wait_for_url("**/login/**")
        sign_in_with_password(page, demo_server.url, "phone.police")
        page.wait_for_url("**/login/code/**")
        assert page.locator("#mainnav").count() == 0
        # a code works once: the next 30-second window's code (the app shows it soon)
        device = TOTPDevice.objects.get(user=user)
        totp = TOTP(device.bin_key)
        totp.time = time.time() + 30
        page.fill("#id_code", str(totp.token()).zfill(6))
        page.click("main button[type=submit].primary")
        page.wait_for_url(f"{demo_server.url}/")
        assert page.locator("a.who").inner_text().strip() == "phone.police"
    finally:
        context.close()
