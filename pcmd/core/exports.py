"""Register exports (CSV and XLSX), streamed so that a register of a million rows never sits
in memory.

One helper for every register: the app's export view builds the same scoped, filtered
queryset as its list page (``visible_to(user)`` + the list's filter form) and describes its
columns; :func:`export_response` writes them.

- CSV: a :class:`~django.http.StreamingHttpResponse` over
  ``queryset.values_list(...).iterator(chunk_size=2000)``: rows leave as they are read.
- XLSX: an openpyxl ``write_only`` workbook (rows go to a temporary file as appended), saved
  to a temporary file on disk and sent with a :class:`~django.http.FileResponse`. Excel holds
  at most :data:`XLSX_MAX_ROWS` rows per sheet: a larger export stops there and says so in a
  note sheet (and the list page says so next to the link) instead of cutting silently.

Every text cell goes through :mod:`pcmd.core.spreadsheet` (formula neutralisation); dates are
dd/mm/yyyy; headers are translated. No person identities: the apps choose columns of records
and counts only, and pass counts of people through their small-cell rule (``convert``).
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .spreadsheet import csv_row, text_cell, xlsx_row

CHUNK_SIZE = 2000
# Excel's sheet limit is 1,048,576 rows; one of them is the header row.
XLSX_SHEET_ROWS = 1_048_576
XLSX_MAX_ROWS = XLSX_SHEET_ROWS - 1
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One exported column: its header (translated when the file is written), the
    ``values_list`` path it reads, and an optional conversion of the raw value (a choice
    label, a small-cell rule)."""

    header: Any  # a lazy translation
    field: str
    convert: Callable[[Any], Any] | None = None


def date_text(value: datetime.date | None) -> str:
    """A date as dd/mm/yyyy (the CSV form; XLSX keeps a real date shown the same way)."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def choice_label(choices: Iterable[tuple[Any, Any]]) -> Callable[[Any], Any]:
    """A conversion from a stored choice value to its (translated) label."""
    labels = dict(choices)
    return lambda value: str(labels.get(value, value)) if value not in (None, "") else ""


def yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _rows(queryset: QuerySet[Any], columns: Sequence[Column]) -> Iterator[list[Any]]:
    converters = [c.convert for c in columns]
    rows = queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=CHUNK_SIZE)
    for raw in rows:
        yield [v if f is None else f(v) for f, v in zip(converters, raw, strict=True)]


def headers(columns: Sequence[Column]) -> list[str]:
    return [str(c.header) for c in columns]


def file_name(stem: str, fmt: str) -> str:
    return f"pcmd-{stem}-{timezone.localdate():%Y%m%d}.{fmt}"


class Echo:
    """A file-like object whose ``write`` returns what it was given (csv.writer → str)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(queryset: QuerySet[Any], columns: Sequence[Column]) -> Iterator[str]:
    """The CSV text of the export, line by line (UTF-8 BOM first, for Excel)."""
    writer = csv.writer(Echo())
    yield "\ufeff"
    yield writer.writerow(csv_row(headers(columns)))
    for row in _rows(queryset, columns):
        yield writer.writerow(
            csv_row(date_text(v) if isinstance(v, datetime.date) else v for v in row)
        )


def csv_response(
    queryset: QuerySet[Any], columns: Sequence[Column], stem: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_stream(queryset, columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(stem, "csv")}"'
    return response


def _xlsx_value(ws: Any, value: Any) -> Any:
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=cast(Any, value))
        cell.number_format = DATE_FORMAT
        return cell
    return text_cell(ws, value)


def write_xlsx(
    target: Any, queryset: QuerySet[Any], columns: Sequence[Column], max_rows: int = XLSX_MAX_ROWS
) -> int:
    """Write the export as XLSX to ``target`` (a path or a binary file); returns the number of
    data rows written. Past ``max_rows`` the sheet stops and a second sheet says so."""
    wb = Workbook(write_only=True)  # rows go to a temporary file as appended, not to memory
    ws = wb.create_sheet("PCMD")
    ws.append(xlsx_row(ws, headers(columns)))
    written = 0
    more = False
    for row in _rows(queryset[: max_rows + 1], columns):
        if written == max_rows:
            more = True
            break
        ws.append([_xlsx_value(ws, v) for v in row])
        written += 1
    if more:
        note = wb.create_sheet(_("Note"))
        note.append(xlsx_row(note, [cut_note(max_rows)]))
    wb.save(target)
    return written


def cut_note(max_rows: int = XLSX_MAX_ROWS) -> str:
    return _(
        "This XLSX file holds the first %(rows)s rows only (the most a spreadsheet sheet can "
        "hold). Export CSV to get every row."
    ) % {"rows": f"{max_rows:,}".replace(",", ".")}


def xlsx_response(queryset: QuerySet[Any], columns: Sequence[Column], stem: str) -> FileResponse:
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # removed when the response closes it
    write_xlsx(tmp, queryset, columns)
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=file_name(stem, "xlsx"), content_type=XLSX_CONTENT_TYPE
    )


def export_response(
    fmt: str, queryset: QuerySet[Any], columns: Sequence[Column], stem: str
) -> StreamingHttpResponse | FileResponse:
    """The export of ``queryset`` in ``fmt`` (``"csv"`` or ``"xlsx"``, checked by the URL)."""
    if fmt == "xlsx":
        return xlsx_response(queryset, columns, stem)
    return csv_response(queryset, columns, stem)


def bad_filters(form: Any) -> HttpResponse:
    """A 400 naming the list filters that are not valid, in Vietnamese and English (an export
    never silently widens to every row because a filter could not be read)."""
    errors = form.errors.as_data()
    texts = []
    for lang in ("vi", "en"):
        with translation.override(lang):
            fields = ", ".join(
                str(form.fields[name].label or name) if name in form.fields else name
                for name in errors
            )
            texts.append(_("This export's filter is not valid: %(fields)s.") % {"fields": fields})
    return HttpResponse(" / ".join(texts), status=400, content_type="text/plain; charset=utf-8")
