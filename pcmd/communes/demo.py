"""Demo assessments for Đắk Lắk: every commune-level unit (184) for the year before the
demo year (2017) and the demo year (2018).

2017: a few key communes ("trọng điểm"), mostly wards of TP Buôn Ma Thuột (plan IV.2 and
IV.10 single out its street prostitution), all confirmed. 2018: they improve; 174 communes
are healthy and none is key (the plan's target T6); most assessments are confirmed, a few
are still submitted, returned or in draft (Phường Tân Lập's 2018 assessment is a draft so
that its officer can finish and submit it in the demo).
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from pcmd.core import audit
from pcmd.geo.models import Unit, UnitLevel

from . import actions, scoring
from .models import (
    Assessment,
    AssessmentStatus,
    AssessmentTemplate,
    ClassKind,
    Criterion,
    Score,
    Transition,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "66"
BMT = "643"
TAN_LAP = "24118"
HEALTHY_TARGET = 174
S = AssessmentStatus

KEY_NOTES = [
    "Còn tụ điểm mại dâm công cộng trên các trục đường chính về đêm; đã đề nghị Công an "
    "thành phố tăng cường tuần tra, truy quét.",
    "Một số cơ sở cắt tóc thanh nữ, karaoke có biểu hiện hoạt động mại dâm trá hình; phát "
    "sinh người nghiện ma túy mới.",
    "Có điểm tập kết sử dụng trái phép chất ma túy tại khu nhà trọ; người bán dâm ngoại tỉnh "
    "hoạt động tại khu vực bến xe.",
]
MID_NOTES = [
    "Còn cơ sở kinh doanh dịch vụ nhạy cảm cần kiểm tra thường xuyên.",
    "Phát sinh 01 người nghiện ma túy mới; đã lập hồ sơ cai nghiện tại gia đình.",
    "Công tác tuyên truyền ở các buôn vùng sâu còn hạn chế.",
]
RETURN_NOTE = "Đề nghị xã bổ sung kết quả tiêu chí D2 theo biên bản kiểm tra của Đội 178 huyện."


def _scores(rng: random.Random, criteria: list[Criterion], kind: str) -> dict[int, int]:
    points = {c.pk: c.max_points for c in criteria}
    plain = [c for c in criteria if not c.is_critical]
    critical = [c for c in criteria if c.is_critical]
    if kind == ClassKind.HEALTHY:
        for _i in range(rng.randint(0, 4)):
            c = rng.choice(plain)
            points[c.pk] = max(0, points[c.pk] - rng.randint(1, 2))
    elif kind == ClassKind.INTERMEDIATE:
        hit = rng.choice(critical)
        points[hit.pk] = rng.randint(0, hit.max_points - 2)
        for _i in range(rng.randint(3, 6)):
            c = rng.choice(plain)
            points[c.pk] = max(0, points[c.pk] - rng.randint(1, 3))
    else:  # key
        for c in rng.sample(critical, 3):
            points[c.pk] = rng.randint(0, 2)
        for c in plain:
            points[c.pk] = max(0, points[c.pk] - rng.randint(1, 3))
    return points


def _at(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


def _plan_year(communes: list[Unit], key: set[int], mid: set[int]) -> dict[int, str]:
    return {
        u.pk: (
            ClassKind.KEY
            if u.pk in key
            else ClassKind.INTERMEDIATE
            if u.pk in mid
            else ClassKind.HEALTHY
        )
        for u in communes
    }


@transaction.atomic
def build(rng: random.Random, year: int) -> None:
    if Assessment.objects.exists():
        return
    actions.ensure_seed_template()
    template = AssessmentTemplate.objects.for_year(year - 1)
    province = Unit.objects.filter(code=PROVINCE, level=UnitLevel.PROVINCE, valid_from=None).first()
    if template is None or province is None:
        return
    criteria = list(template.criteria.all())
    classes = list(template.classes.all())
    on = datetime.date(year, 12, 31)
    communes = sorted(
        Unit.objects.valid_on(on)
        .within(province)
        .filter(level=UnitLevel.COMMUNE)
        .select_related("parent"),
        key=lambda u: u.code,
    )
    if not communes:
        return
    bmt = [u for u in communes if u.parent and u.parent.code == BMT and u.code != TAN_LAP]
    others = [u for u in communes if u not in bmt and u.code != TAN_LAP]
    key_2017 = {u.pk for u in rng.sample(bmt, 3) + rng.sample(others, 1)}
    mid_2017 = {u.pk for u in rng.sample([u for u in communes if u.pk not in key_2017], 14)}
    # 2018: two former key communes are intermediate, the other two healthy; 10 in all are not
    # healthy, so 174 are.
    improved = sorted(key_2017)
    mid_2018 = set(improved[:2]) | {
        u.pk
        for u in rng.sample(
            [u for u in communes if u.pk not in key_2017 and u.code != TAN_LAP],
            len(communes) - HEALTHY_TARGET - 2,
        )
    }
    plans = {
        year - 1: _plan_year(communes, key_2017, mid_2017),
        year: _plan_year(communes, set(), mid_2018),
    }
    # Workflow of the demo year: most confirmed; a few still with the district or the commune.
    pending = [u for u in communes if u.code != TAN_LAP]
    rng.shuffle(pending)
    submitted = {u.pk for u in pending[:6]} | {u.pk for u in bmt[:2]}
    returned = {u.pk for u in pending[6:8]}
    drafts = {u.pk for u in pending[8:11]} | {u.pk for u in communes if u.code == TAN_LAP}
    rows: list[Assessment] = []
    points_of: dict[tuple[int, int], dict[int, int]] = {}
    for y, plan in plans.items():
        for u in communes:
            kind = plan[u.pk]
            for _attempt in range(50):
                points = _scores(rng, criteria, kind)
                result = scoring.compute(criteria, classes, points)
                if result.result_class is not None and result.result_class.kind == kind:
                    break
            status = S.CONFIRMED
            if y == year:
                status = (
                    S.SUBMITTED
                    if u.pk in submitted
                    else S.RETURNED
                    if u.pk in returned
                    else S.DRAFT
                    if u.pk in drafts
                    else S.CONFIRMED
                )
            if status == S.DRAFT:
                # a draft is still being filled in: the last group is not scored yet
                points = {c.pk: points[c.pk] for c in criteria if not c.group.startswith("E")}
                result = scoring.compute(criteria, classes, points)
            points_of[(u.pk, y)] = points
            submitted_at = _at(y, 12, rng.randint(1, 10), rng.randint(8, 16))
            reviewed_at = submitted_at + datetime.timedelta(days=rng.randint(3, 12))
            note = ""
            if kind == ClassKind.KEY:
                note = rng.choice(KEY_NOTES)
            elif kind == ClassKind.INTERMEDIATE:
                note = rng.choice(MID_NOTES)
            rows.append(
                Assessment(
                    template=template,
                    commune=u,
                    year=y,
                    status=status,
                    total=result.total,
                    critical_failed=result.critical_failed,
                    result_class=result.result_class,
                    is_complete=result.is_complete,
                    comment=note,
                    review_comment=RETURN_NOTE if status == S.RETURNED else "",
                    submitted_at=None if status == S.DRAFT else submitted_at,
                    reviewed_at=reviewed_at if status in (S.CONFIRMED, S.RETURNED) else None,
                    created_at=submitted_at - datetime.timedelta(days=rng.randint(5, 20)),
                    version=1 + (0 if status == S.DRAFT else 1 if status == S.SUBMITTED else 2),
                )
            )
    Assessment.objects.bulk_create(rows)
    saved = {(a.commune_id, a.year): a for a in Assessment.objects.filter(year__in=plans)}
    Score.objects.bulk_create(
        Score(assessment=saved[key], criterion_id=cid, points=p)
        for key, points in points_of.items()
        for cid, p in points.items()
    )
    steps: list[Transition] = []
    for a in saved.values():
        district = a.commune.parent.name if a.commune.parent else ""
        commune_officer = f"Cán bộ {a.commune.name}"
        reviewer = f"Phòng LĐ-TB&XH {district}".strip()
        steps.append(
            Transition(
                assessment=a,
                from_status="",
                to_status=S.DRAFT,
                at=a.created_at,
                actor_name=commune_officer,
            )
        )
        if a.submitted_at:
            steps.append(
                Transition(
                    assessment=a,
                    from_status=S.DRAFT,
                    to_status=S.SUBMITTED,
                    at=a.submitted_at,
                    actor_name=commune_officer,
                )
            )
        if a.status in (S.CONFIRMED, S.RETURNED):
            assert a.reviewed_at is not None  # set with the confirmed or returned status
            steps.append(
                Transition(
                    assessment=a,
                    from_status=S.SUBMITTED,
                    to_status=a.status,
                    at=a.reviewed_at,
                    actor_name=reviewer,
                    comment=a.review_comment,
                )
            )
    Transition.objects.bulk_create(steps)
    audit.record(
        actor=None,
        verb="assessment.demo",
        object_type="communes.assessment",
        changes={"years": [None, sorted(plans)], "assessments": [None, len(rows)]},
    )
