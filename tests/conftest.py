"""Shared test set-up: the Đắk Lắk 2018 demo loaded once per test database, and personas.

Personas (DESIGN.md §7.8): each demo account is a role at a unit; tests ask what each may
and may not reach. Builders live here, not pk fixtures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client

from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.models import User
from pcmd.core.demo import load_demo

PASSWORD = "Test-password-2018!"
PERSONA_NAMES = [p.username for p in PERSONAS]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        load_demo(PASSWORD, registers=False)


@pytest.fixture
def persona(db: Any) -> Any:
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db: Any) -> Any:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


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
