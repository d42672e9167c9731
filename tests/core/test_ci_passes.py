"""CI runs the suite in two passes (tests/conftest.py, PCMD_CI_PASS): every test must run in
at least one of them, and the browser tests, left out of the SQLite pass, must be those of
tests/browser (a live server elsewhere would be dropped from the SQLite pass unnoticed)."""

from __future__ import annotations

import pytest

from tests.conftest import drives_a_browser, reaches_a_database


def test_every_test_runs_in_one_of_the_two_passes(request: pytest.FixtureRequest) -> None:
    items = request.session.items
    assert request.node in items
    in_sqlite_pass = {i.nodeid for i in items if not drives_a_browser(i)}
    in_postgresql_pass = {i.nodeid for i in items if reaches_a_database(i)}
    assert in_sqlite_pass | in_postgresql_pass == {i.nodeid for i in items}
    assert request.node.nodeid in in_sqlite_pass - in_postgresql_pass  # reaches no database


def test_only_the_browser_tests_drive_a_live_server(request: pytest.FixtureRequest) -> None:
    browser = {i.nodeid for i in request.session.items if drives_a_browser(i)}
    assert all(nodeid.startswith("tests/browser/") for nodeid in browser), sorted(browser)[:5]
