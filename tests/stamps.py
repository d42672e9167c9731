"""Test helper for table stamps (pcmd.core.stamps)."""

from __future__ import annotations

from django.db import connection


def as_if_committed() -> None:
    """The test's transaction stands for work committed earlier. PostgreSQL marks the tables
    a transaction wrote (it stamps each once, and answers that read them are not kept inside
    it); a commit ends the marks, and so does this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pcmd_stamped.' || name, '', true) "
                "FROM core_tablestamp GROUP BY name"
            )
