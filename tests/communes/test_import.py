"""XLSX import of assessments: one row per commune, a column per criterion; all or nothing."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from pcmd.communes import imports
from pcmd.communes.models import Assessment

from .builders import EA_SO, TAN_LAP, YEAR, full_points, template

pytestmark = pytest.mark.django_db


def workbook(rows: list[list[object]]) -> bytes:
    codes = [c.code for c in template().criteria.all()]
    wb = Workbook()
    ws = wb.active
    ws.append([imports.CODE, imports.NAME, *codes])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(code: str, name: str = "", **overrides: int) -> list[object]:
    points = full_points(**overrides)
    return [code, name, *[points[c.code] for c in template().criteria.all()]]


def test_template_has_a_column_per_criterion_and_a_guide() -> None:
    wb = load_workbook(io.BytesIO(imports.spec_for(template()).template()))
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:2] == [imports.CODE + " *", imports.NAME]
    assert header[2:] == [c.code for c in template().criteria.all()]
    guide = [[c.value for c in r] for r in wb["Hướng dẫn"].iter_rows()]
    assert any("Mỗi dòng là một xã" in str(r[0]) for r in guide)


def test_clean_file_imports_drafts(client_for) -> None:
    data = workbook([row(TAN_LAP, "Phường Tân Lập", E1=3)])
    client = client_for("xa.tanlap")
    response = client.post("/communes/import/", {"year": YEAR, "file": io.BytesIO(data)})
    assert response.status_code == 302
    a = Assessment.objects.get(commune__code=TAN_LAP, year=YEAR)
    assert a.status == "draft" and a.total == 98


def test_every_bad_row_is_reported_and_nothing_saved(client_for) -> None:
    data = workbook(
        [
            row(TAN_LAP),  # fine
            row(EA_SO),  # another commune: not the officer's
            row("99999"),  # no such commune
            row(TAN_LAP, A1=9),  # duplicate, and A1 over its maximum
            row("24121", "Xã Cư Êbur"),  # name does not match code
        ]
    )
    response = client_for("xa.tanlap").post(
        "/communes/import/", {"year": YEAR, "file": io.BytesIO(data)}
    )
    assert response.status_code == 200
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert (3, imports.CODE) in problems and (4, imports.CODE) in problems
    assert (5, "A1") in problems and (5, imports.CODE) in problems
    assert (6, imports.NAME) in problems
    assert (2, imports.CODE) not in problems
    first = next(p for p in response.context["problems"] if p.row == 5 and p.column == "A1")
    assert "A1" in first.message and "A1" in first.message_en
    assert not Assessment.objects.exists()


def test_submitted_assessment_cannot_be_overwritten_by_import(client_for, persona) -> None:
    from .builders import assessment

    assessment(persona("xa.tanlap"), status="submitted")
    data = workbook([row(TAN_LAP, A1=0)])
    response = client_for("xa.tanlap").post(
        "/communes/import/", {"year": YEAR, "file": io.BytesIO(data)}
    )
    assert [p.row for p in response.context["problems"]] == [2]
    assert Assessment.objects.get(commune__code=TAN_LAP).total == 100
