"""A 2018 year of periodic reports for Đắk Lắk (runs last: it snapshots the registers).

Communes and districts report at 6 months and at year end (most on time, some late, a few
missing; one commune report returned and resubmitted); Công an tỉnh reports monthly,
quarterly and yearly on sanctions; the agencies report on their tasks; the standing office's
6-month synthesis is approved and its annual synthesis is submitted, ready to export.
Deterministic for a given ``rng``; does nothing when reports already exist.
"""

from __future__ import annotations

import datetime
import random
import zlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from pcmd.accounts.models import User
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.indicators.engine import evaluate_many

from . import rules, synthesis
from .actions import remind
from .models import (
    FormVersion,
    ReportForm,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from .obligations import Reporter, due_date, expected_reporters, owed_periods, period_of
from .seed import seed_forms
from .stats import late_reporters
from .values import _indicators, auto_fields, evaluate_auto, numbers, plain_number

PROVINCE = "66"
RETURNED_COMMUNE = "24121"  # Phường Tân Lợi, TP Buôn Ma Thuột: returned once, then approved
MISSING_ANNUAL = "24379"  # Xã Ea Sô: no annual report yet (its officer gets a reminder)

DIRECTION = [
    "Ban hành kế hoạch triển khai Kế hoạch 1842/KH-UBND trên địa bàn; phân công cán bộ theo dõi.",
    "Lồng ghép nội dung phòng, chống mại dâm vào các cuộc họp thôn, buôn, tổ dân phố.",
    "Chỉ đạo công an, đoàn thể phối hợp kiểm tra các cơ sở kinh doanh dịch vụ trên địa bàn.",
]
ASSESSMENT = [
    "Tình hình tệ nạn mại dâm trên địa bàn cơ bản được kiểm soát, không phát sinh tụ điểm mới.",
    "Công tác tuyên truyền được duy trì; một số cơ sở lưu trú còn chưa chấp hành đầy đủ quy định.",
    "Các cơ sở kinh doanh dịch vụ nhạy cảm được quản lý chặt chẽ; chưa phát hiện vi phạm nghiêm "
    "trọng.",
]
OBSTACLES = [
    "Kinh phí cho công tác tuyên truyền còn hạn chế.",
    "Lực lượng cán bộ kiêm nhiệm nhiều việc, thời gian dành cho công tác còn ít.",
    "Lao động tại các cơ sở thường xuyên thay đổi, khó quản lý.",
]
PROPOSALS = [
    "Đề nghị cấp trên tổ chức tập huấn nghiệp vụ cho cán bộ cấp xã.",
    "Đề nghị bố trí thêm kinh phí in tài liệu tuyên truyền.",
    "",
]
HIGHLIGHTS = [
    "Tuyên truyền lồng ghép tại họp tổ dân phố",
    "Phát tờ rơi tại khu nhà trọ",
    "Nói chuyện chuyên đề tại trường THCS",
    "Treo băng rôn, khẩu hiệu",
    "Kiểm tra liên ngành cơ sở karaoke, nhà nghỉ",
]
AGENCY_SUMMARY = {
    "police": "Tổ chức tuần tra, kiểm tra các cơ sở kinh doanh dịch vụ có điều kiện về an ninh "
    "trật tự; xử phạt nghiêm các trường hợp vi phạm.",
    "department": "Đã ban hành kế hoạch thực hiện nhiệm vụ được giao, phối hợp tuyên truyền và "
    "kiểm tra các cơ sở thuộc ngành quản lý.",
    "mass_org": "Lồng ghép tuyên truyền phòng, chống mại dâm trong sinh hoạt hội viên, đoàn viên.",
    "procuracy": "Kiểm sát chặt chẽ việc điều tra các vụ án liên quan đến mại dâm.",
    "court": "Xét xử nghiêm các vụ án liên quan đến mại dâm, tổ chức xét xử lưu động.",
    "team": "Kiểm tra theo kế hoạch các cơ sở kinh doanh dịch vụ có điều kiện trên địa bàn tỉnh.",
}


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(7, 16), rng.randint(0, 59)))
    )


def _snapshots(
    version: FormVersion,
    root: Unit,
    period: Any,
    by: str,
) -> dict[int, dict[str, Any]]:
    """Automatic figures of every unit below ``root`` (one query per indicator)."""
    fields = auto_fields(version)
    indicators = _indicators(fields)
    out: dict[int, dict[str, Any]] = {}
    if not indicators:
        return out
    results = {
        r.indicator.code: r for r in evaluate_many(list(indicators.values()), root, period, by=by)
    }
    for f in fields:
        result = results.get(f.indicator_code)
        for unit_id, value in result.values.items() if result else []:
            out.setdefault(unit_id, {})[f.code] = plain_number(value)
    return out


def _unit_values(rng: random.Random, version: FormVersion, level: int) -> dict[str, Any]:
    staff = rng.randint(4, 60) * (4 if level == UnitLevel.DISTRICT else 1)
    values: dict[str, Any] = {
        "direction": rng.choice(DIRECTION),
        "staff": staff,
        "female_staff": int(staff * rng.uniform(0.45, 0.8)),
        "budget_spent": rng.randint(2, 30) * 1_000_000 * (5 if level == UnitLevel.DISTRICT else 1),
        "assessment": rng.choice(ASSESSMENT),
        "obstacles": rng.choice(OBSTACLES),
        "proposals": rng.choice(PROPOSALS),
        "highlights": [
            {
                "date": f"{rng.randint(1, 28):02d}/{rng.randint(1, 6):02d}",
                "content": rng.choice(HIGHLIGHTS),
                "participants": rng.randint(20, 250),
            }
            for _ in range(rng.randint(1, 3))
        ],
    }
    return {k: v for k, v in values.items() if k in version.fields_by_code}


def _police_values(rng: random.Random, month: int, kind: str) -> dict[str, Any]:
    scale = {"month": 1, "quarter": 3, "year": 12}[kind]
    found = rng.randint(6, 20) * scale
    sanctioned = found - rng.randint(0, 2) * scale
    fines = int(sanctioned * rng.uniform(0.6, 0.9))
    amount = fines * rng.choice([500_000, 750_000, 1_000_000])
    if kind == "month" and month == 9:
        amount += 30_000_000  # a brothel keeper fined this month
    return {
        "people_found": found,
        "people_sanctioned": sanctioned,
        "fines": fines,
        "warnings": sanctioned - fines,
        "amount_collected": amount,
        "by_act": [
            {"act": "Mua dâm", "people": fines, "amount": amount},
            {"act": "Bán dâm", "people": sanctioned - fines, "amount": 0},
        ],
        "notes": "Số liệu tổng hợp từ Công an các huyện, thị xã, thành phố.",
    }


def _create(
    version: FormVersion,
    reporter: Reporter,
    period: Any,
    values: dict[str, Any],
    auto: dict[str, Any],
    *,
    submitted: datetime.datetime | None,
    reviewed: datetime.datetime | None,
    status: str,
    submitter: Any = None,
    reviewer: Any = None,
    comment: str = "",
) -> Submission:
    sub = Submission.objects.create(
        form=version.form,
        form_version=version,
        unit=reporter.unit,
        agency=reporter.agency,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=due_date(version, period, reporter.level),
        status=status,
        values=values,
        auto_values=auto if status != SubmissionStatus.DRAFT else {},
        signer_authority=version.signer_authority,
        signer_title=version.signer_title,
        first_submitted_at=submitted,
        submitted_at=submitted,
        submitted_by=submitter,
        reviewed_at=reviewed,
        reviewed_by=reviewer,
        review_comment=comment,
        doc_number=str(zlib.crc32(f"{reporter.key}{period.code}".encode()) % 200 + 1)
        if submitted
        else "",
    )
    start = (submitted or _at(period.end, random.Random(sub.pk))) - datetime.timedelta(days=3)
    events = [SubmissionEvent(submission=sub, at=start, actor=submitter, verb="created")]
    if submitted:
        events.append(
            SubmissionEvent(submission=sub, at=submitted, actor=submitter, verb="submitted")
        )
    if reviewed and status == SubmissionStatus.APPROVED:
        events.append(
            SubmissionEvent(
                submission=sub, at=reviewed, actor=reviewer, verb="approved", comment=comment
            )
        )
    SubmissionEvent.objects.bulk_create(events)
    return sub


def _check(sub: Submission, explain: str) -> None:
    """Store the rule hits; warnings get the reporter's explanation."""
    version = sub.form_version
    hits = rules.evaluate(version, sub, numbers(version, sub.values, sub.auto_values))
    warnings = {h.rule.code: explain for h in hits if not h.is_blocking}
    if warnings:
        sub.explanations = warnings
        sub.save(update_fields=["explanations"])
    rules.store(sub, hits)


def _units_round(
    rng: random.Random, form: ReportForm, period: Any, province: Unit, users: dict[str, Any]
) -> None:
    version = form.current
    reporters = expected_reporters(version, period, [province])
    autos = _snapshots(version, province, period, "commune")
    autos.update(_snapshots(version, province, period, "unit"))
    for reporter in reporters:
        unit = reporter.unit
        level = unit.level
        due = due_date(version, period, level)
        roll = rng.random()
        if form.code.endswith("nam") and unit.code == MISSING_ANNUAL:
            continue
        if level == UnitLevel.COMMUNE and roll < 0.05:
            continue  # not sent
        values = _unit_values(rng, version, level)
        if level == UnitLevel.COMMUNE and roll < 0.08:
            _create(
                version,
                reporter,
                period,
                values,
                {},
                submitted=None,
                reviewed=None,
                status=SubmissionStatus.DRAFT,
            )
            continue
        late = roll > (0.88 if level == UnitLevel.COMMUNE else 0.93)
        sent_day = (
            due + datetime.timedelta(days=rng.randint(1, 15))
            if late
            else due - datetime.timedelta(days=rng.randint(0, 2))
        )
        sent = _at(sent_day, rng)
        reviewer = (
            users["huyen.bmt"]
            if unit.parent and unit.parent.code == "643"
            else (users["thuongtruc"] if level == UnitLevel.DISTRICT else None)
        )
        submitter = (
            users["xa.tanlap"]
            if unit.code == "24118"
            else (
                users["xa.easo"]
                if unit.code == "24379"
                else (users["huyen.bmt"] if unit.code == "643" else None)
            )
        )
        reviewed = _at(sent_day + datetime.timedelta(days=rng.randint(1, 5)), rng)
        status = SubmissionStatus.APPROVED if rng.random() < 0.93 else SubmissionStatus.SUBMITTED
        sub = _create(
            version,
            reporter,
            period,
            values,
            autos.get(unit.pk, {}),
            submitted=sent,
            reviewed=reviewed if status == "approved" else None,
            status=status,
            submitter=submitter,
            reviewer=reviewer if status == "approved" else None,
        )
        if unit.code == RETURNED_COMMUNE and form.code.startswith("pcmd-6"):
            _returned_once(sub, sent, reviewed, reviewer)
        _check(sub, "Số lao động tăng do có thêm cơ sở mới đi vào hoạt động trong kỳ.")


def _returned_once(
    sub: Submission, sent: datetime.datetime, approved: datetime.datetime, reviewer: Any
) -> None:
    """The district returned this report once (missing highlights), then approved it."""
    returned = sent + datetime.timedelta(hours=20)
    again = returned + datetime.timedelta(days=1)
    comment = "Đề nghị bổ sung các hoạt động tuyên truyền nổi bật và số người tham dự."
    SubmissionEvent.objects.bulk_create(
        [
            SubmissionEvent(
                submission=sub, at=returned, actor=reviewer, verb="returned", comment=comment
            ),
            SubmissionEvent(submission=sub, at=again, actor=None, verb="resubmitted"),
        ]
    )
    sub.submitted_at = again
    sub.reviewed_at = max(approved, again + datetime.timedelta(hours=5))
    sub.status = SubmissionStatus.APPROVED
    sub.save(update_fields=["submitted_at", "reviewed_at", "status"])
    SubmissionEvent.objects.filter(submission=sub, verb="approved").update(at=sub.reviewed_at)


def _police(rng: random.Random, province: Unit, users: dict[str, Any], year: int) -> None:
    for code in ("ca-xu-phat-thang", "ca-xu-phat-quy", "ca-xu-phat-nam"):
        form = ReportForm.objects.get(code=code)
        version = form.current
        for period in owed_periods(form, version, until=datetime.date(year, 12, 31)):
            for reporter in expected_reporters(version, period, [province]):
                due = due_date(version, period, reporter.level)
                sent_day = due - datetime.timedelta(days=rng.randint(0, 3))
                if period.code == f"{year}-04":
                    sent_day = due + datetime.timedelta(days=6)  # late once
                values = _police_values(rng, period.end.month, version.period_type)
                auto = _snapshots(version, province, period, "unit")
                total = {
                    f.code: sum(v.get(f.code) or 0 for v in auto.values())
                    for f in auto_fields(version)
                }
                sub = _create(
                    version,
                    reporter,
                    period,
                    values,
                    total,
                    submitted=_at(sent_day, rng),
                    reviewed=_at(sent_day + datetime.timedelta(days=2), rng),
                    status=SubmissionStatus.APPROVED,
                    submitter=users["congan"],
                    reviewer=users["thuongtruc"],
                )
                _check(
                    sub,
                    "Trong tháng xử phạt 01 chủ cơ sở chứa mại dâm với mức phạt "
                    "30.000.000 đồng (Điều 25 Nghị định 167/2013/NĐ-CP).",
                )


def _agencies(rng: random.Random, province: Unit, users: dict[str, Any], year: int) -> None:
    for code in ("nhiem-vu-6-thang", "nhiem-vu-nam"):
        form = ReportForm.objects.get(code=code)
        version = form.current
        for period in owed_periods(form, version, until=datetime.date(year, 12, 31)):
            reporters = expected_reporters(version, period, [province])
            for i, reporter in enumerate(reporters):
                if i in (len(reporters) - 1, len(reporters) - 3) and code.endswith("nam"):
                    continue  # two agencies have not sent their annual report
                agency = reporter.agency
                assert agency is not None  # the reporters of an agency form are agencies
                due = due_date(version, period, reporter.level)
                late = rng.random() < 0.15
                sent_day = (
                    due + datetime.timedelta(days=rng.randint(1, 8))
                    if late
                    else due - datetime.timedelta(days=rng.randint(0, 3))
                )
                values = {
                    "summary": AGENCY_SUMMARY.get(agency.kind, AGENCY_SUMMARY["department"]),
                    "obstacles": rng.choice(OBSTACLES),
                    "proposals": rng.choice(PROPOSALS),
                    "figures": [
                        {
                            "content": "Số buổi tuyên truyền",
                            "unit": "buổi",
                            "value": rng.randint(2, 40),
                        }
                    ],
                }
                submitter = (
                    users["sovhttdl"]
                    if agency.code == "SO_VHTTDL"
                    else (
                        users["congan"]
                        if agency.code == "CONG_AN_TINH"
                        else (users["thuongtruc"] if agency.code == "SO_LDTBXH" else None)
                    )
                )
                _create(
                    version,
                    reporter,
                    period,
                    values,
                    {},
                    submitted=_at(sent_day, rng),
                    reviewed=_at(sent_day + datetime.timedelta(days=2), rng),
                    status=SubmissionStatus.APPROVED,
                    submitter=submitter,
                    reviewer=users["thuongtruc"],
                )


def _synthesis(rng: random.Random, province: Unit, users: dict[str, Any], year: int) -> None:
    office = Agency.objects.get(code="SO_LDTBXH")
    for code, approved in (("tong-hop-6-thang", True), ("tong-hop-nam", False)):
        form = ReportForm.objects.get(code=code)
        version = form.current
        period = owed_periods(form, version, until=datetime.date(year, 12, 31))[0]
        reporter = Reporter(office.unit, office)
        due = due_date(version, period, reporter.level)
        sent = _at(due - datetime.timedelta(days=2), rng)
        auto = evaluate_auto(version, province, period)
        sub = _create(
            version,
            reporter,
            period,
            {
                "proposals": (
                    "Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các địa phương bố trí kinh phí và cán bộ "
                    "chuyên trách cho công tác phòng, chống tệ nạn xã hội cấp xã."
                )
            },
            auto,
            submitted=sent,
            reviewed=_at(due, rng) if approved else None,
            status=SubmissionStatus.APPROVED if approved else SubmissionStatus.SUBMITTED,
            submitter=users["thuongtruc"],
            reviewer=users["admin"] if approved else None,
        )
        sub.doc_number = "125" if approved else "310"
        sub.signer_name = "Nguyễn Văn Tuấn"
        sub.draft_text = synthesis.draft_text(sub)
        sub.save(update_fields=["doc_number", "signer_name", "draft_text"])


@transaction.atomic
def build(rng: random.Random, year: int) -> None:
    if Submission.objects.exists():
        return
    seed_forms()
    province = Unit.objects.get(code=PROVINCE, level=UnitLevel.PROVINCE, valid_from=None)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "admin",
                "thuongtruc",
                "congan",
                "sovhttdl",
                "huyen.bmt",
                "xa.tanlap",
                "xa.easo",
            ]
        )
    }
    for code in ("pcmd-6-thang", "pcmd-nam"):
        form = ReportForm.objects.get(code=code)
        for period in owed_periods(form, form.current, until=datetime.date(year, 12, 31)):
            _units_round(rng, form, period, province, users)
    _police(rng, province, users, year)
    _agencies(rng, province, users, year)
    _synthesis(rng, province, users, year)
    # Reminders to the late reporters of the annual report, as cron would have sent them.
    form = ReportForm.objects.get(code="pcmd-nam")
    period = period_of(form.current, str(year))
    late = late_reporters(form, period, on=period.end + datetime.timedelta(days=10))
    if late:
        remind(form, period.code, late, actor=None)
