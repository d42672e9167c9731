"""Table stamps: random values per table that the database itself rewrites on every write.

A trigger on each stamped table writes a NEW random value into ``core_tablestamp`` in the same
statement (PostgreSQL: once per statement; SQLite: once per row), so the stamps change in the
same transaction as the rows, whatever wrote them: a form, ``bulk_create``, ``update()``, an
import, raw SQL, another process. :mod:`pcmd.core.datacache` keeps an answer with the stamps
of the tables it read and uses it only while they are unchanged.

- Random, not a counter: a transaction that rolls back (a test, a failed import) restores the
  old stamp, and an answer computed inside it (under the new stamp) is never matched again.
- PostgreSQL stamps a table once per transaction (a transaction-local setting marks it; a
  rolled-back savepoint clears the mark with its writes): a row updated at every statement of
  a long transaction would leave thousands of versions to walk. A transaction's further
  writes then leave its stamp as it is, so :func:`read` also names the tables THIS
  transaction wrote, and an answer that read one of them is neither kept nor taken from the
  cache (:mod:`pcmd.core.datacache`). SQLite stamps every row (no versions to walk).
- Several slots per table on PostgreSQL (``SLOTS``): a writer takes the first slot no other
  transaction holds (``FOR UPDATE SKIP LOCKED``), so a long import holds one slot and the
  other writers of that register never wait for it; a table's stamp is all its slots. Only
  when every slot is held does a writer wait, for slot 0. SQLite has one writer at a time and
  one slot.
- A table without a row here is not stamped (a log written on every request, or a flushed
  database): an answer that read it is not kept.
- After every ``migrate`` and ``flush`` (``post_migrate``) the triggers a table lacks are
  created (SQLite drops a table's triggers when a migration rebuilds the table) and the
  slots seeded; a trigger already there is left as it is, so a changed trigger body needs
  a migration that drops the old triggers.

Not stamped: tables written on every request or on every write (sessions, sign-in attempts,
tokens, the audit and access logs): every answer reading them would be recomputed each time.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

STAMP_TABLE = "core_tablestamp"
SLOTS = {"postgresql": 8, "sqlite": 1}
#: Written on every request or on every write of any kind: never stamped (see above).
UNSTAMPED = frozenset(
    {
        STAMP_TABLE,
        "django_session",
        "core_auditevent",
        "people_accesslog",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accesslog",
        "axes_accessfailurelog",
        "knox_authtoken",
        "otp_totp_totpdevice",
        "otp_static_staticdevice",
        "otp_static_statictoken",
    }
)
Stamps = dict[str, tuple[tuple[int, str], ...]]
_IDENT = re.compile(r"[a-z_][a-z0-9_]*")
_NEW_STAMP = {
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}
FLAG = "pcmd_stamped."  # + table: set (transaction-local) once this transaction stamped it
_PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION pcmd_stamp() RETURNS trigger AS $$
DECLARE
  free integer;
  flag text := '{FLAG}' || TG_TABLE_NAME;
BEGIN
  IF current_setting(flag, true) = '1' THEN
    RETURN NULL;  -- stamped already by this transaction: one new row version, not thousands
  END IF;
  PERFORM set_config(flag, '1', true);
  SELECT slot INTO free FROM {STAMP_TABLE} WHERE name = TG_TABLE_NAME
    ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF FOUND THEN
    UPDATE {STAMP_TABLE} SET stamp = {_NEW_STAMP["postgresql"]}
      WHERE name = TG_TABLE_NAME AND slot = free;
  ELSE  -- every slot held by another writer (or none seeded yet): slot 0, waiting if need be
    INSERT INTO {STAMP_TABLE} (name, slot, stamp)
      VALUES (TG_TABLE_NAME, 0, {_NEW_STAMP["postgresql"]})
      ON CONFLICT (name, slot) DO UPDATE SET stamp = EXCLUDED.stamp;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""


@cache
def model_tables() -> frozenset[str]:
    """Every table of an installed model (many-to-many tables included)."""
    tables: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.proxy and model._meta.managed:
            tables.add(model._meta.db_table)
    return frozenset(tables)


def stamped_tables() -> list[str]:
    return sorted(model_tables() - UNSTAMPED)


def tables_in(sql: str) -> set[str]:
    """The model tables an SQL statement names (quoted or not); over-inclusive at worst."""
    known = model_tables()
    return {w for w in _IDENT.findall(sql.lower()) if w in known and w != STAMP_TABLE}


def install(using: str = DEFAULT_DB_ALIAS) -> int:
    """Create the stamp triggers a stamped table lacks and seed the slots of every stamped
    table (a few statements: this runs after every migrate and flush). Returns the number of
    tables stamped."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in _NEW_STAMP:
        return 0
    existing = set(connection.introspection.table_names())
    if STAMP_TABLE not in existing:
        return 0
    tables = [t for t in stamped_tables() if t in existing]
    new = _NEW_STAMP[vendor]
    with connection.cursor() as cursor:
        have = _triggers(cursor, vendor)
        if vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table in tables:
            quoted = connection.ops.quote_name(table)
            if vendor == "postgresql":
                if (table, "pcmd_stamp") not in have:
                    cursor.execute(
                        f"CREATE TRIGGER pcmd_stamp AFTER INSERT OR UPDATE OR DELETE OR "
                        f"TRUNCATE ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION pcmd_stamp()"
                    )
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"pcmd_stamp_{event.lower()}_{table}"
                if (table, name) not in have:
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {quoted} BEGIN "
                        f"INSERT INTO {STAMP_TABLE} (name, slot, stamp) "
                        f"VALUES ('{table}', 0, {new}) "
                        f"ON CONFLICT (name, slot) DO UPDATE SET stamp = excluded.stamp; END"
                    )
        slots = [(table, slot) for table in tables for slot in range(SLOTS[vendor])]
        if slots:
            values = ", ".join(["(%s, %s)"] * len(slots))
            cursor.execute(
                f"INSERT INTO {STAMP_TABLE} (name, slot, stamp) "
                f"SELECT v.column1, v.column2, {new} FROM (VALUES {values}) AS v "
                f"WHERE true ON CONFLICT (name, slot) DO NOTHING",  # WHERE: SQLite's upsert
                [x for row in slots for x in row],
            )
    return len(tables)


def _triggers(cursor: Any, vendor: str) -> set[tuple[str, str]]:
    """(table, trigger) of the stamp triggers there are."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'pcmd_stamp' AND pg_table_is_visible(c.oid)"
        )
    else:
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE 'pcmd_stamp_%'"
        )
    return {(table, name) for table, name in cursor.fetchall()}


def read(names: list[str] | None = None, using: str = DEFAULT_DB_ALIAS) -> tuple[Stamps, set[str]]:
    """The current stamps (of ``names`` only, when given), by table: its slots and their
    values; and the tables the current transaction has written (PostgreSQL). One statement."""
    connection = connections[using]
    mark = "NULL"
    if connection.vendor == "postgresql":
        mark = f"current_setting('{FLAG}' || name, true)"
    sql = f"SELECT name, slot, stamp, {mark} FROM {STAMP_TABLE}"
    params: list[Any] = []
    if names is not None:
        if not names:
            return {}, set()
        sql += f" WHERE name IN ({', '.join(['%s'] * len(names))})"
        params = list(names)
    found: dict[str, list[tuple[int, str]]] = {}
    written: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, slot, stamp, flag in cursor.fetchall():
            found.setdefault(name, []).append((slot, stamp))
            if flag == "1":
                written.add(name)
    return {name: tuple(sorted(slots)) for name, slots in found.items()}, written


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(using)
