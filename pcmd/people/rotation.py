"""Re-encrypting identity values with the newest key, and recomputing blind indexes.

Resumable: rows are handled in primary-key order in small committed batches, and a value
already encrypted with the newest key is left alone, so a run stopped halfway is finished by
running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from . import crypto
from .fields import EncryptedField
from .models import Person

BATCH = 500


@dataclass
class RotationResult:
    rows: int = 0
    values: int = 0


def encrypted_columns() -> list[str]:
    return [
        f.column for f in Person._meta.concrete_fields if isinstance(f, EncryptedField) and f.column
    ]


def rotate(
    *, reindex: bool = False, after: int = 0, progress: Callable[[int], None] | None = None
) -> RotationResult:
    """Re-encrypt every person row past ``after`` (pk) with the newest key."""
    result = RotationResult()
    columns = encrypted_columns()
    table = connection.ops.quote_name(Person._meta.db_table)
    last = after
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, {', '.join(columns)} FROM {table} WHERE id > %s ORDER BY id LIMIT %s",
                    [last, BATCH],
                )
                rows = cursor.fetchall()
                for row in rows:
                    pk, tokens = row[0], row[1:]
                    changes = {}
                    for column, token in zip(columns, tokens, strict=True):
                        if token and not crypto.is_current(token):
                            changes[column] = crypto.rotate(token)
                    if changes:
                        sets = ", ".join(f"{c} = %s" for c in changes)
                        cursor.execute(
                            f"UPDATE {table} SET {sets} WHERE id = %s", [*changes.values(), pk]
                        )
                        result.values += len(changes)
                    last = pk
                    result.rows += 1
            if reindex and rows:
                for person in Person.objects.filter(pk__in=[r[0] for r in rows]):
                    if person.pseudonymised_at is None:
                        person.refresh_indexes()
                        Person.objects.filter(pk=person.pk).update(
                            bi_id_number=person.bi_id_number,
                            bi_phone=person.bi_phone,
                            bi_name_year=person.bi_name_year,
                            bi_name=person.bi_name,
                        )
        if progress is not None:
            progress(last)
        if len(rows) < BATCH:
            return result
