"""Make or drop a scratch PostgreSQL database on the server of a database URL (CI scripts).

    python deploy/scratch_db.py create postgres://user:pw@host:5432/pcmd pcmd_smoke_ci
        drops pcmd_smoke_ci if it is there, creates it empty (owned by the URL's user) and
        prints its URL;
    python deploy/scratch_db.py drop postgres://user:pw@host:5432/pcmd_smoke_ci

The URL's user needs CREATEDB (deploy/README.md). Connects to the server's ``postgres``
database to do so.
"""

from __future__ import annotations

import re
import sys
import urllib.parse

import psycopg
from psycopg import sql

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _admin(url: str) -> psycopg.Connection:
    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        host=parts.hostname or None,
        port=parts.port or None,
        autocommit=True,
    )


def _drop(admin: psycopg.Connection, name: str) -> None:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"create", "drop"}:
        print(__doc__, file=sys.stderr)
        return 2
    action, url = argv[0], argv[1]
    parts = urllib.parse.urlsplit(url)
    name = argv[2] if action == "create" and len(argv) > 2 else parts.path.strip("/")
    if not _NAME.fullmatch(name):
        print(f"not a scratch database name: {name!r}", file=sys.stderr)
        return 2
    with _admin(url) as admin:
        _drop(admin, name)
        if action == "create":
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(urllib.parse.urlunsplit(parts._replace(path=f"/{name}")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
