"""Approved figures only, on the 2025 map, with small counts of people hidden."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pcmd.geo.models import Unit, UnitLevel
from pcmd.national.figures import (
    APPROVED,
    AWAITING,
    MISSING,
    FieldSpec,
    NationalRefused,
    approved_figures,
    combine,
    completeness,
    overview,
    parse_year,
)
from pcmd.reporting.models import Submission, SubmissionStatus

from .conftest import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def _row(figures: Any, code: str) -> Any:
    return next(r for r in figures.rows if r.province.code == code)


def test_one_row_per_province_of_the_2025_map(persona: Any) -> None:
    figures = approved_figures(persona("boyte"), YEAR)
    codes = [r.province.code for r in figures.rows]
    new = Unit.objects.filter(level=UnitLevel.PROVINCE, valid_from__isnull=False)
    assert sorted(codes) == sorted(new.values_list("code", flat=True))
    assert {"66", "56"} <= set(codes)  # new Đắk Lắk, new Khánh Hòa
    assert _row(figures, "66").sources == ["Tỉnh Phú Yên", "Tỉnh Đắk Lắk"]


def test_only_approved_reports_give_figures(persona: Any) -> None:
    figures = approved_figures(persona("boyte"), YEAR)
    khanh_hoa = _row(figures, "56")
    # Khánh Hòa's report is approved (late); Ninh Thuận's was only submitted: not counted
    assert khanh_hoa.reports == 1
    ninh_thuan = Submission.objects.get(unit__code="58", form__code="tong-hop-nam")
    assert ninh_thuan.status == SubmissionStatus.SUBMITTED
    approved = Submission.objects.get(unit__code="56", form__code="tong-hop-nam")
    for code, fig in khanh_hoa.figures.items():
        raw = approved.auto_values.get(code, approved.values.get(code))
        if raw is None or fig.value is None:
            continue
        if isinstance(fig.value, str):
            assert fig.value == "<5" and 0 < raw < 5
        else:
            assert fig.value == Decimal(str(raw)), code
    # a province whose reports were never approved shows nothing
    ninh_values = set(ninh_thuan.auto_values.values())
    assert all(p.name != "Tỉnh Ninh Thuận" for f in khanh_hoa.figures.values() for p in f.parts)
    assert ninh_values  # it had figures, which the ministry must not see


def test_counts_of_merged_provinces_add_up_and_shares_stay_apart() -> None:
    count = FieldSpec("inspections", "x", "lượt", None, share=False, suppress=False)
    share = FieldSpec("coverage", "x", "%", None, share=True, suppress=False)
    people = FieldSpec("people", "x", "người", None, share=False, suppress=True)
    assert combine(count, [("A", 10), ("B", 7)]).value == 17
    split = combine(share, [("A", 80), ("B", 60)])
    assert split.value is None and split.text == "A: 80 %; B: 60 %"
    assert combine(share, [("A", 75.5)]).text == "75,5 %"
    assert combine(people, [("A", 3)]).text == "<5"
    assert combine(people, [("A", 3), ("B", 4)]).value == 7  # the sum is not small
    assert combine(count, []).text == "—"
    # one of two old provinces reported: its value, named, and no province-wide value
    partial = combine(count, [("A", 10)], expected=2)
    assert partial.value is None and partial.text == "A: 10"
    # a share of communes: weighted by each old province's communes, never added up
    communes = FieldSpec("coverage", "x", "%", None, share=True, suppress=False, by_communes=True)
    merged = combine(communes, [("A", 80), ("B", 60)], expected=2, weights=[30, 10])
    assert merged.value == Decimal("75.0") and merged.text == "75 %"
    assert [p.name for p in merged.parts] == ["A", "B"]
    unknown = combine(communes, [("A", 80), ("B", 60)], expected=2, weights=[30, 0])
    assert unknown.value is None and unknown.text == "A: 80 %; B: 60 %"


def test_a_merged_province_with_a_missing_report_gets_no_made_up_total(persona: Any) -> None:
    # new Đắk Lắk: Phú Yên approved, old Đắk Lắk has no report in the test base
    dak_lak = _row(approved_figures(persona("boyte"), YEAR), "66")
    assert dak_lak.reports == 1
    inspections = dak_lak.figures["inspections"]
    assert inspections.value is None and inspections.text.startswith("Tỉnh Phú Yên: ")


def test_completeness_tells_approved_awaiting_missing_and_late(persona: Any) -> None:
    table = completeness(persona("boyte"), YEAR, today=datetime.date(2026, 1, 1))
    assert [(f.code, p.code) for f, p in table.columns] == [
        ("tong-hop-6-thang", "2018-H1"),
        ("tong-hop-nam", "2018"),
    ]
    cells = {r.province.code: r.cells for r in table.rows}
    # new Khánh Hòa: Khánh Hòa approved late, Ninh Thuận awaiting approval -> awaiting, late
    assert [(c.state, c.late) for c in cells["56"]] == [(AWAITING, True), (AWAITING, True)]
    # new Đắk Lắk: Phú Yên approved on time, old Đắk Lắk sent nothing -> missing, late
    assert [(c.state, c.late) for c in cells["66"]] == [(MISSING, True), (MISSING, True)]
    Submission.objects.filter(unit__code="58").update(status=SubmissionStatus.APPROVED)
    again = completeness(persona("boyte"), YEAR, today=datetime.date(2026, 1, 1))
    assert {c.state for r in again.rows if r.province.code == "56" for c in r.cells} == {APPROVED}


def test_overview_of_a_programme_year_without_reports_measures_nothing(persona: Any) -> None:
    ov = overview(persona("boyte"), 2021)
    assert ov.plan is not None and ov.plan.number == "1629/QĐ-TTg"
    assert [t.target.code for t in ov.targets][:3] == ["N1", "N2", "N3"]
    # 2021: the 2021–2025 forms are owed but no province reported that year
    assert ov.figures.reporting == 0
    assert all(t.met == t.not_met == 0 for t in ov.targets)


def test_only_national_view_reads_them(persona: Any) -> None:
    for username in ("thuongtruc", "lanhdao", "soyte"):
        with pytest.raises(PermissionDenied):
            approved_figures(persona(username), YEAR)
        with pytest.raises(PermissionDenied):
            completeness(persona(username), YEAR)


@pytest.mark.parametrize("raw", ["abc", "1999", "20188", "２０１８", "-2018", "2018.0"])
def test_a_bad_year_is_refused(raw: str) -> None:
    with pytest.raises(NationalRefused) as exc:
        parse_year(raw, 2018)
    assert exc.value.field == "year"


def test_an_empty_year_is_the_default() -> None:
    assert parse_year("", 2018) == 2018 and parse_year(None, 2019) == 2019
    assert parse_year(" 2020 ", 2018) == 2020
