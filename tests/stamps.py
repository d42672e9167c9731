"""Test helper for table stamps (pcmd.core.stamps)."""

from __future__ import annotations

from django.db import connection

from pcmd.core.stamps import FLAG, STAMP_TABLE


def as_if_committed() -> None:
    """The test's transaction stands for work committed earlier. PostgreSQL marks the tables
    a transaction wrote (it stamps each once, and answers that read them are not kept inside
    it); a commit ends the marks, and so does this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT set_config('{FLAG}' || name, '', true) FROM {STAMP_TABLE} GROUP BY name"
            )
