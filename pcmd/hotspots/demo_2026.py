"""Demo 2026: hotspots and patrols on the wards of the new Đắk Lắk.

Three public hotspots (Buôn Ma Thuột and Tuy Hòa areas, described by place only) and the police
patrols that watch them, two or three a month from January to the last complete month; one is
cleared in the spring. Written through the actions; deterministic for a given ``rng``; a
no-op when a hotspot lies on a new commune.
"""

from __future__ import annotations

import datetime
import random

from pcmd.agencies.models import Agency
from pcmd.geo.demo_2026 import YEAR, months, new_communes, new_province, workdays
from pcmd.geo.models import UnitType

from . import actions
from .models import Hotspot, HotspotKind, HotspotStatus

# (name, kind, location, ward name contains)
SPOTS = [
    (
        "Đường Nguyễn Tất Thành (đoạn trung tâm)",
        HotspotKind.STREET,
        "Vỉa hè hai bên đường, từ 21 giờ đến 1 giờ sáng",
        "Buôn Ma Thuột",
    ),
    (
        "Khu vực công viên ven biển",
        HotspotKind.PARK,
        "Lối đi và ghế đá ven biển, buổi tối",
        "Tuy Hòa",
    ),
    (
        "Khu vực bến xe liên tỉnh",
        HotspotKind.STATION,
        "Quán nước quanh bến xe, đêm khuya",
        "Tân Lập",
    ),
]
FORCE = "Phòng Cảnh sát quản lý hành chính về trật tự xã hội - Công an tỉnh"


def build(rng: random.Random, year: int) -> None:
    province = new_province()
    if province is None:
        return
    communes = new_communes(province)
    spans = months()
    if not spans or Hotspot.objects.filter(commune__in=communes).exists():
        return
    wards = [c for c in communes if c.unit_type == UnitType.WARD] or communes
    police = Agency.objects.filter(code="CONG_AN_TINH").first()
    for index, (name, kind, location, near) in enumerate(SPOTS):
        commune = next((w for w in wards if near in w.name), wards[index % len(wards)])
        spot = actions.create_hotspot(
            actor=None,
            name=name,
            kind=kind,
            location=location,
            commune=commune,
            first_seen=datetime.date(2025, rng.randint(7, 11), rng.randint(1, 28)),
            on=datetime.date(YEAR, 1, 1),
            lat=commune.lat,
            lon=commune.lon,
            note="Phát hiện qua công tác nắm tình hình địa bàn (dữ liệu mẫu 2026)",
        )
        cleared = False
        for month, (first, last) in enumerate(spans, start=1):
            for on in sorted(rng.sample(workdays(first, last), rng.randint(2, 3))):
                found = 0 if cleared else rng.randint(0, 5)
                actions.record_patrol(
                    actor=None,
                    on=on,
                    force=FORCE,
                    commune=commune,
                    hotspot=spot,
                    agency=police,
                    people_found=found,
                    people_sanctioned=rng.randint(0, found),
                    people_referred=rng.randint(0, min(found, 1)),
                    action_taken="Tuần tra, kiểm tra hành chính"
                    if found
                    else "Tuần tra, không phát hiện",
                )
            if index == 0 and month == 4 and not cleared:
                spot.refresh_from_db()
                actions.change_hotspot_status(
                    spot,
                    actor=None,
                    expected_version=spot.version,
                    status=HotspotStatus.CLEARED,
                    on=last,
                    note="Triệt xóa sau các đợt truy quét",
                )
                cleared = True
