"""A report as an XLSX workbook (openpyxl): the figures, the tables, the annexes.

The workbook doubles as the import template: a district that still collects figures in Excel
downloads it, fills in column "Giá trị" of the rows marked "Nhập tay" and the table sheets,
and uploads it (:mod:`pcmd.reporting.imports`). The sheet "Thông tin" says which form, version,
period and reporter the file belongs to.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pcmd.core.spreadsheet import cell_value, workbook_bytes

from ..models import FieldKind, Submission
from ..privacy import Suppression
from .content import Table, Text, build
from .header import head

MAIN_SHEET = "Báo cáo"
INFO_SHEET = "Thông tin"
HEADER_ROW = 8
HEADERS = ["Mã", "Mục", "Chỉ tiêu", "Đơn vị tính", "Cách nhập", "Giá trị"]
CODE_COL, VALUE_COL = 1, 6
MANUAL = "Nhập tay"
AUTO = "Tự động (không sửa)"
KIND_VI: dict[str, str] = {
    FieldKind.INTEGER: "Nhập tay",
    FieldKind.MONEY: "Nhập tay",
    FieldKind.TEXT: "Nhập tay",
    FieldKind.TABLE: "Bảng (trang riêng)",
    FieldKind.AUTO: AUTO,
    FieldKind.TASK_REPORTS: "Từ sổ báo cáo nhiệm vụ",
}
BOLD = Font(name="Times New Roman", bold=True)
PLAIN = Font(name="Times New Roman")
HEAD_FILL = PatternFill("solid", fgColor="F2DCDB")
AUTO_FILL = PatternFill("solid", fgColor="EEEEEE")
NUMBER = "#,##0"


def table_sheet_name(code: str) -> str:
    return f"Bảng {code}"[:31]


def _main(wb: Workbook, sub: Submission, auto: dict[str, Any], hide: Suppression) -> None:
    h = head(sub)
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook opens on one worksheet
    ws.title = MAIN_SHEET
    ws["A1"] = " – ".join([x for x in [h.parent_line, *h.issuer_lines] if x])
    ws["A2"] = h.number
    ws["A3"] = f"{h.title}: {h.subject}"
    ws["A4"] = h.period_line
    ws["A5"] = f"Đơn vị báo cáo: {sub.reporter_name} — {h.place_date}"
    ws["A6"] = (
        "Điền cột 'Giá trị' của các dòng 'Nhập tay' (số: chỉ chữ số); bảng: điền ở "
        "trang 'Bảng …'. Không sửa cột 'Mã' và trang 'Thông tin'."
    )
    for ref in ("A1", "A3"):
        ws[ref].font = BOLD
    for col, text in enumerate(HEADERS, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = HEADER_ROW + 1
    version = sub.form_version
    for f in version.field_list:
        value: Any = hide.value(f.code, auto.get(f.code) if f.is_auto else sub.values.get(f.code))
        if f.kind == FieldKind.TABLE:
            value = f"→ {table_sheet_name(f.code)}"
        elif f.kind == FieldKind.TASK_REPORTS:
            value = None
        cells = [
            f.code,
            f.section.title,
            f.label + (" *" if f.required else ""),
            f.unit_label,
            KIND_VI[f.kind],
            value,
        ]
        for col, item in enumerate(cells, 1):
            cell = ws.cell(row=row, column=col, value=cell_value(item))
            cell.font = PLAIN
            cell.alignment = Alignment(vertical="top", wrap_text=col in (2, 3, 6))
            if f.kind in (FieldKind.AUTO, FieldKind.TASK_REPORTS):
                cell.fill = AUTO_FILL
        if f.is_numeric:
            ws.cell(row=row, column=VALUE_COL).number_format = NUMBER
        row += 1
    for letter, width in zip("ABCDEF", (24, 34, 52, 12, 20, 22), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1).coordinate
    for f in version.field_list:
        if f.kind == FieldKind.TABLE:
            _table_field(wb, f, hide.rows(f.code, sub.values.get(f.code) or []))


def _table_field(wb: Workbook, f: Any, rows: list[dict[str, Any]]) -> None:
    ws = wb.create_sheet(table_sheet_name(f.code))
    for col, column in enumerate(f.columns, 1):
        cell = ws.cell(row=1, column=col, value=column["label"])
        cell.font = BOLD
        cell.fill = HEAD_FILL
        ws.column_dimensions[get_column_letter(col)].width = 34 if column["kind"] == "text" else 18
    for r, data in enumerate(rows, 2):
        for col, column in enumerate(f.columns, 1):
            cell = ws.cell(row=r, column=col, value=cell_value(data.get(column["key"])))
            if column["kind"] != "text":
                cell.number_format = NUMBER
    ws.freeze_panes = "A2"


def _info(wb: Workbook, sub: Submission) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    rows = [
        ("form", sub.form.code),
        ("version", sub.form_version.number),
        ("period", sub.period_code),
        ("unit", sub.unit.code),
        ("agency", sub.agency.code if sub.agency is not None else ""),
        ("submission", sub.pk),
        ("status", sub.status),
    ]
    for r, (key, value) in enumerate(rows, 1):
        ws.cell(row=r, column=1, value=key).font = BOLD
        ws.cell(row=r, column=2, value=value)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 30


def _annex(wb: Workbook, block: Table, used: set[str]) -> None:
    name = (block.sheet or block.title or "Phụ lục")[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    ws = wb.create_sheet(name)
    start = 1
    if block.title:
        ws.cell(row=1, column=1, value=block.title).font = BOLD
        start = 2
    for col, text in enumerate(block.headers, 1):
        cell = ws.cell(row=start, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(48, len(text) + 6))
    for r, row in enumerate(block.rows, start + 1):
        for col, item in enumerate(row, 1):
            numeric = isinstance(item.value, int | float) and item.align == "right"
            cell = ws.cell(
                row=r, column=col, value=cell_value(item.value if numeric else item.text)
            )
            if numeric:
                cell.number_format = NUMBER
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def render(sub: Submission, user: Any = None) -> bytes:
    """The report's workbook (figures, tables, annexes, and the "Thông tin" sheet), as
    ``user`` (who downloads it) may see it: small counts of people as "<5" (DESIGN.md §4)."""
    from ..privacy import for_submission
    from ..values import current_auto

    auto = current_auto(sub)
    wb = Workbook()
    _main(wb, sub, auto, for_submission(sub, user))
    content = build(sub, user)
    used = set(wb.sheetnames)
    if sub.form_version.is_synthesis:
        ws = wb.create_sheet("Nội dung")
        ws.column_dimensions["A"].width = 120
        for r, block in enumerate([b for b in content.body if isinstance(b, Text)], 1):
            cell = ws.cell(row=r, column=1, value=cell_value(block.text))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if block.style == "heading":
                cell.font = BOLD
        used.add("Nội dung")
    for annex in content.annexes:
        if isinstance(annex, Table):
            _annex(wb, annex, used)
    _info(wb, sub)
    return workbook_bytes(wb)
