"""Demo establishments for Đắk Lắk 2018: about a thousand conditional businesses.

Spread over the 15 districts by plausible weights (TP Buôn Ma Thuột, the provincial city,
about 40 %; the towns along national roads 14, 26 and 27 next), more in wards and townships
than in rural communes, with plausible names, addresses, licences (some lapsing in 2018 or
2019) and two staff counts in 2018. Deterministic for a given ``rng``; a no-op when
establishments already exist.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping

from pcmd.geo.models import Unit, UnitLevel, UnitType

from .actions import NewEstablishment, create_establishments_bulk
from .models import Establishment, EstablishmentKind, EstablishmentStatus, LicenceKind

TOTAL = 1000

DISTRICT_WEIGHTS = {
    "643": 40,
    "644": 6,
    "645": 4,
    "646": 2,
    "647": 2,
    "648": 5,
    "649": 3,
    "650": 4,
    "651": 6,
    "652": 2.5,
    "653": 2.5,
    "654": 7,
    "655": 3,
    "656": 3,
    "657": 4,
}
# Main road through each district's centre (for rural addresses).
ROADS = {
    "644": "Quốc lộ 14",
    "645": "Quốc lộ 14",
    "646": "Tỉnh lộ 1",
    "647": "Tỉnh lộ 1",
    "648": "Tỉnh lộ 8",
    "649": "Quốc lộ 14",
    "650": "Quốc lộ 29",
    "651": "Quốc lộ 26",
    "652": "Quốc lộ 26",
    "653": "Tỉnh lộ 12",
    "654": "Quốc lộ 26",
    "655": "Quốc lộ 27",
    "656": "Quốc lộ 27",
    "657": "Quốc lộ 27",
    "643": "Quốc lộ 14",
}
BMT_STREETS = [
    "Lê Duẩn",
    "Nguyễn Tất Thành",
    "Phan Bội Châu",
    "Y Jút",
    "Ngô Quyền",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Phan Chu Trinh",
    "Nguyễn Công Trứ",
    "Mai Hắc Đế",
    "Lê Hồng Phong",
    "Điện Biên Phủ",
    "Hùng Vương",
    "Trần Phú",
    "Nguyễn Văn Cừ",
    "Y Wang",
    "Giải Phóng",
    "Nguyễn Lương Bằng",
    "Hà Huy Tập",
    "Phạm Văn Đồng",
    "Võ Văn Kiệt",
    "Lê Thánh Tông",
    "Nguyễn Chí Thanh",
    "Trường Chinh",
    "Đinh Tiên Hoàng",
    "Ama Khê",
    "Y Ngông",
    "Trần Hưng Đạo",
    "Bà Triệu",
    "Lê Lợi",
    "Nguyễn Thị Minh Khai",
    "Tôn Đức Thắng",
    "Nguyễn Văn Linh",
    "Đào Duy Từ",
    "Phan Đình Giót",
    "Y Moan Ênuôl",
    "Mạc Thị Bưởi",
]
TOWN_STREETS = [
    "Hùng Vương",
    "Nguyễn Tất Thành",
    "Trần Hưng Đạo",
    "Lê Lợi",
    "Quang Trung",
    "Giải Phóng",
    "Hai Bà Trưng",
    "Phan Bội Châu",
    "Lý Thường Kiệt",
    "Nguyễn Huệ",
    "Lê Duẩn",
    "Trần Phú",
]
PREFIXES = {
    "khach-san": ["Khách sạn"],
    "nha-nghi": ["Nhà nghỉ"],
    "nha-tro": ["Nhà trọ"],
    "vu-truong": ["Vũ trường"],
    "karaoke": ["Karaoke"],
    "quan-bar": ["Bar", "Pub"],
    "massage": ["Massage", "Xông hơi massage", "Thư giãn"],
    "nha-hang": ["Nhà hàng"],
    "ca-phe-vuon": ["Cà phê vườn", "Cà phê", "Cà phê chòi"],
    "cat-toc-thanh-nu": ["Cắt tóc gội đầu", "Salon tóc", "Tiệm tóc"],
    "khac": ["Quán nhậu", "Quán ăn", "Spa"],
}
NAMES = [
    "Hoàng Gia",
    "Thanh Bình",
    "Cao Nguyên",
    "Hoa Sữa",
    "Bình Minh",
    "Sao Mai",
    "Phương Nam",
    "Hương Sen",
    "Đông Á",
    "Tây Nguyên",
    "Ban Mê",
    "Phúc Lộc",
    "Hồng Phát",
    "Kim Ngân",
    "Mai Anh",
    "Ngọc Lan",
    "Thùy Dương",
    "Hải Yến",
    "Trúc Xanh",
    "Hoa Mai",
    "Hoa Đào",
    "Sen Vàng",
    "Hoàng Long",
    "Đại Dương",
    "Ánh Dương",
    "Hạnh Phúc",
    "Thiên Phú",
    "Vạn Phát",
    "Bảo Ngọc",
    "Như Ý",
    "Thảo Nguyên",
    "Lan Anh",
    "Minh Châu",
    "Kim Cương",
    "Sài Gòn",
    "Hà Nội",
    "Đất Việt",
    "Hoa Hồng",
    "Gió Núi",
    "Phố Núi",
    "Dã Quỳ",
    "Hồ Lắk",
    "Đồi Thông",
    "Thác Đá",
    "Suối Mơ",
    "Bạch Dương",
    "Vân Sơn",
    "Thanh Thảo",
    "Hoàng Anh",
    "Thu Hà",
    "Ngọc Trâm",
    "Tuấn Phát",
    "Mộc Lan",
    "Hương Quê",
    "Quê Nhà",
    "Ea Nao",
    "Biển Hồ",
    "Kiều Oanh",
    "Diễm My",
    "Tường Vi",
    "Phú Quý",
    "An Khang",
    "Thịnh Vượng",
    "Bông Lau",
]
SURNAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + [
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
    ]
)
MIDDLE = {
    "m": ["Văn", "Hữu", "Minh", "Đức", "Quang", "Xuân", "Thanh"],
    "f": ["Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim"],
}
GIVEN = {
    "m": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Tuấn",
        "Việt",
        "Hòa",
        "Lộc",
        "Tài",
    ],
    "f": [
        "Anh",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Nhung",
        "Oanh",
        "Phượng",
        "Thảo",
        "Trang",
        "Vân",
        "Yến",
        "Hằng",
        "Dung",
    ],
}
EDE_NAMES = ["Y Bhin Êban", "H'Hen Niê", "Y Khuê Byă", "H'Liên Mlô", "Y Phăng Knul", "H'Yăm Ayŭn"]
# Kind weights in wards/townships and in rural communes (per mille).
URBAN_KINDS = {
    "khach-san": 70,
    "nha-nghi": 190,
    "nha-tro": 110,
    "vu-truong": 10,
    "karaoke": 170,
    "quan-bar": 35,
    "massage": 80,
    "nha-hang": 110,
    "ca-phe-vuon": 130,
    "cat-toc-thanh-nu": 75,
    "khac": 20,
}
RURAL_KINDS = {
    "khach-san": 5,
    "nha-nghi": 230,
    "nha-tro": 120,
    "vu-truong": 0,
    "karaoke": 220,
    "quan-bar": 5,
    "massage": 40,
    "nha-hang": 100,
    "ca-phe-vuon": 220,
    "cat-toc-thanh-nu": 40,
    "khac": 20,
}
# staff range, female share range
STAFF = {
    "khach-san": (8, 40, 0.4, 0.6),
    "nha-nghi": (2, 6, 0.3, 0.7),
    "nha-tro": (1, 3, 0, 0.7),
    "vu-truong": (10, 30, 0.5, 0.8),
    "karaoke": (4, 20, 0.5, 0.85),
    "quan-bar": (5, 15, 0.4, 0.7),
    "massage": (3, 15, 0.8, 1),
    "nha-hang": (5, 25, 0.4, 0.6),
    "ca-phe-vuon": (3, 12, 0.6, 0.9),
    "cat-toc-thanh-nu": (2, 6, 0.8, 1),
    "khac": (2, 10, 0.5, 0.8),
}
SECURITY_KINDS = {"khach-san", "nha-nghi", "nha-tro", "vu-truong", "karaoke", "quan-bar", "massage"}


def _date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _owner(rng: random.Random) -> str:
    if rng.random() < 0.06:
        return rng.choice(EDE_NAMES)
    sex = rng.choice("mf")
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def build(rng: random.Random, year: int) -> None:
    if Establishment.objects.exists():
        return
    province = Unit.objects.filter(code="66", level=UnitLevel.PROVINCE, valid_from=None).first()
    if province is None:
        return
    year_start = datetime.date(year, 1, 1)
    kinds = {k.code: k for k in EstablishmentKind.objects.all()}
    districts = {
        u.code: u
        for u in Unit.objects.within(province)
        .filter(level=UnitLevel.DISTRICT, valid_from=None)
        .order_by("code")
    }
    communes: dict[str, list[Unit]] = {}
    for unit in (
        Unit.objects.within(province)
        .filter(level=UnitLevel.COMMUNE)
        .valid_on(year_start)
        .select_related("parent")
        .order_by("code")
    ):
        assert unit.parent is not None  # a commune lies in a district
        communes.setdefault(unit.parent.code, []).append(unit)
    seen: set[tuple[int, str, str]] = set()
    reg_numbers: set[str] = set()
    records: list[NewEstablishment] = []
    codes = [c for c in DISTRICT_WEIGHTS if c in districts]
    while len(records) < TOTAL:
        district = districts[rng.choices(codes, weights=[DISTRICT_WEIGHTS[c] for c in codes])[0]]
        units = communes[district.code]
        urban_weight = [
            3 if u.unit_type in (UnitType.WARD, UnitType.TOWNSHIP) else 1 for u in units
        ]
        commune = rng.choices(units, weights=urban_weight)[0]
        urban = commune.unit_type in (UnitType.WARD, UnitType.TOWNSHIP)
        code = _weighted(rng, URBAN_KINDS if urban else RURAL_KINDS)
        name = f"{rng.choice(PREFIXES[code])} {rng.choice(NAMES)}"
        if district.code == "643" and urban:
            address = f"{rng.randint(1, 420)} {rng.choice(BMT_STREETS)}"
        elif urban:
            address = f"{rng.randint(1, 250)} {rng.choice(TOWN_STREETS)}"
        elif rng.random() < 0.5:
            address = f"Thôn {rng.randint(1, 15)}"
        else:
            address = f"Km {rng.randint(2, 60)} {ROADS[district.code]}, thôn {rng.randint(1, 12)}"
        if (commune.pk, name, address) in seen:
            continue
        seen.add((commune.pk, name, address))
        records.append(
            _record(rng, year, kinds[code], name, address, commune, district, reg_numbers)
        )
    create_establishments_bulk(
        records, actor=None, verb="establishment.demo", reason=f"demo {year}"
    )


def _record(
    rng: random.Random,
    year: int,
    kind: EstablishmentKind,
    name: str,
    address: str,
    commune: Unit,
    district: Unit,
    reg_numbers: set[str],
) -> NewEstablishment:
    code = kind.code
    opened = _date(rng, datetime.date(2004, 1, 1), datetime.date(year, 9, 30))
    status = _weighted(
        rng,
        {
            EstablishmentStatus.OPEN: 90,
            EstablishmentStatus.SUSPENDED: 5,
            EstablishmentStatus.CLOSED: 5,
        },
    )
    closed = None
    if status == EstablishmentStatus.CLOSED:
        closed = _date(rng, max(opened, datetime.date(year, 1, 15)), datetime.date(year, 12, 10))
    registration = ""
    if rng.random() < 0.92:
        while not registration or registration in reg_numbers:
            registration = f"600{rng.randint(1000000, 9999999)}"
        reg_numbers.add(registration)
    licences = []
    if registration:
        enterprise = code in ("khach-san", "vu-truong") or rng.random() < 0.1
        licences.append(
            {
                "kind": LicenceKind.BUSINESS,
                "number": registration,
                "issuer": "Sở Kế hoạch và Đầu tư tỉnh Đắk Lắk"
                if enterprise
                else f"Phòng Tài chính - Kế hoạch {district.name.replace('Huyện', 'huyện')}",
                "issued_on": opened,
                "expires_on": None,
            }
        )
    if code in SECURITY_KINDS and rng.random() < 0.9:
        licences.append(
            {
                "kind": LicenceKind.SECURITY,
                "number": f"{rng.randint(10, 999)}/GCN-PC64",
                "issuer": "Công an tỉnh Đắk Lắk",
                "issued_on": opened + datetime.timedelta(days=rng.randint(10, 90)),
                "expires_on": None,
            }
        )
    special = {
        "karaoke": (
            LicenceKind.CULTURE,
            "GP-SVHTTDL",
            "Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Lắk",
        ),
        "vu-truong": (
            LicenceKind.CULTURE,
            "GP-SVHTTDL",
            "Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Lắk",
        ),
        "massage": (LicenceKind.HEALTH, "GP-SYT", "Sở Y tế tỉnh Đắk Lắk"),
    }.get(code)
    if special and rng.random() < 0.93:
        kind_value, suffix, issuer = special
        issued = _date(rng, max(opened, datetime.date(year - 6, 1, 1)), datetime.date(year, 10, 31))
        expires = (
            issued.replace(year=issued.year + 5)
            if issued.month != 2 or issued.day != 29
            else datetime.date(issued.year + 5, 2, 28)
        )
        licences.append(
            {
                "kind": kind_value,
                "number": f"{rng.randint(1, 480)}/{suffix}",
                "issuer": issuer,
                "issued_on": issued,
                "expires_on": expires,
            }
        )
        if expires < datetime.date(year, 6, 30) and rng.random() < 0.6:
            renewed = expires - datetime.timedelta(days=rng.randint(0, 20))
            licences.append(
                {
                    "kind": kind_value,
                    "number": f"{rng.randint(1, 480)}/{suffix}",
                    "issuer": issuer,
                    "issued_on": renewed,
                    "expires_on": renewed.replace(year=renewed.year + 5)
                    if renewed.month != 2 or renewed.day != 29
                    else datetime.date(renewed.year + 5, 2, 28),
                }
            )
    low, high, f_low, f_high = STAFF[code]
    counts = []
    for as_of in (datetime.date(year, 6, 30), datetime.date(year, 11, 30)):
        if as_of < opened or (closed and as_of > closed):
            continue
        staff = rng.randint(low, high)
        counts.append(
            {
                "as_of": as_of,
                "staff": staff,
                "female_staff": round(staff * rng.uniform(f_low, f_high)),
            }
        )
    spread = 0.012 if commune.unit_type == UnitType.WARD else 0.03
    lat = round(commune.lat + rng.uniform(-spread, spread), 6) if commune.lat else None
    lon = round(commune.lon + rng.uniform(-spread, spread), 6) if commune.lon else None
    return NewEstablishment(
        values={
            "name": name,
            "kind": kind,
            "address": address,
            "commune": commune,
            "owner_name": _owner(rng),
            "registration_no": registration,
            "status": status,
            "opened_on": opened,
            "closed_on": closed,
            "lat": lat,
            "lon": lon,
            "notes": "",
        },
        licences=licences,
        staff_counts=counts,
    )
