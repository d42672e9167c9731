"""Patrol exports (CSV, XLSX): streamed, the list's scope and filters, formulas neutralised,
headers in Vietnamese, small counts of people as "<5" for the roles that see them so."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots import actions
from pcmd.hotspots.models import Patrol

from .conftest import EA_SO, TAN_HOA, TAN_LAP, D, commune


def _patrol(code: str, force: str, on: Any = None, **counts: int) -> Patrol:
    return actions.record_patrol(
        actor=None, on=on or D(2018, 5, 1), force=force, commune=commune(code), **counts
    )


def _csv(client: Any, query: str = "") -> list[list[str]]:
    response = client.get(f"/hotspots/patrols/export.csv{query}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(client: Any, query: str = "") -> Any:
    response = client.get(f"/hotspots/patrols/export.xlsx{query}")
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_only_csv_and_xlsx(client_for) -> None:
    assert client_for("congan").get("/hotspots/patrols/export.pdf").status_code == 404


def test_export_keeps_to_the_scope(client_for) -> None:
    _patrol(TAN_LAP, "Tổ Tân Lập")
    _patrol(TAN_HOA, "Tổ Tân Hòa")
    _patrol(EA_SO, "Tổ Ea Sô")
    province = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)
    elsewhere = (
        Unit.objects.filter(level=UnitLevel.COMMUNE, valid_from=None)
        .exclude(path__startswith=province.path)
        .first()
    )
    assert elsewhere is not None, "the test base has a commune of another province"
    Patrol.objects.create(on=D(2018, 5, 1), force="Tổ tỉnh khác", commune=elsewhere)
    for name, expected in [
        ("xa.tanlap", {"Tổ Tân Lập"}),
        ("huyen.bmt", {"Tổ Tân Lập", "Tổ Tân Hòa"}),
        ("congan", {"Tổ Tân Lập", "Tổ Tân Hòa", "Tổ Ea Sô"}),
    ]:
        client = client_for(name)
        rows = _csv(client)[1:]
        assert {r[4] for r in rows} == expected, name
        sheet = _xlsx(client).active
        assert {r[4] for r in sheet.iter_rows(min_row=2, values_only=True)} == expected, name


def test_export_applies_the_list_filters(client_for) -> None:
    _patrol(TAN_LAP, "Tổ tháng 4", on=D(2018, 4, 10))
    _patrol(TAN_LAP, "Tổ tháng 6", on=D(2018, 6, 10))
    _patrol(EA_SO, "Tổ Ea Sô tháng 6", on=D(2018, 6, 11))
    client = client_for("congan")
    bmt = Unit.objects.get(code="643", valid_from=None)
    rows = _csv(client, f"?district={bmt.pk}&date_from=01/06/2018&date_to=30/06/2018")[1:]
    assert [r[4] for r in rows] == ["Tổ tháng 6"]
    assert rows[0][0] == "10/06/2018"  # dd/mm/yyyy
    sheet = _xlsx(client, "?date_from=01/06/2018").active
    assert [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Tổ Ea Sô tháng 6",
        "Tổ tháng 6",
    ]
    assert sheet.cell(row=2, column=1).number_format == "DD/MM/YYYY"


def test_a_bad_filter_is_a_bilingual_400_not_every_row(client_for) -> None:
    _patrol(TAN_LAP, "Tổ")
    response = client_for("congan").get("/hotspots/patrols/export.csv?date_from=yesterday")
    assert response.status_code == 400
    text = response.content.decode()
    assert "không hợp lệ" in text and "is not valid" in text
    assert "Từ ngày" in text or "From" in text


def test_export_neutralises_formulas_and_writes_vietnamese_headers(client_for) -> None:
    _patrol(TAN_LAP, '=HYPERLINK("http://x")')
    client = client_for("congan")
    rows = _csv(client)
    assert rows[0][:2] == ["Ngày", "Tụ điểm hoặc địa bàn"]
    assert rows[1][4] == '\'=HYPERLINK("http://x")'
    sheet = _xlsx(client).active
    cell = sheet.cell(row=2, column=5)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert sheet.cell(row=1, column=1).value == "Ngày"


def test_small_counts_of_people_follow_the_page_rule(client_for) -> None:
    _patrol(TAN_LAP, "Tổ", people_found=9, people_sanctioned=2, people_referred=3)
    police = _csv(client_for("congan"))[1]
    assert police[6:9] == ["9", "2", "3"]
    leadership = _csv(client_for("lanhdao"))[1]
    assert leadership[6:9] == ["9", "<5", "<5"]
    sheet = _xlsx(client_for("lanhdao")).active
    assert [c.value for c in sheet[2]][6:9] == [9, "<5", "<5"]


def test_the_list_page_links_the_exports_with_its_filters(client_for) -> None:
    page = client_for("congan").get("/hotspots/patrols/?date_from=01/06/2018&page=1")
    html = page.content.decode()
    assert 'href="/hotspots/patrols/export.csv?date_from=01%2F06%2F2018"' in html
    assert 'href="/hotspots/patrols/export.xlsx?date_from=01%2F06%2F2018"' in html
    assert "1.048.575" in html
