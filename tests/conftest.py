"""Shared test set-up: the Đắk Lắk 2018 demo loaded once per test database, and personas.

Personas (DESIGN.md §7.8): each demo account is a role at a unit; tests ask what each may
and may not reach. Builders live here, not pk fixtures.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts import two_factor
from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.models import User
from pcmd.core.demo import load_demo

PASSWORD = "Test-password-2018!"
PERSONA_NAMES = [p.username for p in PERSONAS]

# CI (.ci/run) runs the suite twice, on SQLite then on PostgreSQL, and every test runs in at
# least one of the two passes: PCMD_CI_PASS=sqlite leaves the browser tests (a live server
# and Chromium) to the PostgreSQL pass, the production database; PCMD_CI_PASS=postgresql
# leaves the tests that reach no database to the SQLite pass (the same code, the same answer).
# Unset (``make test`` by hand), every test runs.
CI_PASSES = ("sqlite", "postgresql")
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "django_db_setup",
    "live_server",
}


def reaches_a_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(names & DATABASE_FIXTURES)


def drives_a_browser(item: pytest.Item) -> bool:
    return "live_server" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ci_pass = os.environ.get("PCMD_CI_PASS", "")
    if not ci_pass:
        return
    if ci_pass not in CI_PASSES:
        raise pytest.UsageError(f"PCMD_CI_PASS={ci_pass!r}: one of {', '.join(CI_PASSES)}")
    other = drives_a_browser if ci_pass == "sqlite" else (lambda i: not reaches_a_database(i))
    left = [item for item in items if other(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if not other(item)]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        load_demo(PASSWORD, registers=False)


@contextmanager
def kept_for_the_module(django_db_blocker: Any) -> Iterator[None]:
    """For a module-scoped fixture: rows the module's tests share, built once inside (once
    per test process that runs them), in a transaction rolled back after the module's last
    test; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _own_kept_answers(settings: Any) -> None:
    """Each test starts with no kept answer (pcmd.core.datacache), in a cache of this process:
    a test that replaces a function must not be answered from a copy another test computed,
    and the test workers must not clear each other's files."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    cache.clear()


@pytest.fixture
def persona(db: Any) -> Any:
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db: Any) -> Any:
    def make(username: str) -> Client:
        client = Client()
        sign_in(client, User.objects.get(username=username))
        return client

    return make


def sign_in(client: Client, user: User) -> None:
    """``force_login`` and, for a user with a device or a role that needs one, the second
    factor too (what ``django_otp.login`` records in the session). A user who needs a device
    and has none gets the demo's."""
    client.force_login(user)
    device = two_factor.totp_device(user)
    if device is None and two_factor.requires_two_factor(user):
        device = TOTPDevice.objects.create(
            user=user, name=two_factor.TOTP_NAME, key=two_factor.DEMO_TOTP_KEY, confirmed=True
        )
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def otp_code(username: str) -> str:
    """The 6-digit code ``username``'s device accepts now. The replay guard (a code is taken
    once per 30 s) is reset first, so that a test may sign the same persona in several times."""
    device = two_factor.totp_device(User.objects.get(username=username))
    assert device is not None, f"{username} has no two-factor device"
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return two_factor.current_code(device)[0]


def assert_reach(
    client_for: Any, url: str, allowed: Iterable[str], denied_status: Iterable[int] = (403, 404)
) -> None:
    """Every persona in ``allowed`` gets 200 at ``url``; every other persona is refused."""
    allowed = set(allowed)
    for name in PERSONA_NAMES:
        status = client_for(name).get(url).status_code
        if name in allowed:
            assert status == 200, f"{name} should reach {url}, got {status}"
        else:
            assert status in denied_status, f"{name} should be refused {url}, got {status}"
