"""A bounded schemathesis run against /api/v1/openapi.json, as an administrator and as a
commune officer: no 5xx, every response as the schema says (status, content type, body), and
values the schema forbids are refused.

Every operation gets a few positive cases (values the schema allows) and a few negative ones
(values it forbids), derandomized so that a run is the same each time. Writes that succeed
change the test database of this test only (the test runs in a transaction rolled back after).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from pcmd.accounts.models import User
from pcmd.core.demo import load_registers

pytestmark = pytest.mark.django_db

# Cases per operation and mode: ~87 operations × 10 cases × 2 personas take about 2 minutes
# on 2 cores. PCMD_SCHEMATHESIS_SCALE=5 runs five times as many (a deeper run, by hand).
SCALE = int(os.environ.get("PCMD_SCHEMATHESIS_SCALE", "1"))
POSITIVE_EXAMPLES = 6 * SCALE
NEGATIVE_EXAMPLES = 4 * SCALE
PERSONAS = ["admin", "xa.tanlap"]
NATIONAL = "11,12"  # Điện Biên, Lai Châu
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI application sharing the test's transaction: Django closes the
    connection after each request, which would end the test's transaction (the test
    client disconnects these signals the same way)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return " | ".join(_describe(e) for e in exc.exceptions)
    return f"{type(exc).__name__}: {exc}"


def _run(app: Any, username: str) -> tuple[int, int, list[str]]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    user = User.objects.get(username=username)
    operations = 0
    cases = 0
    failures: list[str] = []

    def check_all(mode: GenerationMode, examples: int, op: Any) -> None:
        checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(op.as_strategy(generation_mode=mode))
        def one(case: Any) -> None:
            nonlocal cases
            cases += 1
            # A fresh token each time (a case may sign out or revoke tokens), deleted after
            # it: knox reads every token of the user on each request, so 1,600 tokens kept
            # made the run quadratic (1.1 million token rows read, a third of its time).
            token, key = AuthToken.objects.create(user)
            headers = {"Authorization": f"Bearer {key}"}
            try:
                case.call_and_validate(headers=headers, checks=checks)
            except (AssertionError, BaseExceptionGroup) as exc:  # collected, reported together
                failures.append(
                    f"{mode.value} {op.label}: {_describe(exc)}"[:1200]
                    + f"\n    {case.as_curl_command()}"
                )
            finally:
                AuthToken.objects.filter(pk=token.pk).delete()  # gone already if signed out

        one()

    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"schema: {result.err()}")
            continue
        op = result.ok()
        if op.path.endswith("/auth/token"):
            continue  # signing in with generated passwords would lock accounts (axes)
        operations += 1
        check_all(GenerationMode.POSITIVE, POSITIVE_EXAMPLES, op)
        check_all(GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, op)
    return operations, cases, failures


def test_the_api_keeps_its_schema(wsgi_app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """An administrator, then a commune officer (one test: the registers are loaded once;
    each persona's writes are rolled back before the next)."""
    # Rows in every register, so that responses have something to show; the national step
    # with two provinces rather than all 63 (their 14,000 units add nothing to the schema).
    with override_settings(PCMD_DEMO_NATIONAL=NATIONAL):
        load_registers()
    failures: list[str] = []
    for username in PERSONAS:
        with transaction.atomic():  # the first persona's writes are not the second's
            operations, cases, found = _run(wsgi_app, username)
            transaction.set_rollback(True)
        with capsys.disabled():
            print(
                f"\nschemathesis {username}: {operations} operations, {cases} cases, "
                f"{len(found)} failures"
            )
        assert operations > 30
        failures += [f"{username}: {failure}" for failure in found]
    assert not failures, "\n\n".join(failures[:40])
