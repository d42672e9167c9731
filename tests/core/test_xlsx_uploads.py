"""Every XLSX import page, given every kind of bad file, answers a clear 4xx or form error
naming the problem in both languages: never a 500 (issue 9, items 1 and 2).

The importers are walked as a list, so a new one is tested by adding one line."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from openpyxl import load_workbook

from pcmd.reporting.models import ReportForm
from pcmd.reporting.seed import seed_forms
from tests.outreach.builders import training

from . import xlsx_files as files

pytestmark = pytest.mark.django_db


@dataclass
class Importer:
    name: str
    persona: str
    url: Callable[[], str]
    template: Callable[[], str]
    extra: Callable[[], dict[str, Any]] = dict


def _report() -> Any:
    from tests.reporting.conftest import open_report

    if not ReportForm.objects.exists():
        seed_forms()
    return open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")


_state: dict[str, Any] = {}


def _sub() -> Any:
    if "sub" not in _state:
        _state["sub"] = _report()
    return _state["sub"]


def _course() -> Any:
    if "course" not in _state:
        _state["course"] = training()
    return _state["course"]


IMPORTERS = [
    Importer(
        "registry", "admin", lambda: "/registry/import/", lambda: "/registry/import/template.xlsx"
    ),
    Importer("budget", "admin", lambda: "/budget/import/", lambda: "/budget/import/template.xlsx"),
    Importer(
        "communes",
        "admin",
        lambda: "/communes/import/",
        lambda: "/communes/import/template.xlsx?year=2018",
        lambda: {"year": "2018"},
    ),
    Importer(
        "activities", "admin", lambda: "/outreach/import/", lambda: "/outreach/import/?template=1"
    ),
    Importer(
        "officers",
        "admin",
        lambda: "/outreach/officers/import/",
        lambda: "/outreach/officers/import/?template=1",
    ),
    Importer(
        "participants",
        "admin",
        lambda: f"/outreach/trainings/{_course().pk}/participants/import/",
        lambda: f"/outreach/trainings/{_course().pk}/participants/import/?template=1",
    ),
    Importer(
        "report",
        "huyen.bmt",
        lambda: f"/reporting/reports/{_sub().pk}/import/",
        lambda: f"/reporting/reports/{_sub().pk}/document.xlsx",
        lambda: {"version": str(_sub().version)},
    ),
]


@pytest.fixture(params=IMPORTERS, ids=[i.name for i in IMPORTERS])
def importer(request: Any) -> Importer:
    _state.clear()
    return request.param


def _post(client: Client, importer: Importer, data: bytes) -> Any:
    upload = SimpleUploadedFile("tep.xlsx", data)
    return client.post(importer.url(), {"file": upload, **importer.extra()})


def _edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def _refused(response: Any, *english: str) -> None:
    assert response.status_code in (200, 400), response.status_code
    text = _text(response)
    for part in english:
        assert part in text, (part, text[-3000:])


def _main_sheet(wb: Any) -> Any:
    return wb["Báo cáo"] if "Báo cáo" in wb.sheetnames else wb.worksheets[0]


def _data_row(wb: Any) -> int:
    return 9 if "Báo cáo" in wb.sheetnames else 2  # the report's first field row / row 2


BAD_FILES = {
    "empty": (b"", "empty"),
    "csv": (b"name;staff\nA;1\n", "not an Excel workbook"),
    "xls-or-encrypted": (files.OLE, "old Excel workbook (.xls)"),
    "zip-not-xlsx": (files.not_xlsx_zip(), "zip archive but not an Excel workbook"),
    "truncated": (files.rows_workbook([["a"]])[:600], "damaged"),
    "shared-string-bomb": (files.huge_shared_string(5_000_000), "zip bomb"),
    "huge-string": (files.huge_shared_string(100_000, letters="random"), "limit of 32767"),
    "million-rows": (files.many_rows(30_000, empty=True), "limit of"),
    "far-column": (files.far_cell("XFD1"), "column 16384"),
    "lying-zip-directory": (files.lying_sizes(20_000), "damaged"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_get_a_clear_refusal(importer: Importer, case: str, client_for: Any) -> None:
    data, english = BAD_FILES[case]
    _refused(_post(client_for(importer.persona), importer, data), english)


def test_wrong_headers(importer: Importer, client_for: Any) -> None:
    client = client_for(importer.persona)
    template = client.get(importer.template()).content

    def scramble(wb: Any) -> None:
        ws = _main_sheet(wb)
        for row in ws.iter_rows(min_row=1, max_row=_data_row(wb) - 1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = "Cột lạ"

    response = _post(client, importer, _edit(template, scramble))
    assert response.status_code in (200, 400)
    text = _text(response)
    assert any(
        message in text
        for message in (
            "is missing from the header row",
            "None of the template's columns is in the header row",
            "must hold the headers",
        )
    )


def test_a_workbook_with_no_rows(importer: Importer, client_for: Any) -> None:
    response = _post(client_for(importer.persona), importer, files.rows_workbook([]))
    assert response.status_code in (200, 400)
    assert "problem" in _text(response) or "empty" in _text(response)


def test_missing_sheet_of_the_report(client_for: Any) -> None:
    """The report import named the sheet twice (TypeError): any workbook without the sheet
    "Thông tin" gave a 500."""
    client = client_for("huyen.bmt")
    sub = _report()
    template = client.get(f"/reporting/reports/{sub.pk}/document.xlsx").content

    def drop(name: str) -> Callable[[Any], None]:
        return lambda wb: wb.remove(wb[name])

    url = f"/reporting/reports/{sub.pk}/import/"
    for name in ("Thông tin", "Báo cáo"):
        upload = SimpleUploadedFile("r.xlsx", _edit(template, drop(name)))
        response = client.post(url, {"file": upload, "version": sub.version})
        _refused(response, f"The sheet '{name}' is missing")
    header = _edit(template, lambda wb: wb["Báo cáo"].cell(row=8, column=1, value="X"))
    response = client.post(
        url, {"file": SimpleUploadedFile("r.xlsx", header), "version": sub.version}
    )
    _refused(response, "Row 8 must hold the headers")


CELLS = {
    "bad-types": ["không phải số", True, "31/02/2018", -5, 1.5, "=1+1"],
    "formulas": ["=1+1", "=A1*2", '=HYPERLINK("http://x")', "=SUM(A1:A3)", "=1/0", "=B2"],
}


@pytest.mark.parametrize("kind", list(CELLS))
def test_bad_cells_are_named_or_read_as_values(
    importer: Importer, kind: str, client_for: Any
) -> None:
    client = client_for(importer.persona)
    template = client.get(importer.template()).content

    def fill(wb: Any) -> None:
        ws = _main_sheet(wb)
        first = _data_row(wb)
        for r in range(first, first + 3):
            for c in range(1, ws.max_column + 1):
                if "Báo cáo" in wb.sheetnames and c != 6:
                    continue  # the report: only its value column is filled in
                ws.cell(row=r, column=c, value=CELLS[kind][(r + c) % len(CELLS[kind])])

    response = _post(client, importer, _edit(template, fill))
    assert response.status_code in (200, 302, 400)


def test_too_many_rows_and_too_long_cells(importer: Importer, client_for: Any) -> None:
    client = client_for(importer.persona)
    template = client.get(importer.template()).content
    rows = max(
        load_workbook(io.BytesIO(template))[name].max_row
        for name in load_workbook(io.BytesIO(template)).sheetnames
    )

    def grow(wb: Any) -> None:
        ws = _main_sheet(wb)
        for r in range(ws.max_row + 1, rows + 60):
            ws.cell(row=r, column=1, value="x")

    with override_settings(PCMD_XLSX_LIMITS={"rows": rows + 20}):
        _refused(_post(client, importer, _edit(template, grow)), f"{rows + 20} rows")

    def long_cell(wb: Any) -> None:
        _main_sheet(wb).cell(row=_data_row(wb), column=6, value="dài " * 100)

    with override_settings(PCMD_XLSX_LIMITS={"cell_chars": 250}):
        _refused(_post(client, importer, _edit(template, long_cell)), "limit of 250")


def test_an_upload_above_the_size_limit_is_refused_before_reading(
    importer: Importer, client_for: Any
) -> None:
    with override_settings(PCMD_XLSX_LIMITS={"upload_bytes": 1024 * 1024}):
        response = _post(client_for(importer.persona), importer, b"PK\x03\x04" + b"0" * 2**21)
    _refused(response, "The file is 2 MB; the limit is 1 MB.")
