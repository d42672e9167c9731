"""Establishment exports: the list's scope and filters, no owner's name, Vietnamese headers."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from pcmd.registry.models import EstablishmentStatus

from .conftest import EA_SO, TAN_HOA, TAN_LAP


def _csv(client: Any, query: str = "") -> list[list[str]]:
    response = client.get(f"/registry/export.csv{query}")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_establishment_export_keeps_to_the_scope_and_the_filters(client_for, make_est) -> None:
    make_est(TAN_LAP, name="Karaoke Tân Lập", owner_name="Nguyễn Thị B", opened_on=None)
    make_est(TAN_HOA, name="@Karaoke Tân Hòa")
    make_est(EA_SO, name="Karaoke Ea Sô")
    rows = _csv(client_for("xa.tanlap"))
    assert rows[0][:3] == ["Tên", "Loại", "Địa chỉ"]
    assert [r[0] for r in rows[1:]] == ["Karaoke Tân Lập"]
    assert not any("Nguyễn Thị B" in cell for row in rows for cell in row)  # no identities
    district = {r[0] for r in _csv(client_for("huyen.bmt"))[1:]}
    assert district == {"Karaoke Tân Lập", "'@Karaoke Tân Hòa"}  # neutralised
    everyone = _csv(client_for("thuongtruc"), "?q=Ea+S%C3%B4")
    assert [r[0] for r in everyone[1:]] == ["Karaoke Ea Sô"]
    closed = _csv(client_for("thuongtruc"), f"?status={EstablishmentStatus.CLOSED}")
    assert closed[1:] == []
    response = client_for("huyen.bmt").get("/registry/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["@Karaoke Tân Hòa", "Karaoke Tân Lập"]


def test_a_bad_establishment_filter_is_a_400(client_for) -> None:
    response = client_for("thuongtruc").get("/registry/export.csv?days=0")
    assert response.status_code == 400
    assert "Days" in response.content.decode() or "Số ngày" in response.content.decode()
