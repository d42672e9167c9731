"""Demo step: the 2026 plan of the new Đắk Lắk, drafted in the app from plan 1842/KH-UBND (2018)
the way the standing office and the People's Committee would, through the real actions.

1. ``soyte`` (standing office, Sở Y tế since 01/03/2025) copies 1842 into a draft for the new
   province (old Đắk Lắk + Phú Yên, one province for the plans: ``selectors.provinces_of``)
   for 2026.
2. Edits, each saved as a version (``save_content``):
   - Section IV: IV.1 becomes Sở Y tế, the standing office (Decree 42/2025/NĐ-CP); Sở Y tế's
     own 2018 duties (IV.4) join it. Sở LĐ-TB&XH and Sở TT-TT ended on 28/02/2025 (the
     agency catalog): the LĐ-TB&XH heading is the one that becomes Sở Y tế (its prostitution
     prevention role moved there); the TT-TT duties (press and grassroots information) join
     Sở VH-TT&DL's heading, the catalog's body for press and information after 2025. The
     district committees' heading becomes the commune committees' (``UBND_XA``); headings
     are renumbered 1–12.
   - Targets: the responsible bodies follow the same moves; no district level any more; T6
     re-based on the 102 communes — 97/102 (95.1%), the nearest count that keeps 1842's
     174/184 (94.6%) ratio, DEMO DATA, not an issued figure.
   - Legal bases: 1842's programme bases kept, 1629/QĐ-TTg (2021–2025 programme), Decree
     42/2025/NĐ-CP and the 2025 reform resolutions added (sources: pcmd/geo/loader.py,
     pcmd/agencies/data/dak-lak.yaml, DESIGN.md §2).
3. Comments of two agencies consulted (Công an tỉnh, Sở VH-TT&DL), recorded and resolved by
   the standing office; submitted; issued by ``ubnd.tinh`` as 45/KH-UBND of 23/01/2026 (a
   demo number, date and signer).

A no-op when the new province, the personas or plan 1842 are missing, or the new province
already has a plan covering 2026.
"""

from __future__ import annotations

import datetime
import random
import re
from typing import Any

from pcmd.accounts.models import User
from pcmd.agencies.models import Agency
from pcmd.geo.demo_2026 import YEAR, new_communes, new_province

from . import actions
from .models import Plan
from .structure import to_data

SOURCE_NUMBER = "1842/KH-UBND"
NUMBER = "45/KH-UBND"  # demo number
ISSUED_ON = datetime.date(YEAR, 1, 23)  # demo date
YEAR_SPAN = (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
SIGNER = ("Trần Minh An", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")  # a made-up demo signer
STANDING_OFFICE = "soyte"
COMMITTEE = "ubnd.tinh"

# Bodies that ended on 28/02/2025 or 30/06/2025 → the bodies that took over their duties here.
SUCCESSOR = {"SO_LDTBXH": "SO_YTE", "SO_TTTT": "SO_VHTTDL", "UBND_HUYEN": "UBND_XA"}

# Wording of the two-tier province (no districts, no townships since 01/07/2025).
REWORDING = [
    ("Sở Lao động - Thương binh và Xã hội", "Sở Y tế"),
    ("Sở Lao động – Thương binh và Xã hội", "Sở Y tế"),
    ("Ủy ban nhân dân các huyện, thị xã, thành phố", "Ủy ban nhân dân các xã, phường"),
    ("các huyện, thị xã, thành phố", "các xã, phường"),
    ("xã, phường, thị trấn", "xã, phường"),
    ("cấp huyện, xã", "cấp xã"),
    ("Đội kiểm tra liên ngành 178 cấp huyện", "Đội kiểm tra liên ngành 178 cấp xã"),
    ("Đội kiểm tra liên ngành 178 tỉnh, huyện, xã", "Đội kiểm tra liên ngành 178 tỉnh, xã"),
    ("các phòng Văn hóa và Thông tin cấp huyện", "các phòng Văn hóa - Xã hội cấp xã"),
    ("thuộc Công an thành phố Buôn Ma Thuột", "thuộc Công an các phường khu vực Buôn Ma Thuột"),
    ("địa bàn thành phố Buôn Ma Thuột", "địa bàn các phường khu vực Buôn Ma Thuột"),
    (
        "Đặc biệt đối với Ủy ban nhân dân thành phố Buôn Ma Thuột",
        "Đặc biệt đối với Ủy ban nhân dân các phường khu vực Buôn Ma Thuột và Tuy Hòa",
    ),
    ("năm 2018", f"năm {YEAR}"),
]

LEGAL_BASES = [
    {
        "number": "1629/QĐ-TTg",
        "date": "2021-09-28",
        "issuer": "Thủ tướng Chính phủ",
        "title": "phê duyệt Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025",
    },
    {
        "number": "42/2025/NĐ-CP",
        "date": "2025-02-27",
        "issuer": "Chính phủ",
        "title": "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Y tế",
    },
    {
        "number": "202/2025/QH15",
        "date": "2025-06-12",
        "issuer": "Quốc hội",
        "title": "về việc sắp xếp đơn vị hành chính cấp tỉnh",
    },
    {
        "number": "1660/NQ-UBTVQH15",
        "date": "2025-06-16",
        "issuer": "Ủy ban Thường vụ Quốc hội",
        "title": "về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Đắk Lắk năm 2025",
    },
]

PREAMBLE = (
    "Thực hiện Quyết định số 1629/QĐ-TTg, ngày 28/9/2021 của Thủ tướng Chính phủ phê duyệt "
    "Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025; Nghị định số 42/2025/NĐ-CP, ngày "
    "27/02/2025 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ "
    "Y tế; Nghị quyết số 202/2025/QH15, ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành "
    "chính cấp tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch phòng, chống tệ nạn mại dâm năm "
    f"{YEAR} trên địa bàn tỉnh với những nội dung như sau:"
)

STANDING_INTRO = (
    "Sở Y tế là cơ quan thường trực về công tác phòng, chống tệ nạn mại dâm của tỉnh từ ngày "
    "01/3/2025 (Nghị định số 42/2025/NĐ-CP), chủ trì, xây dựng kế hoạch tổ chức thực hiện; chỉ "
    "đạo, theo dõi và giám sát việc triển khai Kế hoạch. Định kỳ 6 tháng, 1 năm tổng hợp báo "
    "cáo Ủy ban nhân dân tỉnh kết quả triển khai thực hiện."
)

COMMENTS = [
    (
        "CONG_AN_TINH",
        "T4",
        "Công an tỉnh (văn bản góp ý, dữ liệu mẫu): đề nghị bổ sung nhiệm vụ rà soát các cơ sở "
        "kinh doanh dịch vụ có điều kiện về an ninh trật tự tại các phường khu vực Tuy Hòa sau "
        "khi hợp nhất tỉnh.",
    ),
    (
        "SO_VHTTDL",
        "3",
        "Sở Văn hóa - Thể thao và Du lịch (văn bản góp ý, dữ liệu mẫu): thống nhất tiếp nhận "
        "nhiệm vụ tuyên truyền trên báo chí của Sở Thông tin và Truyền thông trước đây tại mục "
        "IV.3.",
    ),
]


def _reworded(value: Any) -> Any:
    if isinstance(value, str):
        for old, new in REWORDING:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_reworded(v) for v in value]
    if isinstance(value, dict):
        return {k: _reworded(v) for k, v in value.items()}
    return value


def _successors(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(SUCCESSOR.get(code, code) for code in codes))


def section_iv(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """1842's Section IV for the new province: the standing office is Sở Y tế, the ended
    departments' duties joined to their successors', the commune committees for the
    district ones; renumbered."""
    by_agency = {t["agencies"][0]: t for t in tasks if t["agencies"]}
    health, press = by_agency.get("SO_YTE"), by_agency.get("SO_TTTT")
    out = []
    for task in tasks:
        if not task["agencies"] or task["agencies"][0] in ("SO_YTE", "SO_TTTT"):
            continue
        task = dict(task, agencies=_successors(task["agencies"]))
        task["lead"] = SUCCESSOR.get(task["lead"], task["lead"]) if task["lead"] else None
        first = task["agencies"][0]
        if first == "SO_YTE":
            task["heading"] = "Sở Y tế (cơ quan thường trực)"
            task["intro"] = STANDING_INTRO
            task["lead"] = "SO_YTE"
            task["items"] = task["items"] + (health["items"] if health else [])
        elif first == "SO_VHTTDL" and press:
            task["items"] = task["items"] + press["items"]
        elif first == "UBND_XA":
            task["heading"] = "Ủy ban nhân dân các xã, phường"
        task["item_deadlines"] = [None] * len(task["items"])
        out.append(task)
    for number, task in enumerate(out, start=1):
        task["number"] = str(number)
    return out


def targets(rows: list[dict[str, Any]], communes: int) -> list[dict[str, Any]]:
    """Responsible bodies moved to their successors, no district level; T6 on the new
    province's communes at 1842's ratio (rounded up: at least 174/184)."""
    out = []
    for row in rows:
        row = dict(row, responsible=_successors(row["responsible"]))
        row["applies_at"] = [level for level in row["applies_at"] if level != "district"]
        if row["code"] == "T6" and row.get("denominator"):
            share = float(row["value"]) / float(row["denominator"])
            value = -(-round(share * communes * 1000) // 1000)  # ceil without float noise
            percent = f"{100 * value / communes:.1f}".replace(".", ",")
            row["value"], row["denominator"] = value, communes
            row["text"] = re.sub(r"\d+/\d+", f"{value}/{communes}", row["text"])
            row["text"] = re.sub(r"\d+,\d+%", f"{percent}%", row["text"])
            row["short"] = (
                f"{value}/{communes} xã, phường lành mạnh ({percent}%); không còn xã trọng điểm"
            )
            row["short_en"] = (
                f"{value}/{communes} communes free of prostitution "
                f"({percent.replace(',', '.')}%); no hotspot communes"
            )
        out.append(row)
    return out


def build(rng: random.Random, year: int) -> None:
    """The register step (``settings.PCMD_DEMO_REGISTERS``); ``rng`` and ``year`` unused: the
    plan is the same every time."""
    province = new_province()
    office = User.objects.filter(username=STANDING_OFFICE).first()
    committee = User.objects.filter(username=COMMITTEE).first()
    source = Plan.objects.filter(number=SOURCE_NUMBER, unit__valid_from=None).first()
    if province is None or office is None or committee is None or source is None:
        return
    if Plan.objects.filter(unit=province).covering(*YEAR_SPAN).exists():
        return  # the province has its 2026 plan (the demo's or one drafted by hand)
    communes = len(new_communes(province))
    draft = actions.copy_plan(
        source,
        actor=office,
        unit=province,
        period_start=YEAR_SPAN[0],
        period_end=YEAR_SPAN[1],
    )
    data = _reworded(to_data(draft))
    draft = actions.save_content(
        draft,
        {"tasks": section_iv(data["tasks"])},
        actor=office,
        version=draft.version,
        note="Mục IV: Sở Y tế là cơ quan thường trực; UBND các xã, phường",
    )
    draft = actions.save_content(
        draft,
        {"targets": targets(data["targets"], communes)},
        actor=office,
        version=draft.version,
        note=f"Chỉ tiêu tính trên {communes} xã, phường của tỉnh mới",
    )
    draft = actions.save_content(
        draft,
        {
            "legal_bases": data["legal_bases"] + LEGAL_BASES,
            "preamble": PREAMBLE,
            "objectives": data["objectives"],
            "solution_areas": data["solution_areas"],
            "funding": data["funding"],
            "closing": data["closing"],
        },
        actor=office,
        version=draft.version,
        note="Căn cứ pháp lý và nội dung theo chính quyền hai cấp",
    )
    if draft.issuer is None:
        draft = actions.update_header(
            draft,
            {"issuer_name": "Ủy ban nhân dân tỉnh Đắk Lắk"},
            actor=office,
            version=draft.version,
        )
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for c, *_r in COMMENTS])}
    notes = [
        actions.comment(draft, text, actor=office, about=about, agency=agencies.get(code))
        for code, about, text in COMMENTS
    ]
    for note in notes:
        actions.resolve_comment(note, actor=office)
    draft.refresh_from_db()
    draft = actions.submit(draft, actor=office, version=draft.version)
    if ISSUED_ON > datetime.date.today():
        return  # loaded before the demo date of issue: the plan waits under review
    name, authority, title = SIGNER
    actions.issue(
        draft,
        actor=committee,
        number=NUMBER,
        issued_on=ISSUED_ON,
        signer_name=name,
        signer_authority=authority,
        signer_title=title,
        version=draft.version,
    )
