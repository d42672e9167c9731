"""Answers kept while the tables they read are unchanged (issue 15: home page and dashboard).

:func:`remember` runs ``compute()`` once, records the tables its statements read (every
statement it runs is watched) and keeps the answer in Django's cache with the stamps those
tables had BEFORE it ran (:mod:`pcmd.core.stamps`). The answer is given again only while every
one of those stamps is unchanged, which is checked with one small statement each time, so a
write by anyone, in any process, is seen by the next request: no expiry to wait for and no
message between processes. The cache (settings.CACHES, files shared by one machine's workers)
needs no invalidation: a copy that is not shared is only recomputed, never wrong.

An answer is not kept when its work wrote anything, read another database (the replica), read
a table without a stamp or a table the current transaction wrote (its stamp may not follow
every write: :mod:`pcmd.core.stamps`), or cannot be pickled. The key must hold everything else the answer
depends on: the user when it is per user, the language, the day, the request's parameters.
``base_tables`` are tables the answer depends on but read before it (the user's assignments
and scope, read once per request).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from . import stamps

logger = logging.getLogger("pcmd.datacache")
T = TypeVar("T")
PREFIX = "pcmd:answer:"
TIMEOUT = 3600
_READS = ("SELECT", "WITH", "(SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK TO")


@dataclass
class _Watch:
    using: str
    tables: set[str] = field(default_factory=set)
    keepable: bool = True

    def wrapper(self, alias: str) -> Callable[..., Any]:
        def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
            if alias != self.using or not sql.lstrip().upper().startswith(_READS):
                self.keepable = False
            else:
                self.tables |= stamps.tables_in(sql)
            return execute(sql, params, many, ctx)

        return watch


#: The watches of the answers being computed (an answer may use another, kept or not).
_open: ContextVar[tuple[_Watch, ...]] = ContextVar("pcmd_answer_watches", default=())


def app_tables(*labels: str) -> list[str]:
    """The tables of the apps ``labels`` (for ``base_tables``)."""
    return [
        m._meta.db_table
        for label in labels
        for m in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def user_tables() -> list[str]:
    """What decides a user's roles and scope (read once per request, before the answer):
    ``base_tables`` of an answer computed for one user."""
    return app_tables("accounts", "agencies", "geo")


def scope_key(user: Any) -> tuple[Any, ...]:
    """For an answer that depends on the user only through their roles and scope: today's
    assignments (role, unit, agency; one that starts or ends changes the key) and the
    superuser flag. Everyone with the same assignments shares the answer."""
    held = sorted((a.role, a.unit_id or 0, a.agency_id or 0) for a in user.current_assignments)
    return ("scope", bool(user.is_superuser), tuple(held))


def scope_tables() -> list[str]:
    """``base_tables`` of an answer keyed by :func:`scope_key`: the units and agencies the
    assignments name may change; the user's own row may not matter (a sign-in writes it)."""
    return app_tables("agencies", "geo")


Snapshot = tuple[stamps.Stamps, set[str]]


def snapshot(using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Every stamp now, for several :func:`remember` calls of one request (one statement for
    all of them: each answer is then as of this moment, as if read in one snapshot)."""
    if not getattr(settings, "PCMD_ANSWER_CACHE", True):
        return {}, set()  # nothing is kept: no statement
    return stamps.read(None, using)


def _watched(compute: Callable[[], T], watch: _Watch) -> T:
    """``compute()`` with every statement it runs seen by ``watch``; then what it read counts
    for the answers being computed around it."""
    token = _open.set((*_open.get(), watch))
    try:
        with ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(connections[alias].execute_wrapper(watch.wrapper(alias)))
            value = compute()
    finally:
        _open.reset(token)
    _count_for_outer(watch.tables, watch.keepable)
    return value


def _count_for_outer(tables: Iterable[str], keepable: bool) -> None:
    for outer in _open.get():  # an answer made from this one read these tables too
        outer.tables |= set(tables)
        outer.keepable = outer.keepable and keepable


def remember(
    key: Any,
    compute: Callable[[], T],
    *,
    base_tables: Iterable[str] = (),
    using: str = DEFAULT_DB_ALIAS,
    now: Snapshot | None = None,
) -> T:
    """``compute()``, or its answer kept from an earlier call with the same ``key`` while the
    tables that call read are unchanged. ``now``: the request's :func:`snapshot`."""
    if not getattr(settings, "PCMD_ANSWER_CACHE", True):
        return compute()
    name = PREFIX + hashlib.sha256(repr(key).encode()).hexdigest()
    entry = cache.get(name)
    if entry is not None:
        kept_stamps, value = entry
        current, written_here = now or stamps.read(sorted(kept_stamps), using)
        if not kept_stamps.keys() & written_here and all(
            current.get(table) == stamp for table, stamp in kept_stamps.items()
        ):
            _count_for_outer(kept_stamps.keys(), True)
            return value
    before, written_here = now or stamps.read(None, using)
    watch = _Watch(using)
    value = _watched(compute, watch)
    tables = watch.tables | set(base_tables)
    _count_for_outer(base_tables, True)
    if watch.keepable and tables and tables <= before.keys() and not tables & written_here:
        try:
            cache.set(name, ({t: before[t] for t in tables}, value), TIMEOUT)
        except (pickle.PicklingError, TypeError, AttributeError):  # pragma: no cover - a bug
            logger.exception("answer not kept: it cannot be pickled (%r)", key)
    return value


class Shared(Generic[T]):
    """A value computed once per request for several answers (a page's cards): the tables
    it read count for every answer that uses it, even when it was computed for another."""

    def __init__(self, compute: Callable[[], T], using: str = DEFAULT_DB_ALIAS) -> None:
        self._compute = compute
        self._using = using
        self._done: tuple[T, set[str], bool] | None = None

    def get(self) -> T:
        if self._done is None:
            watch = _Watch(self._using)
            value = _watched(self._compute, watch)
            self._done = (value, watch.tables, watch.keepable)
            return value
        value, tables, keepable = self._done
        _count_for_outer(tables, keepable)
        return value
