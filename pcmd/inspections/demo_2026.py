"""Demo 2026: the Team 178 of the new Đắk Lắk and its visits on the new communes.

After 01/07/2025 there are no district teams: the provincial team, led by Sở Y tế (the
standing office and Team 178 coordinator from 01/03/2025, agency catalog), works on the
communes and wards below the new province. Its 2026 plan keeps the 2026 plan's target T3
(100–150 businesses); it visits six or so businesses a month from January to the last
complete month. Deterministic for a given ``rng``; a no-op when the team exists or the new
province has no business.
"""

from __future__ import annotations

import datetime
import random

from pcmd.agencies.models import Agency
from pcmd.geo.demo_2026 import YEAR, months, new_province, workdays
from pcmd.registry.models import Establishment

from . import actions
from .demo import _inspect, _members, _pick
from .models import FindingItem, Team

TEAM_NAME = "Đội kiểm tra liên ngành 178 tỉnh Đắk Lắk (tỉnh mới)"
MEMBERS = [
    ("SO_YTE", "Phó Giám đốc Sở Y tế", "Đội trưởng"),
    ("SO_YTE", "Trưởng phòng Phòng chống tệ nạn xã hội, Sở Y tế", "Đội phó thường trực"),
    ("CONG_AN_TINH", "Phó Trưởng phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Đội phó"),
    ("SO_VHTTDL", "Phó Chánh Thanh tra Sở Văn hóa - Thể thao và Du lịch", "Thành viên"),
    ("SO_CONGTHUONG", "Kiểm soát viên Chi cục Quản lý thị trường", "Thành viên"),
    ("SO_YTE", "Chuyên viên Thanh tra Sở Y tế", "Thư ký"),
]


def build(rng: random.Random, year: int) -> None:
    province = new_province()
    if province is None or Team.objects.filter(unit=province).exists():
        return
    spans = months()
    establishments = list(
        Establishment.objects.filter(is_deleted=False, commune__parent=province)
        .select_related("kind", "commune")
        .order_by("pk")
    )
    if not spans or not establishments:
        return
    agencies = {a.code: a for a in Agency.objects.filter(level=1)}
    start = datetime.date(YEAR, 1, 1)
    team = actions.create_team(
        actor=None,
        name=TEAM_NAME,
        unit=province,
        lead_agency=agencies["SO_YTE"],
        active_from=datetime.date(2025, 7, 1),
        decision="Quyết định kiện toàn Đội 178 tỉnh sau hợp nhất (dữ liệu mẫu)",
    )
    _members(team, rng, MEMBERS, "", agencies, start)
    listed = _pick(rng, establishments, min(len(establishments), 60))
    actions.create_plan(
        actor=None,
        team=team,
        title=f"Kế hoạch kiểm tra của Đội 178 tỉnh năm {YEAR}",
        period_start=start,
        period_end=datetime.date(YEAR, 12, 31),
        target_count=100,
        target_max=150,
        establishments=listed,
        notes="Chỉ tiêu KH 45/KH-UBND (dữ liệu mẫu) mục I.2: kiểm tra từ 100 đến 150 cơ sở "
        "kinh doanh dịch vụ có điều kiện trên địa bàn tỉnh.",
    )
    items = list(FindingItem.objects.filter(is_active=True))
    members = list(team.members.all())
    for first, last in spans:
        days = workdays(first, last)
        for est in _pick(rng, establishments, rng.randint(4, 8)):
            _inspect(rng, team, est, rng.choice(days), items, members)
