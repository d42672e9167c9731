"""Playwright (Python) driving Debian's Chromium at /usr/bin/chromium — never a download."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from pcmd.core.demo import load_demo
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
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


def clear_access_log() -> None:
    """Empty the identity access log, which refuses DELETE in the database (a trigger): the
    flush that ends a live-server test could not empty it. The triggers are put back."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("pcmd.people.migrations.0002_access_log_append_only")
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)
        editor.execute("DELETE FROM people_accesslog")
        migration.forwards(None, editor)


@pytest.fixture
def demo_server(live_server: Any, transactional_db: Any) -> Iterator[Any]:
    """A live server on the base demo. Live-server tests end with a flush of every table, so
    the catalogs seeded by data migrations are put back first when they are gone, and the
    append-only access log is emptied before the flush."""
    from pcmd.registry.models import EstablishmentKind

    if not EstablishmentKind.objects.exists():
        reseed_catalogs()
    load_demo(PASSWORD, registers=False)
    yield live_server
    clear_access_log()


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
        page.wait_for_url(f"{demo_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()
