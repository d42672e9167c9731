"""Table stamps and kept answers (pcmd.core.stamps, pcmd.core.datacache; issue 15).

The stamps are written by database triggers, so every way of writing is tested (a save, a bulk
insert, ``update()``, ``delete()``, raw SQL), on SQLite and PostgreSQL alike (CI runs both).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pcmd.core import stamps
from pcmd.core.datacache import Shared, remember, snapshot
from pcmd.hotspots.models import Hotspot
from pcmd.registry.models import EstablishmentKind
from tests.stamps import as_if_committed

KINDS = EstablishmentKind._meta.db_table
pytestmark = pytest.mark.django_db


def _stamp(table: str = KINDS) -> tuple[tuple[int, str], ...] | None:
    return stamps.read([table])[0].get(table)


def _key() -> tuple[str, str]:
    return ("test", uuid.uuid4().hex)  # the cache outlives a test: a key of its own


class Undo(Exception):
    pass


def _inside_and_after(write: Any) -> tuple[Any, Any]:
    """The stamp inside a transaction that made ``write``, and after it rolled back."""
    inside = None
    with pytest.raises(Undo), transaction.atomic():
        write()
        inside = _stamp()
        raise Undo
    return inside, _stamp()


def test_every_kind_of_write_changes_the_stamp_and_a_rollback_restores_it() -> None:
    spare = EstablishmentKind.objects.create(code="thu-0", name="Thử 0")
    as_if_committed()
    before = _stamp()
    assert before

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {KINDS} SET name = name || '.'")

    writes = {
        "save": lambda: EstablishmentKind.objects.create(code="thu-1", name="Thử 1"),
        "bulk": lambda: EstablishmentKind.objects.bulk_create(
            [EstablishmentKind(code="thu-2", name="Thử 2")]
        ),
        "update": lambda: EstablishmentKind.objects.update(name="Đổi"),  # no signal sent
        "delete": lambda: EstablishmentKind.objects.filter(pk=spare.pk).delete(),
        "raw": raw,
    }
    seen = set()
    for what, write in writes.items():
        inside, after = _inside_and_after(write)
        assert inside != before and after == before, what
        seen.add(inside)
    assert len(seen) == len(writes)  # a new random value each time
    # a read, and a write to another table, leave it alone
    list(EstablishmentKind.objects.all())
    Hotspot.objects.filter(pk=-1).update(name="x")
    assert _stamp() == before


def test_a_transaction_names_the_tables_it_wrote() -> None:
    """PostgreSQL stamps a table once per transaction, so the reader is told which tables the
    current transaction wrote; SQLite stamps every row and names none."""
    with pytest.raises(Undo), transaction.atomic():
        EstablishmentKind.objects.create(code="thu-3", name="Thử 3")
        first = _stamp()
        EstablishmentKind.objects.create(code="thu-4", name="Thử 4")
        _stamps, written = stamps.read([KINDS, "hotspots_hotspot"])
        if connection.vendor == "postgresql":
            assert written == {KINDS} and _stamp() == first
        else:
            assert written == set() and _stamp() != first
        raise Undo
    assert stamps.read([KINDS])[1] == set()


def test_logs_written_on_every_request_are_not_stamped() -> None:
    stamped = stamps.read()[0]
    assert KINDS in stamped and "geo_unit" in stamped
    assert not stamped.keys() & {"django_session", "core_auditevent", "people_accesslog"}
    assert stamps.install() == len(stamped)  # installing again changes nothing


def test_an_answer_is_kept_until_a_table_it_read_is_written() -> None:
    key, calls = _key(), []

    def names() -> list[str]:
        calls.append(1)
        return sorted(EstablishmentKind.objects.values_list("name", flat=True))

    first = remember(key, names)
    with CaptureQueriesContext(connection) as kept:
        assert remember(key, names) == first
    assert len(calls) == 1 and len(kept) == 1  # one statement: the stamps of what it read
    Hotspot.objects.filter(pk=-1).update(name="x")  # another table
    assert remember(key, names) == first and len(calls) == 1
    EstablishmentKind.objects.filter(code=EstablishmentKind.objects.first().code).update(
        name="Đổi tên"
    )
    assert "Đổi tên" in remember(key, names) and len(calls) == 2


def test_an_answer_from_a_rolled_back_transaction_is_never_used() -> None:
    key = _key()

    def names() -> list[str]:
        return sorted(EstablishmentKind.objects.values_list("name", flat=True))

    with pytest.raises(RuntimeError), transaction.atomic():
        EstablishmentKind.objects.create(code="thu-4", name="Chỉ trong giao dịch")
        assert "Chỉ trong giao dịch" in remember(key, names)
        raise RuntimeError
    assert "Chỉ trong giao dịch" not in remember(key, names)


def test_inside_a_transaction_every_write_is_seen() -> None:
    """PostgreSQL stamps a table once per transaction: the transaction's later writes are seen
    because answers reading a table it wrote are neither kept nor reused inside it."""
    key = _key()

    def names() -> list[str]:
        return sorted(EstablishmentKind.objects.values_list("name", flat=True))

    with transaction.atomic():
        EstablishmentKind.objects.create(code="thu-7", name="Thứ nhất")
        assert "Thứ nhất" in remember(key, names)
        EstablishmentKind.objects.create(code="thu-8", name="Thứ hai")
        assert "Thứ hai" in remember(key, names)


def test_work_that_writes_or_reads_an_unstamped_table_is_not_kept() -> None:
    calls: list[int] = []

    def writes() -> int:
        calls.append(1)
        EstablishmentKind.objects.filter(pk=-1).update(name="x")
        return len(calls)

    def reads_sessions() -> int:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_session")
        return len(calls)

    for work in (writes, reads_sessions):
        key = _key()
        assert remember(key, work) != remember(key, work)


def test_an_answer_made_from_a_kept_answer_depends_on_its_tables() -> None:
    inner_key, outer_key = _key(), _key()

    def inner() -> int:
        return EstablishmentKind.objects.count()

    def outer() -> int:  # reads a table of its own too
        return remember(inner_key, inner) + 0 * Hotspot.objects.count()

    remember(inner_key, inner)  # kept before the outer answer exists
    count = remember(outer_key, outer)
    EstablishmentKind.objects.create(code="thu-5", name="Thử 5")
    assert remember(outer_key, outer) == count + 1


def test_a_shared_value_counts_for_every_answer_that_uses_it() -> None:
    """Two cards of one request use a value computed once (the page's question): the second
    card depends on the tables the first one's computation of it read."""
    first_key, second_key = _key(), _key()

    def request() -> tuple[int, int]:
        kinds = Shared(lambda: EstablishmentKind.objects.count())  # one per request
        now = snapshot()
        first = remember(first_key, lambda: kinds.get() + 0 * Hotspot.objects.count(), now=now)
        second = remember(second_key, lambda: kinds.get() + 0 * Hotspot.objects.count(), now=now)
        return first, second

    first, second = request()
    assert request() == (first, second)
    EstablishmentKind.objects.create(code="thu-9", name="Thử 9")
    assert request() == (first + 1, second + 1)


def test_the_switch_turns_keeping_off(settings: Any) -> None:
    settings.PCMD_ANSWER_CACHE = False
    key, calls = _key(), []
    for _ in range(2):
        remember(key, lambda: calls.append(1))
    assert len(calls) == 2


def test_a_long_writer_does_not_hold_up_the_other_writers_of_its_table() -> None:
    """A transaction writing a register (an import) holds one stamp slot until it ends; another
    writer of that register takes a free slot at once (PostgreSQL; SQLite has one writer)."""
    from django.db import connections

    if connection.vendor != "postgresql":
        assert {slot for slot, _s in stamps.read([KINDS])[0][KINDS]} == {0}
        return
    import threading

    holding, release, errors = threading.Event(), threading.Event(), []

    def long_writer() -> None:
        try:
            with transaction.atomic():
                EstablishmentKind.objects.filter(pk=-1).update(name="x")  # takes slot 0
                holding.set()
                release.wait(10)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_writer)
    thread.start()
    try:
        assert holding.wait(10)
        before = stamps.read([KINDS])[0][KINDS]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting would fail the test
        EstablishmentKind.objects.create(code="thu-6", name="Thử 6")
        after = stamps.read([KINDS])[0][KINDS]
        changed = [a for a, b in zip(after, before, strict=True) if a != b]
        assert len(changed) == 1 and changed[0][0] != 0
    finally:
        release.set()
        thread.join(10)
    assert not errors
