"""A district that collects figures in Excel downloads the workbook, fills it in, uploads it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from pcmd.reporting import actions
from pcmd.reporting.documents import xlsx as xlsx_doc
from pcmd.reporting.models import Submission

from .conftest import open_report, user

pytestmark = pytest.mark.django_db


def _fill(
    data: bytes,
    values: dict[str, object],
    table: list[list[object]] | None = None,
) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[xlsx_doc.MAIN_SHEET]
    for row in range(xlsx_doc.HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row=row, column=xlsx_doc.CODE_COL).value
        if code in values:
            ws.cell(row=row, column=xlsx_doc.VALUE_COL, value=values[code])
    if table is not None:
        sheet = wb[xlsx_doc.table_sheet_name("highlights")]
        for r, cells in enumerate(table, 2):
            for c, value in enumerate(cells, 1):
                sheet.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row_of(data: bytes, code: str) -> int:
    ws = load_workbook(io.BytesIO(data))[xlsx_doc.MAIN_SHEET]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == code)


def test_upload_of_a_clean_workbook_fills_the_draft(client_for) -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    client = client_for("huyen.bmt")
    template = client.get(f"/reporting/reports/{sub.pk}/document.xlsx").content
    filled = _fill(
        template,
        {
            "staff": 420,
            "female_staff": "310",
            "budget_spent": "12.500.000",
            "assessment": "Tình hình ổn định.",
        },
        table=[["05/2018", "Tuyên truyền tại chợ", 150]],
    )
    upload = io.BytesIO(filled)
    upload.name = "bao-cao.xlsx"
    response = client.post(
        f"/reporting/reports/{sub.pk}/import/", {"version": sub.version, "file": upload}
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.values["staff"] == 420 and sub.values["female_staff"] == 310
    assert sub.values["budget_spent"] == 12_500_000
    assert sub.values["highlights"] == [
        {"date": "05/2018", "content": "Tuyên truyền tại chợ", "participants": 150}
    ]
    assert sub.events.filter(verb="imported").exists()


def test_every_bad_cell_is_named_and_nothing_is_saved(client_for) -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    template = xlsx_doc.render(sub)
    filled = _fill(
        template,
        {"staff": "nhiều", "female_staff": -3, "assessment": ""},
        table=[["05/2018", "Họp dân", "một trăm"]],
    )
    values_before = dict(sub.values)
    problems = actions.import_workbook(
        sub, filled, actor=user("huyen.bmt"), expected_version=sub.version
    )
    cells = {(p.sheet, p.row, p.column) for p in problems}
    assert (xlsx_doc.MAIN_SHEET, _row_of(template, "staff"), "F (Giá trị)") in cells
    assert (xlsx_doc.MAIN_SHEET, _row_of(template, "female_staff"), "F (Giá trị)") in cells
    assert (xlsx_doc.MAIN_SHEET, _row_of(template, "assessment"), "F (Giá trị)") in cells
    assert (xlsx_doc.table_sheet_name("highlights"), 2, "C (Số người tham dự)") in cells
    staff = next(p for p in problems if p.row == _row_of(template, "staff"))
    assert "nhiều" in staff.message and "nhiều" in staff.message_en
    assert staff.message != staff.message_en or "whole number" in staff.message_en
    sub.refresh_from_db()
    assert sub.values == values_before
    assert not sub.events.filter(verb="imported").exists()
    # the page lists them, 400
    upload = io.BytesIO(filled)
    upload.name = "x.xlsx"
    response = client_for("huyen.bmt").post(
        f"/reporting/reports/{sub.pk}/import/", {"version": sub.version, "file": upload}
    )
    assert response.status_code == 400
    assert "Số người tham dự" in response.content.decode()


def test_a_workbook_of_another_report_is_refused() -> None:
    other = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    problems = actions.import_workbook(
        sub, xlsx_doc.render(other), actor=user("huyen.bmt"), expected_version=sub.version
    )
    assert [(p.sheet, p.row) for p in problems] == [(xlsx_doc.INFO_SHEET, 4)]
    assert "24118" in problems[0].message_en
    assert actions.import_workbook(
        sub, b"not a workbook", actor=user("huyen.bmt"), expected_version=sub.version
    )[0].message_en.startswith("The file is not an Excel workbook")
    assert Submission.objects.get(pk=sub.pk).values == {}


def _without(data: bytes, sheet: str) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    del wb[sheet]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_missing_sheet_or_header_row_is_named_not_a_crash() -> None:
    # The messages name the sheet and row through the same keywords as the problem's own
    # sheet and row: both must reach the message, not clash with the problem's fields.
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    data = xlsx_doc.render(sub)

    def problems(upload: bytes) -> list[tuple[str, int, str]]:
        found = actions.import_workbook(
            sub, upload, actor=user("huyen.bmt"), expected_version=sub.version
        )
        return [(p.sheet, p.row, p.message_en) for p in found]

    for sheet in (
        xlsx_doc.INFO_SHEET,
        xlsx_doc.MAIN_SHEET,
        xlsx_doc.table_sheet_name("highlights"),
    ):
        assert (sheet, 0, f"The sheet '{sheet}' is missing.") in [
            (s, r, m.split(":")[0].removesuffix(".") + ".")
            for s, r, m in problems(_without(data, sheet))
        ]
    wb = load_workbook(io.BytesIO(data))
    wb[xlsx_doc.MAIN_SHEET].cell(row=xlsx_doc.HEADER_ROW, column=1, value="?")
    buf = io.BytesIO()
    wb.save(buf)
    [(sheet, row, message)] = problems(buf.getvalue())
    assert (sheet, row) == (xlsx_doc.MAIN_SHEET, xlsx_doc.HEADER_ROW)
    assert message.startswith(f"Row {xlsx_doc.HEADER_ROW} must hold the headers")
    assert Submission.objects.get(pk=sub.pk).values == {}
