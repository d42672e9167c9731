"""The shared register export (pcmd.core.exports): CSV streamed row by row, XLSX written
write-only, dates dd/mm/yyyy, text neutralised, the XLSX row cap stated in the file, and
memory that does not grow with the number of rows."""

from __future__ import annotations

import datetime
import io
import tempfile
import tracemalloc
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from pcmd.core.exports import Column, csv_stream, cut_note, write_xlsx
from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots.models import Patrol

COLUMNS = [
    Column(_("Date"), "on"),
    Column(_("Force"), "force"),
    Column(_("Agency"), "agency__name"),
    Column(_("People found"), "people_found", lambda v: v * 10),
]


def _patrols(n: int, force: str = "Tổ") -> None:
    commune = Unit.objects.filter(level=UnitLevel.COMMUNE, valid_from=None).first()
    assert commune is not None
    Patrol.objects.bulk_create(
        Patrol(on=datetime.date(2018, 1, 1 + i % 28), force=f"{force} {i}", commune=commune)
        for i in range(n)
    )


@pytest.mark.django_db
def test_csv_rows_dates_text_and_conversions() -> None:
    Patrol.objects.create(
        on=datetime.date(2018, 3, 9),
        force="=1+2",
        people_found=2,
        commune=Unit.objects.filter(level=UnitLevel.COMMUNE).first(),
    )
    with translation.override("vi"):
        lines = list(csv_stream(Patrol.objects.all(), COLUMNS))
    assert lines[0] == "\ufeff"
    assert lines[1].startswith("Ngày,")
    assert lines[2] == "09/03/2018,'=1+2,,20\r\n"


@pytest.mark.django_db
def test_xlsx_states_the_row_cap_instead_of_cutting_silently() -> None:
    _patrols(3)
    buf = io.BytesIO()
    assert write_xlsx(buf, Patrol.objects.order_by("pk"), COLUMNS, max_rows=2) == 2
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    data, note = wb.worksheets
    assert data.max_row == 3  # the header and 2 rows
    assert data.cell(row=2, column=1).value == datetime.datetime(2018, 1, 1)
    assert data.cell(row=2, column=1).number_format == "DD/MM/YYYY"
    assert note.cell(row=1, column=1).value == cut_note(2)
    full = io.BytesIO()
    assert write_xlsx(full, Patrol.objects.all(), COLUMNS, max_rows=3) == 3
    assert len(load_workbook(io.BytesIO(full.getvalue())).worksheets) == 1


def _peak(run: Any) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_memory_does_not_grow_with_the_rows() -> None:
    """Streaming holds one chunk of rows at a time: five times the rows must not take
    anywhere near five times the memory (a list of all rows, or a normal workbook, would)."""
    long_force = "x" * 140  # with " <i>": within the 150 characters PostgreSQL enforces

    def csv_all() -> None:
        for _line in csv_stream(Patrol.objects.all(), COLUMNS):
            pass

    def xlsx_all() -> None:
        with tempfile.TemporaryFile() as target:  # as the view does: the file on disk
            write_xlsx(target, Patrol.objects.all(), COLUMNS)

    _patrols(2500, long_force)
    small = (_peak(csv_all), _peak(xlsx_all))
    _patrols(10000, long_force)
    large = (_peak(csv_all), _peak(xlsx_all))
    for few, many in zip(small, large, strict=True):
        assert many < 2 * few, (few, many)


def _export_routes() -> list[tuple[str, str]]:
    """Every URL served by an ``exports`` module: (url name with namespace, module)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.callback.__module__.endswith(".exports"):
                found.append((namespace + (p.name or ""), p.callback.__module__))

    walk(get_resolver().url_patterns, "")
    return found


# export URL → the list page whose scope, filters and link it shares
LIST_OF_EXPORT = {
    "/hotspots/patrols/export.csv": "/hotspots/patrols/",
    "/hotspots/patrols/export.xlsx": "/hotspots/patrols/",
    "/registry/export.csv": "/registry/",
    "/registry/export.xlsx": "/registry/",
    "/inspections/export.csv": "/inspections/",
    "/inspections/export.xlsx": "/inspections/",
}


def test_every_register_export_is_walked_below() -> None:
    from django.urls import reverse

    urls = set()
    for name, module in _export_routes():
        if module == "pcmd.dashboard.exports":
            continue  # the dashboard's own exports (tests/dashboard)
        for fmt in ("csv", "xlsx"):
            urls.add(reverse(name, kwargs={"fmt": fmt}))
    assert urls == set(LIST_OF_EXPORT)


@pytest.mark.django_db
def test_an_export_reaches_exactly_who_reaches_its_list(client_for) -> None:
    from tests.conftest import PERSONA_NAMES, assert_reach

    for export, page in LIST_OF_EXPORT.items():
        allowed = [n for n in PERSONA_NAMES if client_for(n).get(page).status_code == 200]
        assert allowed, page
        assert_reach(client_for, export, allowed)
        html = client_for(allowed[0]).get(page).content.decode()
        assert f'href="{export}"' in html, (page, export)
