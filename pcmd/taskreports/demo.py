"""Demo task reports for plan 1842/KH-UBND: every agency of Section IV (district People's
Committees for heading 10) reports at 6 months and at year end of the demo year.

Periods follow the Decree 09/2019/NĐ-CP cut-off (6 months: 15/12/2017–14/06/2018; year:
15/12/2017–14/12/2018). All 6-month reports are submitted; at year end three district
committees are still at draft.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from pcmd.core import audit
from pcmd.plans.models import Plan

from . import duties
from .models import PeriodKind, ReportState, TaskReport, WorkStatus, period_bounds

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "1842/KH-UBND"

# Figures each kind of agency reports (label, low, high) for a half year.
FIGURES: dict[str, list[tuple[str, int, int]]] = {
    "SO_LDTBXH": [
        ("Số cuộc kiểm tra của Đội 178 tỉnh", 4, 9),
        ("Số cơ sở kinh doanh dịch vụ được kiểm tra", 40, 75),
        ("Số người bán dâm được hỗ trợ tái hòa nhập", 5, 15),
        ("Số lớp tập huấn cho cán bộ cấp xã", 2, 5),
    ],
    "CONG_AN_TINH": [
        ("Số vụ mua bán dâm bị phát hiện", 6, 14),
        ("Số đối tượng bị xử phạt vi phạm hành chính", 20, 45),
        ("Số vụ án chứa, môi giới mại dâm bị khởi tố", 1, 4),
        ("Số lượt tuần tra, truy quét", 30, 60),
    ],
    "SO_VHTTDL": [
        ("Số cơ sở kinh doanh văn hóa được kiểm tra", 25, 50),
        ("Số panô, áp phích, băng rôn tuyên truyền", 60, 140),
        ("Số buổi thông tin lưu động, chiếu phim", 10, 30),
    ],
    "SO_YTE": [
        ("Số cơ sở xoa bóp, xông hơi được kiểm tra", 10, 25),
        ("Số người bán dâm được tư vấn, khám sức khỏe", 30, 80),
    ],
    "SO_GDDT": [
        ("Số buổi ngoại khóa tuyên truyền trong trường học", 40, 90),
        ("Số giáo viên được bồi dưỡng kiến thức", 80, 200),
    ],
    "SO_TTTT": [
        ("Số tin, bài trên báo, đài tỉnh", 20, 45),
        ("Số cơ sở dịch vụ Internet được kiểm tra", 10, 30),
    ],
    "SO_CONGTHUONG": [("Số nhà hàng, khách sạn được kiểm tra kinh doanh hàng hóa", 10, 30)],
    "SO_TAICHINH": [("Số văn bản hướng dẫn nội dung, mức chi", 1, 3)],
    "SO_NGANH_KHAC": [("Số sở, ngành lồng ghép nội dung vào kế hoạch", 6, 12)],
    "VKSND_TINH": [("Số vụ án liên quan mại dâm được kiểm sát", 1, 5)],
    "TAND_TINH": [
        ("Số vụ án liên quan mại dâm được xét xử", 1, 4),
        ("Số phiên tòa xét xử lưu động", 0, 2),
    ],
    "HOI_LHPN_TINH": [
        ("Số phụ nữ được hỗ trợ vốn, việc làm", 20, 60),
        ("Số buổi truyền thông tại cộng đồng", 30, 70),
    ],
    "TINH_DOAN": [
        ("Số buổi tuyên truyền cho đoàn viên, thanh niên", 25, 60),
        ("Số mô hình phòng, chống mại dâm ở cơ sở đoàn", 1, 4),
    ],
    "MTTQ_TINH": [("Số khu dân cư tổ chức ngày hội đại đoàn kết lồng ghép tuyên truyền", 30, 90)],
    "district": [
        ("Số cơ sở kinh doanh dịch vụ được Đội 178 huyện kiểm tra", 8, 30),
        ("Số buổi tuyên truyền tại thôn, buôn, tổ dân phố", 15, 50),
        ("Số cán bộ cấp xã được tập huấn", 10, 40),
    ],
}

DONE = [
    "Đã triển khai kế hoạch năm 2018 đến các phòng, đơn vị trực thuộc; lồng ghép nội dung "
    "phòng, chống mại dâm vào chương trình công tác của ngành.",
    "Phối hợp với Đội kiểm tra liên ngành 178 và các địa phương kiểm tra các cơ sở kinh doanh "
    "dịch vụ nhạy cảm; kịp thời chấn chỉnh các sai phạm.",
    "Tổ chức tuyên truyền bằng nhiều hình thức phù hợp với từng đối tượng, địa bàn.",
]
OBSTACLES = [
    "Kinh phí cho công tác phòng, chống mại dâm còn hạn chế.",
    "Hoạt động mại dâm ngày càng tinh vi, trá hình qua mạng xã hội nên khó phát hiện.",
    "Cán bộ làm công tác phòng, chống tệ nạn xã hội cấp xã kiêm nhiệm nhiều việc.",
    "",
]
PROPOSALS = [
    "Đề nghị UBND tỉnh bố trí thêm kinh phí cho hoạt động của Đội kiểm tra liên ngành 178.",
    "Đề nghị tổ chức tập huấn chuyên sâu về hỗ trợ người bán dâm tái hòa nhập cộng đồng.",
    "",
]
LATE_DISTRICTS = 3


@transaction.atomic
def build(rng: random.Random, year: int) -> None:
    if TaskReport.objects.exists():
        return
    plan = Plan.objects.filter(number=PLAN).select_related("unit").first()
    if plan is None:
        return
    groups = list(plan.task_groups.prefetch_related("agencies"))
    every = duties.duties(plan, groups)
    districts = [d for d in every if d.group.number == "10"]
    late = {d.agency.pk for d in rng.sample(districts, min(LATE_DISTRICTS, len(districts)))}
    rows = []
    for kind, factor in ((PeriodKind.HALF_YEAR, 1), (PeriodKind.YEAR, 2)):
        start, end = period_bounds(kind, year)
        for duty in every:
            agency = duty.agency
            key = agency.code if agency.code in FIGURES else "district"
            figures = [
                {"label": label, "value": rng.randint(low, high) * factor}
                for label, low, high in FIGURES[key]
            ]
            draft = kind == PeriodKind.YEAR and agency.pk in late and duty.group.number == "10"
            day = end + datetime.timedelta(days=rng.randint(0, 6))
            submitted_at = datetime.datetime.combine(
                day, datetime.time(9 + rng.randint(0, 7)), tzinfo=TZ
            )
            rows.append(
                TaskReport(
                    plan=plan,
                    group_number=duty.group.number,
                    agency=agency,
                    year=year,
                    period=kind,
                    period_start=start,
                    period_end=end,
                    status=WorkStatus.DONE
                    if kind == PeriodKind.YEAR and not draft
                    else WorkStatus.IN_PROGRESS,
                    done=" ".join(rng.sample(DONE, 2)),
                    figures=figures,
                    obstacles=rng.choice(OBSTACLES),
                    proposals=rng.choice(PROPOSALS),
                    state=ReportState.DRAFT if draft else ReportState.SUBMITTED,
                    submitted_at=None if draft else submitted_at,
                    created_at=submitted_at - datetime.timedelta(days=rng.randint(2, 10)),
                    version=1 if draft else 2,
                )
            )
    TaskReport.objects.bulk_create(rows)
    audit.record(
        actor=None,
        verb="task_report.demo",
        object_type="taskreports.taskreport",
        changes={"year": [None, year], "reports": [None, len(rows)]},
    )
