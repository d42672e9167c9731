"""XLSX templates and all-or-nothing imports with row-level messages.

A register declares an :class:`ImportSpec` (its columns). The spec writes the template
officials download, and parses an uploaded file into clean rows or a list of problems,
each naming the row, the column and the reason in Vietnamese and English. The app's
action then saves all rows in one transaction, or nothing when any problem was found.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .messages import bilingual
from .spreadsheet import workbook_bytes
from .xlsx_guard import Limits, WorkbookRefused, open_workbook, sheet_rows

# Problems listed for one file: a file wrong everywhere is not worth more (each one is
# rendered in two languages, kept in the session and shown on the page).
MAX_PROBLEMS = 1_000
# A long import reports how many rows it has read after every this many rows.
PROGRESS_EVERY = 250


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header as it appears in the template
    kind: str = "text"  # text | int | decimal | date | choice | bool
    required: bool = False
    choices: dict[str, str] | None = None  # label in the file -> stored value
    max_length: int | None = None
    min_value: Decimal | int | None = None
    help: str = ""


@dataclass
class Problem:
    row: int  # spreadsheet row number (header is row 1)
    column: str  # header of the column, or "" for the whole row
    message: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "message_en": self.message_en,
        }


@dataclass
class ParseResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    full: bool = False  # MAX_PROBLEMS reached: later problems are not listed

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int, column: str, message: Any, /, **params: Any) -> None:
        if self.full:
            return
        if len(self.problems) >= MAX_PROBLEMS:
            self.full = True
            message, params = (
                _(
                    "More than %(n)s problems: the first %(n)s are listed; correct them and "
                    "upload the file again."
                ),
                {"n": MAX_PROBLEMS},
            )
            column = ""
        texts = bilingual(message, **params)
        self.problems.append(Problem(row, column, texts["vi"], texts["en"]))


class ImportSpec:
    def __init__(
        self,
        name: str,
        columns: Iterable[Column],
        *,
        instructions: str = "",
        limits: Limits | None = None,
    ) -> None:
        self.name = name
        self.columns = list(columns)
        self.instructions = instructions
        self._limits = limits

    @property
    def limits(self) -> Limits:
        """What an uploaded file may hold (the settings, unless the register gave its own)."""
        return self._limits or Limits.configured()

    # --- template ------------------------------------------------------------
    def template(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        assert isinstance(ws, Worksheet)  # a new workbook opens on one worksheet
        ws.title = self.name[:31]
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="F2DCDB")
        for index, col in enumerate(self.columns, 1):
            cell = ws.cell(row=1, column=index, value=col.header + (" *" if col.required else ""))
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(index)].width = max(14, len(col.header) + 4)
            if col.kind == "choice" and col.choices:
                formula = '"' + ",".join(col.choices) + '"'
                if len(formula) <= 255:
                    dv = DataValidation(type="list", formula1=formula, allow_blank=not col.required)
                    dv.add(
                        f"{get_column_letter(index)}2:{get_column_letter(index)}{self.limits.rows}"
                    )
                    ws.add_data_validation(dv)
            if col.kind == "date":
                for row in range(2, 202):
                    ws.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
        guide = wb.create_sheet("Hướng dẫn")
        guide.append(["Cột", "Bắt buộc", "Kiểu", "Giá trị hợp lệ / ghi chú"])
        for cell in guide[1]:
            cell.font = bold
        kinds = {
            "text": "Chữ",
            "int": "Số nguyên",
            "decimal": "Số",
            "date": "Ngày (dd/mm/yyyy)",
            "choice": "Chọn trong danh sách",
            "bool": "Có / Không",
        }
        for col in self.columns:
            guide.append(
                [
                    col.header,
                    "Có" if col.required else "",
                    kinds[col.kind],
                    "; ".join(col.choices) if col.choices else col.help,
                ]
            )
        if self.instructions:
            guide.append([])
            guide.append([self.instructions])
        for letter, width in zip("ABCD", (34, 10, 22, 80), strict=True):
            guide.column_dimensions[letter].width = width
        return workbook_bytes(wb)

    # --- parsing ---------------------------------------------------------------
    def parse(
        self,
        file: IO[bytes] | bytes,
        clean_row: Callable[[dict[str, Any], int, ParseResult], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ParseResult:
        """Every row converted and checked; ``progress(rows read)`` is called after every
        ``PROGRESS_EVERY`` rows (a background import shows it)."""
        result = ParseResult()
        data = file if isinstance(file, bytes) else file.read()
        limits = self.limits
        try:
            wb = open_workbook(data, limits)
        except WorkbookRefused as exc:
            result.problems.append(Problem(0, "", exc.texts["vi"], exc.texts["en"]))
            return result
        try:
            self._read_rows(wb, limits, clean_row, result, progress)
        except WorkbookRefused as exc:
            result.problems.append(Problem(0, "", exc.texts["vi"], exc.texts["en"]))
        finally:
            wb.close()
        if not result.rows and result.ok:
            result.add(2, "", _("The file has no data rows."))
        return result

    def _read_rows(
        self,
        wb: Any,
        limits: Limits,
        clean_row: Callable[[dict[str, Any], int, ParseResult], None] | None,
        result: ParseResult,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        ws = wb.worksheets[0]
        header = next(sheet_rows(ws, columns=limits.columns, limits=limits), None)
        if header is None or all(h is None for h in header):
            result.add(1, "", _("The file is empty."))
            return
        positions = self._match_header(header, result)
        if not result.ok:
            return
        width = max(positions.values()) + 1  # the data rows are read this wide only
        rows = sheet_rows(ws, columns=width, limits=limits, min_row=2)
        for number, values in enumerate(rows, 2):
            if result.full:
                break
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            row: dict[str, Any] = {"_row": number}
            for col in self.columns:
                pos = positions.get(col.key)
                raw = values[pos] if pos is not None and pos < len(values) else None
                row[col.key] = self._convert(col, raw, number, result)
            if clean_row is not None:
                clean_row(row, number, result)
            result.rows.append(row)
            if progress is not None and (number - 1) % PROGRESS_EVERY == 0:
                progress(number - 1)

    def _match_header(self, header: tuple[Any, ...], result: ParseResult) -> dict[str, int]:
        seen = {_norm(h): i for i, h in enumerate(header) if h is not None}
        positions: dict[str, int] = {}
        for col in self.columns:
            pos = seen.get(_norm(col.header))
            if pos is None and col.required:
                result.add(
                    1,
                    col.header,
                    _("Column '%(column)s' is missing from the header row."),
                    column=col.header,
                )
            elif pos is not None:
                positions[col.key] = pos
        if not positions and result.ok:
            result.add(
                1,
                "",
                _(
                    "None of the template's columns is in the header row: download the template again."
                ),
            )
        return positions

    def _convert(self, col: Column, raw: Any, number: int, result: ParseResult) -> Any:
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if col.required:
                result.add(number, col.header, _("'%(column)s' is required."), column=col.header)
            return None
        try:
            value = _CONVERTERS[col.kind](col, raw)
        except ValueError as exc:
            message = exc.args[0] if exc.args else _("The value is not valid.")
            result.add(number, col.header, message, value=raw, column=col.header)
            return None
        if col.max_length and isinstance(value, str) and len(value) > col.max_length:
            result.add(
                number, col.header, _("Too long: at most %(n)s characters."), n=col.max_length
            )
            return None
        if col.min_value is not None and value is not None and value < col.min_value:
            result.add(number, col.header, _("Must be at least %(n)s."), n=col.min_value)
            return None
        return value


def _norm(text: Any) -> str:
    return " ".join(str(text).replace("*", "").split()).casefold()


def _text(col: Column, raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())


def _int(col: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(_("'%(value)s' is not a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip().replace(".", "").replace(" ", "")
    if text.lstrip("-").isdecimal():
        return int(text)
    raise ValueError(_("'%(value)s' is not a whole number."))


def _decimal(col: Column, raw: Any) -> Decimal:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "")
    # Vietnamese writing: 1.234.567,5
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(_("'%(value)s' is not a number.")) from None


def _date(col: Column, raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("'%(value)s' is not a date: write dd/mm/yyyy."))


def _choice(col: Column, raw: Any) -> str:
    choices = col.choices or {}
    text = _norm(raw)
    for label, value in choices.items():
        if text in (_norm(label), _norm(value)):
            return value
    raise ValueError(_("'%(value)s' is not one of the allowed values of '%(column)s'."))


def _bool(col: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _norm(raw)
    if text in {"có", "co", "x", "yes", "true", "1"}:
        return True
    if text in {"không", "khong", "no", "false", "0"}:
        return False
    raise ValueError(_("'%(value)s' is not Có or Không."))


_CONVERTERS: dict[str, Callable[[Column, Any], Any]] = {
    "text": _text,
    "int": _int,
    "decimal": _decimal,
    "date": _date,
    "choice": _choice,
    "bool": _bool,
}


def data_rows(data: bytes, limits: Limits | None = None) -> int:
    """How many data rows (below the header) the first sheet of ``data`` declares.

    Raises :class:`WorkbookRefused` on a file the guard refuses. The count comes from the
    sheet's declared range when it has one, else the rows are counted (streamed)."""
    limits = limits or Limits.configured()
    wb = open_workbook(data, limits)
    try:
        ws = wb.worksheets[0]
        declared = getattr(ws, "max_row", None)
        if isinstance(declared, int) and declared > 0:
            return max(0, min(declared, limits.rows) - 1)
        return max(0, sum(1 for _row in sheet_rows(ws, columns=1, limits=limits)) - 1)
    finally:
        wb.close()


def problems_workbook(problems: list[Problem]) -> bytes:
    """The list of problems as a workbook the official can work through."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook opens on one worksheet
    ws.title = "Lỗi"
    ws.append(["Dòng", "Cột", "Lỗi", "Error"])
    for p in problems:
        ws.append([p.row, p.column, p.message, p.message_en])
    return workbook_bytes(wb)
