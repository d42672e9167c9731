"""Demo Team 178 year for Đắk Lắk: teams, plans, a few hundred inspections, tips.

- The provincial team (led by Sở LĐ-TB&XH in 2018, plan IV.1) with members from Sở LĐ-TB&XH,
  Công an tỉnh, Sở VH-TT&DL, Sở Y tế and Sở Công Thương (plan IV.2–IV.7); its 2018 plan
  targets 100–150 establishments (plan I.2) and it inspects about 120.
- A team in each district, led by the district's Phòng LĐ-TB&XH, with its own plan, and one
  commune team (Phường Tân Lập).
- Findings follow the checklist; about a fifth of visits find a violation (recorded by the
  enforcement demo), a few find the place closed.

Deterministic for a given ``rng``; a no-op when teams exist or no establishment does.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.registry.models import Establishment, EstablishmentStatus

from . import actions
from .models import (
    Answer,
    FindingItem,
    InspectionResult,
    Team,
    TeamMember,
    TipSource,
)

PROVINCE = "66"
PROVINCE_TARGET = (100, 150)
PROVINCE_LIST = 135
PROVINCE_VISITS = 120

SURNAMES = (
    ["Nguyễn"] * 6
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
)
MIDDLE = {
    "m": ["Văn", "Hữu", "Minh", "Đức", "Quang", "Công", "Thanh"],
    "f": ["Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim"],
}
GIVEN = {
    "m": [
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
        "Trung",
        "Thành",
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
        "Phượng",
        "Thảo",
        "Trang",
        "Vân",
        "Yến",
        "Hằng",
        "Dung",
        "Thủy",
    ],
}
EDE = ["Y Jăk Niê", "H'Ngơn Byă", "Y Thông Ayŭn", "H'Bla Mlô", "Y Điêng Êban"]

PROVINCE_MEMBERS = [
    # agency, position, role in the team
    ("SO_LDTBXH", "Phó Giám đốc Sở Lao động - Thương binh và Xã hội", "Đội trưởng"),
    ("SO_LDTBXH", "Trưởng phòng Phòng chống tệ nạn xã hội", "Đội phó thường trực"),
    ("CONG_AN_TINH", "Phó Trưởng phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Đội phó"),
    ("CONG_AN_TINH", "Cán bộ Phòng Cảnh sát hình sự", "Thành viên"),
    ("SO_VHTTDL", "Phó Chánh Thanh tra Sở Văn hóa - Thể thao và Du lịch", "Thành viên"),
    ("SO_YTE", "Chuyên viên Thanh tra Sở Y tế", "Thành viên"),
    ("SO_CONGTHUONG", "Kiểm soát viên Chi cục Quản lý thị trường", "Thành viên"),
    ("SO_LDTBXH", "Chuyên viên Phòng chống tệ nạn xã hội", "Thư ký"),
]
DISTRICT_MEMBERS = [
    ("LDTBXH_H{code}", "Trưởng phòng Lao động - Thương binh và Xã hội", "Đội trưởng"),
    ("CA_H{code}", "Phó Đội trưởng Đội Cảnh sát quản lý hành chính về trật tự xã hội", "Đội phó"),
    ("UBND_H{code}", "Chuyên viên Phòng Văn hóa và Thông tin", "Thành viên"),
    ("UBND_H{code}", "Chuyên viên Phòng Y tế", "Thành viên"),
    ("LDTBXH_H{code}", "Chuyên viên phụ trách phòng, chống tệ nạn xã hội", "Thư ký"),
]
COMMUNE_MEMBERS = [
    ("UBND_X{code}", "Phó Chủ tịch UBND phường", "Tổ trưởng"),
    ("CA_X{code}", "Phó Trưởng Công an phường", "Tổ phó"),
    ("UBND_X{code}", "Công chức Văn hóa - Xã hội", "Thành viên"),
]
ACCOMMODATION = {"khach-san", "nha-nghi", "nha-tro"}
CLOSED_ROOMS = {
    "karaoke",
    "massage",
    "cat-toc-thanh-nu",
    "nha-nghi",
    "vu-truong",
    "quan-bar",
    "ca-phe-vuon",
}
SECURITY = {"khach-san", "nha-nghi", "nha-tro", "vu-truong", "karaoke", "quan-bar", "massage"}
NOT_OK_NOTES = {
    "giay-phep-niem-yet": "Chưa niêm yết giấy phép tại quầy lễ tân",
    "chung-nhan-antt": "Chưa xuất trình được giấy chứng nhận đủ điều kiện về ANTT",
    "nhan-vien-tam-tru": "Có nhân viên ngoại tỉnh chưa khai báo tạm trú",
    "thong-bao-luu-tru": "Không thông báo lưu trú cho khách qua đêm",
    "hop-dong-lao-dong": "Nhân viên làm việc không có hợp đồng lao động",
    "khong-lao-dong-chua-thanh-nien": "Phát hiện nhân viên dưới 18 tuổi",
    "phong-khong-kin": "Phòng có rèm che kín, cửa khóa trong",
    "suc-khoe-nhan-vien": "Nhân viên chưa có giấy khám sức khỏe",
    "khong-dau-hieu-mai-dam": "Phát hiện dấu hiệu hoạt động mua bán dâm",
    "niem-yet-gia": "Không niêm yết giá",
    "gio-hoat-dong": "Hoạt động quá giờ quy định",
    "noi-quy-bien-hieu": "Chưa có nội quy",
}


def _name(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(EDE)
    sex = rng.choice("mf")
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _members(
    team: Team,
    rng: random.Random,
    layout: list[tuple[str, str, str]],
    code: str,
    agencies: dict[str, Agency],
    since: datetime.date,
) -> None:
    for agency_code, position, role in layout:
        agency = agencies.get(agency_code.format(code=code))
        if agency is None:
            continue
        actions.add_member(
            team,
            actor=None,
            agency=agency,
            person_name=_name(rng),
            position=position,
            role_in_team=role,
            active_from=since,
        )


def _answers(
    rng: random.Random, items: list[FindingItem], kind: str, violation: bool
) -> dict[FindingItem, tuple[str, str]]:
    out: dict[FindingItem, tuple[str, str]] = {}
    for item in items:
        code = item.code
        if (
            (code == "thong-bao-luu-tru" and kind not in ACCOMMODATION)
            or (code == "suc-khoe-nhan-vien" and kind != "massage")
            or (code == "phong-khong-kin" and kind not in CLOSED_ROOMS)
            or (code == "chung-nhan-antt" and kind not in SECURITY)
        ):
            out[item] = (Answer.NOT_APPLICABLE, "")
            continue
        if code == "khong-dau-hieu-mai-dam":
            bad = violation and rng.random() < 0.7
        else:
            bad = rng.random() < (0.22 if violation else 0.05)
        out[item] = (Answer.NOT_OK, NOT_OK_NOTES.get(code, "")) if bad else (Answer.OK, "")
    if violation and not any(a == Answer.NOT_OK for a, _n in out.values()):
        item = next(i for i in items if i.code == "khong-dau-hieu-mai-dam")
        out[item] = (Answer.NOT_OK, NOT_OK_NOTES[item.code])
    return out


def _visit_days(
    rng: random.Random,
    year: int,
    n: int,
    start_month: int = 3,
) -> list[datetime.date]:
    """Working days (Mon–Fri) spread over the year, sorted."""
    start = datetime.date(year, start_month, 1)
    end = datetime.date(year, 12, 20)
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    workdays = [d for d in days if d.weekday() < 5]
    return sorted(rng.sample(workdays, min(n, len(workdays))))


def _risk_weight(est: Establishment) -> float:
    return 1 + est.kind.risk_weight


def _pick(rng: random.Random, pool: list[Establishment], n: int) -> list[Establishment]:
    """``n`` establishments, the riskier kinds more likely (weighted, without repeats)."""
    pool = list(pool)
    chosen: list[Establishment] = []
    while pool and len(chosen) < n:
        est = rng.choices(pool, weights=[_risk_weight(e) for e in pool])[0]
        pool.remove(est)
        chosen.append(est)
    return chosen


def _inspect(
    rng: random.Random,
    team: Team,
    est: Establishment,
    on: datetime.date,
    items: list[FindingItem],
    members: list[TeamMember],
) -> None:
    if est.status == EstablishmentStatus.CLOSED and est.closed_on and on >= est.closed_on:
        result = InspectionResult.CLOSED
    else:
        draw = rng.random()
        violation_share = 0.1 + 0.02 * est.kind.risk_weight
        result = (
            InspectionResult.VIOLATION
            if draw < violation_share
            else InspectionResult.CLOSED
            if draw > 0.96
            else InspectionResult.NO_VIOLATION
        )
    present = rng.sample(members, min(len(members), rng.randint(3, 5)))
    findings = (
        {}
        if result == InspectionResult.CLOSED
        else _answers(rng, items, est.kind.code, result == InspectionResult.VIOLATION)
    )
    not_ok = [i.name for i, (a, _n) in findings.items() if a == Answer.NOT_OK]
    if result == InspectionResult.CLOSED:
        summary = "Cơ sở đóng cửa, không có người quản lý tại thời điểm kiểm tra."
    elif result == InspectionResult.VIOLATION:
        summary = "Lập biên bản vi phạm; " + "; ".join(not_ok[:3]).lower() + "."
    elif not_ok:
        summary = "Nhắc nhở chủ cơ sở khắc phục: " + "; ".join(not_ok[:2]).lower() + "."
    else:
        summary = "Cơ sở chấp hành tốt các quy định."
    follow = result != InspectionResult.NO_VIOLATION or bool(not_ok)
    note = ""
    if result == InspectionResult.VIOLATION:
        note = "Kiểm tra lại sau 30 ngày; chuyển hồ sơ xử lý vi phạm."
    elif result == InspectionResult.CLOSED:
        note = "Xác minh tình trạng hoạt động với UBND cấp xã."
    elif not_ok:
        note = "Kiểm tra việc khắc phục trong lần kiểm tra sau."
    actions.record_inspection(
        actor=None,
        team=team,
        establishment=est,
        date=on,
        result=result,
        members=present,
        findings=findings,
        summary=summary,
        follow_up_needed=follow,
        follow_up_note=note,
    )


def build(rng: random.Random, year: int) -> None:
    if Team.objects.exists():
        return
    province = Unit.objects.filter(code=PROVINCE, level=UnitLevel.PROVINCE, valid_from=None).first()
    if province is None:
        return
    establishments = list(
        Establishment.objects.filter(under_q("commune", [province.path]), is_deleted=False)
        .select_related("kind", "commune")
        .order_by("pk")
    )
    if not establishments:
        return
    agencies = {a.code: a for a in Agency.objects.all()}
    items = list(FindingItem.objects.filter(is_active=True))
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    by_district: dict[int | None, list[Establishment]] = defaultdict(list)
    for est in establishments:
        by_district[est.commune.parent_id].append(est)
    open_ones = [
        e
        for e in establishments
        if e.status != EstablishmentStatus.CLOSED
        or (e.closed_on and e.closed_on > datetime.date(year, 6, 30))
    ]

    # The provincial team, its plan (target 100–150) and about 120 visits.
    lead = agencies.get("SO_LDTBXH") or agencies["DOI_178_TINH"]
    team = actions.create_team(
        actor=None,
        name="Đội kiểm tra liên ngành 178 tỉnh Đắk Lắk",
        unit=province,
        lead_agency=lead,
        decision="Quyết định kiện toàn Đội 178 tỉnh năm 2018 (dữ liệu mẫu)",
    )
    _members(team, rng, PROVINCE_MEMBERS, PROVINCE, agencies, year_start)
    listed = _pick(rng, open_ones, min(PROVINCE_LIST, len(open_ones)))
    actions.create_plan(
        actor=None,
        team=team,
        title=f"Kế hoạch kiểm tra của Đội 178 tỉnh năm {year}",
        period_start=year_start,
        period_end=year_end,
        target_count=PROVINCE_TARGET[0],
        target_max=PROVINCE_TARGET[1],
        establishments=listed,
        notes="Chỉ tiêu KH 1842/KH-UBND mục I.2: kiểm tra từ 100 đến 150 cơ sở kinh doanh "
        "dịch vụ có điều kiện trên địa bàn tỉnh.",
    )
    visits = listed[: max(1, round(len(listed) * PROVINCE_VISITS / PROVINCE_LIST))]
    off_list = _pick(rng, [e for e in open_ones if e not in listed], 4)
    members = list(team.members.all())
    days = _visit_days(rng, year, max(1, (len(visits) + len(off_list)) // 4 + 1))
    queue = sorted(visits + off_list, key=lambda e: (e.commune.parent_id, e.pk))
    for index, est in enumerate(queue):
        _inspect(rng, team, est, days[min(index // 4, len(days) - 1)], items, members)

    # A team per district, with a plan and its own visits.
    districts = Unit.objects.filter(
        parent=province, level=UnitLevel.DISTRICT, valid_from=None
    ).order_by("code")
    for district in districts:
        pool = [e for e in open_ones if e.commune.parent_id == district.pk]
        if not pool or f"LDTBXH_H{district.code}" not in agencies:
            continue
        dteam = actions.create_team(
            actor=None,
            name=f"Đội kiểm tra liên ngành 178 {district.name}",
            unit=district,
            lead_agency=agencies[f"LDTBXH_H{district.code}"],
        )
        _members(dteam, rng, DISTRICT_MEMBERS, district.code, agencies, year_start)
        target = max(3, min(40, round(len(pool) * 0.3)))
        dlisted = _pick(rng, pool, min(len(pool), target + 5))
        actions.create_plan(
            actor=None,
            team=dteam,
            title=f"Kế hoạch kiểm tra năm {year} — {district.name}",
            period_start=year_start,
            period_end=year_end,
            target_count=target,
            establishments=dlisted,
        )
        dmembers = list(dteam.members.all())
        n_visits = round(target * rng.uniform(0.7, 1.05))
        dvisits = dlisted[:n_visits]
        ddays = _visit_days(rng, year, max(1, len(dvisits) // 2 + 1), start_month=2)
        for index, est in enumerate(dvisits):
            _inspect(rng, dteam, est, ddays[min(index // 2, len(ddays) - 1)], items, dmembers)

    # One commune team (the persona xa.tanlap's ward).
    ward = Unit.objects.filter(code="24118", level=UnitLevel.COMMUNE, valid_from=None).first()
    pool = [e for e in open_ones if ward and e.commune_id == ward.pk]
    if ward and pool and f"UBND_X{ward.code}" in agencies:
        cteam = actions.create_team(
            actor=None,
            name=f"Tổ kiểm tra liên ngành {ward.name}",
            unit=ward,
            lead_agency=agencies[f"UBND_X{ward.code}"],
        )
        _members(cteam, rng, COMMUNE_MEMBERS, ward.code, agencies, year_start)
        cmembers = list(cteam.members.all())
        for on, est in zip(
            _visit_days(rng, year, 6, start_month=4), _pick(rng, pool, 6), strict=False
        ):
            _inspect(rng, cteam, est, on, items, cmembers)

    # Tips received over the year (counts, no informant).
    sources = [s for s, _label in TipSource.choices]
    for est in _pick(rng, open_ones, min(80, len(open_ones) // 6 + 1)):
        for _n in range(rng.choice([1, 1, 1, 2, 3])):
            on = year_start + datetime.timedelta(days=rng.randint(0, 350))
            actions.record_tip(
                actor=None,
                establishment=est,
                received_on=on,
                source_kind=rng.choice(sources),
                note=rng.choice(
                    [
                        "Nghi có hoạt động mua bán dâm",
                        "Hoạt động quá giờ, nhiều nữ nhân viên",
                        "Khách ra vào thường xuyên ban đêm",
                        "Phòng có rèm che kín",
                        "",
                    ]
                ),
            )
