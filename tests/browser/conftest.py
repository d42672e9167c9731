"""Playwright (Python) driving Debian's Chromium at /usr/bin/chromium — never a download."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models.signals import post_migrate

from pcmd.accounts.demo import ALL_PERSONAS
from pcmd.accounts.roles import TWO_FACTOR_ROLES
from pcmd.core.demo import load_demo
from tests.conftest import PASSWORD, otp_code

CHROMIUM = "/usr/bin/chromium"
# Demo personas whose role needs two-factor sign-in: they have the demo's TOTP device.
TWO_FACTOR_PERSONAS = {
    p.username for p in ALL_PERSONAS if p.role in TWO_FACTOR_ROLES or p.two_factor
}
# As root Chromium needs --no-sandbox; the rest keep it off the (closed) network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (under CI=true browser tests never skip)")
        pytest.skip("BROWSER TESTS SKIPPED: " + message)
    # Playwright's sync API runs an event loop in this thread; the live server's DB access
    # happens in its own thread, and the test's own ORM calls are synchronous by design.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # launch() gives every run a fresh, empty profile of its own (a new user-data dir).
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


def reseed_catalogs() -> None:
    """Run the project's data migrations again after a live-server test flushed the tables
    (kinds, checklists, violation types, report forms… are seeded by migrations)."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    done: set[tuple[str, str]] = set()
    for key in loader.graph.leaf_nodes():
        for app_label, name in loader.graph.forwards_plan(key):
            migration = loader.get_migration(app_label, name)
            if (app_label, name) in done or not migration.__module__.startswith("pcmd."):
                continue
            done.add((app_label, name))
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    with connection.schema_editor() as editor:
                        operation.code(apps, editor)


# The identity access log is append-only down to a database trigger; SQLite empties tables
# with DELETE at the flush that ends a live-server test, which that trigger refuses. The
# delete trigger is lifted for the flush and put back by the post_migrate signal the flush
# sends (PostgreSQL truncates, which row triggers do not see).
_ACCESS_LOG_MIGRATION = "pcmd.people.migrations.0002_access_log_append_only"
_NO_DELETE = "people_accesslog_no_delete"


def _restore_access_log_trigger(sender: Any, using: str = "default", **kwargs: Any) -> None:
    import importlib

    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite" or getattr(sender, "label", "") != "people":
        return
    migration = importlib.import_module(_ACCESS_LOG_MIGRATION)
    with connection.cursor() as cursor:
        for sql in migration.SQLITE:  # CREATE TRIGGER IF NOT EXISTS
            cursor.execute(sql)


post_migrate.connect(_restore_access_log_trigger, dispatch_uid="pcmd-access-log-trigger")


def _lift_access_log_delete_trigger() -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {_NO_DELETE}")


# The base demo as the first live-server test of a test process found it, copied table by
# table (PostgreSQL: a schema of its own; SQLite: prefixed tables), and copied back after
# each flush: 0.2 s against 2-3 s for the data migrations and the demo loaded again.
SNAPSHOT = "pcmd_snapshot"
_snapshot: list[str] = []


def _snapshot_of(connection: Any, table: str) -> str:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return f"{SNAPSHOT}.{quote(table)}"
    return quote(f"{SNAPSHOT}__{table}")


def _take_snapshot() -> None:
    from django.db import connection

    from pcmd.core.stamps import STAMP_TABLE  # written by triggers as the rows come back

    tables = [
        t
        for t in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if t != STAMP_TABLE
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SNAPSHOT}")
        for table in tables:
            copy = _snapshot_of(connection, table)
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(
                f"CREATE TABLE {copy} AS SELECT * FROM {connection.ops.quote_name(table)}"
            )
    _snapshot[:] = tables


def _restore_snapshot() -> None:
    """Every table as the snapshot has it (what the flush's post_migrate wrote is replaced;
    foreign keys are checked at the commit)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in _snapshot:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"DELETE FROM {quoted}")
            cursor.execute(f"INSERT INTO {quoted} SELECT * FROM {_snapshot_of(connection, table)}")


@pytest.fixture
def demo_server(live_server: Any, transactional_db: Any) -> Iterator[Any]:
    """A live server on the base demo. Live-server tests end with a flush of every table, so
    the base demo is put back first when it is gone (from the snapshot the first such test
    of this process took), and the append-only access log is emptied before the flush."""
    from pcmd.registry.models import EstablishmentKind

    if EstablishmentKind.objects.exists():
        load_demo(PASSWORD, registers=False)
        if not _snapshot:
            _take_snapshot()
    elif _snapshot:
        _restore_snapshot()
    else:
        reseed_catalogs()
        load_demo(PASSWORD, registers=False)
    yield live_server
    _lift_access_log_delete_trigger()  # the flush follows; post_migrate puts it back


@pytest.fixture
def page_for(chromium_browser: Any, demo_server: Any) -> Iterator[Any]:
    contexts = []

    def make(username: str, *, viewport: dict[str, int] | None = None) -> Any:
        context = chromium_browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, locale="vi-VN"
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{demo_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        if username in TWO_FACTOR_PERSONAS:  # the demo device's current code, as a user types it
            page.wait_for_url("**/login/code/**")
            page.fill("#id_code", otp_code(username))
            page.click("button[type=submit].primary")
        page.wait_for_url(f"{demo_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()
