"""No file the system writes carries a live formula: text typed by users stays text in every
XLSX and CSV export, and numbers (negative ones too) stay numbers (issue 9, item 7)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from pcmd.core.spreadsheet import csv_row, is_risky, workbook_bytes, xlsx_row
from pcmd.core.xlsx_import import Problem, problems_workbook
from pcmd.geo.models import Unit
from pcmd.registry.models import EstablishmentKind
from pcmd.reporting import actions as reporting
from pcmd.reporting.imports import parse_workbook
from pcmd.reporting.models import ReportForm
from pcmd.reporting.seed import seed_forms

pytestmark = pytest.mark.django_db

HOSTILE = ["=1+1", "@SUM(A1)", "+1", "-1+2", "\t=1", '=HYPERLINK("http://x.example","y")']


def cells(data: bytes) -> list[Any]:
    """Every cell of every sheet of ``data``; fails on any formula."""
    found = []
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                found.append(cell)
    return found


def texts(data: bytes) -> set[str]:
    return {c.value for c in cells(data) if isinstance(c.value, str)}


def assert_csv_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for field in row:
            if is_risky(field):
                float(field)  # only a number may start with - or +
    return rows


def test_the_helpers_keep_numbers_and_neutralise_text() -> None:
    wb = Workbook()
    for value in [*HOSTILE, -5, -2.5, 0, 12]:
        wb.active.append([value])
    data = workbook_bytes(wb)
    values = [c.value for c in cells(data)]
    assert values == [*HOSTILE, -5, -2.5, 0, 12]
    assert [c.data_type for c in cells(data)][len(HOSTILE) :] == ["n"] * 4
    assert all(c.quotePrefix for c in cells(data)[: len(HOSTILE)])
    wo = Workbook(write_only=True)
    ws = wo.create_sheet("x")
    ws.append(xlsx_row(ws, [*HOSTILE, -3, Decimal("-1.5")]))
    buf = io.BytesIO()
    wo.save(buf)
    assert [c.value for c in cells(buf.getvalue())] == [*HOSTILE, -3, -1.5]
    assert csv_row([*HOSTILE, -3, None, "Quán A"]) == [
        *("'" + h for h in HOSTILE),
        -3,
        "",
        "Quán A",
    ]


def test_dashboard_csv_and_xlsx(client_for: Any) -> None:
    province = Unit.objects.get(code="66", level=1, valid_from=None)
    districts = list(Unit.objects.filter(parent=province).order_by("code")[: len(HOSTILE)])
    for unit, name in zip(districts, HOSTILE, strict=True):
        Unit.objects.filter(pk=unit.pk).update(name=name)
    client = client_for("thuongtruc")
    response = client.get(f"/dashboard/export.csv?period=2018&unit={province.pk}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = assert_csv_safe(text)
    names = {r[1] for r in rows[1:]}
    assert {"'" + h for h in HOSTILE} <= names
    response = client.get(f"/dashboard/export.xlsx?period=2018&unit={province.pk}")
    assert set(HOSTILE) <= texts(b"".join(response.streaming_content))


def test_report_workbook_keeps_typed_text_as_text(client_for: Any) -> None:
    from tests.reporting.conftest import GOOD_COMMUNE, open_report, user

    if not ReportForm.objects.exists():
        seed_forms()
    sub = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    values = {
        **GOOD_COMMUNE,
        "assessment": "=1+1",
        "highlights": [{"date": h, "content": h, "participants": 5} for h in HOSTILE],
    }
    reporting.save_draft(sub, actor=user("xa.tanlap"), expected_version=sub.version, values=values)
    data = client_for("xa.tanlap").get(f"/reporting/reports/{sub.pk}/document.xlsx").content
    assert {h.strip() for h in HOSTILE} <= texts(data)  # the draft stores text stripped
    sub.refresh_from_db()
    read, problems = parse_workbook(sub, data)  # the workbook is also the import template
    assert not problems
    assert read["assessment"] == "=1+1"
    assert [r["content"] for r in read["highlights"]] == [h.strip() for h in HOSTILE]


def test_import_templates_and_problem_workbooks(client_for: Any) -> None:
    for kind, name in zip(EstablishmentKind.objects.order_by("pk"), HOSTILE, strict=False):
        EstablishmentKind.objects.filter(pk=kind.pk).update(name=name)
    template = client_for("admin").get("/registry/import/template.xlsx").content
    assert any(t.startswith("=1+1") or "=1+1" in t for t in texts(template))
    problems = [Problem(2, h, h, h) for h in HOSTILE]
    assert set(HOSTILE) <= texts(problems_workbook(problems))


def test_every_reader_and_writer_goes_through_the_shared_helpers() -> None:
    """A new importer or export cannot forget the guard or the neutralising helpers."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "pcmd"
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root))
        if "load_workbook" in source:
            assert name == "core/xlsx_guard.py", f"{name} opens a workbook without the guard"
        if "Workbook(" in source and name != "core/spreadsheet.py":
            assert "workbook_bytes" in source or "xlsx_row" in source, name
        if "csv.writer" in source or "csv.DictWriter" in source:
            assert "csv_row" in source, name
