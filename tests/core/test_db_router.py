"""The optional read replica (pcmd.core.db_router): which database each read goes to.

The ``replica`` fixture adds the alias ``replica`` as the primary's own connection (so that the
rows of the test's transaction are seen, on SQLite and PostgreSQL alike), installs the router
and judges the replica fit (its lag function is replaced). Where a read went is recorded by
spying on the router's answers. deploy/replica_tests/ reads through a real standby.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken
from rest_framework.test import APIClient

from pcmd.accounts.models import Assignment, User
from pcmd.core import db_router
from pcmd.core.db_router import REPLICA, ReplicaRouter, read_replica
from pcmd.core.request_log import JsonFormatter
from pcmd.geo.models import Unit
from pcmd.indicators.models import Indicator

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/?period=2018"
VALUES = "/api/v1/indicators/establishments/values?unit=66&period=2018"


class Lag:
    """The replica's lag as the router sees it; ``calls`` counts the checks."""

    def __init__(self) -> None:
        self.seconds: float | None = 0.0
        self.calls = 0

    def __call__(self) -> float | None:
        self.calls += 1
        return self.seconds


@pytest.fixture
def lag(monkeypatch: pytest.MonkeyPatch) -> Lag:
    measured = Lag()
    monkeypatch.setattr(db_router, "replica_lag", measured)
    return measured


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every read the router routes: (app label, alias)."""
    seen: list[tuple[str, str]] = []
    original = ReplicaRouter.db_for_read

    def spy(self: ReplicaRouter, model: Any, **hints: Any) -> str | None:
        alias = original(self, model, **hints)
        seen.append((model._meta.app_label, alias or DEFAULT_DB_ALIAS))
        return alias

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return seen


@pytest.fixture
def replica(db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, lag: Lag) -> Iterator[None]:
    entry = {**connections[DEFAULT_DB_ALIAS].settings_dict, "TEST": {"MIRROR": "default"}}
    monkeypatch.setitem(django_settings.DATABASES, REPLICA, entry)
    connections[REPLICA] = connections[DEFAULT_DB_ALIAS]
    settings.DATABASE_ROUTERS = ["pcmd.core.db_router.ReplicaRouter"]
    settings.PCMD_REPLICA_PIN_SECONDS = 10
    settings.PCMD_REPLICA_MAX_LAG = 30
    settings.PCMD_REPLICA_CHECK_SECONDS = 5
    db_router.reset_health()
    yield
    del connections[REPLICA]
    db_router.reset_health()
    from django.core.cache import cache

    cache.delete_many([db_router.pin_key(pk) for pk in User.objects.values_list("pk", flat=True)])


def aliases(seen: list[tuple[str, str]], *, skip: frozenset[str] = frozenset()) -> set[str]:
    return {alias for label, alias in seen if label not in skip}


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "pcmd.request"
    ]


def marked(view: Any) -> Any:
    return read_replica(view)


def get(user: User | None = None, method: str = "get") -> HttpRequest:
    request = getattr(RequestFactory(), method)("/x")
    request.user = user or User.objects.get(username="lanhdao")
    return request


# --- the router's rules ------------------------------------------------------------------


def test_outside_marked_work_everything_is_the_primary(replica: None) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Unit) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Unit) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "geo") is True
    assert router.allow_migrate(REPLICA, "geo") is False
    unit, other = Unit.objects.first(), Unit.objects.last()
    assert unit is not None and other is not None
    other._state.db = REPLICA
    assert router.allow_relation(unit, other) is True
    other._state.db = "elsewhere"
    assert router.allow_relation(unit, other) is None


def test_marked_work_reads_the_replica_but_never_who_the_user_is(
    replica: None, reads: list[tuple[str, str]]
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        list(Unit.objects.all()[:3])
        list(Indicator.objects.all()[:3])
        list(User.objects.all()[:3])
        list(Assignment.objects.all()[:3])
        list(Session.objects.all()[:3])
        list(AuthToken.objects.all()[:3])
        return HttpResponse("ok")

    request = get()
    assert marked(view)(request).status_code == 200
    by_app = dict(reads)
    assert by_app["geo"] == by_app["indicators"] == REPLICA
    for label in ("accounts", "sessions", "knox"):
        assert by_app[label] == DEFAULT_DB_ALIAS, label
    assert request.pcmd_read_work.db == "replica"  # type: ignore[attr-defined]


def test_the_apps_that_say_who_the_user_is_are_all_primary_only() -> None:
    from django.apps import apps

    labels = {m._meta.app_label for m in apps.get_models()}
    identity = {
        label
        for label in labels
        if label in {"accounts", "auth", "sessions", "knox", "axes", "contenttypes"}
        or label.startswith("otp")
    }
    assert identity <= db_router.PRIMARY_ONLY_APPS
    assert {"accounts", "sessions", "knox", "axes", "otp_totp", "otp_static"} <= identity


def test_after_a_write_the_work_reads_the_primary(
    replica: None, reads: list[tuple[str, str]]
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        list(Unit.objects.all()[:1])
        Indicator.objects.filter(code="establishments").update(scale=1)
        list(Unit.objects.all()[:1])
        return HttpResponse("ok")

    marked(view)(get())
    assert [alias for label, alias in reads if label == "geo"] == [REPLICA, DEFAULT_DB_ALIAS]


def test_an_open_transaction_keeps_reads_on_the_primary(
    replica: None, reads: list[tuple[str, str]]
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            list(Unit.objects.all()[:1])
        list(Unit.objects.all()[:1])  # the transaction wrote nothing: the replica again
        return HttpResponse("ok")

    marked(view)(get())
    assert [alias for label, alias in reads if label == "geo"] == [DEFAULT_DB_ALIAS, REPLICA]


def test_a_write_request_never_reads_the_replica(
    replica: None, reads: list[tuple[str, str]]
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        list(Unit.objects.all()[:1])
        return HttpResponse("ok")

    request = get(method="post")
    marked(view)(request)
    assert aliases(reads) == {DEFAULT_DB_ALIAS}
    assert request.pcmd_read_work.db == "primary"  # type: ignore[attr-defined]


def test_without_a_replica_marked_work_reads_the_primary(db: Any, settings: Any) -> None:
    settings.DATABASE_ROUTERS = ["pcmd.core.db_router.ReplicaRouter"]
    assert not db_router.configured()
    request = get()
    marked(lambda r: HttpResponse(str(Unit.objects.count())))(request)
    assert not hasattr(request, "pcmd_read_work")
    assert db_router.replica_usable() is False


def test_a_streamed_body_is_read_inside_the_work(
    replica: None, reads: list[tuple[str, str]]
) -> None:
    def view(request: HttpRequest) -> StreamingHttpResponse:
        def rows() -> Iterator[str]:
            for unit in Unit.objects.all()[:2]:
                yield unit.code + "\n"

        return StreamingHttpResponse(rows())

    request = get()
    reads.clear()
    response = marked(view)(request)
    assert reads == []  # nothing read yet: the body is produced when it is sent
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body and aliases(reads) == {REPLICA}
    assert db_router.current_work() is None  # the work does not leak out of the body


def test_a_failing_replica_is_left_and_the_view_answered_on_the_primary(
    replica: None, lag: Lag, reads: list[tuple[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        list(Unit.objects.all()[:1])
        if reads[-1][1] == REPLICA:
            lag.seconds = None  # the replica went away while the page was read
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("primary")

    request = get()
    reads.clear()
    with caplog.at_level(logging.WARNING, logger="pcmd.replica"):
        response = marked(view)(request)
    assert response.content == b"primary"
    assert [alias for _label, alias in reads] == [REPLICA, DEFAULT_DB_ALIAS]
    assert request.pcmd_read_work.db == "primary"  # type: ignore[attr-defined]
    assert db_router.replica_usable() is False
    assert any("not used" in r.getMessage() for r in caplog.records)


def test_a_failure_of_the_primary_is_not_retried(replica: None, lag: Lag) -> None:
    calls = []

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        list(Unit.objects.all()[:1])
        raise OperationalError("the primary failed")

    with pytest.raises(OperationalError):
        marked(view)(get())
    assert calls == [1]  # the replica still answers: the error is not the replica's


# --- pages and API -------------------------------------------------------------------------


def test_the_dashboard_reads_the_replica_and_logs_it(
    replica: None, client_for: Any, reads: list[tuple[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for("lanhdao")
    reads.clear()
    with caplog.at_level(logging.INFO, logger="pcmd.request"):
        assert client.get(DASHBOARD).status_code == 200
    assert REPLICA in aliases(reads)
    assert {alias for label, alias in reads if label in {"accounts", "sessions"}} <= {
        DEFAULT_DB_ALIAS
    }
    assert request_lines(caplog)[-1]["db"] == "replica"


def test_pages_that_are_not_marked_read_the_primary_and_log_no_db(
    replica: None, client_for: Any, reads: list[tuple[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for("lanhdao")
    reads.clear()
    with caplog.at_level(logging.INFO, logger="pcmd.request"):
        assert client.get("/units/").status_code == 200
    assert reads and aliases(reads) == {DEFAULT_DB_ALIAS}
    assert "db" not in request_lines(caplog)[-1]


def test_exports_and_the_api_read_the_replica(
    replica: None, client_for: Any, persona: Any, reads: list[tuple[str, str]]
) -> None:
    client = client_for("lanhdao")
    for url in (
        DASHBOARD.replace("/?", "/export.csv?"),
        DASHBOARD.replace("/?", "/export.xlsx?"),
        "/dashboard/map/?period=2018",
        "/dashboard/indicators/",
    ):
        reads.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert REPLICA in aliases(reads), url
    api = APIClient()
    api.force_authenticate(persona("lanhdao"))
    for url in (VALUES, "/api/v1/indicators"):
        reads.clear()
        assert api.get(url).status_code == 200, url
        assert REPLICA in aliases(reads), url


def _new_establishment(api: APIClient) -> Any:
    return api.post(
        "/api/v1/establishments",
        {
            "name": "Karaoke Bản Sao",
            "kind": "karaoke",
            "address": "5 Hùng Vương",
            "commune": "24118",
            "on": "2018-03-12",
        },
        format="json",
    )


def test_a_user_who_wrote_reads_the_primary_for_a_while(
    replica: None, persona: Any, reads: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = persona("thuongtruc")
    api = APIClient()
    api.force_authenticate(writer)
    before = api.get(VALUES).json()["total"]
    assert _new_establishment(api).status_code == 201
    assert db_router.PIN_COOKIE in api.cookies
    reads.clear()
    after = api.get(VALUES).json()["total"]
    assert after == before + 1 and aliases(reads) == {DEFAULT_DB_ALIAS}
    # a token client keeps no cookie: the user is pinned too
    bare = APIClient()
    bare.force_authenticate(writer)
    reads.clear()
    assert bare.get(VALUES).status_code == 200
    assert aliases(reads) == {DEFAULT_DB_ALIAS}
    # someone else reads the replica meanwhile
    other = APIClient()
    other.force_authenticate(persona("lanhdao"))
    reads.clear()
    other.get(VALUES)
    assert REPLICA in aliases(reads)
    # once the pin has run out, the writer reads the replica again
    later = time.time() + django_settings.PCMD_REPLICA_PIN_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    for client in (api, bare):
        reads.clear()
        assert client.get(VALUES).status_code == 200
        assert REPLICA in aliases(reads)


def test_a_browser_that_posted_is_pinned_and_a_refused_post_pins_nobody(
    replica: None, client_for: Any, reads: list[tuple[str, str]]
) -> None:
    client = client_for("lanhdao")
    refused = client.post("/api/v1/establishments", {"name": ""})
    assert refused.status_code >= 400 and db_router.PIN_COOKIE not in refused.cookies
    reads.clear()
    client.get(DASHBOARD)
    assert REPLICA in aliases(reads)
    assert client.post("/i18n/setlang/", {"language": "vi"}).status_code == 302
    reads.clear()
    client.get(DASHBOARD)
    assert aliases(reads) == {DEFAULT_DB_ALIAS}
    # a forged pin cookie is ignored (another user: lanhdao is pinned by user id too)
    fresh = client_for("congan")
    fresh.cookies[db_router.PIN_COOKIE] = "1"
    reads.clear()
    fresh.get(DASHBOARD)
    assert REPLICA in aliases(reads)


# --- lag, fallback and health --------------------------------------------------------------


def test_a_lagging_replica_is_left_and_taken_back_logged_once(
    replica: None,
    lag: Lag,
    settings: Any,
    client_for: Any,
    reads: list[tuple[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.PCMD_REPLICA_CHECK_SECONDS = 3600  # one check until forced
    client = client_for("lanhdao")
    lag.seconds = 31.0
    with caplog.at_level(logging.INFO):
        reads.clear()
        client.get(DASHBOARD)
        client.get(DASHBOARD)
        assert aliases(reads) == {DEFAULT_DB_ALIAS}
        assert [line["db"] for line in request_lines(caplog)] == ["primary", "primary"]
        assert lag.calls == 1  # checked once per PCMD_REPLICA_CHECK_SECONDS, not per read
        lag.seconds = 2.0
        db_router.replica_usable(force=True)
        reads.clear()
        client.get(DASHBOARD)
        assert REPLICA in aliases(reads)
    warnings = [r.getMessage() for r in caplog.records if r.name == "pcmd.replica"]
    assert len(warnings) == 2
    assert "lagging 31.0 s" in warnings[0] and "in use again" in warnings[1]


def test_health_reports_the_replica_without_failing_on_it(replica: None, lag: Lag) -> None:
    client = Client()
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "checks": {"database": True, "migrations": True, "keys": True, "replica": True},
    }
    lag.seconds = None
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded" and answer.json()["checks"]["replica"] is False


def test_health_fails_on_the_primary_even_with_a_replica(
    replica: None, lag: Lag, settings: Any
) -> None:
    settings.PCMD_BLIND_INDEX_KEY = ""
    answer = Client().get("/healthz")
    assert answer.status_code == 503 and answer.json()["status"] == "fail"


def test_the_lag_of_a_database_that_is_not_a_standby_is_unknown(db: Any) -> None:
    """The real lag function on a second connection to the test database, which is no
    standby: ``None`` (SQLite has no such function; PostgreSQL is not in recovery)."""
    entry = connections[DEFAULT_DB_ALIAS].settings_dict
    second = load_backend(entry["ENGINE"]).DatabaseWrapper(entry, REPLICA)
    connections[REPLICA] = second
    try:
        assert db_router.replica_lag() is None
    finally:
        second.close()
        del connections[REPLICA]


# --- settings --------------------------------------------------------------------------------


def test_the_replica_is_configured_only_by_its_url() -> None:
    from tests.core.test_settings_env import GOOD, _check, _settings_value

    expr = "'replica' in settings.DATABASES, settings.DATABASE_ROUTERS"
    assert _settings_value(expr) == "False []"
    replica_url = "postgres://pcmd:secret@standby.example:5433/pcmd"
    expr = (
        "settings.DATABASES['replica']['HOST'], settings.DATABASES['replica']['TEST']['MIRROR'],"
        " settings.DATABASES['replica']['OPTIONS'], settings.DATABASE_ROUTERS"
    )
    assert _settings_value(expr, **GOOD, DATABASE_REPLICA_URL=replica_url) == (
        "standby.example default {'connect_timeout': 3} ['pcmd.core.db_router.ReplicaRouter']"
    )
    refused = _check(DATABASE_URL="sqlite:///tmp/x.sqlite3", DATABASE_REPLICA_URL=replica_url)
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert refused.returncode != 0 and len(lines) == 1 and "DATABASE_REPLICA_URL" in lines[0]


# --- every read-only view is marked ---------------------------------------------------------

MARKED = {
    "dashboard:home",
    "dashboard:map",
    "dashboard:indicators",
    "dashboard:export_csv",
    "dashboard:export_xlsx",
    "api:indicators",
    "api:indicator_values",
    "api:plan_progress",
    "hotspots:patrol_export",
    "registry:export",
    "inspections:export",
    "national:overview",
    "national:map",
    "national:completeness",
    "national:report",
    "api:api-national-figures",
    "api:api-national-completeness",
}


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry.callback


def _is_marked(callback: Any) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return bool(getattr(getattr(view_class, "get", None), "read_replica", False))
    return bool(getattr(callback, "read_replica", False))


def test_the_read_only_views_are_marked_and_nothing_else() -> None:
    found = {name for name, callback in _walk(get_resolver()) if _is_marked(callback)}
    assert found == MARKED
