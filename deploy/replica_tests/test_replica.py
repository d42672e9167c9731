"""Reading through a real PostgreSQL streaming standby (deploy/ci-replica.sh starts it).

Each test says where a read went by the queries each connection ran (the replica's own lag
checks left out) and by the request log's ``db`` field.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.test.utils import CaptureQueriesContext

from pcmd.core import db_router
from pcmd.core.request_log import JsonFormatter
from pcmd.indicators.models import Indicator
from pcmd.registry.models import Establishment

from .helpers import REPLICA, browser, token_client, wait_replayed

VALUES = "/api/v1/indicators/establishments/values?unit=66&period=2018"
DASHBOARD = "/dashboard/?period=2018"
_counter = iter(range(1, 1000))


class Reads:
    def __init__(self, replica: CaptureQueriesContext, primary: CaptureQueriesContext) -> None:
        self._replica, self._primary = replica, primary

    @property
    def replica(self) -> list[str]:
        return [
            q["sql"] for q in self._replica.captured_queries if "pg_is_in_recovery" not in q["sql"]
        ]

    @property
    def primary(self) -> list[str]:
        return [q["sql"] for q in self._primary.captured_queries]


@contextmanager
def reads() -> Iterator[Reads]:
    with (
        CaptureQueriesContext(connections[REPLICA]) as replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
    ):
        yield Reads(replica, primary)


def logged_db(caplog: pytest.LogCaptureFixture) -> str | None:
    lines = [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "pcmd.request"
    ]
    return lines[-1].get("db")


def total(client: Any) -> int:
    response = client.get(VALUES)
    assert response.status_code == 200, response.content
    return int(response.json()["total"])


def new_establishment(client: Any) -> int:
    response = client.post(
        "/api/v1/establishments",
        {
            "name": f"Karaoke Bản Sao {next(_counter)}",
            "kind": "karaoke",
            "address": "5 Hùng Vương",
            "commune": "24118",
            "on": "2018-03-12",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_the_replica_is_a_standby_in_recovery_and_refuses_writes() -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (False,)
    wait_replayed()
    lag = db_router.replica_lag()
    assert lag is not None and lag <= 30
    assert db_router.replica_usable(force=True) is True
    with pytest.raises(DatabaseError, match="read-only"):
        Indicator.objects.using(REPLICA).filter(code="establishments").update(scale=1)
    with pytest.raises(DatabaseError, match="read-only"), connections[REPLICA].cursor() as cursor:
        cursor.execute("CREATE TABLE replica_write_probe (id integer)")
    assert Indicator.objects.using(REPLICA).filter(code="establishments").exists()


def test_rows_written_on_the_primary_are_read_through_the_replica(
    caplog: pytest.LogCaptureFixture,
) -> None:
    writer, reader = token_client("thuongtruc"), token_client("lanhdao")
    before = total(reader)
    new_id = new_establishment(writer)
    wait_replayed()
    assert Establishment.objects.using(REPLICA).filter(pk=new_id).exists()
    db_router.replica_usable(force=True)
    with reads() as seen, caplog.at_level(logging.INFO, logger="pcmd.request"):
        assert total(reader) == before + 1
    assert any("registry_establishment" in sql for sql in seen.replica)
    assert not any("registry_establishment" in sql for sql in seen.primary)
    assert logged_db(caplog) == "replica"
    page = browser("lanhdao")
    for url in (DASHBOARD, DASHBOARD.replace("/?", "/export.csv?")):
        with reads() as seen, caplog.at_level(logging.INFO, logger="pcmd.request"):
            response = page.get(url)
            assert response.status_code == 200, url
            b"".join(response.streaming_content) if response.streaming else response.content
        assert seen.replica, url
        assert logged_db(caplog) == "replica", url
        # the session and the account are the primary's
        assert not any("django_session" in sql for sql in seen.replica)
        assert not any("accounts_user" in sql for sql in seen.replica)


@contextmanager
def replay_paused() -> Iterator[None]:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        wait_replayed()


def test_a_writer_reads_the_primary_at_once_and_a_lagging_replica_is_left(
    caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    writer, reader = token_client("thuongtruc"), token_client("lanhdao")
    writer_before, reader_before = total(writer), total(reader)
    wait_replayed()
    assert db_router.replica_usable(force=True)
    with replay_paused():
        new_establishment(writer)
        # the writer, pinned: the primary, and the new row at once
        with reads() as seen, caplog.at_level(logging.INFO, logger="pcmd.request"):
            assert total(writer) == writer_before + 1
        assert seen.replica == [] and logged_db(caplog) == "primary"
        # someone else reads the replica, which has not replayed the row yet
        with reads() as seen, caplog.at_level(logging.INFO, logger="pcmd.request"):
            assert total(reader) == reader_before
        assert seen.replica and logged_db(caplog) == "replica"
        # the replica falls further behind than allowed: everyone reads the primary
        settings.PCMD_REPLICA_MAX_LAG = 1
        time.sleep(2)
        assert db_router.replica_usable(force=True) is False
        with reads() as seen, caplog.at_level(logging.INFO, logger="pcmd.request"):
            assert total(reader) == reader_before + 1
        assert seen.replica == [] and logged_db(caplog) == "primary"
        health = browser("lanhdao").get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "degraded"
    settings.PCMD_REPLICA_MAX_LAG = 30
    assert db_router.replica_usable(force=True) is True
    with reads() as seen:
        assert total(reader) == reader_before + 1
    assert seen.replica
    assert browser("lanhdao").get("/healthz").json()["checks"]["replica"] is True
