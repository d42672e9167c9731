"""The standby is stopped (deploy/ci-replica.sh stops it before running this file): the
pages and the API answer from the primary, the health check says ``degraded`` with 200."""

from __future__ import annotations

import logging

import pytest

from pcmd.core import db_router

from .helpers import browser, token_client


def test_without_the_replica_everything_is_answered_by_the_primary(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert db_router.replica_lag() is None, "run after the standby is stopped (ci-replica.sh)"
    page = browser("lanhdao")
    health = page.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["checks"]["replica"] is False
    db_router.reset_health()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert page.get("/dashboard/?period=2018").status_code == 200
        assert page.get("/dashboard/?period=2018").status_code == 200
        api = token_client("lanhdao")
        assert (
            api.get("/api/v1/indicators/establishments/values?unit=66&period=2018").status_code
            == 200
        )
    dbs = [getattr(r, "request", {}).get("db") for r in caplog.records if r.name == "pcmd.request"]
    assert dbs == ["primary", "primary", "primary"]
    warnings = [r.getMessage() for r in caplog.records if r.name == "pcmd.replica"]
    assert len(warnings) == 1 and "not used" in warnings[0]  # logged once, not per request
