"""Support counts for 2018: the two halves of the year in the communes where outreach was
busiest (those are where the district's social-work staff met people and could offer help).
Small, plausible numbers; counts only (DESIGN.md §4)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count

from pcmd.core import audit
from pcmd.core.demo import SEED
from pcmd.geo.models import Unit, UnitLevel
from pcmd.outreach.models import Activity

from . import demo_cases
from .models import SupportCount

COMMUNES = 24
NOTES = [
    "Số liệu do Phòng LĐ-TB&XH phối hợp Hội LHPN tổng hợp.",
    "Hỗ trợ học nghề may, nấu ăn tại Trung tâm Giáo dục nghề nghiệp.",
    "Vay vốn qua Ngân hàng Chính sách xã hội, Hội LHPN nhận ủy thác.",
    "Khám sức khỏe và tư vấn tại Trạm Y tế; trợ giúp pháp lý lưu động.",
    "",
]


@transaction.atomic
def build(rng: random.Random, year: int) -> None:
    # The person-level cases (their own seed, so the counts below stay as they were).
    demo_cases.build(random.Random(f"{SEED}-support-cases-{year}"), year)
    if SupportCount.objects.exists():
        return
    busiest = list(
        Activity.objects.filter(date__year=year, is_deleted=False, unit__level=UnitLevel.COMMUNE)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__code")[:COMMUNES]
    )
    communes = Unit.objects.in_bulk([row["unit"] for row in busiest])
    halves = [
        (datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
        (datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
    ]
    rows = []
    for row in busiest:
        commune = communes[row["unit"]]
        city = commune.unit_type == "phuong"
        for start, end in halves:
            scale = 2 if city else 1
            rows.append(
                SupportCount(
                    commune=commune,
                    period_start=start,
                    period_end=end,
                    vocational_training=rng.randint(0, 3 * scale),
                    employment=rng.randint(0, 2 * scale),
                    loans=rng.randint(0, 2 * scale),
                    health_services=rng.randint(1, 4 * scale),
                    legal_aid=rng.randint(0, 2 * scale),
                    other_support=rng.randint(0, 1 * scale),
                    note=rng.choice(NOTES),
                )
            )
    SupportCount.objects.bulk_create(rows)
    audit.record(
        actor=None,
        verb="support.demo",
        object_type="support.supportcount",
        changes={"rows": [None, len(rows)]},
        reason=f"Demo data for {year}",
    )
