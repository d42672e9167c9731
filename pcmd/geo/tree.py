"""The unit tree, read once per process and kept until units change.

Every figure the indicator engine gives is rolled up through the unit tree (which commune
lies in which district, which unit a 2018 commune became). Reading 14,000 units and their
successor links on every call costs more than the aggregate query itself, so the tree is
cached in each process, keyed by a random token kept in one row (:class:`TreeVersion`).

- Every save or delete of a :class:`Unit` or :class:`UnitChange` writes a NEW random token
  in the same transaction (signals below; bulk loaders call :func:`touch` themselves inside
  :func:`deferred`). Another process (another gunicorn worker) sees the new token once the
  change is committed, and rebuilds its copy on its next call.
- A random token, not a counter: a test transaction that rolls back restores the old token,
  and the copy built inside the transaction (under the new token) is not mistaken for it.
- A missing token row (a flushed database) means "do not cache": the tree is read on every
  call until a write creates the row again.
- A caller may also use the cached copy first and check the token in the same statement as
  its own query (:func:`cached_tree`, ``TOKEN_SQL``): the indicator engine does, so that a
  question costs one statement, not two.

The token is read first and the tree after it, so a tree built concurrently with a commit
is never older than its token.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models.signals import post_delete, post_save

from pcmd.core.graph import connected

from .models import TreeVersion, Unit, UnitChange, UnitLevel

_TOKEN_ID = 1
_MEMO_LIMIT = 512


@dataclass
class UnitTree:
    """Immutable after build (callers must not mutate what it returns)."""

    token: str | None
    path: dict[int, str]
    level: dict[int, int]
    code: dict[int, str]
    valid_from: dict[int, datetime.date | None]
    valid_to: dict[int, datetime.date | None]
    children: dict[int | None, list[int]]  # parent id (None: the top) -> child ids, by code
    main_links: dict[int, list[int]]  # predecessor -> successors, the main one first
    predecessors: dict[int, list[int]]  # successor -> every predecessor
    by_path: dict[str, int]
    # Answers derived from the tree (e.g. a territory), valid as long as the tree is.
    memo: dict[Any, Any] = field(default_factory=dict)

    def is_valid_on(self, uid: int, on: datetime.date) -> bool:
        start, end = self.valid_from.get(uid), self.valid_to.get(uid)
        return uid in self.path and (start is None or start <= on) and (end is None or end >= on)

    def subtree(self, uid: int) -> list[int]:
        """The unit and every unit below it (depth first)."""
        out: list[int] = []
        stack = [uid]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current, ()))
        return out

    def within(self, path: str) -> list[int]:
        """Units whose path starts with ``path`` (the subtree of the unit at ``path``)."""
        uid = self.by_path.get(path)
        if uid is not None:
            return self.subtree(uid)
        return [u for u, p in self.path.items() if p.startswith(path)]

    def by_code(self, ids: Any) -> list[int]:
        return sorted(ids, key=lambda u: (self.code[u], u))

    def remember(self, key: Any, build: Any) -> Any:
        """``build()`` once per tree and key (bounded: the memo is cleared when full)."""
        try:
            return self.memo[key]
        except KeyError:
            pass
        value = build()
        if len(self.memo) >= _MEMO_LIMIT:
            self.memo.clear()
        self.memo[key] = value
        return value


_lock = threading.Lock()
_cache: dict[str, UnitTree] = {}  # database alias -> tree
_deferred = threading.local()
_generation = 0


# The token as a scalar subquery, for a statement that reads it together with its own rows
# (:func:`cached_tree`): NULL when the row is missing.
TOKEN_SQL = f"(SELECT token FROM {TreeVersion._meta.db_table} WHERE id = {_TOKEN_ID})"


def _read_token(alias: str) -> str | None:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {TOKEN_SQL}")
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _build(alias: str, token: str | None) -> UnitTree:
    rows = Unit.objects.using(alias).values_list(
        "id", "parent_id", "path", "level", "code", "valid_from", "valid_to"
    )
    path: dict[int, str] = {}
    level: dict[int, int] = {}
    code: dict[int, str] = {}
    valid_from: dict[int, datetime.date | None] = {}
    valid_to: dict[int, datetime.date | None] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for uid, parent_id, upath, ulevel, ucode, vf, vt in rows.order_by():
        path[uid] = upath
        level[uid] = ulevel
        code[uid] = ucode
        valid_from[uid] = vf
        valid_to[uid] = vt
        children[parent_id].append(uid)
    for kids in children.values():
        kids.sort(key=lambda u: (code[u], u))
    main_links: dict[int, list[int]] = defaultdict(list)
    predecessors: dict[int, list[int]] = defaultdict(list)
    # Main successors first: a split unit's figures follow the part that took most of it.
    links = UnitChange.objects.using(alias).order_by("-is_main", "successor_id")
    for pred, succ in links.values_list("predecessor_id", "successor_id"):
        main_links[pred].append(succ)
        predecessors[succ].append(pred)
    return UnitTree(
        token=token,
        path=path,
        level=level,
        code=code,
        valid_from=valid_from,
        valid_to=valid_to,
        children=dict(children),
        main_links=dict(main_links),
        predecessors=dict(predecessors),
        by_path={p: u for u, p in path.items()},
    )


def unit_tree(using: str | None = None) -> UnitTree:
    """The unit tree of the database units are read from (one single-row read per call
    while nothing changed)."""
    alias = using or router.db_for_read(Unit)
    token = _read_token(alias)
    cached = _cache.get(alias)
    if token is not None and cached is not None and cached.token == token:
        return cached
    tree = _build(alias, token)
    if token is not None:
        with _lock:
            _cache[alias] = tree
    return tree


def cached_tree(using: str | None = None) -> UnitTree | None:
    """This process's copy of the tree, NOT checked against the token: for a caller that
    reads the token in the same statement as its answer (``TOKEN_SQL``) and starts again
    with :func:`unit_tree` when it differs, which saves a statement per question."""
    return _cache.get(using or router.db_for_read(Unit))


def province_family(ids: set[int], using: str | None = None) -> set[int]:
    """The provinces ``ids`` with every province they became or came from in the 2025 reform
    (old Đắk Lắk and Phú Yên ↔ new Đắk Lắk), transitively, from the tree."""
    return connected(ids, province_links(using))


def province_links(using: str | None = None) -> list[tuple[int, int]]:
    """(predecessor, successor) links between provinces (the 2025 reform), from the tree."""
    tree = unit_tree(using)

    def build() -> list[tuple[int, int]]:
        province = UnitLevel.PROVINCE
        return [
            (pred, succ)
            for pred, successors in tree.main_links.items()
            if tree.level.get(pred) == province
            for succ in successors
            if tree.level.get(succ) == province
        ]

    links: list[tuple[int, int]] = tree.remember(("province_links",), build)
    return links


def forget() -> None:
    """Drop this process's copies (the next call rebuilds)."""
    with _lock:
        _cache.clear()


def generation() -> int:
    """A number this process changes whenever it writes a unit or a link: a copy of a
    derived answer kept on a short-lived object (a request's user) compares it to know that
    a unit written since, by this process, makes it stale. Other processes' writes are not
    seen, so it only serves objects that live for one request or one test."""
    return _generation


def touch(using: str | None = None) -> None:
    """Units or links changed: every process rebuilds its tree on its next call."""
    global _generation
    _generation += 1
    if getattr(_deferred, "depth", 0):
        _deferred.pending = True
        return
    alias = using or router.db_for_write(Unit)
    TreeVersion.objects.using(alias).update_or_create(
        pk=_TOKEN_ID, defaults={"token": uuid.uuid4().hex}
    )


@contextlib.contextmanager
def deferred(using: str | None = None) -> Iterator[None]:
    """Many unit writes (a bulk load): one token write at the end instead of one per row.
    Use inside the loader's transaction so that the token commits with the units."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
    # On an error the loader's transaction rolls back, units and token alike.
    if not _deferred.depth and getattr(_deferred, "pending", False):
        _deferred.pending = False
        touch(using)


def _changed(sender: type, using: str, **kwargs: Any) -> None:
    touch(using)


def connect_signals() -> None:
    for model in (Unit, UnitChange):
        post_save.connect(_changed, sender=model, dispatch_uid=f"geo-tree-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"geo-tree-delete-{model.__name__}"
        )
