"""Fill a report from its filled-in XLSX (the workbook :mod:`.documents.xlsx` writes).

Every cell is checked; each problem names the sheet, the row and the column, in Vietnamese and
English. The caller saves nothing unless the list of problems is empty.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pcmd.core.messages import bilingual

from .documents.xlsx import (
    CODE_COL,
    HEADER_ROW,
    HEADERS,
    INFO_SHEET,
    MAIN_SHEET,
    VALUE_COL,
    table_sheet_name,
)
from .models import FieldKind, Submission

MAX_TABLE_ROWS = 500


@dataclass
class ImportProblem:
    sheet: str
    row: int
    column: str  # the column's header (or letter)
    message: str
    message_en: str

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}" if self.row else self.sheet

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "message_en": self.message_en,
        }


class _Problems(list[ImportProblem]):
    def add(self, sheet: str, row: int, column: str, message: Any, /, **params: Any) -> None:
        texts = bilingual(message, **params)
        self.append(ImportProblem(sheet, row, column, texts["vi"], texts["en"]))


def _int(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError
        value = int(raw)
    else:
        text = str(raw).strip().replace(".", "").replace(" ", "").replace("đ", "")
        if not text.lstrip("-").isdigit():
            raise ValueError
        value = int(text)
    if value < 0:
        raise ValueError
    return value


def parse_workbook(sub: Submission, data: bytes) -> tuple[dict[str, Any], list[ImportProblem]]:
    """``(values, problems)``; ``values`` only means something when ``problems`` is empty."""
    problems = _Problems()
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the same problem
        problems.add("", 0, "", _("The file is not an Excel workbook (.xlsx)."))
        return {}, problems
    _check_info(wb, sub, problems)
    if problems:
        return {}, problems
    if MAIN_SHEET not in wb.sheetnames:
        problems.add(MAIN_SHEET, 0, "", _("The sheet '%(sheet)s' is missing."), sheet=MAIN_SHEET)
        return {}, problems
    ws = wb[MAIN_SHEET]
    header = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, len(HEADERS) + 1)]
    if [str(h or "").strip() for h in header] != HEADERS:
        problems.add(
            MAIN_SHEET,
            HEADER_ROW,
            "",
            _("Row %(row)s must hold the headers %(headers)s: download the template again."),
            row=HEADER_ROW,
            headers=", ".join(HEADERS),
        )
        return {}, problems
    fields = sub.form_version.fields_by_code
    values: dict[str, Any] = {}
    seen: set[str] = set()
    value_header = f"{get_column_letter(VALUE_COL)} ({HEADERS[VALUE_COL - 1]})"
    code_header = f"{get_column_letter(CODE_COL)} ({HEADERS[CODE_COL - 1]})"
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row=row, column=CODE_COL).value
        raw = ws.cell(row=row, column=VALUE_COL).value
        if code is None or str(code).strip() == "":
            if raw not in (None, ""):
                problems.add(MAIN_SHEET, row, code_header, _("A value without a field code."))
            continue
        code = str(code).strip()
        f = fields.get(code)
        if f is None:
            problems.add(
                MAIN_SHEET,
                row,
                code_header,
                _("'%(code)s' is not a field of this form (version %(version)s)."),
                code=code,
                version=sub.form_version.number,
            )
            continue
        if code in seen:
            problems.add(
                MAIN_SHEET, row, code_header, _("The field '%(code)s' appears twice."), code=code
            )
            continue
        seen.add(code)
        if f.kind in (FieldKind.INTEGER, FieldKind.MONEY):
            try:
                values[code] = _int(raw)
            except ValueError:
                problems.add(
                    MAIN_SHEET,
                    row,
                    value_header,
                    _("%(field)s: '%(value)s' is not a whole number of zero or more."),
                    field=f.label,
                    value=raw,
                )
                continue
            if f.required and values[code] is None:
                problems.add(
                    MAIN_SHEET, row, value_header, _("%(field)s is required."), field=f.label
                )
        elif f.kind == FieldKind.TEXT:
            values[code] = "" if raw is None else str(raw).strip()
            if f.required and not values[code]:
                problems.add(
                    MAIN_SHEET, row, value_header, _("%(field)s is required."), field=f.label
                )
    for code, f in fields.items():
        if f.is_manual and f.kind != FieldKind.TABLE and code not in seen:
            problems.add(
                MAIN_SHEET, 0, code_header, _("The row of field '%(code)s' is missing."), code=code
            )
        if f.kind == FieldKind.TABLE:
            rows = _table(wb, f, problems)
            if rows is not None:
                values[code] = rows
    return values, problems


def _check_info(wb: Any, sub: Submission, problems: _Problems) -> None:
    if INFO_SHEET not in wb.sheetnames:
        problems.add(
            INFO_SHEET,
            0,
            "",
            _("The sheet '%(sheet)s' is missing: download the report's template and fill that in."),
            sheet=INFO_SHEET,
        )
        return
    ws = wb[INFO_SHEET]
    info = {
        str(ws.cell(row=r, column=1).value or "").strip(): ws.cell(row=r, column=2).value
        for r in range(1, ws.max_row + 1)
    }
    expected = {
        "form": sub.form.code,
        "version": sub.form_version.number,
        "period": sub.period_code,
        "unit": sub.unit.code,
        "agency": sub.agency.code if sub.agency is not None else "",
    }
    for r, key in enumerate(["form", "version", "period", "unit", "agency"], 1):
        found = info.get(key)
        if str(found if found is not None else "").strip() != str(expected[key]):
            problems.add(
                INFO_SHEET,
                r,
                "B",
                _(
                    "This file is for %(key)s '%(found)s', not "
                    "'%(expected)s': download this report's "
                    "template."
                ),
                key=key,
                found=found if found is not None else "",
                expected=expected[key],
            )


def _table(wb: Any, f: Any, problems: _Problems) -> list[dict[str, Any]] | None:
    name = table_sheet_name(f.code)
    if name not in wb.sheetnames:
        problems.add(name, 0, "", _("The sheet '%(sheet)s' is missing."), sheet=name)
        return None
    ws = wb[name]
    labels = [c["label"] for c in f.columns]
    header = [str(ws.cell(row=1, column=i).value or "").strip() for i in range(1, len(labels) + 1)]
    if header != labels:
        problems.add(
            name, 1, "", _("Row 1 must hold the headers %(headers)s."), headers=", ".join(labels)
        )
        return None
    rows: list[dict[str, Any]] = []
    for r in range(2, ws.max_row + 1):
        raw = [ws.cell(row=r, column=i).value for i in range(1, len(labels) + 1)]
        if all(v is None or str(v).strip() == "" for v in raw):
            continue
        if len(rows) >= MAX_TABLE_ROWS:
            problems.add(name, r, "", _("Too many rows: at most %(n)s."), n=MAX_TABLE_ROWS)
            break
        row: dict[str, Any] = {}
        for i, (column, value) in enumerate(zip(f.columns, raw, strict=True), 1):
            if column["kind"] == "text":
                row[column["key"]] = "" if value is None else str(value).strip()
                continue
            try:
                row[column["key"]] = _int(value)
            except ValueError:
                problems.add(
                    name,
                    r,
                    f"{get_column_letter(i)} ({column['label']})",
                    _("'%(value)s' is not a whole number of zero or more."),
                    value=value,
                )
        rows.append(row)
    return rows
