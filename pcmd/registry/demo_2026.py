"""Demo 2026: conditional businesses on the communes of the new Đắk Lắk (after 01/07/2025).

The 2018 register lies on the communes of the 2018 map; the new province's register lists
the businesses its Team 178 visits in 2026 on the new communes and wards (about seventy, most
in the wards of Buôn Ma Thuột and Tuy Hòa). Deterministic for a given ``rng``; a no-op when
an establishment lies on a new commune or the 2025 map is not loaded.
"""

from __future__ import annotations

import datetime
import random

from pcmd.geo.demo_2026 import new_communes, new_province
from pcmd.geo.models import UnitType

from .actions import create_establishment
from .models import Establishment, EstablishmentKind

COUNT = 72
# kind code → (share, name stems)
KINDS = {
    "nha-nghi": (5, ["Hoa Sen", "Bình Minh", "Phương Nam", "Thanh Bình", "Hướng Dương"]),
    "khach-san": (2, ["Sông Ba", "Biển Xanh", "Cao Nguyên", "Hoàng Gia"]),
    "karaoke": (5, ["Ánh Sao", "Kim Cương", "Hoa Hồng", "Nốt Nhạc", "Sao Mai"]),
    "massage": (3, ["Thư Giãn", "An Nhiên", "Sen Việt", "Ngọc Lan"]),
    "quan-bar": (1, ["Night", "Sunset", "Moonlight"]),
    "ca-phe-vuon": (3, ["Gió Núi", "Vườn Xanh", "Suối Mơ", "Bên Hồ"]),
    "cat-toc-thanh-nu": (2, ["Thu Hà", "Mỹ Linh", "Ngọc Anh"]),
    "nha-hang": (2, ["Hải Sản Gành Đỏ", "Đồng Quê", "Phố Núi"]),
}
STREETS = ["Lê Duẩn", "Nguyễn Tất Thành", "Hùng Vương", "Trần Hưng Đạo", "Lê Lợi", "Hai Bà Trưng"]


def build(rng: random.Random, year: int) -> None:
    province = new_province()
    if province is None:
        return
    communes = new_communes(province)
    if not communes or Establishment.objects.filter(commune__in=communes).exists():
        return
    kinds = {k.code: k for k in EstablishmentKind.objects.filter(code__in=KINDS)}
    if not kinds:
        return
    wards = [c for c in communes if c.unit_type == UnitType.WARD]
    codes = [c for c in KINDS if c in kinds]
    weights = [KINDS[c][0] for c in codes]
    seen: set[tuple[str, str]] = set()
    while len(seen) < COUNT:
        commune = rng.choice(wards if wards and rng.random() < 0.7 else communes)
        code = rng.choices(codes, weights=weights)[0]
        name = f"{kinds[code].name.split('/')[0]} {rng.choice(KINDS[code][1])}"
        address = f"{rng.randint(1, 420)} {rng.choice(STREETS)}, {commune.name}"
        if (name, commune.code) in seen:
            continue
        seen.add((name, commune.code))
        create_establishment(
            actor=None,
            name=name,
            kind=kinds[code],
            address=address,
            commune=commune,
            on=datetime.date(2026, 1, 1),
            opened_on=datetime.date(rng.randint(2012, 2025), rng.randint(1, 12), 1),
            lat=round(commune.lat + rng.uniform(-0.01, 0.01), 6) if commune.lat else None,
            lon=round(commune.lon + rng.uniform(-0.01, 0.01), 6) if commune.lon else None,
            notes="Dữ liệu mẫu 2026 (tỉnh Đắk Lắk mới)",
        )
