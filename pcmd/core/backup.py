"""Backup and restore of the database and the uploaded files, with a manifest to prove it.

A backup is a directory holding
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, the online backup API: a consistent copy while the site runs);
- ``media/``: a copy of every uploaded file;
- ``manifest.json``: per table its row count and a SHA-256 of its rows in key order, per file
  its SHA-256, the engine and the time.

``restore`` loads a backup into an EMPTY database (and an empty media directory), computes the
manifest of what it restored and compares it with the backup's: every table and file must
match, else it says which and fails. The person-layer keys (``PCMD_FIELD_KEYS``,
``PCMD_BLIND_INDEX_KEY``) are settings, never rows or files: a backup holds the identities
only encrypted, and is useless without the keys, which are kept elsewhere (deploy/README.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


# ---- reading a database, whatever its engine ------------------------------------------------


def _connect(settings_dict: dict[str, Any]) -> Any:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return sqlite3.connect(str(settings_dict["NAME"]))
    if engine.endswith("postgresql"):
        import psycopg

        return psycopg.connect(**_pg_params(settings_dict))
    raise BackupError(f"Unsupported database engine: {engine}")


def _pg_params(settings_dict: dict[str, Any]) -> dict[str, Any]:
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    return {k: v for k, v in params.items() if v}


def _tables(conn: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    cursor = conn.cursor()
    cursor.execute(sql)
    return sorted(row[0] for row in cursor.fetchall())


def table_manifest(conn: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """Per table: rows and the SHA-256 of its rows ordered by every column."""
    out: dict[str, dict[str, Any]] = {}
    for table in _tables(conn, vendor):
        cursor = conn.cursor()
        cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608 - a catalog name
        width = len(cursor.description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608
        digest = hashlib.sha256()
        rows = 0
        while batch := cursor.fetchmany(5000):
            for row in batch:
                digest.update(repr(tuple(row)).encode())
                rows += 1
        out[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


def media_manifest(root: Path) -> dict[str, str]:
    out = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _vendor(settings_dict: dict[str, Any]) -> str:
    return "sqlite" if settings_dict["ENGINE"].endswith("sqlite3") else "postgresql"


# ---- backup ---------------------------------------------------------------------------------


def backup(
    settings_dict: dict[str, Any], media_root: Path, target: Path, *, live: Any = None
) -> dict:
    """Write a backup of the database and media into the new directory ``target``.

    ``live``: an open connection to copy from, for an in-memory SQLite database (the tests'):
    it is copied statement by statement through that connection, which sees its own open
    transaction; a database file is copied with the online backup API from a new connection."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    vendor = _vendor(settings_dict)
    if vendor == "sqlite":
        copy = sqlite3.connect(str(target / "database.sqlite3"))
        if live is not None:
            copy.executescript("\n".join(live.iterdump()))
        else:
            source = _connect(settings_dict)
            with copy:
                source.backup(copy)
            source.close()
        tables = table_manifest(copy, vendor)
        copy.close()
    else:
        params = _pg_params(settings_dict)
        env = {**os.environ, "PGPASSWORD": params.pop("password", "") or ""}
        args = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        args += [f"--{k}={v}" for k, v in params.items() if k != "dbname"]
        args += ["--file", str(target / "database.dump"), params["dbname"]]
        subprocess.run(args, check=True, env=env, capture_output=True)  # noqa: S603
        with _connect(settings_dict) as conn:
            tables = table_manifest(conn, vendor)
    if media_root.exists():
        shutil.copytree(media_root, target / "media")
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": vendor,
        "tables": tables,
        "media": media_manifest(media_root),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


# ---- restore --------------------------------------------------------------------------------


def _empty(settings_dict: dict[str, Any]) -> bool:
    vendor = _vendor(settings_dict)
    if vendor == "sqlite" and not Path(str(settings_dict["NAME"])).exists():
        return True
    conn = _connect(settings_dict)
    try:
        return not _tables(conn, vendor)
    finally:
        conn.close()


def restore(source: Path, settings_dict: dict[str, Any], media_root: Path) -> list[str]:
    """Restore the backup in ``source`` into an empty database and media directory; return the
    differences between the backup's manifest and what was restored (empty: identical)."""
    manifest = json.loads((source / MANIFEST).read_text())
    vendor = _vendor(settings_dict)
    if manifest["engine"] != vendor:
        raise BackupError(f"The backup is of {manifest['engine']}, the target is {vendor}.")
    if not _empty(settings_dict):
        raise BackupError("The target database is not empty: restore only into an empty one.")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media directory {media_root} is not empty.")
    if vendor == "sqlite":
        shutil.copyfile(source / "database.sqlite3", str(settings_dict["NAME"]))
    else:
        params = _pg_params(settings_dict)
        env = {**os.environ, "PGPASSWORD": params.pop("password", "") or ""}
        args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        args += [f"--{k}={v}" for k, v in params.items() if k != "dbname"]
        args += ["--dbname", params["dbname"], str(source / "database.dump")]
        subprocess.run(args, check=True, env=env, capture_output=True)  # noqa: S603
    if (source / "media").exists():
        shutil.copytree(source / "media", media_root, dirs_exist_ok=True)
    conn = _connect(settings_dict)
    try:
        if vendor != "sqlite":
            # pg_restore brings rows, not the planner's statistics: without them PostgreSQL
            # plans every query as if the tables were empty until autovacuum gets to them.
            conn.execute("ANALYZE")
            conn.commit()
        tables = table_manifest(conn, vendor)
    finally:
        conn.close()
    return compare(manifest, {"tables": tables, "media": media_manifest(media_root)})


def compare(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    problems = []
    for table, want in expected["tables"].items():
        got = found["tables"].get(table)
        if got is None:
            problems.append(f"table {table}: missing")
        elif got["rows"] != want["rows"]:
            problems.append(f"table {table}: {want['rows']} rows expected, {got['rows']} found")
        elif got != want:
            problems.append(f"table {table}: the rows differ")
    for table in set(found["tables"]) - set(expected["tables"]):
        problems.append(f"table {table}: not in the backup")
    for path, digest in expected["media"].items():
        if found["media"].get(path) != digest:
            problems.append(f"file {path}: missing or different")
    return problems
