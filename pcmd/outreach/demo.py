"""A realistic, deterministic 2018 for Đắk Lắk: communication activities in most communes
(not all), a roster of 1–2 officers per commune, and the year's training courses.

The agencies and forms follow plan 1842/KH-UBND: Sở VH-TT&DL (IV.3: panô, thông tin lưu
động, chiếu phim, triển lãm, thư viện), Sở TT-TT (IV.6: báo chí, phát thanh), Sở GD-ĐT (IV.5:
trường học), Hội LHPN (IV.12), Tỉnh Đoàn (IV.13), MTTQ (IV.14), UBND and Công an xã.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.geo.models import Unit, UnitLevel

from .models import (
    Activity,
    Audience,
    CommunicationForm,
    Officer,
    Training,
    TrainingLevel,
    TrainingParticipant,
)

PROVINCE = "66"

TOPICS = [
    "Tuyên truyền Pháp lệnh Phòng, chống mại dâm năm 2003",
    "Tác hại của tệ nạn mại dâm đối với gia đình và xã hội",
    "Phòng, chống lây nhiễm HIV/AIDS và các bệnh lây truyền qua đường tình dục",
    "Hành vi tình dục an toàn, lành mạnh",
    "Nghị định 167/2013/NĐ-CP: xử phạt vi phạm hành chính về phòng, chống tệ nạn xã hội",
    "Xây dựng xã, phường, thị trấn lành mạnh không có tệ nạn ma túy, mại dâm",
    "Không kỳ thị, giúp đỡ người bán dâm tái hòa nhập cộng đồng",
    "Phòng, chống mua bán người và mại dâm trá hình",
    "Lồng ghép phòng, chống mại dâm với phòng, chống ma túy",
    "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư gắn với phòng, chống tệ nạn xã hội",
]
SCHOOL_TOPICS = [
    "Giáo dục kỹ năng sống, phòng, chống tệ nạn xã hội trong học đường",
    "Phòng, chống xâm hại tình dục và mua bán người cho học sinh",
]
SCHOOLS = [
    "Trường THCS Nguyễn Du",
    "Trường THCS Lê Lợi",
    "Trường THPT Nguyễn Huệ",
    "Trường THCS Chu Văn An",
    "Trường THPT Trần Phú",
    "Trường THCS Phan Chu Trinh",
]
HAMLETS = [
    "thôn 1",
    "thôn 2",
    "thôn 3",
    "thôn 5",
    "buôn Ea Kmát",
    "buôn Ko Siêr",
    "tổ dân phố 4",
    "tổ dân phố 7",
    "khối 2",
    "buôn Tơng Jú",
]

FAMILY = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
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
MIDDLE_M = ["Văn", "Văn", "Đình", "Minh", "Quốc", "Hữu", "Công", "Đức"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim"]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Nam",
    "Thắng",
    "Hải",
    "Long",
    "Phong",
    "Sơn",
    "Trung",
    "Quang",
    "Bình",
    "Khánh",
    "Tâm",
]
GIVEN_F = [
    "Hoa",
    "Lan",
    "Hương",
    "Mai",
    "Hạnh",
    "Thủy",
    "Nga",
    "Linh",
    "Trang",
    "Yến",
    "Phượng",
    "Loan",
    "Hiền",
    "Tuyết",
]
EDE_CLANS = ["Niê", "Mlô", "Êban", "Byă", "Ksơr", "Adrơng", "Knul", "Hwing", "Mdrang"]
EDE_M = ["Bhim", "Khoa", "Kông", "Thuột", "Ngơn", "Blin", "Duôn", "Yim"]
EDE_F = ["Hen", "Mai", "Linh", "Ruê", "Nga", "Đen", "Bia", "Juin"]
# Districts where Ê Đê and M'nông names are common (GSO codes).
HIGHLAND = {"645", "646", "647", "648", "649", "650", "653", "655", "656"}

SECOND_POSITIONS = [
    ("Phó Chủ tịch UBND (phụ trách văn hóa - xã hội)", True),
    ("Phó Trưởng Công an", True),
    ("Chủ tịch Hội Liên hiệp phụ nữ", True),
    ("Bí thư Đoàn Thanh niên", False),
    ("Trưởng Ban công tác Mặt trận", False),
]


def person_name(rng: random.Random, district_code: str) -> str:
    female = rng.random() < 0.55
    if district_code in HIGHLAND and rng.random() < 0.3:
        given = rng.choice(EDE_F if female else EDE_M)
        return f"{'H' + chr(39) if female else 'Y '}{given} {rng.choice(EDE_CLANS)}"
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN_F if female else GIVEN_M)}"


def _day(rng: random.Random, year: int, first: int = 15, last: int = 349) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(first, last))


def _stamp(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(
        day + datetime.timedelta(days=rng.randint(0, 6)),
        datetime.time(rng.randint(8, 16), rng.randint(0, 59)),
    )
    return timezone.make_aware(moment)


class _Maker:
    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.forms = {f.code: f for f in CommunicationForm.objects.all()}
        self.audiences = {a.code: a for a in Audience.objects.all()}
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.rows: list[tuple[Activity, list[str]]] = []

    def add(
        self,
        unit: Unit,
        agency: str,
        form: str,
        audiences: list[str],
        title: str,
        detail: str = "",
        participants: int | None = None,
        copies: int | None = None,
        day: datetime.date | None = None,
    ) -> None:
        day = day or _day(self.rng, self.year)
        activity = Activity(
            date=day,
            unit=unit,
            agency=self.agencies[agency],
            form=self.forms[form],
            title=title,
            organiser_detail=detail,
            participants=participants,
            copies=copies,
            created_at=_stamp(day, self.rng),
        )
        self.rows.append((activity, audiences))

    def commune_activity(self, unit: Unit, district: Unit) -> None:
        rng = self.rng
        short = unit.name
        urban = unit.unit_type in ("phuong", "thi_tran")
        roll = rng.random()
        topic = rng.choice(TOPICS)
        place = rng.choice(HAMLETS)
        if roll < 0.40:
            audiences = (
                ["public"]
                + (["migrant_workers"] if urban and rng.random() < 0.4 else [])
                + (["womens_union"] if rng.random() < 0.3 else [])
            )
            self.add(
                unit,
                f"UBND_X{unit.code}",
                "meeting",
                audiences,
                topic,
                f"Ban chỉ đạo phòng, chống tội phạm, tệ nạn xã hội {short} — họp {place}",
                participants=rng.randint(35, 160),
            )
        elif roll < 0.52:
            self.add(
                unit,
                "HOI_LHPN_TINH",
                rng.choice(["meeting", "leaflets"]),
                ["womens_union", "public"],
                topic,
                f"Hội Liên hiệp phụ nữ {short}",
                participants=rng.randint(30, 120),
            )
        elif roll < 0.62:
            self.add(
                unit,
                "TINH_DOAN",
                rng.choice(["school", "performance", "online"]),
                ["youth_union", "students"],
                rng.choice(SCHOOL_TOPICS + TOPICS[:4]),
                f"Đoàn Thanh niên {short}",
                participants=rng.randint(60, 400),
            )
        elif roll < 0.70:
            self.add(
                unit,
                "MTTQ_TINH",
                "meeting",
                ["public"],
                topic,
                f"Ban công tác Mặt trận {place}, {short}",
                participants=rng.randint(40, 140),
            )
        elif roll < 0.78:
            self.add(
                unit,
                f"CA_X{unit.code}",
                rng.choice(["meeting", "leaflets"]),
                ["public", "business"] if urban else ["public"],
                rng.choice(TOPICS[4:8]),
                f"Công an {short}",
                participants=rng.randint(25, 90),
                copies=rng.choice([None, 200, 500]),
            )
        elif roll < 0.88:
            form = rng.choice(["mobile_info", "film", "exhibition", "performance", "library"])
            self.add(
                unit,
                "SO_VHTTDL",
                form,
                ["public"],
                topic,
                rng.choice(
                    ["Đội Thông tin lưu động tỉnh", "Trung tâm Văn hóa tỉnh", "Thư viện tỉnh"]
                )
                + f" tại {short}",
                participants=rng.randint(150, 800),
            )
        elif roll < 0.94:
            self.add(
                unit,
                "SO_GDDT",
                "school",
                ["students", "teachers"],
                rng.choice(SCHOOL_TOPICS),
                f"{rng.choice(SCHOOLS)}, {short}",
                participants=rng.randint(150, 700),
            )
        else:
            self.add(
                unit,
                f"UBND_X{unit.code}",
                rng.choice(["posters", "leaflets"]),
                ["public", "business"],
                topic,
                f"Công chức Văn hóa - Xã hội {short}",
                copies=rng.randint(5, 40) * 10,
            )

    def outreach_to_high_risk(self, unit: Unit, district: Unit) -> None:
        """Counselling sessions for people at risk in the city's wards (plan II.2)."""
        self.add(
            unit,
            f"LDTBXH_H{district.code}",
            "meeting",
            ["high_risk", "sold_sex"],
            "Tư vấn, tiếp cận cộng đồng: sức khỏe, pháp lý, học nghề và việc làm",
            f"Phòng Lao động - Thương binh và Xã hội {district.name}",
            participants=self.rng.randint(8, 25),
        )

    def save(self) -> int:
        Activity.objects.bulk_create([a for a, _ in self.rows])
        through = Activity.audiences.through
        links = [
            through(activity_id=a.pk, audience_id=self.audiences[code].pk)
            for a, codes in self.rows
            for code in dict.fromkeys(codes)
        ]
        through.objects.bulk_create(links)
        return len(self.rows)


def _activities(
    rng: random.Random, year: int, province: Unit, districts: list[Unit], communes: list[Unit]
) -> int:
    maker = _Maker(rng, year)
    # Provincial campaigns: the press and radio (IV.6) and the banners of IV.3.
    for month in range(1, 13):
        if rng.random() < 0.8:
            maker.add(
                province,
                "SO_TTTT",
                "mass_media",
                ["public"],
                rng.choice(TOPICS),
                rng.choice(["Báo Đắk Lắk", "Đài Phát thanh - Truyền hình tỉnh"]),
                copies=rng.randint(2, 8),
                day=datetime.date(year, month, rng.randint(3, 26)),
            )
    maker.add(
        province,
        "SO_VHTTDL",
        "posters",
        ["public"],
        "Cổ động trực quan hưởng ứng Tháng hành động phòng, chống ma túy, mại dâm",
        "Trung tâm Văn hóa tỉnh",
        copies=rng.randint(120, 260),
        day=datetime.date(year, 6, rng.randint(1, 20)),
    )
    maker.add(
        province,
        "TINH_DOAN",
        "online",
        ["youth_union", "students"],
        "Chuỗi bài phòng, chống tệ nạn xã hội trên trang của Tỉnh Đoàn",
        "Ban Tuyên giáo Tỉnh Đoàn",
        copies=rng.randint(10, 24),
    )
    for district in districts:
        if rng.random() < 0.7:
            maker.add(
                district,
                f"UBND_H{district.code}",
                rng.choice(["meeting", "mobile_info"]),
                ["officials", "public"],
                rng.choice(TOPICS),
                f"Phòng Văn hóa và Thông tin {district.name}",
                participants=rng.randint(80, 300),
            )
    # Most communes, not all: the plan's 100% is a target, not the 2018 outcome.
    missing = set(rng.sample([c.code for c in communes], rng.randint(12, 16)))
    by_pk = {d.pk: d for d in districts}
    for commune in communes:
        if commune.code in missing:
            continue
        assert commune.parent_id is not None  # a commune lies in a district
        district = by_pk[commune.parent_id]
        count = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        if district.code == "643":
            count += rng.randint(1, 2)
        for _ in range(count):
            maker.commune_activity(commune, district)
        if district.code == "643" and rng.random() < 0.5:
            maker.outreach_to_high_risk(commune, district)
    return maker.save()


def _roster(
    rng: random.Random, year: int, communes: list[Unit], districts: dict[int, Unit]
) -> list[Officer]:
    officers = []
    for commune in communes:
        assert commune.parent_id is not None  # a commune lies in a district
        code = districts[commune.parent_id].code
        kind = {"phuong": "phường", "thi_tran": "thị trấn"}.get(commune.unit_type, "xã")
        since = datetime.date(rng.randint(2009, year - 1), rng.choice([1, 4, 7, 10]), 1)
        if rng.random() < 0.04:
            since = datetime.date(year, rng.randint(3, 9), 1)  # appointed during the year
        officers.append(
            Officer(
                full_name=person_name(rng, code),
                commune=commune,
                valid_from=since,
                position=f"Công chức Văn hóa - Xã hội {kind} (phụ trách LĐ-TB&XH)",
            )
        )
        if rng.random() < 0.55:
            position, flagged = rng.choice(SECOND_POSITIONS)
            officers.append(
                Officer(
                    full_name=person_name(rng, code),
                    commune=commune,
                    position=f"{position} {kind}",
                    valid_from=datetime.date(rng.randint(2011, year - 1), 1, 1),
                    is_social_evils_officer=flagged or rng.random() < 0.3,
                )
            )
    return Officer.objects.bulk_create(officers)


def _trainings(
    rng: random.Random,
    year: int,
    province: Unit,
    districts: list[Unit],
    officers: list[Officer],
    agencies: dict[str, Agency],
) -> tuple[int, int]:
    topic = (
        "Tổ chức điều hành, phối hợp liên ngành, giám sát và đánh giá công tác phòng, "
        "chống mại dâm (chỉ tiêu I.2, Kế hoạch 1842/KH-UBND)"
    )
    venue = "Hội trường Sở Lao động - Thương binh và Xã hội, TP Buôn Ma Thuột"
    classes = []
    for n, (month, day) in enumerate([(5, 15), (6, 19)], 1):
        start = datetime.date(year, month, day)
        classes.append(
            Training(
                title=f"Tập huấn nâng cao năng lực cán bộ làm công tác phòng, chống tệ nạn xã hội "
                f"cấp xã năm {year} (lớp {n})",
                topic=topic,
                level=TrainingLevel.PROVINCE,
                agency=agencies["SO_LDTBXH"],
                start_date=start,
                end_date=start + datetime.timedelta(days=2),
                unit=province,
                venue=venue,
            )
        )
    team = Training(
        title=f"Tập huấn nghiệp vụ kiểm tra liên ngành 178 cấp huyện năm {year}",
        topic="Nghị định 178/2004/NĐ-CP; kiểm tra cơ sở kinh doanh dịch vụ có điều kiện",
        level=TrainingLevel.PROVINCE,
        agency=agencies["SO_LDTBXH"],
        start_date=datetime.date(year, 7, 10),
        end_date=datetime.date(year, 7, 11),
        unit=province,
        venue=venue,
    )
    local = {}
    for district in sorted(rng.sample(districts, 7), key=lambda d: d.code):
        start = _day(rng, year, 200, 320)
        local[district.pk] = Training(
            title=f"Tập huấn công tác phòng, chống tệ nạn xã hội cho cán bộ cơ sở "
            f"{district.name} năm {year}",
            topic="Kỹ năng tuyên truyền, tư vấn và hỗ trợ tái hòa nhập cộng đồng",
            level=TrainingLevel.DISTRICT,
            agency=agencies[f"LDTBXH_H{district.code}"],
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            unit=district,
            venue=f"Hội trường UBND {district.name}",
        )
    Training.objects.bulk_create([*classes, team, *local.values()])
    participants = []
    for district in districts:
        for _ in range(2):
            participants.append(
                TrainingParticipant(
                    training=team,
                    full_name=person_name(rng, district.code),
                    unit=district,
                    position=f"Thành viên Đội kiểm tra liên ngành 178 {district.name}",
                )
            )
    trained = 0
    for officer in officers:
        chance = 0.91 if officer.is_social_evils_officer else 0.5
        if rng.random() >= chance:
            continue
        district_id = officer.commune.parent_id
        options = [c for c in classes if not officer.valid_from or officer.valid_from <= c.end_date]
        if district_id in local and (rng.random() < 0.6 or not options):
            course = local[district_id]
        elif options:
            course = rng.choice(options)
        else:
            continue
        participants.append(
            TrainingParticipant(
                training=course,
                officer=officer,
                full_name=officer.full_name,
                position=officer.position,
                unit=officer.commune,
            )
        )
        trained += 1
    TrainingParticipant.objects.bulk_create(participants)
    return 3 + len(local), trained


@transaction.atomic
def build(rng: random.Random, year: int) -> None:
    if Activity.objects.exists() or Officer.objects.exists() or Training.objects.exists():
        return
    on = datetime.date(year, 12, 31)
    province = Unit.objects.valid_on(on).get(code=PROVINCE, level=UnitLevel.PROVINCE)
    districts = list(Unit.objects.valid_on(on).filter(parent=province).order_by("code"))
    communes = list(
        Unit.objects.valid_on(on)
        .filter(level=UnitLevel.COMMUNE, path__startswith=province.path)
        .order_by("code")
    )
    agencies = {a.code: a for a in Agency.objects.all()}
    n_activities = _activities(rng, year, province, districts, communes)
    officers = _roster(rng, year, communes, {d.pk: d for d in districts})
    n_trainings, n_trained = _trainings(rng, year, province, districts, officers, agencies)
    changes: dict[str, Any] = {
        "activities": [None, n_activities],
        "officers": [None, len(officers)],
        "trainings": [None, n_trainings],
        "trained": [None, n_trained],
    }
    audit.record(
        actor=None,
        verb="outreach.demo",
        object_type="outreach.activity",
        changes=changes,
        reason=f"Demo data for {year}",
    )
