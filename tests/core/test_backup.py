"""manage.py backup / restore: the demo base backed up, restored elsewhere, manifests equal."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _target_url(tmp_path: Path) -> tuple[str, object]:
    """An empty database to restore into (and how to drop it afterwards)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
    import psycopg

    params = connection.settings_dict
    name = f"pcmd_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


def test_backup_then_restore_loses_nothing(tmp_path) -> None:
    media = tmp_path / "media"
    (media / "inspections").mkdir(parents=True)
    (media / "inspections" / "photo.jpg").write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    url, drop = _target_url(tmp_path)
    try:
        with override_settings(MEDIA_ROOT=media):
            call_command("backup", str(tmp_path / "b"))
        manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
        assert manifest["tables"]["plans_target"]["rows"] >= 7
        assert manifest["tables"]["geo_unit"]["rows"] > 300
        assert list(manifest["media"]) == ["inspections/photo.jpg"]
        call_command(
            "restore", str(tmp_path / "b"), database_url=url, media_root=str(tmp_path / "m2")
        )  # raises when a table or file differs
        assert (tmp_path / "m2" / "inspections" / "photo.jpg").read_bytes() == (
            media / "inspections" / "photo.jpg"
        ).read_bytes()
        # the keys that decrypt identities are never in the backup
        blob = b"".join(p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file())
        for key in [*settings.PCMD_FIELD_KEYS, settings.PCMD_BLIND_INDEX_KEY]:
            assert key.encode() not in blob
        # restoring again over the now full database is refused
        with pytest.raises(CommandError, match="not empty"):
            call_command(
                "restore", str(tmp_path / "b"), database_url=url, media_root=str(tmp_path / "m3")
            )
    finally:
        if drop:
            drop()


def test_a_damaged_backup_is_reported_by_table(tmp_path) -> None:
    """A backup whose content no longer matches its manifest is named table by table."""
    call_command("backup", str(tmp_path / "b"))
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["plans_objective"]["rows"] += 1
    manifest["tables"]["geo_unit"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    url, drop = _target_url(tmp_path)
    try:
        with pytest.raises(CommandError) as refused:
            call_command(
                "restore", str(tmp_path / "b"), database_url=url, media_root=str(tmp_path / "m")
            )
        assert "plans_objective" in str(refused.value) and "geo_unit" in str(refused.value)
    finally:
        if drop:
            drop()
