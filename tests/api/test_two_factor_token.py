"""Creating an API token asks for the second factor (issue 11 item 6): ``otp`` with the
username and password for users with two-factor sign-in; bilingual JSON errors otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from pcmd.accounts import actions, two_factor
from pcmd.accounts.models import User
from pcmd.accounts.roles import Role
from tests.conftest import PASSWORD, otp_code

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
NO_WAIT = override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)


def ask(username: str, **extra: str) -> Any:
    return APIClient().post(
        TOKEN, {"username": username, "password": PASSWORD, **extra}, format="json"
    )


def assert_otp_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"] and error["message_en"] and error["message"] != error["message_en"]
    return error


def test_a_police_officer_needs_the_code_for_a_token() -> None:
    error = assert_otp_error(ask("congan"), 400)
    assert "otp" in error["fields"] and "otp" in error["message_en"]
    assert_otp_error(ask("congan", otp=""), 400)


def test_the_right_code_gives_a_token_that_works() -> None:
    response = ask("congan", otp=otp_code("congan"))
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert client.get("/api/v1/plans").status_code == 200


def test_a_wrong_or_reused_code_is_refused() -> None:
    code = otp_code("congan")
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    error = assert_otp_error(ask("congan", otp=wrong), 400)
    assert "otp" in error["fields"]
    with NO_WAIT:
        assert ask("congan", otp=code).status_code == 200
        assert_otp_error(ask("congan", otp=code), 400)  # a code works once


def test_a_recovery_code_gives_one_token() -> None:
    user = User.objects.get(username="congan")
    device = actions.start_enrolment(user, actor=user)
    codes = actions.confirm_enrolment(user, device, actor=user)
    assert ask("congan", otp=codes[0]).status_code == 200
    with NO_WAIT:
        assert_otp_error(ask("congan", otp=codes[0]), 400)


def test_a_role_that_needs_it_without_a_device_is_sent_to_the_web() -> None:
    user = actions.create_user(
        actor=None, username="new.police", password=PASSWORD, check_password=False
    )
    admin = User.objects.get(username="admin")
    actions.add_assignment(user, actor=None, role=Role.POLICE, unit=admin.scope_units[0])
    error = assert_otp_error(ask("new.police", otp="123456"), 403)
    assert "web" in error["message_en"]


def test_a_role_that_does_not_need_it_signs_in_without() -> None:
    assert ask("xa.tanlap").status_code == 200
    assert not two_factor.requires_two_factor(User.objects.get(username="xa.tanlap"))


@override_settings(AXES_ENABLED=True)
def test_wrong_codes_lock_the_token_endpoint() -> None:
    with NO_WAIT:
        for _ in range(4):
            assert_otp_error(ask("ctxh.bmt", otp="000000"), 400)
        locked = assert_otp_error(ask("ctxh.bmt", otp="000000"), 429)
        assert "30" in locked["message"]
        # now even the right password and code are refused
        assert ask("ctxh.bmt", otp=otp_code("ctxh.bmt")).status_code == 429


def test_the_schema_documents_the_otp_field() -> None:
    schema = APIClient().get("/api/v1/openapi.json").json()
    body = schema["paths"][TOKEN]["post"]["requestBody"]["content"]["application/json"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
    props = schema["components"]["schemas"][ref]["properties"]
    assert "otp" in props and "authenticator" in props["otp"]["description"]
    assert "otp" not in schema["components"]["schemas"][ref].get("required", [])
