"""Fill a report from its filled-in XLSX (the workbook :mod:`.documents.xlsx` writes).

Every cell is checked; each problem names the sheet, the row and the column, in Vietnamese and
English. The caller saves nothing unless the list of problems is empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from pcmd.core.messages import bilingual
from pcmd.core.xlsx_guard import Limits, WorkbookRefused, open_workbook, sheet_rows

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
MAX_SHEET_ROWS = 5_000  # rows of any sheet of a report workbook (fields, tables, blank rows)


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
        # positional-only: a message may name its own ``sheet`` or ``row``
        texts = bilingual(message, **params)
        self.append(ImportProblem(sheet, row, column, texts["vi"], texts["en"]))

    def refused(self, exc: WorkbookRefused) -> None:
        self.append(ImportProblem("", 0, "", exc.texts["vi"], exc.texts["en"]))


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
        if not text.lstrip("-").isdecimal():
            raise ValueError
        value = int(text)
    if value < 0:
        raise ValueError
    return value


def limits() -> Limits:
    """The upload limits of a report workbook: the settings, with fewer rows."""
    configured = Limits.configured()
    return Limits.configured(rows=min(configured.rows, MAX_SHEET_ROWS))


def parse_workbook(sub: Submission, data: bytes) -> tuple[dict[str, Any], list[ImportProblem]]:
    """``(values, problems)``; ``values`` only means something when ``problems`` is empty.

    The file is checked before it is parsed (:mod:`pcmd.core.xlsx_guard`) and every sheet is
    streamed, never loaded whole."""
    problems = _Problems()
    bounds = limits()
    try:
        wb = open_workbook(data, bounds)
    except WorkbookRefused as exc:
        problems.refused(exc)
        return {}, problems
    try:
        values = _read(wb, sub, bounds, problems)
    except WorkbookRefused as exc:
        problems.refused(exc)
        return {}, problems
    finally:
        wb.close()
    return (values if not problems else {}), problems


def _rows(wb: Any, name: str, columns: int, bounds: Limits, first: int = 1) -> Iterator[Any]:
    return sheet_rows(wb[name], columns=columns, limits=bounds, min_row=first)


def _read(wb: Any, sub: Submission, bounds: Limits, problems: _Problems) -> dict[str, Any]:
    _check_info(wb, sub, bounds, problems)
    if problems:
        return {}
    if MAIN_SHEET not in wb.sheetnames:
        problems.add(MAIN_SHEET, 0, "", _("The sheet '%(sheet)s' is missing."), sheet=MAIN_SHEET)
        return {}
    rows = _rows(wb, MAIN_SHEET, len(HEADERS), bounds, HEADER_ROW)
    header = next(rows, None) or ()
    if [str(h or "").strip() for h in header] != HEADERS:
        problems.add(
            MAIN_SHEET,
            HEADER_ROW,
            "",
            _("Row %(row)s must hold the headers %(headers)s: download the template again."),
            row=HEADER_ROW,
            headers=", ".join(HEADERS),
        )
        return {}
    fields = sub.form_version.fields_by_code
    values: dict[str, Any] = {}
    seen: set[str] = set()
    value_header = f"{get_column_letter(VALUE_COL)} ({HEADERS[VALUE_COL - 1]})"
    code_header = f"{get_column_letter(CODE_COL)} ({HEADERS[CODE_COL - 1]})"
    for row, cells in enumerate(rows, HEADER_ROW + 1):
        code, raw = cells[CODE_COL - 1], cells[VALUE_COL - 1]
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
            table = _table(wb, f, bounds, problems)
            if table is not None:
                values[code] = table
    return values


def _check_info(wb: Any, sub: Submission, bounds: Limits, problems: _Problems) -> None:
    if INFO_SHEET not in wb.sheetnames:
        problems.add(
            INFO_SHEET,
            0,
            "",
            _("The sheet '%(sheet)s' is missing: download the report's template and fill that in."),
            sheet=INFO_SHEET,
        )
        return
    info: dict[str, Any] = {}
    for key, value in _rows(wb, INFO_SHEET, 2, bounds):
        info.setdefault(str(key or "").strip(), value)
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


def _table(wb: Any, f: Any, bounds: Limits, problems: _Problems) -> list[dict[str, Any]] | None:
    name = table_sheet_name(f.code)
    if name not in wb.sheetnames:
        problems.add(name, 0, "", _("The sheet '%(sheet)s' is missing."), sheet=name)
        return None
    labels = [c["label"] for c in f.columns]
    lines = _rows(wb, name, len(labels), bounds)
    header = [str(h or "").strip() for h in next(lines, None) or ()]
    if header != labels:
        problems.add(
            name, 1, "", _("Row 1 must hold the headers %(headers)s."), headers=", ".join(labels)
        )
        return None
    rows: list[dict[str, Any]] = []
    for r, raw in enumerate(lines, 2):
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
