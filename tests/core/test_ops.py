"""The health endpoint and the JSON request log (production operations)."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import override_settings

from pcmd.core.request_log import JsonFormatter

pytestmark = pytest.mark.django_db


def test_health_is_ok_without_signing_in(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "migrations": True, "keys": True},
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_fails_with_503_when_a_key_is_missing(client) -> None:
    with override_settings(PCMD_BLIND_INDEX_KEY=""):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["keys"] is False


def test_health_fails_when_the_field_keys_cannot_read_the_identities_stored(client) -> None:
    """A database restored with other keys: 503 at the health check, not a 500 on a page."""
    from cryptography.fernet import Fernet
    from django.conf import settings

    from tests.people.builders import new_person

    new_person()
    assert client.get("/healthz").status_code == 200
    other = Fernet.generate_key().decode()
    with override_settings(PCMD_FIELD_KEYS=[other]):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": True, "keys": False}
    # During a rotation (the new key first, the old one still there) the data is readable.
    with override_settings(PCMD_FIELD_KEYS=[other, *settings.PCMD_FIELD_KEYS]):
        assert client.get("/healthz").status_code == 200


def test_health_fails_when_a_migration_is_not_applied(client, monkeypatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": False, "keys": True}


def test_each_request_is_one_json_line_without_personal_data(client_for, caplog) -> None:
    client = client_for("xa.tanlap")
    with caplog.at_level(logging.INFO, logger="pcmd.request"):
        response = client.get(
            "/registry/?q=Nguy%E1%BB%85n+V%C4%83n+A", HTTP_X_REQUEST_ID="abc12345"
        )
    assert response["X-Request-ID"] == "abc12345"
    records = [r for r in caplog.records if r.name == "pcmd.request"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    data = json.loads(line)
    assert data["request_id"] == "abc12345"
    assert data["path"] == "/registry/" and data["status"] == response.status_code
    assert isinstance(data["user_id"], int) and data["duration_ms"] >= 0
    assert "Nguy" not in line and "tanlap" not in line  # no query string, no username


def test_a_forged_request_id_is_replaced(client, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="pcmd.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID='x"; drop table')
    assert response["X-Request-ID"] != 'x"; drop table' and len(response["X-Request-ID"]) == 32


def test_the_deploy_files_name_commands_and_settings_that_exist() -> None:
    """The systemd units run management commands that exist; gunicorn binds to loopback by
    default; the environment template names only variables the settings read."""
    import re
    import runpy
    from pathlib import Path

    from django.core.management import get_commands

    root = Path(__file__).resolve().parents[2]
    units = "".join(p.read_text() for p in (root / "deploy" / "systemd").glob("*.service"))
    commands = set(re.findall(r"manage\.py (\w+)", units))
    assert {"migrate", "send_report_reminders", "apply_retention"} <= commands
    assert commands <= set(get_commands())
    config = runpy.run_path(str(root / "deploy" / "gunicorn.conf.py"))
    assert config["bind"].startswith("127.0.0.1:") and config["accesslog"] is None
    settings_text = (root / "config" / "settings.py").read_text() + (
        root / "config" / "keys.py"
    ).read_text()
    template = (root / "deploy" / "pcmd.env.example").read_text()
    names = set(re.findall(r"^#?\s*(PCMD_\w+|DATABASE_\w+)=", template, re.M))
    gunicorn_only = {"PCMD_WORKERS", "PCMD_BIND"}
    assert names - gunicorn_only <= set(re.findall(r"(PCMD_\w+|DATABASE_\w*URL)", settings_text))
