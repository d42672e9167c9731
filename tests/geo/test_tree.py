"""The per-process unit tree (pcmd.geo.tree): cached, and stale never.

Every change to units or their links is seen by the next evaluate in the same process; a
change made by another process (a new token committed) is seen too; a rolled-back change
leaves no trace; and while nothing changes, a territory costs one single-row read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction

from pcmd.core.periods import parse_period
from pcmd.geo import tree
from pcmd.geo.models import TreeVersion, Unit, UnitChange, UnitLevel
from pcmd.indicators.engine import evaluate, territory
from pcmd.indicators.models import Indicator

pytestmark = pytest.mark.django_db

Y2018 = parse_period("2018")


def old(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


def communes(root: Unit, by: str = "commune") -> dict[Any, Any]:
    return evaluate(Indicator.objects.get(code="communes"), root, Y2018, by=by).values


def new_commune(parent: Unit, code: str = "99991") -> Unit:
    unit = Unit.objects.create(
        code=code, name="Xã Thử", level=UnitLevel.COMMUNE, unit_type="xa", parent=parent
    )
    unit.set_path()
    unit.save()
    return unit


def test_a_unit_added_is_seen_by_the_next_evaluate() -> None:
    bmt = old("643")
    before = communes(bmt)
    unit = new_commune(bmt)
    after = communes(bmt)
    assert unit.pk not in before and after[unit.pk] == 1
    assert len(after) == len(before) + 1


def test_a_unit_renamed_is_shown_by_its_new_name() -> None:
    bmt = old("643")
    terr = territory(bmt, Y2018, by="commune")
    first = terr.child_ids[0]
    unit = Unit.objects.get(pk=first)
    unit.name = "Phường Đổi Tên"
    unit.save()
    again = territory(bmt, Y2018, by="commune")
    assert again.children[0].name == "Phường Đổi Tên"


def test_a_unit_moved_to_another_parent_counts_there() -> None:
    bmt, ea_kar = old("643"), old("651")
    before = communes(old("66"), by="unit")
    moved = Unit.objects.filter(
        parent=bmt, level=UnitLevel.COMMUNE, valid_from__isnull=True
    ).first()
    assert moved is not None
    moved.parent = ea_kar
    moved.set_path()
    moved.save()
    after = communes(old("66"), by="unit")
    assert after[bmt.pk] == before[bmt.pk] - 1
    assert after[ea_kar.pk] == before[ea_kar.pk] + 1


def test_a_unit_ended_leaves_the_breakdown() -> None:
    bmt = old("643")
    unit = Unit.objects.filter(parent=bmt, level=UnitLevel.COMMUNE, valid_from__isnull=True).first()
    assert unit is not None and unit.pk in communes(bmt)
    unit.valid_to = dt.date(2017, 12, 31)
    unit.save()
    assert unit.pk not in communes(bmt)


def test_a_new_successor_link_is_followed() -> None:
    # A 2018 commune linked (as its main successor) to another: as is, its count moves there.
    bmt = old("643")
    first, second = list(
        Unit.objects.filter(parent=bmt, level=UnitLevel.COMMUNE, valid_from__isnull=True)[:2]
    )
    day = dt.date(2019, 1, 1)
    first.valid_to = dt.date(2018, 12, 31)
    first.save()
    before = evaluate(
        Indicator.objects.get(code="communes"),
        bmt,
        Y2018,
        by="commune",
        mapping="as_is",
        as_is_on=day,
    )
    assert first.pk not in before.values and before.values[second.pk] == 1
    UnitChange.objects.create(predecessor=first, successor=second, effective=day, kind="merge")
    after = evaluate(
        Indicator.objects.get(code="communes"),
        bmt,
        Y2018,
        by="commune",
        mapping="as_is",
        as_is_on=day,
    )
    assert after.values[second.pk] == 2


def _move_without_signal(bmt: Unit) -> Unit:
    """A commune of ``bmt`` moved to Ea Kar by a queryset update (no signal, no token)."""
    moved = Unit.objects.filter(
        parent=bmt, level=UnitLevel.COMMUNE, valid_from__isnull=True
    ).first()
    assert moved is not None
    ea_kar = old("651")
    Unit.objects.filter(pk=moved.pk).update(parent=ea_kar, path=f"{ea_kar.path}{moved.pk}/")
    return moved


def _new_token() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE geo_treeversion SET token = %s", ["another-process"])


def test_another_process_change_is_seen_once_its_token_changes() -> None:
    bmt = old("643")
    before = communes(bmt)
    # Another process changes a unit and commits a new token; this process's signals never
    # fire (a queryset update sends none), so only the token can tell.
    moved = _move_without_signal(bmt)
    assert communes(bmt) == before  # the cached tree still answers: no token change yet
    _new_token()
    assert moved.pk not in communes(bmt)


def test_a_rolled_back_change_leaves_no_trace() -> None:
    bmt = old("643")
    before = communes(bmt)
    with pytest.raises(RuntimeError), transaction.atomic():
        unit = new_commune(bmt)
        assert communes(bmt)[unit.pk] == 1  # cached under the transaction's token
        raise RuntimeError("roll back")
    assert communes(bmt) == before


def test_a_territory_costs_one_single_row_read_once_cached(
    django_assert_num_queries: Any,
) -> None:
    province = old("66")
    territory(province, Y2018, by="unit")
    territory(None, Y2018, by="unit")
    for root in (province, None, province):
        with django_assert_num_queries(1):  # the token
            territory(root, Y2018, by="unit")


def test_without_a_token_row_the_tree_is_read_every_time() -> None:
    bmt = old("643")
    TreeVersion.objects.all().delete()  # a flushed database
    assert tree.unit_tree().token is None
    unit = Unit(code="99992", name="Xã Mới", level=UnitLevel.COMMUNE, unit_type="xa", parent=bmt)
    Unit.objects.bulk_create([unit])  # no signal
    unit = Unit.objects.get(code="99992")
    Unit.objects.filter(pk=unit.pk).update(path=f"{bmt.path}{unit.pk}/")
    assert communes(bmt)[unit.pk] == 1


def test_a_bulk_load_writes_the_token_once() -> None:
    tokens = []
    with transaction.atomic(), tree.deferred():
        for code in ("99993", "99994"):
            new_commune(old("643"), code)
            tokens.append(TreeVersion.objects.values_list("token", flat=True).first())
    after = TreeVersion.objects.values_list("token", flat=True).first()
    assert tokens[0] == tokens[1] != after


def _move_elsewhere_unseen(bmt: Unit) -> Unit:
    """Another process moves a commune of ``bmt`` to Ea Kar and commits a new token."""
    moved = _move_without_signal(bmt)
    _new_token()
    return moved


def test_a_question_costs_one_statement_once_cached(django_assert_num_queries: Any) -> None:
    """The aggregate reads the tree's token itself: no separate token read."""
    indicator = Indicator.objects.get(code="communes")
    province = old("66")
    evaluate(indicator, province, Y2018, by="unit")
    with django_assert_num_queries(1):
        result = evaluate(indicator, province, Y2018, by="unit")
    assert result.total and result.total > 100


def test_a_stale_tree_is_caught_by_the_aggregate_itself() -> None:
    bmt = old("643")
    before = communes(bmt)
    moved = _move_elsewhere_unseen(bmt)
    after = communes(bmt)
    assert moved.pk in before and moved.pk not in after
    assert len(after) == len(before) - 1


def test_a_stale_tree_is_caught_when_no_row_comes_back(django_assert_num_queries: Any) -> None:
    """An answer with no row still carries the token (its own row of the statement): one
    statement, and a stale tree is caught all the same."""
    bmt = old("643")
    patrols = Indicator.objects.get(code="patrols")
    evaluate(patrols, bmt, Y2018, by="commune")
    with django_assert_num_queries(1):
        empty = evaluate(patrols, bmt, Y2018, by="commune")
    assert empty.total == 0  # nothing recorded: every commune listed with 0
    moved = _move_elsewhere_unseen(bmt)
    again = evaluate(patrols, bmt, Y2018, by="commune")
    assert moved.pk in empty.values and moved.pk not in again.values


def test_the_permission_kernel_reads_the_reform_provinces_from_the_cached_tree() -> None:
    """A user's provinces with the 2025 reform's family (old Đắk Lắk ↔ new Đắk Lắk): from the
    cached tree, with no read of the unit changes per request; a new link is seen at once."""
    from django.test.utils import CaptureQueriesContext

    from pcmd.accounts.models import User
    from pcmd.accounts.permissions import province_paths

    province = old("66")
    family = tree.province_family({province.pk})
    assert len(family) > 1, family  # the demo base holds the 2025 map
    with CaptureQueriesContext(connection) as seen:
        paths = province_paths(User.objects.get(username="xa.tanlap"))
    assert paths == [f"/{pk}/" for pk in sorted(family)]
    assert not [q for q in seen.captured_queries if "geo_unitchange" in q["sql"]]
    other = Unit.objects.create(
        code="99", name="Tỉnh Thử", level=UnitLevel.PROVINCE, unit_type="tinh"
    )
    other.set_path()
    other.save()
    UnitChange.objects.create(
        predecessor=other, successor=province, effective=dt.date(2025, 7, 1), kind="merge"
    )
    assert f"/{other.pk}/" in province_paths(User.objects.get(username="xa.tanlap"))
