"""Demo hotspots and patrols for Đắk Lắk 2018.

A dozen public hotspots, most along the streets of TP Buôn Ma Thuột — plan 1842/KH-UBND IV.2
asks its police to sweep "các trục đường thuộc địa bàn thành phố Buôn Ma Thuột" — with their
status over the year and the patrols that cleared and re-checked them: one is cleared,
reappears and is cleared again; some re-checks are overdue at the end of the year. Names
describe places only. Written through the actions (so the re-check rule applies);
deterministic for a given ``rng``; a no-op when hotspots exist.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel

from . import actions
from .models import Hotspot, HotspotKind, HotspotStatus


@dataclass
class Spot:
    name: str
    kind: str
    location: str
    commune: str
    first_seen: tuple[int, int, int]  # years before the demo year, month, day
    # (month, day, status) changes in the demo year
    changes: list[tuple[int, int, str]] = field(default_factory=list)
    # (month, day, people found or None for a random count)
    patrols: list[tuple[int, int, int | None]] = field(default_factory=list)


A, W, C = HotspotStatus.ACTIVE, HotspotStatus.UNDER_WATCH, HotspotStatus.CLEARED
SPOTS = [
    Spot(
        "Đường Nguyễn Tất Thành (đoạn km 3–4)",
        HotspotKind.STREET,
        "Vỉa hè hai bên đường, từ 21 giờ đến 1 giờ sáng",
        "24118",
        (2, 5, 12),
        changes=[(8, 15, C)],
        patrols=[
            (1, 12, None),
            (2, 23, None),
            (4, 6, None),
            (5, 18, None),
            (7, 2, None),
            (8, 14, None),
            (9, 12, 0),
            (10, 20, 0),
        ],
    ),
    Spot(
        "Đường Lê Duẩn (đoạn cuối, hướng đi Buôn Hồ)",
        HotspotKind.STREET,
        "Khu vực trạm chờ xe buýt và bãi đất trống",
        "24151",
        (1, 9, 3),
        patrols=[
            (1, 20, None),
            (3, 10, None),
            (5, 8, None),
            (7, 15, None),
            (9, 4, None),
            (11, 11, None),
            (12, 19, None),
        ],
    ),
    Spot(
        "Đường Phan Bội Châu (khu vực ngã ba)",
        HotspotKind.STREET,
        "Ngã ba và các hẻm lân cận",
        "24139",
        (1, 11, 20),
        changes=[(4, 10, C), (11, 5, C)],
        patrols=[
            (2, 8, None),
            (3, 25, None),
            (4, 9, None),
            (5, 12, 0),
            (6, 20, 3),
            (8, 1, None),
            (9, 22, None),
            (11, 4, None),
            (12, 20, 0),
        ],
    ),
    Spot(
        "Khu vực bến xe phía Bắc",
        HotspotKind.STATION,
        "Cổng bến xe và dãy quán ven đường",
        "24124",
        (2, 3, 1),
        changes=[(2, 20, W), (9, 30, C)],
        patrols=[(2, 19, None), (4, 14, 0), (6, 9, 1), (8, 18, 0), (9, 29, 0)],
    ),
    Spot(
        "Vườn hoa trung tâm (phía đường Y Jút)",
        HotspotKind.PARK,
        "Ghế đá trong vườn hoa, buổi tối",
        "24133",
        (1, 6, 15),
        changes=[(6, 1, C)],
        patrols=[
            (1, 30, None),
            (3, 3, None),
            (4, 22, None),
            (5, 30, None),
            (7, 1, 0),
            (8, 2, 0),
            (9, 5, 0),
            (10, 6, 0),
            (11, 8, 0),
            (12, 15, 0),
        ],
    ),
    Spot(
        "Đường Võ Văn Kiệt (đoạn tránh thành phố)",
        HotspotKind.STREET,
        "Lề đường đoạn ít nhà dân",
        "24154",
        (0, 3, 2),
        patrols=[(3, 28, None), (5, 25, None), (7, 27, None), (9, 28, None), (11, 30, None)],
    ),
    Spot(
        "Khu nhà trọ công nhân Hòa Phú",
        HotspotKind.RENTAL,
        "Dãy nhà trọ cho thuê theo giờ",
        "24172",
        (1, 8, 25),
        changes=[(3, 15, W)],
        patrols=[(2, 26, None), (3, 14, None), (7, 10, 0)],
    ),
    Spot(
        "Đường Hà Huy Tập (khu vực chợ đêm)",
        HotspotKind.MARKET,
        "Cuối dãy chợ đêm, sau 22 giờ",
        "24136",
        (2, 10, 10),
        changes=[(1, 2, C)],
        patrols=[(1, 25, 0), (2, 22, 0), (3, 20, 0)],
    ),
    Spot(
        "Quốc lộ 14 (đoạn qua phường An Lạc)",
        HotspotKind.STREET,
        "Các quán ven quốc lộ, đoạn giáp xã Ea Blang",
        "24305",
        (1, 4, 5),
        changes=[(7, 20, C)],
        patrols=[(2, 14, None), (5, 16, None), (7, 19, None), (12, 10, 0)],
    ),
    Spot(
        "Quốc lộ 26 (đoạn qua thị trấn Phước An)",
        HotspotKind.STREET,
        "Khu vực trạm dừng xe khách",
        "24490",
        (1, 2, 18),
        patrols=[(3, 6, None), (6, 12, None), (9, 18, None), (12, 4, None)],
    ),
    Spot(
        "Khu vực chợ Ea Kar",
        HotspotKind.MARKET,
        "Bãi xe phía sau chợ",
        "24373",
        (1, 12, 1),
        changes=[(5, 20, W)],
        patrols=[(4, 24, None), (5, 19, None), (8, 30, 0), (12, 5, 0)],
    ),
    Spot(
        "Quốc lộ 29 (đoạn qua thị trấn Krông Năng)",
        HotspotKind.STREET,
        "Khu vực ngã tư trung tâm thị trấn",
        "24343",
        (1, 7, 7),
        changes=[(5, 25, C)],
        patrols=[(3, 15, None), (5, 24, None), (6, 28, 0)],
    ),
]
# Area patrols without a hotspot: (commune, month, day)
AREA_PATROLS = [
    ("24121", 2, 10),
    ("24145", 4, 28),
    ("24148", 6, 16),
    ("24130", 8, 25),
    ("24166", 10, 13),
    ("24308", 3, 30),
    ("24376", 7, 21),
    ("24256", 9, 9),
    ("24379", 11, 17),
    ("24118", 12, 28),
]
ACTIONS_FOUND = [
    "Lập biên bản vi phạm hành chính, đưa về trụ sở phân loại, thông báo về địa phương",
    "Giải tán, nhắc nhở; lập biên bản đối với người vi phạm",
    "Phối hợp Phòng LĐ-TB&XH tư vấn, giới thiệu dịch vụ hỗ trợ",
    "Kiểm tra hành chính, lập biên bản, ra quyết định xử phạt",
]
ACTIONS_NONE = [
    "Tuần tra, không phát hiện; duy trì kiểm tra định kỳ",
    "Kiểm tra lại điểm đã triệt xóa, không phát hiện hoạt động",
]


def _force(commune: Unit, rng: random.Random) -> tuple[str, str]:
    """(force, agency code) of the police that patrols ``commune``."""
    district = commune.parent
    assert district is not None  # a commune lies in a district
    if district.code == "643":
        return rng.choice(
            [
                ("Đội Cảnh sát trật tự - Công an TP Buôn Ma Thuột", "CA_H643"),
                (
                    "Đội Cảnh sát điều tra tội phạm về trật tự xã hội - Công an TP Buôn Ma Thuột",
                    "CA_H643",
                ),
                (
                    "Phòng Cảnh sát quản lý hành chính về trật tự xã hội - Công an tỉnh",
                    "CONG_AN_TINH",
                ),
            ]
        )
    if rng.random() < 0.3:
        return f"Công an {commune.name}", f"CA_X{commune.code}"
    return f"Công an {district.name.replace('Huyện', 'huyện')}", f"CA_H{district.code}"


def _patrol(
    rng: random.Random,
    on: datetime.date,
    commune: Unit,
    hotspot: Hotspot | None,
    found: int | None,
    agencies: dict[str, Agency],
) -> None:
    if found is None:
        found = rng.randint(1, 8)
    sanctioned = rng.randint(0, found)
    referred = rng.randint(0, min(found, 2)) if found else 0
    force, code = _force(commune, rng)
    actions.record_patrol(
        actor=None,
        on=on,
        force=force,
        commune=commune,
        hotspot=hotspot,
        agency=agencies.get(code),
        people_found=found,
        people_sanctioned=sanctioned,
        people_referred=referred,
        action_taken=rng.choice(ACTIONS_FOUND if found else ACTIONS_NONE),
    )


def build(rng: random.Random, year: int) -> None:
    if Hotspot.objects.exists():
        return
    communes = {
        u.code: u
        for u in Unit.objects.filter(
            level=UnitLevel.COMMUNE,
            valid_from=None,
            code__in=[s.commune for s in SPOTS] + [c for c, *_r in AREA_PATROLS],
        ).select_related("parent")
    }
    if len(communes) < len(SPOTS):
        return  # units of Đắk Lắk are not loaded
    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="CA_")}
    agencies.update({a.code: a for a in Agency.objects.filter(code="CONG_AN_TINH")})
    for spot in SPOTS:
        commune = communes[spot.commune]
        years_back, month, day = spot.first_seen
        first_seen = datetime.date(year - years_back, month, day)
        jitter = (rng.uniform(-0.004, 0.004), rng.uniform(-0.004, 0.004))
        h = actions.create_hotspot(
            actor=None,
            name=spot.name,
            kind=spot.kind,
            location=spot.location,
            commune=commune,
            first_seen=first_seen,
            on=datetime.date(year, 1, 1),
            lat=round(commune.lat + jitter[0], 6) if commune.lat else None,
            lon=round(commune.lon + jitter[1], 6) if commune.lon else None,
            note="Phát hiện qua công tác nắm tình hình địa bàn",
        )
        events: list[tuple[datetime.date, int, object]] = []
        for month, day, status in spot.changes:
            events.append((datetime.date(year, month, day), 1, status))
        for month, day, found in spot.patrols:
            events.append((datetime.date(year, month, day), 0, found))
        for on, is_status, value in sorted(events, key=lambda e: (e[0], e[1])):
            h.refresh_from_db()
            if is_status:
                note = {
                    C: "Triệt xóa sau các đợt truy quét",
                    W: "Theo dõi, tuần tra định kỳ",
                    A: "Hoạt động trở lại",
                }[HotspotStatus(str(value))]
                actions.change_hotspot_status(
                    h, actor=None, expected_version=h.version, status=str(value), on=on, note=note
                )
            else:
                _patrol(rng, on, commune, h, value, agencies)  # type: ignore[arg-type]
    for code, month, day in AREA_PATROLS:
        _patrol(
            rng,
            datetime.date(year, month, day),
            communes[code],
            None,
            rng.choice([0, 0, 1, 2, 3]),
            agencies,
        )
