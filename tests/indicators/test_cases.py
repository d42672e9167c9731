"""T4 and the case indicators from the criminal case register, against hand counts
(tests/cases/figures_data.py: cases A–G in Buôn Ma Thuột and Ea Kar)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from pcmd.cases.models import Case
from pcmd.core.periods import Period, parse_period
from pcmd.indicators import placeholders
from pcmd.indicators.actions import load_indicators
from pcmd.indicators.engine import EngineError, evaluate
from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import must_suppress
from pcmd.indicators.wording import describe_filters
from pcmd.plans.models import Target
from tests.cases.figures_data import BMT, EA_KAR, EA_SO, TAN_LAP, TAN_TIEN, Actors, build, unit

pytestmark = pytest.mark.django_db

Y2018 = parse_period("2018")
JAN_AUG = parse_period("2018-01-01..2018-08-31")


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


@pytest.fixture
def cases(persona: Any) -> dict[str, Case]:
    return build(Actors(persona("congan"), persona("vks"), persona("toaan")))


def test_sources_resolve() -> None:
    call_command("check")  # check_sources: every model and field path exists


def test_t4_points_at_the_case_register() -> None:
    t4 = ind("cases_handled_share")
    assert (t4.numerator.code, t4.denominator.code) == ("cases_handled", "cases_detected")
    assert t4.numerator.source == "cases" and t4.denominator.source == "cases"
    assert "sổ vụ án" in t4.description and "case register" in t4.description_en
    assert set(Target.objects.filter(code="T4").values_list("indicator_code", flat=True)) == {
        "cases_handled_share"
    }
    # the violations' own share is kept under a code that does not clash
    old = ind("violations_handled_share")
    assert (old.numerator.code, old.denominator.code) == ("violations_handled", "violations")


def test_t4_by_district_and_commune_against_a_hand_count(cases: dict[str, Case]) -> None:
    province = unit("66")
    detected = evaluate(ind("cases_detected"), province, Y2018, by="unit")
    handled = evaluate(ind("cases_handled"), province, Y2018, by="unit")
    share = evaluate(ind("cases_handled_share"), province, Y2018, by="unit")
    # A–F detected in 2018 (G in 2017); handled by 31/12/2018: A, B, F (C only in 2019,
    # D suspended, E waiting for the procuracy)
    assert (detected.total, handled.total, share.total) == (6, 3, 50.0)
    bmt, ea_kar = unit(BMT).pk, unit(EA_KAR).pk
    assert (detected.values[bmt], handled.values[bmt], share.values[bmt]) == (3, 2, 66.7)
    assert (detected.values[ea_kar], handled.values[ea_kar], share.values[ea_kar]) == (3, 1, 33.3)
    assert share.values[unit("644").pk] is None  # no case: no share, not 0 %
    by_commune = evaluate(ind("cases_handled_share"), unit(BMT), Y2018, by="commune")
    assert by_commune.values[unit(TAN_LAP).pk] == 50.0  # A handled, C not yet
    assert by_commune.values[unit(TAN_TIEN).pk] == 100.0
    assert evaluate(ind("cases_handled_share"), unit(EA_SO), Y2018).total == 33.3


def test_a_case_handled_after_the_period_end_is_not_handled_in_the_period(
    cases: dict[str, Case],
) -> None:
    # January–August: A, B, D, E, F detected; B was indicted on 01/09, after the end
    assert cases["B"].handled_on == dt.date(2018, 9, 1)
    assert evaluate(ind("cases_detected"), unit("66"), JAN_AUG).total == 5
    assert evaluate(ind("cases_handled"), unit("66"), JAN_AUG).total == 2  # A, F
    assert evaluate(ind("cases_handled_share"), unit("66"), JAN_AUG).total == 40.0
    # the same cases asked about the whole year: B is handled
    assert evaluate(ind("cases_handled"), unit(TAN_TIEN), Y2018).total == 1
    assert evaluate(ind("cases_handled"), unit(TAN_TIEN), JAN_AUG).total == 0


def test_persons_by_role_and_their_share(cases: dict[str, Case]) -> None:
    province = unit("66")
    persons = evaluate(ind("case_persons"), province, Y2018, by="kind")
    # sellers are victims, not persons to deal with; G's owner was detected in 2017
    assert persons.values == {"broker": 2, "buyer": 1, "owner": 3, "pimp": 1, "protector": 1}
    handled = evaluate(ind("case_persons_handled"), province, Y2018, by="kind")
    assert handled.values == {"broker": 2, "buyer": 1, "owner": 2}  # A, B, F
    share = evaluate(ind("case_persons_handled_share"), province, Y2018, by="kind")
    assert share.values["owner"] == 66.7 and share.values["pimp"] == 0.0
    assert share.total == 62.5  # 5 of 8
    prosecuted = evaluate(ind("case_persons_prosecuted"), province, Y2018, by="kind")
    assert prosecuted.values == {"broker": 2, "owner": 2}  # B's two defendants, E, F accused
    assert evaluate(ind("case_persons_prosecuted_owner"), province, Y2018).total == 2
    assert evaluate(ind("case_persons_prosecuted_protector"), province, Y2018).total == 0


def test_procuracy_and_court_figures_by_decision_date(cases: dict[str, Case]) -> None:
    province = unit("66")
    assert evaluate(ind("cases_indicted"), province, Y2018).total == 2  # B, F
    assert evaluate(ind("cases_indicted"), province, JAN_AUG).total == 1  # F only
    assert evaluate(ind("cases_tried"), province, Y2018).total == 1  # B
    # B's owner and broker; not its buyer (witness) nor its seller (victim)
    assert evaluate(ind("defendants_sentenced"), province, Y2018).total == 2
    assert evaluate(ind("defendants_sentenced"), province, JAN_AUG).total == 0
    # by the judgment's date: B went to trial in September, its judgment came in October
    assert evaluate(ind("defendants_sentenced"), province, parse_period("2018-09")).total == 0


@pytest.mark.parametrize(
    ("username", "suppressed"),
    [("thuongtruc", True), ("lanhdao", True), ("congan", False), ("vks", False)],
)
def test_persons_by_role_follow_the_small_cell_rule(
    cases: dict[str, Case], client_for: Any, username: str, suppressed: bool
) -> None:
    url = "/api/v1/indicators/case_persons/values?unit=66&period=2018&by=kind"
    body = client_for(username).get(url).json()
    values = {row["key"]: row["value"] for row in body["values"]}
    assert values["owner"] == ("<5" if suppressed else 3)
    assert body["total"] == 8  # not small
    # counts of cases are not people: shown exactly to everyone
    cases_url = "/api/v1/indicators/cases_detected/values?unit=643&period=2018"
    assert client_for(username).get(cases_url).json()["total"] == 3


def test_which_case_indicators_count_people(persona: Any) -> None:
    for code in ("case_persons", "case_persons_prosecuted_owner", "defendants_sentenced"):
        assert must_suppress(ind(code), persona("thuongtruc")), code
        assert not must_suppress(ind(code), persona("toaan")), code
    for code in ("cases_detected", "cases_handled", "cases_indicted", "cases_tried"):
        assert not must_suppress(ind(code), persona("lanhdao")), code


def test_period_placeholders_resolve_and_read_as_words() -> None:
    period = Period(dt.date(2018, 1, 1), dt.date(2018, 6, 30))
    filters = {"handled_on__lte": "$period_end", "detected_on__gte": "$period_start", "x": 1}
    assert placeholders.resolve(filters, period) == {
        "handled_on__lte": dt.date(2018, 6, 30),
        "detected_on__gte": dt.date(2018, 1, 1),
        "x": 1,
    }
    words = describe_filters("cases", {"handled_on__lte": "$period_end"})
    assert "$" not in words and "≤" in words


def test_an_unknown_placeholder_is_refused_at_load_and_by_the_engine(
    tmp_path: Path, cases: dict[str, Case]
) -> None:
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        "indicators:\n"
        "  - {code: typo, name: x, name_en: x, kind: count, source: cases,\n"
        "     filters: {handled_on__lte: $period_ned}}\n",
        encoding="utf-8",
    )
    with pytest.raises(placeholders.UnknownPlaceholder, match="period_ned"):
        load_indicators(bad, actor=None)
    assert not Indicator.objects.filter(code="typo").exists()
    stored = Indicator.objects.create(
        code="typo2",
        name="x",
        name_en="x",
        kind="count",
        source="cases",
        filters={"handled_on__lte": "$today"},
    )
    with pytest.raises(EngineError, match="today"):
        evaluate(stored, unit("66"), Y2018)
