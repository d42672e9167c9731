"""The engine's fast shapes give the answers of the plain ones, for every indicator.

- The nation is grouped by each row's parent unit in SQL (counts and sums): every
  province's national figure equals the province's own total.
- A question's SQL is compiled once per process: the second answer (from the compiled SQL)
  equals the first, for every breakdown (months, agencies, kinds keep their types).
- While nothing watches the connection, a compiled question runs on the driver's own cursor:
  the same answers as through Django's cursor wrapper (which a query log or the kept
  answers' table watch needs), and Django's error classes when the database refuses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from pcmd.core.periods import parse_period
from pcmd.geo.models import Unit
from pcmd.hotspots.models import Patrol
from pcmd.indicators.engine import COMPILED, COMPOSED, EngineError, evaluate
from pcmd.indicators.models import Indicator, IndicatorKind
from pcmd.indicators.scope import _native, fetch_all

pytestmark = pytest.mark.django_db

PERIODS = [parse_period(year) for year in ("2018", "2024", "2025", "2026")]


def answer(indicator: Indicator, root: Unit | None, period: Any, by: str | None) -> Any:
    try:
        result = evaluate(indicator, root, period, by=by)
    except EngineError:
        return "refused"
    return result.total, result.values


def test_the_nation_by_province_agrees_with_each_province() -> None:
    # Rows in two provinces' communes (the demo's registers are mostly Đắk Lắk's).
    for province in Unit.objects.filter(level=1, valid_from=None)[:2]:
        for commune in Unit.objects.filter(level=3, path__startswith=province.path)[:3]:
            Patrol.objects.create(
                on=dt.date(2018, 6, 1), force="CSTT", commune=commune, people_found=2
            )
    checked = 0
    for period in PERIODS:
        provinces = list(Unit.objects.filter(level=1).valid_on(period.end))
        for indicator in Indicator.objects.exclude(kind=IndicatorKind.MANUAL):
            nation = evaluate(indicator, None, period, by="unit")
            for province in provinces:
                own = evaluate(indicator, province, period).total
                assert nation.values[province.pk] == own, (indicator.code, province.name)
                checked += bool(own)
    assert checked >= 10  # the demo's figures, not zeros only


@pytest.mark.parametrize("by", [None, "unit", "commune", "month", "agency", "kind"])
def test_a_compiled_question_gives_the_same_answer(by: str | None) -> None:
    period = parse_period("2018")
    root = Unit.objects.get(code="66", valid_from=None)
    for indicator in Indicator.objects.all():
        COMPILED.clear()
        first = answer(indicator, root, period, by)
        again = answer(indicator, root, period, by)
        assert again == first, indicator.code
        if first != "refused" and by in ("month", "agency", "kind"):
            assert all(type(k) is type(next(iter(first[1]))) for k in again[1]), indicator.code


@pytest.mark.parametrize("by", [None, "unit", "commune", "month", "agency", "kind"])
def test_the_drivers_cursor_gives_the_answers_of_djangos(
    by: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    period = parse_period("2018")
    root = Unit.objects.get(code="66", valid_from=None)
    for day, commune in enumerate(Unit.objects.filter(level=3, path__startswith=root.path)[:4]):
        Patrol.objects.create(
            on=dt.date(2018, 3, day + 1), force="CSTT", commune=commune, people_found=day
        )
    indicators = list(Indicator.objects.exclude(kind=IndicatorKind.MANUAL))
    with CaptureQueriesContext(connection) as logged:  # a query log: Django's cursor
        wrapped = [answer(i, root, period, by) for i in indicators]
    assert logged.captured_queries  # the answers were read through the log
    for indicator in indicators:  # once more: the unit tree and the SQL are cached
        answer(indicator, root, period, by)

    def no_wrapper() -> None:
        raise AssertionError("Django's cursor wrapper was used")

    direct = [answer(i, root, period, by) for i in indicators]
    assert direct == wrapped
    # An answer of one statement (not a ratio or a total: those read the tree's token first)
    # runs no statement through Django's wrapper.
    monkeypatch.setattr(connection, "cursor", no_wrapper)
    for indicator, expected in zip(indicators, wrapped, strict=True):
        if indicator.kind not in COMPOSED:
            assert answer(indicator, root, period, by) == expected
    if by != "kind":  # figures, not zeros only (these rows have no kind to break down by)
        assert any(a != "refused" and a[0] for a in direct)
    for got, expected in zip(direct, wrapped, strict=True):
        if got != "refused" and got[1]:
            assert [type(k) for k in got[1]] == [type(k) for k in expected[1]]
            assert [type(v) for v in got[1].values()] == [type(v) for v in expected[1].values()]


def test_a_refusal_on_the_drivers_cursor_is_djangos_error() -> None:
    sql = "SELECT id FROM no_such_table WHERE id = %s"
    with pytest.raises(DatabaseError) as refused:
        fetch_all("default", sql, _native(connection.vendor, sql), (1,))
    assert type(refused.value).__module__ == "django.db.utils"
