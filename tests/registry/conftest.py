"""Builders for registry tests: rows made in code, through the actions (actor=None)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook

from pcmd.geo.models import Unit, UnitLevel
from pcmd.registry import actions
from pcmd.registry.importer import spec
from pcmd.registry.models import Establishment, EstablishmentKind

MAP_2018 = datetime.date(2018, 3, 12)
TAN_LAP, TAN_HOA, EA_SO = "24118", "24121", "24379"


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.COMMUNE, valid_from=None)


def kind(code: str = "karaoke") -> EstablishmentKind:
    return EstablishmentKind.objects.get(code=code)


@pytest.fixture
def make_est(db: Any) -> Callable[..., Establishment]:
    counter = iter(range(1, 10_000))

    def make(
        code: str = TAN_LAP,
        *,
        name: str | None = None,
        kind_code: str = "karaoke",
        address: str | None = None,
        **values: Any,
    ) -> Establishment:
        n = next(counter)
        return actions.create_establishment(
            actor=None,
            name=name or f"Karaoke Thử {n}",
            kind=kind(kind_code),
            address=address or f"{n} Lê Duẩn",
            commune=commune(code),
            on=MAP_2018,
            **values,
        )

    return make


HEADERS = [c.header for c in spec([]).columns]


def workbook(rows: list[dict[str, Any]]) -> bytes:
    """An import workbook: each row a {header: value} dict; other cells empty."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        unknown = set(row) - set(HEADERS)
        assert not unknown, unknown
        ws.append([row.get(h) for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_row(n: int, commune_value: Any = TAN_LAP, **extra: Any) -> dict[str, Any]:
    return {
        "Tên cơ sở": f"Nhà nghỉ Số {n}",
        "Loại hình": "Nhà nghỉ",
        "Địa chỉ": f"{n} Nguyễn Tất Thành",
        "Xã/phường/thị trấn (mã hoặc tên)": commune_value,
        "Ngày số liệu": "30/06/2018",
        "Số đăng ký kinh doanh": f"60099{n:05d}",
        "Tổng số nhân viên": 5,
        "Số nhân viên nữ": 3,
        **extra,
    }
