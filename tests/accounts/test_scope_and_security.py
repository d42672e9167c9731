import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from pcmd.agencies.models import Agency
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_scope_commune_district_province(persona) -> None:
    commune = Agency.objects.filter(persona("xa.tanlap").scope_q("unit"))
    assert set(commune.values_list("code", flat=True)) == {"UBND_X24118", "CA_X24118"}

    district = Agency.objects.filter(persona("huyen.bmt").scope_q("unit"))
    codes = set(district.values_list("code", flat=True))
    assert {"UBND_H643", "UBND_X24118"} <= codes
    assert "UBND_X24379" not in codes  # Ea Sô is in Ea Kar, not Buôn Ma Thuột
    assert "SO_LDTBXH" not in codes

    province = Agency.objects.filter(persona("thuongtruc").scope_q("unit"))
    assert (
        province.count()
        == Agency.objects.filter(
            unit__path__startswith=persona("thuongtruc").scope_units[0].path
        ).count()
    )
    assert {"UBND_X24379", "UBND_X24118", "SO_LDTBXH"} <= set(
        province.values_list("code", flat=True)
    )


def test_user_without_assignment_sees_nothing(persona) -> None:
    from pcmd.accounts.actions import create_user

    nobody = create_user(actor=None, username="nobody", password="x" * 12, check_password=False)
    assert not Agency.objects.filter(nobody.scope_q("unit")).exists()
    assert not nobody.can("plan.view")


def test_passwords_are_argon2(persona) -> None:
    assert identify_hasher(persona("admin").password).algorithm == "argon2"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_and_logout() -> None:
    client = Client()
    response = client.post("/login/", {"username": "xa.tanlap", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_lockout_after_five_failures() -> None:
    client = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(5):
        response = client.post("/login/", {"username": "congan", "password": "wrong-one"})
    assert response.status_code == 429
    # even the right password is refused while locked
    response = client.post("/login/", {"username": "congan", "password": PASSWORD})
    assert response.status_code == 429
    assert "30" in response.content.decode()


def test_session_and_cookie_settings() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_security_headers(client_for) -> None:
    response = client_for("admin").get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_csrf_is_enforced() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 403
