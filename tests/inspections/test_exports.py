"""Inspection exports: the list's scope and filters, no free text, Vietnamese headers."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from . import builders as b

VIEWERS = [
    "admin",
    "thuongtruc",
    "lanhdao",
    "congan",
    "doi178",
    "huyen.bmt",
    "xa.tanlap",
    "xa.easo",
]


def _csv(client: Any, query: str = "") -> list[list[str]]:
    response = client.get(f"/inspections/export.csv{query}")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_inspection_exports_keep_to_the_scope_and_the_filters(client_for) -> None:
    province_team = b.team(b.province(), name="Đội tỉnh")
    b.inspection(
        province_team,
        b.establishment(b.TAN_LAP, name="Quán Tân Lập"),
        result="violation",
        summary="=cmd|' /C calc'!A0 Nguyễn Văn A",
    )
    b.inspection(province_team, b.establishment(b.EA_SO, name="Quán Ea Sô"))
    rows = _csv(client_for("xa.tanlap"))
    assert rows[0][:3] == ["Ngày", "Đội", "Cơ sở"]
    assert [r[2] for r in rows[1:]] == ["Quán Tân Lập"]
    assert rows[1][0] == "01/06/2018" and rows[1][5] == "có vi phạm"
    assert not any("Nguyễn Văn A" in cell for row in rows for cell in row)  # no free text
    assert {r[2] for r in _csv(client_for("thuongtruc"))[1:]} == {"Quán Tân Lập", "Quán Ea Sô"}
    assert [r[2] for r in _csv(client_for("thuongtruc"), "?result=violation")[1:]] == [
        "Quán Tân Lập"
    ]
    response = client_for("thuongtruc").get("/inspections/export.xlsx?result=violation")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Quán Tân Lập"]


def test_the_inspection_list_links_its_exports(client_for) -> None:
    html = client_for("thuongtruc").get("/inspections/?result=violation").content.decode()
    assert 'href="/inspections/export.csv?result=violation"' in html
    assert 'href="/inspections/export.xlsx?result=violation"' in html
