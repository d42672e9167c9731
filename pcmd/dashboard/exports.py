"""Dashboard tables as CSV and XLSX, streamed: rows are written as they are produced."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from pcmd.core.db_router import read_replica
from pcmd.core.exports import Echo
from pcmd.core.spreadsheet import csv_row, xlsx_row
from pcmd.geo.models import name_on_date
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .query import parse_question
from .views import breakdown_rows


def _table(request: AuthenticatedHttpRequest) -> tuple[list[str], Iterator[list[Any]], str]:
    q = parse_question(request)
    columns, rows = breakdown_rows(q, request.user)
    header = [_("GSO code"), _("Unit")] + [
        f"{p.target.code} {p.indicator.name if p.indicator else ''}" for p in columns
    ]

    def body() -> Iterator[list[Any]]:
        for row in rows:
            unit_name = name_on_date(row["unit"], q.period.end)
            yield [row["unit"].code, unit_name] + [c["value"] for c in row["cells"]]

    name = f"pcmd-{q.root.code}-{q.period.code.replace('..', '_')}"
    return header, body(), name


@capability_required("dashboard.view")
@read_replica
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    header, body, name = _table(request)
    writer = csv.writer(Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # Excel opens UTF-8 with a BOM correctly
        yield writer.writerow(csv_row(header))
        for row in body:
            yield writer.writerow(csv_row(row))

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@capability_required("dashboard.view")
@read_replica
def export_xlsx(request: AuthenticatedHttpRequest) -> FileResponse:
    header, body, name = _table(request)
    wb = Workbook(write_only=True)  # rows go to disk as written, not kept in memory
    ws = wb.create_sheet("PCMD")
    ws.append(xlsx_row(ws, header))
    for row in body:
        ws.append(xlsx_row(ws, row))
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
