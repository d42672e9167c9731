"""The query shapes that make the engine as fast as hand-written SQL.

- :func:`territory_filter`: the rows of a territory as ``<unit fk> IN (1, 2, …)``, the ids
  written into the SQL (integers from the unit tree, never user text), so that compiling a
  province's 600 ids costs nothing and the planner sees constants. A unit reached through
  another table (a sanction's violation's commune) becomes ``violation_id IN (SELECT id FROM
  violation WHERE commune_id IN (…))``: the planner then walks the register's (fk, date)
  index from the territory's rows instead of scanning the period.
- :class:`CompiledQueries`: the SQL of a question compiled once per process and reused (a
  prepared statement, in effect): the same question asked again (a dashboard reloaded, the
  seven targets of a plan) skips the ORM's compilation. Only the SQL text and its parameters
  are kept, never results; the key holds everything the SQL is made from.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler


class UnitIn(Expression):
    """``<column> IN (<ids>)`` with the ids inlined as integer literals."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: tuple[int, ...]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.ids = ids

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", ()
        return f"{sql} IN ({', '.join(str(int(i)) for i in self.ids)})", tuple(params)


class PerRowExists(Exists):
    """``EXISTS`` asked for each outer row. PostgreSQL turns a plain ``EXISTS`` into a join
    with the whole subquery (hashing every row it may match); a subquery with an ``OFFSET``
    stays a sub-plan run per outer row through its indexes, which is faster when the outer
    rows are few (a territory's). SQLite runs a correlated ``EXISTS`` per row either way."""

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        template: str | None = None,
        **extra: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        sql, params = super().as_sql(compiler, connection, template, **extra)
        assert sql.endswith(")")  # EXISTS(SELECT …): the OFFSET goes inside
        return f"{sql[:-1]} OFFSET 0)", params


def dated_row_exists(
    model: type[models.Model],
    date_field: str,
    conditions: dict[str, Any],
    start: Any,
    end: Any,
) -> Q:
    """Rows of ``model`` whose related row (``date_field``'s first hop, a many-to-one key)
    is dated within [``start``, ``end``] and meets ``conditions`` (lookups on that row),
    asked per row (:class:`PerRowExists`) instead of joined: the planner then reaches the
    rows from the territory's side and checks each one's dated row by its primary key,
    rather than hashing every row of the period (an officer's trainings: a year's 34,000
    participants nationally for a province's 900 officers)."""
    hop, _sep, rest = date_field.partition("__")
    related = model._meta.get_field(hop).related_model
    assert isinstance(related, type) and issubclass(related, models.Model) and rest
    rows = related._base_manager.filter(
        pk=OuterRef(f"{hop}_id"), **conditions, **{f"{rest}__gte": start, f"{rest}__lte": end}
    )
    return Q(PerRowExists(rows))


def _forward_chain(model: type[models.Model], path: str) -> bool:
    """Whether each step of ``path`` (the last one the unit) is a many-to-one foreign key."""
    current: Any = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        if not getattr(field, "many_to_one", False):
            return False
        current = field.related_model
    return True


def territory_filter(
    model: type[models.Model],
    unit_field: str,
    ids: tuple[int, ...],
    inner: dict[str, Any] | None = None,
    *,
    subquery: bool = False,
) -> Any:
    """Rows of ``model`` whose unit (``unit_field``, a path of foreign keys; "" for the unit
    itself) is one of ``ids``. ``inner``: conditions on the first related row (e.g. the
    case's date for the persons of a case), so that a subquery returns only the rows that
    can count; a chain of many-to-one keys needs none (the aggregate filters its join)
    unless ``subquery`` asks for its first hop as a subquery all the same."""
    if not unit_field:
        return UnitIn("pk", ids)
    if "__" not in unit_field:
        return UnitIn(f"{unit_field}_id", ids)
    if _forward_chain(model, unit_field) and not subquery:
        # Every hop a many-to-one: the aggregate already joins these rows (it groups by the
        # unit through them), so the territory filters that same join, and ``inner`` is the
        # period filter the aggregate puts on that join already (said twice, PostgreSQL
        # squares its selectivity and picks a worse plan). A nested ``IN (SELECT … IN
        # (SELECT …))`` let PostgreSQL pick plans of minutes on small tables.
        return UnitIn(f"{unit_field}_id", ids)
    first, rest = unit_field.split("__", 1)
    related = model._meta.get_field(first).related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    rows = related._base_manager.filter(territory_filter(related, rest, ids), **(inner or {}))
    return Q(**{f"{first}__in": rows.values("pk")})


def _native(vendor: str, sql: str) -> str:
    """``sql`` in the parameter style of the database's own driver, as Django's cursor
    wrapper converts it on every call (SQLite's ``?``; psycopg takes ``%s``)."""
    if vendor != "sqlite":
        return sql
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def fetch_all(alias: str, sql: str, native: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Every row of one read-only statement (``native``: :func:`_native` of ``sql``).

    While nothing watches the connection's statements (no execute wrapper: the kept answers'
    table watch; no query log: DEBUG or a test counting queries) it runs on the driver's own
    cursor with its SQL converted once, not through Django's cursor wrapper (~10 µs a
    statement, a third of a district's whole aggregate on SQLite); the same connection,
    transaction and error translation."""
    connection = connections[alias]
    if connection.execute_wrappers or connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        # SQLite: the plain sqlite3 cursor (Django's only converts the placeholders);
        # others: the backend's own cursor (PostgreSQL's sets the time zone loader).
        if connection.vendor == "sqlite":
            cursor = connection.connection.cursor()
        else:
            cursor = connection.create_cursor()
        try:
            cursor.execute(native, params)
            return cursor.fetchall()
        finally:
            cursor.close()


class _Compiled:
    """One question's SQL, its parameters and how its rows convert (computed once)."""

    def __init__(self, qs: Any) -> None:
        self.alias: str = qs.db
        self.compiler = qs.query.get_compiler(using=qs.db)
        try:
            sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # e.g. a filter "in" an empty list: no row can match
            sql, params = "", ()
        self.sql: str = sql
        self.params = tuple(params)
        self.native = _native(connections[self.alias].vendor, sql)
        self.with_token: dict[str, tuple[str, str]] = {}  # token SQL: (SQL, native SQL)
        fields = [s[0] for s in self.compiler.select[0 : self.compiler.col_count]]
        self.width = self.compiler.col_count  # the columns of a row
        self.converters = self.compiler.get_converters(fields)
        # Composite fields need Django's own path (none of the registers has one).
        self.plain = not self.compiler.has_composite_fields(fields)

    def token_sql(self, token_sql: str) -> tuple[str, str]:
        """The statement that reads the scalar ``token_sql`` too: its own row (marked 1)
        and the answer's rows (marked 0)."""
        width = ", ".join(["NULL"] * self.width)
        sql = f"SELECT 1, {token_sql}, {width} UNION ALL SELECT 0, NULL, q.* FROM ({self.sql}) q"
        both = (sql, _native(connections[self.alias].vendor, sql))
        return self.with_token.setdefault(token_sql, both)

    def convert(self, raw: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if not self.plain:
            return list(self.compiler.results_iter(results=[raw], tuple_expected=True))
        if not self.converters or not raw:
            return raw
        # Column by column (Django's own loop goes row by row through a generator): the same
        # converters, called the same way.
        columns: list[Any] = list(zip(*raw, strict=True))
        connection = self.compiler.connection
        for pos, (convs, expression) in self.converters.items():
            column = columns[pos]
            for convert in convs:
                column = list(map(convert, column, repeat(expression), repeat(connection)))
            columns[pos] = column
        return list(zip(*columns, strict=True))


class CompiledQueries:
    """Compiled aggregate queries by question, bounded (cleared when full)."""

    def __init__(self, limit: int = 512) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._compiled: dict[Any, _Compiled] = {}

    def rows(self, key: Any, build: Any) -> list[tuple[Any, ...]]:
        """The rows of the question ``key``; ``build()`` gives its queryset when not cached.
        Values come back converted exactly as the queryset would convert them."""
        return self.rows_and_token(key, build)[0]

    def rows_and_token(
        self, key: Any, build: Any, token_sql: str = ""
    ) -> tuple[list[tuple[Any, ...]], str | None]:
        """:meth:`rows`, and with ``token_sql`` (a scalar subquery) its value read by the
        same statement, so in the same snapshot as the rows. The statement returns one row
        more that carries the value: with no row of its own the answer still comes with the
        token (a district with no case that year), not after a second statement."""
        hit = self._compiled.get(key)
        if hit is None:
            hit = _Compiled(build())
            with self._lock:
                if len(self._compiled) >= self.limit:
                    self._compiled.clear()
                self._compiled[key] = hit
        if not hit.sql:
            return [], None
        sql, native = hit.sql, hit.native
        if token_sql:
            sql, native = hit.with_token.get(token_sql) or hit.token_sql(token_sql)
        raw = fetch_all(hit.alias, sql, native, hit.params)
        token = None
        if token_sql:
            token = next(r[1] for r in raw if r[0] == 1)
            raw = [r[2:] for r in raw if r[0] != 1]
        return hit.convert(raw), (str(token) if token is not None else None)

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()
