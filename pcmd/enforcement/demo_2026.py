"""Demo 2026: a handful of administrative violations on the communes of the new Đắk Lắk.

Recorded from the 2026 visits of the new province's Team 178 that found a violation (the
types in force on the day), without persons or decisions: a few months of a year still
running. Deterministic for a given ``rng``; a no-op when a violation lies on a new commune.
"""

from __future__ import annotations

import random

from pcmd.geo.demo_2026 import YEAR, new_province
from pcmd.inspections.models import Inspection, InspectionResult

from . import actions
from .demo import _types_on
from .models import SubjectKind, Violation


def build(rng: random.Random, year: int) -> None:
    province = new_province()
    if province is None or Violation.objects.filter(commune__parent=province).exists():
        return
    found = Inspection.objects.filter(
        result=InspectionResult.VIOLATION,
        is_deleted=False,
        date__year=YEAR,
        commune__parent=province,
    ).order_by("date", "pk")
    for inspection in found:
        individual, organisation = _types_on(inspection.date)
        kinds = [(t, SubjectKind.INDIVIDUAL) for t in individual]
        kinds += [(t, SubjectKind.ORGANISATION) for t in organisation]
        if not kinds:
            continue
        vtype, subject = rng.choice(kinds)
        actions.record_violation(
            actor=None,
            violation_type=vtype,
            date=inspection.date,
            subject_kind=subject,
            people_count=1 if subject == SubjectKind.ORGANISATION else rng.choice([1, 1, 2]),
            inspection=inspection,
            description="Phát hiện khi Đội 178 tỉnh kiểm tra; lập biên bản vi phạm hành chính "
            "(dữ liệu mẫu 2026).",
        )
