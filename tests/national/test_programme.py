"""The ministry's overview under the national programme 2021–2025 (1629/QĐ-TTg): the 2024
synthesis reports measure target N1 (≥70 % of communes with communication activities)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import docx
import pytest

from pcmd.geo.models import Unit, UnitLevel, valid_on_q
from pcmd.national.demo import PROGRAMME_YEAR
from pcmd.national.figures import approved_figures, completeness, overview, synthesis_form
from pcmd.reporting.models import Submission, SubmissionStatus
from tests.reporting.layout import all_paragraphs

from .conftest import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

PERIOD_END = datetime.date(2024, 12, 14)  # Decree 09/2019: 15/12/2023–14/12/2024


def _coverage(code: str, value: Any) -> None:
    sub = Submission.objects.get(unit__code=code, unit__level=1, period_code="2024")
    sub.auto_values["communication_coverage"] = value
    sub.save(update_fields=["auto_values"])


def _communes(code: str) -> int:
    province = Unit.objects.get(code=code, level=UnitLevel.PROVINCE, valid_from=None)
    return (
        Unit.objects.filter(level=UnitLevel.COMMUNE, path__startswith=province.path)
        .filter(valid_on_q(PERIOD_END))
        .count()
    )


def _n1(persona: Any) -> tuple[Any, dict[str, Any]]:
    ov = overview(persona("boyte"), PROGRAMME_YEAR)
    assert [t.target.code for t in ov.measured] == ["N1"]
    return ov.measured[0], {row.province.code: cells[0] for row, cells in ov.rows}


def test_each_year_reads_the_form_owed_that_year() -> None:
    assert synthesis_form("year", YEAR).code == "tong-hop-nam"  # plan 1842's year
    annual = synthesis_form("year", PROGRAMME_YEAR)
    half = synthesis_form("half", PROGRAMME_YEAR)
    assert (annual.code, half.code) == ("tong-hop-nam-2021", "tong-hop-6-thang-2021")
    assert annual.current.fields_by_code["communication_coverage"].indicator_code == (
        "communication_coverage"
    )
    sub = Submission.objects.get(unit__code="56", unit__level=1, period_code="2024")
    assert sub.form == annual and sub.period_start == datetime.date(2023, 12, 15)
    assert sub.period_end == PERIOD_END and sub.agency is not None
    assert sub.agency.code == "SO_LDTBXH_56"  # standing office until 28/02/2025


def test_n1_is_measured_per_province_against_70_percent(persona: Any) -> None:
    _coverage("56", 82.5)
    _coverage("58", 75)
    target, cells = _n1(persona)
    assert cells["56"].goal == "70" and not cells["56"].own_goal
    assert cells["56"].met is True and (target.met, target.not_met) == (1, 0)
    # new Đắk Lắk: old Đắk Lắk sent no 2024 report, Phú Yên's share alone is not judged
    assert cells["66"].met is None and cells["66"].result.startswith("Tỉnh Phú Yên: ")
    _coverage("56", 60)
    _coverage("58", 64)
    target, cells = _n1(persona)
    assert cells["56"].met is False and (target.met, target.not_met) == (0, 1)


def test_a_merged_province_share_is_weighted_by_its_communes(persona: Any) -> None:
    _coverage("56", 82.5)
    _coverage("58", 55)
    khanh_hoa, ninh_thuan = _communes("56"), _communes("58")
    assert khanh_hoa > 0 and ninh_thuan > 0
    share = (Decimal("82.5") * khanh_hoa + 55 * ninh_thuan) / (khanh_hoa + ninh_thuan)
    row = next(
        r
        for r in approved_figures(persona("boyte"), PROGRAMME_YEAR).rows
        if r.province.code == "56"
    )
    figure = row.figures["communication_coverage"]
    assert figure.value == share.quantize(Decimal("0.1"))  # not 137.5, nor either part
    assert [p.name for p in figure.parts] == ["Tỉnh Khánh Hòa", "Tỉnh Ninh Thuận"]
    _target, cells = _n1(persona)
    assert cells["56"].met is (share >= 70)
    # a count is still added up
    subs = Submission.objects.filter(unit__code__in=["56", "58"], period_code="2024")
    assert row.figures["inspections"].value == sum(s.auto_values["inspections"] for s in subs)


def test_a_report_not_approved_leaves_the_merged_province_unjudged(persona: Any) -> None:
    _coverage("56", 82.5)
    Submission.objects.filter(unit__code="58", period_code="2024").update(
        status=SubmissionStatus.SUBMITTED
    )
    target, cells = _n1(persona)
    assert cells["56"].met is None and cells["56"].result == "Tỉnh Khánh Hòa: 82,5 %"
    assert (target.met, target.not_met) == (0, 0)


def test_completeness_of_2024_lists_the_programme_forms(persona: Any) -> None:
    table = completeness(persona("boyte"), PROGRAMME_YEAR, today=datetime.date(2026, 1, 1))
    assert [(f.code, p.code) for f, p in table.columns] == [
        ("tong-hop-6-thang-2021", "2024-H1"),
        ("tong-hop-nam-2021", "2024"),
    ]
    cells = {r.province.code: r.cells for r in table.rows}
    assert [c.state for c in cells["56"]] == ["approved", "approved"]
    assert all(c.late for c in cells["56"])  # Ninh Thuận's reports came in late


def test_pages_and_docx_of_2024_show_the_measured_target(persona: Any, client_for: Any) -> None:
    _coverage("56", 60)
    _coverage("58", 64)
    client = client_for("boyte")
    page = client.get("/national/").content.decode()  # the default year: 2024
    assert "1629/QĐ-TTg" in page and 'data-met="no"' in page
    assert "chưa đạt" in page  # Vietnamese by default
    khanh_hoa, ninh_thuan = _communes("56"), _communes("58")
    share = (60 * khanh_hoa + 64 * ninh_thuan) / Decimal(khanh_hoa + ninh_thuan)
    shown = f"{share.quantize(Decimal('0.1'))}".replace(".", ",").removesuffix(",0")
    mapped = client.get("/national/map/?field=communication_coverage")
    assert mapped.status_code == 200 and shown in mapped.content.decode()
    response = client.get(f"/national/report.docx?year={PROGRAMME_YEAR}")
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in all_paragraphs(document)]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert f"{shown} %" in cells  # the province table
    assert "0 tỉnh đạt, 1 tỉnh chưa đạt, 1 tỉnh chưa đủ số liệu đã phê duyệt" in cells
    assert any("1629/QĐ-TTg" in t for t in texts)
