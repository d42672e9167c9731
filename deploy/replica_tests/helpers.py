"""Clients and waiting for the standby, for the real-replica tests."""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.core.db_router import REPLICA
from tests.conftest import sign_in


def token_client(username: str) -> APIClient:
    """An API client as a token holder: a real ``Authorization`` header, no cookies kept."""
    _token, key = AuthToken.objects.create(User.objects.get(username=username))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def browser(username: str) -> Client:
    client = Client()
    sign_in(client, User.objects.get(username=username))
    return client


def wait_replayed(timeout: float = 30.0) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (lsn,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            (done,) = cursor.fetchone()
        if done:
            return
        assert time.monotonic() < deadline, f"the standby did not replay {lsn} in {timeout} s"
        time.sleep(0.1)
