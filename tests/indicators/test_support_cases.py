"""Figures from support cases (issue 13) against the hand count of
tests/support/figures_data.py: consent to statistics given / withdrawn / never given, a
district-level case, a commune with only counts and a commune with both (T7 without double
counting), small cells for the leadership but not for the social worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcmd.core.periods import parse_period
from pcmd.indicators.engine import EngineError, evaluate
from pcmd.indicators.models import Indicator, IndicatorKind
from pcmd.indicators.privacy import SUPPORT_CASE_REGISTERS, counts_people, must_suppress
from pcmd.plans.models import Target
from tests.support.figures_data import BMT, TAN_LAP, TAN_TIEN, Built, build, unit

pytestmark = pytest.mark.django_db

Y2018 = parse_period("2018")


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


@pytest.fixture
def built(persona: Any) -> Built:
    return build(persona("ctxh.bmt"))


def _by_commune(code: str) -> tuple[dict[str, Any], Any]:
    result = evaluate(ind(code), unit(BMT), Y2018, by="commune")
    codes = {u.pk: u.code for u in [unit(TAN_LAP), unit(TAN_TIEN)]}
    return {codes[k]: v for k, v in result.values.items() if k in codes}, result.total


def test_people_with_training_or_a_job_only_with_consent(built: Built) -> None:
    # P1 (Tân Lập) and P4 (the district's own case); P2 withdrew, P3 never consented.
    values, total = _by_commune("people_supported_training_jobs")
    assert values == {TAN_LAP: 1, TAN_TIEN: 0}
    assert total == 2


def test_t7_adds_counts_only_where_no_case_records_the_service(built: Built) -> None:
    counts, counts_total = _by_commune("people_supported_counts")
    assert counts == {TAN_LAP: 0, TAN_TIEN: 5}  # Tân Lập's row (3 + 2) is not added
    assert counts_total == 5
    t7, t7_total = _by_commune("people_supported")
    assert t7 == {TAN_LAP: 1, TAN_TIEN: 5}
    assert t7_total == 1 + 1 + 5  # P1, P4 (district), Tân Tiến's counts
    province = evaluate(ind("people_supported"), unit("66"), Y2018, by="unit")
    assert province.values[unit(BMT).pk] == 7 and province.total == 7
    # the old reading would have added Tân Lập's counts row as well: 12
    assert ind("people_supported").kind == IndicatorKind.TOTAL


def test_t7_and_the_report_field_point_at_the_total() -> None:
    assert set(Target.objects.filter(code="T7").values_list("indicator_code", flat=True)) == {
        "people_supported"
    }
    t7 = ind("people_supported")
    assert t7.measure == "people_supported_training_jobs+people_supported_counts"
    assert "T7" in t7.description_en and "does not also add" in t7.description_en
    forms = Path(__file__).resolve().parents[2] / "pcmd/reporting/data/forms.yaml"
    text = forms.read_text(encoding="utf-8")
    assert text.count("indicator: people_supported,") == 2  # annual report and synthesis


def test_people_supported_by_kind_and_outcome(built: Built) -> None:
    by_kind = evaluate(ind("people_supported_cases"), unit(BMT), Y2018, by="kind")
    assert by_kind.values == {"counselling": 1, "job": 1, "loan": 1, "training": 2}
    assert by_kind.total == 5  # rows per kind; distinct people over all kinds below
    assert evaluate(ind("people_supported_cases"), unit(BMT), Y2018).total == 3  # P1, P4, P5
    outcome = evaluate(ind("people_supported_by_outcome"), unit(BMT), Y2018, by="kind")
    assert outcome.values == {"completed": 1, "ongoing": 3}


def test_cases_opened_and_closed_by_outcome(built: Built) -> None:
    assert evaluate(ind("support_cases_opened"), unit(BMT), Y2018).total == 3  # P1, P4, P5
    closed = evaluate(ind("support_cases_closed"), unit(BMT), Y2018, by="kind")
    assert closed.values == {"stable_job": 1} and closed.total == 1
    # outside the period, nothing
    assert evaluate(ind("support_cases_opened"), unit(BMT), parse_period("2019")).total == 0


def test_a_total_of_unknown_parts_is_refused(built: Built) -> None:
    broken = Indicator(code="x_total", kind=IndicatorKind.TOTAL, measure="people_supported+nope")
    with pytest.raises(EngineError):
        evaluate(broken, unit(BMT), Y2018)


def test_small_cells_for_leadership_not_for_social_workers(persona: Any) -> None:
    leader, worker, office = persona("lanhdao"), persona("ctxh.bmt"), persona("thuongtruc")
    support_indicators = [
        i
        for i in Indicator.objects.all()
        if i.source in SUPPORT_CASE_REGISTERS or i.code == "people_supported"
    ]
    assert len(support_indicators) >= 7
    for indicator in support_indicators:
        assert counts_people(indicator), indicator.code
        assert must_suppress(indicator, leader), indicator.code
        assert not must_suppress(indicator, worker), indicator.code
        assert not must_suppress(indicator, office), indicator.code
