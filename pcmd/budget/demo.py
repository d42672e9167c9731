"""Demo budget of the demo year: the standing office's recurrent budget (plan III.1), the
budgets of several departments and mass organisations, and of a few districts (III.2).
Amounts are whole đồng, rounded to 500.000 đ; a few lines overspend and say why."""

from __future__ import annotations

import random

from django.db import transaction

from pcmd.agencies.models import Agency
from pcmd.core import audit

from . import actions
from .models import BudgetCategory, BudgetLine, FundingSource

F = FundingSource
# agency code → [(category code, source, activity, planned in millions)]
LINES: dict[str, list[tuple[str, str, str, int]]] = {
    "SO_LDTBXH": [
        ("truyen-thong", F.PROVINCIAL, "In tờ rơi, pa nô tuyên truyền phòng, chống mại dâm", 120),
        (
            "tap-huan",
            F.PROVINCIAL,
            "Tập huấn cán bộ làm công tác phòng, chống tệ nạn xã hội cấp xã (4 lớp)",
            160,
        ),
        ("kiem-tra", F.PROVINCIAL, "Hoạt động của Đội kiểm tra liên ngành 178 tỉnh", 90),
        ("ho-tro", F.CENTRAL, "Hỗ trợ người bán dâm học nghề, tạo việc làm", 75),
        ("mo-hinh", F.CENTRAL, "Duy trì mô hình phòng, chống mại dâm tại TP Buôn Ma Thuột", 60),
        ("khac", F.PROVINCIAL, "Sơ kết 6 tháng, tổng kết năm công tác phòng, chống mại dâm", 25),
    ],
    "CONG_AN_TINH": [
        ("kiem-tra", F.PROVINCIAL, "Tuần tra, truy quét tụ điểm mại dâm công cộng", 85),
        (
            "truyen-thong",
            F.PROVINCIAL,
            "Tuyên truyền pháp luật tại khu nhà trọ, khu công nghiệp",
            30,
        ),
    ],
    "SO_VHTTDL": [
        ("truyen-thong", F.PROVINCIAL, "Thông tin lưu động, triển lãm tranh cổ động", 55),
        ("kiem-tra", F.PROVINCIAL, "Kiểm tra cơ sở kinh doanh karaoke, vũ trường", 20),
    ],
    "SO_YTE": [("ho-tro", F.PROVINCIAL, "Tư vấn, khám sức khỏe sinh sản cho người bán dâm", 35)],
    "HOI_LHPN_TINH": [
        ("ho-tro", F.OTHER, "Hỗ trợ vốn vay cho phụ nữ nghèo, phụ nữ yếu thế", 50),
        ("truyen-thong", F.PROVINCIAL, "Truyền thông tại cộng đồng về phòng, chống mại dâm", 20),
    ],
    "TINH_DOAN": [("truyen-thong", F.PROVINCIAL, "Tuyên truyền trong đoàn viên, thanh niên", 18)],
    "UBND_H643": [
        ("truyen-thong", F.DISTRICT, "Tuyên truyền tại 21 phường, xã của thành phố", 40),
        ("kiem-tra", F.DISTRICT, "Hoạt động Đội kiểm tra liên ngành 178 thành phố", 45),
        ("mo-hinh", F.DISTRICT, "Mô hình phòng, chống mại dâm tại phường Tân Lập", 15),
    ],
    "UBND_H651": [
        ("truyen-thong", F.DISTRICT, "Tuyên truyền tại các xã, thị trấn", 22),
        ("kiem-tra", F.DISTRICT, "Hoạt động Đội kiểm tra liên ngành 178 huyện", 18),
    ],
    "UBND_H644": [("truyen-thong", F.DISTRICT, "Tuyên truyền tại các phường, xã", 20)],
    "UBND_H656": [("tap-huan", F.DISTRICT, "Tập huấn cán bộ cấp xã", 15)],
    "UBND_X24118": [
        ("truyen-thong", F.COMMUNE, "Họp tổ dân phố tuyên truyền phòng, chống mại dâm", 5)
    ],
}
OVER_NOTE = "Chi vượt do tổ chức thêm đợt cao điểm theo chỉ đạo của UBND tỉnh; đã được bổ sung."


def _round(amount: float) -> int:
    return int(round(amount / 500_000)) * 500_000


@transaction.atomic
def build(rng: random.Random, year: int) -> None:
    if BudgetLine.objects.exists():
        return
    actions.ensure_categories()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=LINES)}
    categories = {c.code: c for c in BudgetCategory.objects.all()}
    rows = []
    for code, lines in LINES.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        for category, source, description, millions in lines:
            planned = millions * 1_000_000
            over = rng.random() < 0.1
            spent = _round(planned * (rng.uniform(1.02, 1.12) if over else rng.uniform(0.7, 1.0)))
            rows.append(
                BudgetLine(
                    year=year,
                    agency=agency,
                    category=categories[category],
                    source=source,
                    description=description,
                    planned=planned,
                    spent=spent,
                    note=OVER_NOTE if spent > planned else "",
                )
            )
    BudgetLine.objects.bulk_create(rows)
    audit.record(
        actor=None,
        verb="budget_line.demo",
        object_type="budget.budgetline",
        changes={"year": [None, year], "lines": [None, len(rows)]},
    )
