"""Every XLSX and CSV file the system writes goes through here, so that text typed by users
can never become a live formula (CSV / formula injection, OWASP).

A spreadsheet program evaluates a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
once a file is re-typed or imported, a leading tab or carriage return). Text is therefore
written as text:

- XLSX (:func:`workbook_bytes`, :func:`text_cell` for write-only sheets): a string cell keeps
  its exact text but is stored as a string, never as a formula, and a risky one is marked
  "quote prefix" so that Excel keeps it text when the cell is edited; characters XML cannot
  hold are dropped instead of failing the whole download;
- CSV (:func:`csv_row`): a risky string is prefixed with an apostrophe.

Numbers (negative ones too) are not strings and stay numbers.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.workbook.workbook import Workbook

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = (int, float, Decimal, datetime.date, datetime.datetime, datetime.time, bool)


def is_risky(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula."""
    return text.startswith(RISKY_STARTS)


def clean_text(text: str) -> str:
    """``text`` without the control characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def cell_value(value: Any) -> Any:
    """``value`` ready to assign to a cell: a string without the characters XLSX cannot hold
    (openpyxl refuses them, which would fail the whole download)."""
    return clean_text(value) if isinstance(value, str) else value


def _as_text(cell: Cell, text: str) -> None:
    cell.value = clean_text(text)
    cell.data_type = "s"  # set after the value: openpyxl types "=…" as a formula
    if is_risky(text):
        cell.quotePrefix = True


def neutralise(wb: Workbook) -> Workbook:
    """Make every string cell of ``wb`` (not write-only) a text cell; returns ``wb``."""
    for ws in wb.worksheets:
        cells: dict[Any, Cell] = getattr(ws, "_cells", {})
        for cell in cells.values():
            if isinstance(cell.value, str):
                _as_text(cell, cell.value)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The ``.xlsx`` bytes of ``wb``, every string written as text (:func:`neutralise`)."""
    buf = io.BytesIO()
    neutralise(wb).save(buf)
    return buf.getvalue()


def text_cell(ws: Any, value: Any) -> Any:
    """A value for ``ws.append`` of a write-only sheet: strings become text cells."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws)
    _as_text(cell, value)
    return cell


def xlsx_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append`` of a write-only sheet (see :func:`text_cell`)."""
    return [text_cell(ws, v) for v in values]


def csv_value(value: Any) -> Any:
    """A CSV field: ``None`` empty, numbers as they are, risky text behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, _PLAIN):
        return value
    text = str(value)
    return "'" + text if is_risky(text) else text


def csv_row(values: Iterable[Any]) -> list[Any]:
    """The fields of one CSV row (see :func:`csv_value`)."""
    return [csv_value(v) for v in values]
