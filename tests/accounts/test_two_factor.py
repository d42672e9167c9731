"""Two-factor sign-in on the web (issue 11 item 6): enrolment with a locally drawn QR code,
the code after the password, recovery codes, the forced enrolment of the roles that need it,
the lockout after wrong codes, an administrator's reset and the demo's fixed secret."""

from __future__ import annotations

import base64
import re
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts import actions, two_factor
from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.models import User
from pcmd.accounts.roles import TWO_FACTOR_ROLES, Role
from pcmd.core.models import AuditEvent
from tests.conftest import PASSWORD, otp_code

pytestmark = pytest.mark.django_db

ENROL = "/account/two-factor/"
VERIFY = "/login/code/"
# Wrong codes throttle the device (1, 2, 4… s); tests that follow a wrong code with the right
# one at once switch the wait off. The lockout (django-axes) still counts.
NO_WAIT = override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)


def new_user(username: str, role: str = Role.POLICE) -> User:
    user = actions.create_user(
        actor=None, username=username, password=PASSWORD, check_password=False
    )
    actions.add_assignment(
        user, actor=None, role=role, unit=User.objects.get(username="admin").scope_units[0]
    )
    return User.objects.get(pk=user.pk)


def password_client(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def code_from_secret(html: str) -> str:
    """What an authenticator app shows for the secret printed on the enrolment page."""
    found = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html)
    assert found, "the enrolment page shows the secret"
    secret = found.group(1).replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return str(totp.token()).zfill(6)


def enrolled(username: str, role: str = Role.POLICE) -> tuple[User, list[str]]:
    user = new_user(username, role)
    device = actions.start_enrolment(user, actor=user)
    return user, actions.confirm_enrolment(user, device, actor=user)


# --- enrolment ---------------------------------------------------------------------------


def test_enrolment_draws_the_qr_locally_and_confirms_with_a_first_code() -> None:
    user = new_user("enrol.police")
    client = password_client("enrol.police")
    assert client.get("/").headers["Location"].startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    qr = re.search(r'<figure class="qr"[^>]*>(.*?)</figure>', html, re.S)
    assert qr and qr.group(1).lstrip().startswith("<svg") and "<path" in qr.group(1)
    assert "<img" not in qr.group(1) and "viewBox=" in qr.group(1)  # scales with the page
    assert not re.search(r'(src|href)="(https?:)?//', html), "nothing fetched from elsewhere"
    assert "otpauth://totp/PCMD%3Aenrol.police?secret=" in html  # the URI as text too
    assert "issuer=PCMD" in html
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    assert client.get(ENROL).content.decode().count(re.search(r"secret=(\w+)", html)[1]) >= 1

    refused = client.post(ENROL, {"code": "000000" if code_from_secret(html) != "000000" else "1"})
    assert refused.status_code == 200 and 'id="otp-error"' in refused.content.decode()
    assert not two_factor.has_device(user)

    with NO_WAIT:
        done = client.post(ENROL, {"code": code_from_secret(html)})
    assert done.status_code == 302 and done.headers["Location"].startswith(
        "/account/two-factor/codes/"
    )
    assert two_factor.has_device(user)
    codes_page = client.get(done.headers["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{5} [a-z2-7]{5})</code></li>", codes_page)
    assert len(set(codes)) == 10
    assert client.get("/account/two-factor/codes/").status_code == 302  # shown once only
    assert client.get("/plans/").status_code == 200  # signed in with the second factor
    assert AuditEvent.objects.filter(verb="otp.enrol", object_id=str(user.pk)).count() == 1


def test_the_enrolment_page_keeps_its_secret_while_reloaded() -> None:
    new_user("reload.police")
    client = password_client("reload.police")
    first = re.search(r"secret=(\w+)", client.get(ENROL).content.decode())
    second = re.search(r"secret=(\w+)", client.get(ENROL).content.decode())
    assert first and second and first[1] == second[1]


# --- the code after the password -----------------------------------------------------------


def test_a_user_with_a_device_gives_a_code_after_the_password() -> None:
    client = password_client("congan")
    response = client.get("/plans/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{VERIFY}?next=%2Fplans%2F"
    page = client.get(response.headers["Location"]).content.decode()
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert 'class="mainnav"' not in page  # no menu before the second factor

    wrong = client.post(VERIFY, {"code": "12345", "next": "/plans/"})
    assert wrong.status_code == 200 and 'id="otp-error"' in wrong.content.decode()
    assert client.get("/plans/").status_code == 302

    with NO_WAIT:
        right = client.post(VERIFY, {"code": otp_code("congan"), "next": "/plans/"})
    assert right.status_code == 302 and right.headers["Location"] == "/plans/"
    assert client.get("/plans/").status_code == 200


def test_a_code_cannot_be_used_twice() -> None:
    code = otp_code("congan")
    assert password_client("congan").post(VERIFY, {"code": code}).status_code == 302
    again = password_client("congan").post(VERIFY, {"code": code})
    assert again.status_code == 200 and 'id="otp-error"' in again.content.decode()


def test_the_next_address_stays_on_this_site() -> None:
    client = password_client("congan")
    response = client.post(VERIFY, {"code": otp_code("congan"), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_recovery_code_works_once() -> None:
    _user, codes = enrolled("lost.phone")
    typed = two_factor.format_recovery_code(codes[3]).upper()  # as printed, typed in capitals
    client = password_client("lost.phone")
    page = client.get(f"{VERIFY}?recovery=1").content.decode()
    assert 'inputmode="numeric"' not in page  # letters: the full keyboard
    response = client.post(VERIFY, {"code": typed, "recovery": "1", "next": "/plans/"})
    assert response.status_code == 302 and response.headers["Location"] == "/plans/"
    assert AuditEvent.objects.filter(verb="otp.recovery_used").count() == 1
    assert two_factor.status(_user).recovery_left == 9

    with NO_WAIT:
        again = password_client("lost.phone").post(VERIFY, {"code": typed, "recovery": "1"})
    assert again.status_code == 200 and 'id="otp-error"' in again.content.decode()


def test_new_recovery_codes_end_the_old_ones(client_for: Any) -> None:
    user, old = enrolled("renew.codes")
    client = Client()
    from tests.conftest import sign_in

    sign_in(client, user)
    response = client.post("/account/two-factor/codes/new/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{5} [a-z2-7]{5})</code></li>", page)
    assert len(new) == 10 and not set(new) & {two_factor.format_recovery_code(c) for c in old}
    with NO_WAIT:
        assert not two_factor.check_code(user, old[0]).ok
        assert two_factor.check_code(user, new[0]).ok
    assert AuditEvent.objects.filter(verb="otp.recovery_codes").count() == 1


@override_settings(AXES_ENABLED=True)
def test_wrong_codes_lock_the_account_like_wrong_passwords() -> None:
    client = password_client("congan")
    with NO_WAIT:
        for attempt in range(5):
            response = client.post(VERIFY, {"code": "999999" if attempt % 2 else "111111"})
    assert response.status_code == 429
    assert "30" in response.content.decode()
    assert client.get("/plans/").status_code == 302  # signed out
    assert "/login/" in client.get("/plans/").headers["Location"]
    # locked: neither the password nor the right code gets through now
    again = Client().post("/login/", {"username": "congan", "password": PASSWORD})
    assert again.status_code == 429


@override_settings(OTP_TOTP_THROTTLE_FACTOR=3600)
def test_the_device_throttles_a_quick_second_guess() -> None:
    client = password_client("congan")
    client.cookies["django_language"] = "en"
    client.post(VERIFY, {"code": "111111"})
    response = client.post(VERIFY, {"code": otp_code_without_reset("congan")})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/plans/").status_code == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=3600)
def test_signing_in_again_with_the_password_does_not_lift_the_wait() -> None:
    """The password step resets django-axes' count (a successful sign-in), so the device's own
    throttle is what bounds guessing across sign-ins: it stays until a right code is taken."""
    password_client("congan").post(VERIFY, {"code": "111111"})
    client = password_client("congan")
    client.cookies["django_language"] = "en"
    response = client.post(VERIFY, {"code": otp_code_without_reset("congan")})
    assert "Too many wrong codes in a row: try again after" in response.content.decode()
    assert client.get("/plans/").status_code == 302


def otp_code_without_reset(username: str) -> str:
    device = two_factor.totp_device(User.objects.get(username=username))
    assert device is not None
    return two_factor.current_code(device)[0]


# --- who must enrol, and what they reach before --------------------------------------------


def _static_urls() -> list[str]:
    """Every address of the site without a parameter (the class of pages a user can open)."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if "<" not in route and "(" not in route and "^" not in route:
                    found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_a_police_officer_without_a_device_reaches_only_enrolment() -> None:
    new_user("forced.police")
    client = password_client("forced.police")
    allowed = {"/login/", "/logout/", ENROL, "/login/code/", "/i18n/setlang/"}
    urls = _static_urls()
    assert len(urls) > 40 and "/plans/" in urls and "/api/v1/plans" in urls
    for url in urls:
        if url in allowed or url == "/api/v1/auth/token":
            continue
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 403, url
            error = response.json()["error"]
            assert error["message"] != error["message_en"] and "two-factor" in error["message_en"]
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith(ENROL + "?next="), url
    assert client.get(ENROL).status_code == 200
    assert client.get("/static/pcmd/app.css").status_code in (200, 404)  # never redirected
    assert client.post("/logout/").status_code == 302
    assert client.get("/plans/").headers["Location"].startswith("/login/")


@pytest.mark.parametrize("persona", [p for p in PERSONAS], ids=lambda p: p.username)
def test_demo_personas_of_two_factor_roles_have_the_demo_device(persona: Any) -> None:
    user = User.objects.get(username=persona.username)
    device = two_factor.totp_device(user)
    if persona.role in TWO_FACTOR_ROLES:
        assert device is not None and device.key == two_factor.DEMO_TOTP_KEY
    else:
        assert device is None
        assert password_client(persona.username).get("/").status_code == 200


def test_a_user_whose_role_does_not_need_it_may_enrol() -> None:
    user = new_user("willing.officer", Role.COMMUNE_OFFICER)
    client = password_client("willing.officer")
    account = client.get("/account/")
    assert account.status_code == 200 and ENROL in account.content.decode()
    html = client.get(ENROL).content.decode()
    assert client.post(ENROL, {"code": code_from_secret(html)}).status_code == 302
    # from now on the code is asked at every sign-in
    assert password_client("willing.officer").get("/").headers["Location"].startswith(VERIFY)
    assert two_factor.has_device(user) and not two_factor.requires_two_factor(user)


def test_the_account_page_lists_the_devices(client_for: Any) -> None:
    page = client_for("congan").get("/account/").content.decode()
    assert 'id="two-factor"' in page and 'id="recovery-left"' in page
    assert "/account/two-factor/codes/new/" in page


# --- the administrator's reset ---------------------------------------------------------------


def test_an_administrator_resets_a_lost_phone(client_for: Any) -> None:
    officer = client_for("congan")
    assert officer.get("/plans/").status_code == 200
    congan = User.objects.get(username="congan")
    assert "/two-factor/reset/" in client_for("admin").get(f"/users/{congan.pk}/").content.decode()
    assert client_for("thuongtruc").post(f"/users/{congan.pk}/two-factor/reset/").status_code == 403
    assert two_factor.has_device(congan)

    response = client_for("admin").post(f"/users/{congan.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=congan).exists()
    assert not StaticDevice.objects.filter(user=congan).exists()
    event = AuditEvent.objects.get(verb="otp.reset", object_id=str(congan.pk))
    assert event.actor.username == "admin"
    # the session verified with the old device now reaches only enrolment
    assert officer.get("/plans/").headers["Location"].startswith(ENROL)


# --- the demo --------------------------------------------------------------------------------


def test_demo_otp_prints_the_code_the_demo_device_takes() -> None:
    out = StringIO()
    call_command("demo_otp", "congan", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert password_client("congan").post(VERIFY, {"code": code}).status_code == 302


def test_demo_otp_refuses_a_device_someone_enrolled() -> None:
    enrolled("real.police")
    with pytest.raises(CommandError):
        call_command("demo_otp", "real.police", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("demo_otp", "xa.tanlap", stdout=StringIO(), stderr=StringIO())


def test_only_the_user_enrols_themself(persona: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.start_enrolment(persona("congan"), actor=persona("admin"))
    with pytest.raises(PermissionDenied):
        actions.renew_recovery_codes(persona("congan"), actor=persona("admin"))
    with pytest.raises(PermissionDenied):
        actions.reset_two_factor(persona("congan"), actor=persona("thuongtruc"))
    assert reverse("two_factor_reset", args=[1]) == "/users/1/two-factor/reset/"
