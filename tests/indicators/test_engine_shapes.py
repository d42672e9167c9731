"""The engine's fast shapes give the answers of the plain ones, for every indicator.

- The nation is grouped by each row's parent unit in SQL (counts and sums): every
  province's national figure equals the province's own total.
- A question's SQL is compiled once per process: the second answer (from the compiled SQL)
  equals the first, for every breakdown (months, agencies, kinds keep their types).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pcmd.core.periods import parse_period
from pcmd.geo.models import Unit
from pcmd.hotspots.models import Patrol
from pcmd.indicators.engine import COMPILED, EngineError, evaluate
from pcmd.indicators.models import Indicator, IndicatorKind

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
