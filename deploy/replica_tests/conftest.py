"""Set-up of the real-replica tests (run by deploy/ci-replica.sh, not by the normal suite).

No test database: the tests use the databases of ``DATABASE_URL`` (a scratch database on the
primary, the demo base loaded) and ``DATABASE_REPLICA_URL`` (a streaming standby of it), and
what they write is committed, because rows of a test transaction that is rolled back never
reach a standby. The script drops the scratch database afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from pcmd.core import db_router

REPLICA = db_router.REPLICA


@pytest.fixture(scope="session", autouse=True)
def live(django_db_blocker: Any) -> Iterator[None]:
    assert REPLICA in settings.DATABASES, "set DATABASE_REPLICA_URL (deploy/ci-replica.sh)"
    primary, replica = (connections[a].settings_dict for a in (DEFAULT_DB_ALIAS, REPLICA))
    assert (primary["HOST"], primary["PORT"]) != (replica["HOST"], replica["PORT"])
    assert not primary["NAME"].startswith("test_"), "no test database: committed rows"
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def fresh_state() -> Iterator[None]:
    db_router.reset_health()
    yield
    db_router.reset_health()
