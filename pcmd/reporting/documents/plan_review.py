"""The annual review report ("báo cáo tổng kết", issue 14 item 5): how a plan was carried out
in one year, as a Decree 30/2020/NĐ-CP DOCX from the province's standing office to the
People's Committee.

I.   each target of the plan: the plan's goal (:func:`pcmd.plans.progress.goal_text`), the
     result and its status — the dashboard's progress (:func:`plan_progress` at the plan's
     province for the year), with the dashboard's status words in Vietnamese; small counts of
     people are "<5" unless the reader may see them (:func:`viewable`, :func:`must_suppress`);
II.  the agencies' task reports (:mod:`pcmd.taskreports`), by heading of Section IV: what each
     agency did (its submitted report for the year, else its submitted 6-month report);
III. the assessment: how many targets were met, not met and followed, then the obstacles and
     proposals the agencies reported.

The issuing body is the agency that holds the standing-office role for the province on the
last day of the year (Sở LĐ-TB&XH in 2018, Sở Y tế after 01/03/2025); its head signs (the name
is left for the signer). The text is Vietnamese, as Decree 30 requires.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency, AgencyRoleKind, agency_with_role
from pcmd.core.messages import bilingual
from pcmd.core.periods import Period, PeriodKind, year_period
from pcmd.geo.models import Unit
from pcmd.indicators.privacy import must_suppress, threshold
from pcmd.plans.models import Plan
from pcmd.plans.progress import Progress, Status, plan_progress, viewable
from pcmd.plans.selectors import provinces_of
from pcmd.taskreports.models import PeriodKind as TaskPeriod
from pcmd.taskreports.models import ReportState, TaskReport

from ..values import format_number
from .content import Block, Cell, Table, Text
from .docx import compose
from .header import DocHead, lower_first, short_name
from .plan import BLANK, doc_code

PLACEHOLDER_NAME = "……………………………"
# Buckets of the assessment (section III), from the dashboard's statuses.
MET, NOT_MET, UNDER_WAY, FOLLOWED, NO_DATA = "met", "not_met", "under_way", "followed", "no_data"
BUCKETS: dict[str, str] = {
    Status.MET: MET,
    Status.NOT_MET: NOT_MET,
    Status.ON_TRACK: UNDER_WAY,
    Status.AT_RISK: UNDER_WAY,
    Status.TRACKED: FOLLOWED,
    Status.MONITORED: FOLLOWED,
    Status.NO_DATA: NO_DATA,
}
BUCKET_VI = {
    MET: "Đạt",
    NOT_MET: "Không đạt",
    UNDER_WAY: "Đang thực hiện (chưa hết kỳ)",
    FOLLOWED: "Theo dõi (không có chỉ tiêu định lượng)",
    NO_DATA: "Chưa có số liệu",
}


class ReviewRefused(Exception):
    """The report cannot be made as asked; ``texts`` in Vietnamese and English, ``field``."""

    def __init__(self, field_name: str, message: object, **params: object) -> None:
        self.field = field_name
        self.texts = bilingual(message, **params)
        super().__init__(self.texts["en"])


@dataclass
class TargetLine:
    code: str
    label: str
    goal: str
    result: str
    status: str
    status_vi: str
    suppressed: bool = False


@dataclass
class AgencyWork:
    agency: str
    done: str
    status_vi: str
    half_year: bool  # only the 6-month report was submitted


@dataclass
class HeadingWork:
    number: str
    heading: str
    work: list[AgencyWork] = field(default_factory=list)


@dataclass
class Review:
    plan: Plan
    year: int
    period: Period
    province: Unit
    office: Agency | None
    targets: list[TargetLine] = field(default_factory=list)
    headings: list[HeadingWork] = field(default_factory=list)
    task_reports_shown: bool = True
    obstacles: dict[str, list[str]] = field(default_factory=dict)  # text -> agencies
    proposals: dict[str, list[str]] = field(default_factory=dict)

    @property
    def counts(self) -> Counter[str]:
        return Counter(BUCKETS.get(t.status, FOLLOWED) for t in self.targets)


# --- the question ----------------------------------------------------------------------------


def years_of(plan: Plan) -> range:
    return range(plan.period_start.year, plan.period_end.year + 1)


def check(plan: Plan, raw_year: str | None, *, today: datetime.date | None = None) -> int:
    """The year asked (default: the plan's last year that has begun); raises
    :class:`ReviewRefused` for a plan that cannot be reviewed or a year outside the plan."""
    if not plan.is_binding:
        raise ReviewRefused("plan", _("Only an issued plan has a review report; this is a draft."))
    if plan.unit is None:
        raise ReviewRefused(
            "plan", _("A national programme has no province: review a provincial plan.")
        )
    years = years_of(plan)
    if raw_year in (None, ""):
        today = today or timezone.localdate()
        return max(years.start, min(years.stop - 1, today.year))
    raw = str(raw_year).strip()
    if not raw.isdecimal() or int(raw) not in years:
        raise ReviewRefused(
            "year",
            _("Year: enter a year of the plan, from %(first)s to %(last)s."),
            first=years.start,
            last=years.stop - 1,
        )
    return int(raw)


def review_period(plan: Plan, year: int) -> Period:
    """The calendar year (the dashboard's), cut to the plan's period when it starts or ends
    inside the year."""
    whole = year_period(year)
    start, end = max(whole.start, plan.period_start), min(whole.end, plan.period_end)
    if (start, end) == (whole.start, whole.end):
        return whole
    return Period(start, end, PeriodKind.RANGE)


def standing_office(province: Unit, on: datetime.date) -> Agency | None:
    """The standing office of the province (or of the province it became or came from)."""
    for unit in [province, *Unit.objects.filter(pk__in=provinces_of(province))]:
        office = agency_with_role(AgencyRoleKind.STANDING_OFFICE, unit, on)
        if office is not None:
            return office
    return None


# --- the figures -----------------------------------------------------------------------------


def _result_text(p: Progress) -> str:
    shown_value = p.display
    if shown_value is None:
        return "—"
    text = format_number(shown_value)
    if p.is_percent and not str(shown_value).startswith("<"):
        text += "%"
    key = p.extra.get("key_communes")
    if key is not None:
        text += f"; xã trọng điểm: {format_number(key)}"
    return text


def target_lines(
    plan: Plan, province: Unit, period: Period, user: Any, today: datetime.date
) -> list[TargetLine]:
    lines = []
    progress = plan_progress(plan, province, period, today=today)
    with translation.override("vi"):
        for p in progress:
            suppress = must_suppress(p.indicator, user)
            viewable(p, suppress)
            lines.append(
                TargetLine(
                    code=p.target.code,
                    label=f"{p.target.code}. {p.target.short}",
                    goal=p.goal_text,
                    result=_result_text(p),
                    status=p.status,
                    status_vi=str(Status(p.status).label).capitalize(),
                    suppressed=str(p.display).startswith("<"),
                )
            )
    return lines


def _task_reports(review: Review, user: Any) -> None:
    plan = review.plan
    review.task_reports_shown = bool(user.can("taskreports.view"))
    reports = (
        TaskReport.objects.visible_to(user)
        .filter(plan=plan, year=review.year, state=ReportState.SUBMITTED)
        .select_related("agency")
        .order_by("agency__order", "agency__code")
    )
    chosen: dict[tuple[str, int], Any] = {}
    for report in reports:  # the year's report over the 6-month one
        key = (report.group_number, report.agency_id)
        if key not in chosen or report.period == TaskPeriod.YEAR:
            chosen[key] = report
    by_group: dict[str, list[Any]] = {}
    for (number, _agency), report in chosen.items():
        by_group.setdefault(number, []).append(report)
    groups = plan.task_groups.order_by("order")
    with translation.override("vi"):
        for group in groups:
            found = by_group.get(group.number, [])
            if group.withdrawn and not found:
                continue
            heading = HeadingWork(group.number, group.heading)
            for report in sorted(found, key=lambda r: (r.agency.order, r.agency.code)):
                heading.work.append(
                    AgencyWork(
                        report.agency.name,
                        " ".join(report.done.split()),
                        str(report.get_status_display()),
                        report.period != TaskPeriod.YEAR,
                    )
                )
                for text, bucket in (
                    (report.obstacles, review.obstacles),
                    (report.proposals, review.proposals),
                ):
                    text = " ".join((text or "").split())
                    if text and report.agency.name not in bucket.setdefault(text, []):
                        bucket[text].append(report.agency.name)
            review.headings.append(heading)


def gather(plan: Plan, year: int, user: Any, *, today: datetime.date | None = None) -> Review:
    """Everything the report shows, as ``user`` may see it."""
    assert plan.unit is not None  # checked by :func:`check`
    today = today or timezone.localdate()
    period = review_period(plan, year)
    province = plan.unit
    review = Review(plan, year, period, province, standing_office(province, period.end))
    review.targets = target_lines(plan, province, period, user, today)
    _task_reports(review, user)
    return review


# --- the document ----------------------------------------------------------------------------


def _subject(plan: Plan, year: int) -> str:
    title = plan.title.strip()
    title = title[:1].upper() + title[1:]
    suffix = "" if title.endswith(str(year)) else f" năm {year}"
    return f"Tổng kết thực hiện {title}{suffix}"


def head(review: Review, today: datetime.date) -> DocHead:
    province, office = review.province, review.office
    if office is not None:
        parent_line, issuer = f"UBND {province.name.upper()}", [office.name.upper()]
        signer = ("", "Giám đốc")
    else:
        parent_line, issuer = "", ["ỦY BAN NHÂN DÂN", province.name.upper()]
        signer = ("TM. Ủy ban nhân dân", "Chủ tịch")
    period = review.period
    return DocHead(
        parent_line=parent_line,
        issuer_lines=issuer,
        number=f"Số:{BLANK}/BC-{doc_code(office)}",
        place=review.plan.place or short_name(province),
        date=today,
        subject=_subject(review.plan, review.year),
        period_line=f"(Số liệu từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})",
        addressee=("Ủy ban nhân dân " + lower_first(province.name)) if office else "",
        recipients=[
            "UBND tỉnh (để báo cáo);",
            "Các sở, ngành, địa phương có tên trong Kế hoạch;",
            "Lưu: VT.",
        ],
        signer_authority=signer[0],
        signer_title=signer[1],
        signer_name=PLACEHOLDER_NAME,
    )


def _intro(review: Review) -> str:
    plan = review.plan
    reference = f"Kế hoạch số {plan.number}" if plan.number else plan.title
    if plan.issued_on:
        reference += f" ngày {plan.issued_on:%d/%m/%Y}"
    issuer = plan.issuer.name if plan.issuer else plan.issuer_name
    about = plan.title.strip()
    about = lower_first(about.removeprefix("Kế hoạch ").strip())
    who = (
        review.office.name
        if review.office
        else "Ủy ban nhân dân " + lower_first(review.province.name)
    )
    return (
        f"Thực hiện {reference} của {issuer or 'Ủy ban nhân dân tỉnh'} "
        f"về {about}, {who} báo cáo tổng kết kết quả thực hiện năm {review.year} như sau:"
    )


def _section_i(review: Review) -> list[Block]:
    blocks: list[Block] = [
        Text("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "heading"),
        Table(
            "",
            ["STT", "Chỉ tiêu", "Mục tiêu theo Kế hoạch", "Kết quả", "Đánh giá"],
            [
                [
                    Cell(str(i), i, "center"),
                    Cell(t.label),
                    Cell(t.goal, align="center"),
                    Cell(t.result, align="right"),
                    Cell(t.status_vi),
                ]
                for i, t in enumerate(review.targets, 1)
            ],
            [12, 68, 28, 24, 33],
            size=12,
        ),
    ]
    if any(t.suppressed for t in review.targets):
        blocks.append(
            Text(f"Số người dưới {threshold()} được ghi “<{threshold()}” (bảo vệ danh tính).")
        )
    return blocks


def _section_ii(review: Review) -> list[Block]:
    blocks: list[Block] = [
        Text("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC CƠ QUAN, ĐƠN VỊ", "heading")
    ]
    if not review.task_reports_shown:
        blocks.append(Text("(Tài khoản tải văn bản không được xem báo cáo nhiệm vụ.)", "label"))
        return blocks
    for heading in review.headings:
        blocks.append(Text(f"{heading.number}. {heading.heading}", "heading"))
        if not heading.work:
            blocks.append(Text("Chưa có báo cáo được gửi.", "label"))
        for work in heading.work:
            note = " (báo cáo 6 tháng)" if work.half_year else ""
            done = work.done or "Không có nội dung."
            blocks.append(
                Text(f"{done} Tiến độ: {work.status_vi}.", lead=f"- {work.agency}{note}:")
            )
    return blocks


def _listing(title: str, texts: dict[str, list[str]]) -> list[Block]:
    if not texts:
        return []
    blocks: list[Block] = [Text(title, "label")]
    blocks += [Text(f"- {text} ({', '.join(who)})") for text, who in texts.items()]
    return blocks


def _section_iii(review: Review) -> list[Block]:
    counts = review.counts
    parts = [
        f"{counts[MET]} chỉ tiêu đạt",
        f"{counts[NOT_MET]} chỉ tiêu không đạt",
        f"{counts[FOLLOWED]} chỉ tiêu theo dõi (không có chỉ tiêu định lượng)",
    ]
    if counts[UNDER_WAY]:
        parts.append(f"{counts[UNDER_WAY]} chỉ tiêu đang thực hiện (chưa hết kỳ)")
    if counts[NO_DATA]:
        parts.append(f"{counts[NO_DATA]} chỉ tiêu chưa có số liệu")
    blocks: list[Block] = [
        Text("III. ĐÁNH GIÁ CHUNG", "heading"),
        Text(f"Trong số {len(review.targets)} chỉ tiêu của Kế hoạch: {'; '.join(parts)}."),
        Table(
            "",
            ["STT", "Đánh giá", "Số chỉ tiêu"],
            [
                [Cell(str(i), i, "center"), Cell(BUCKET_VI[b]), Cell.number(counts[b])]
                for i, b in enumerate(BUCKET_VI, 1)
            ],
            [14, 111, 40],
            size=12,
        ),
    ]
    blocks += _listing("Khó khăn, vướng mắc:", review.obstacles)
    blocks += _listing("Kiến nghị, đề xuất:", review.proposals)
    return blocks


def body(review: Review) -> list[Block]:
    return [Text(_intro(review)), *_section_i(review), *_section_ii(review), *_section_iii(review)]


def render(plan: Plan, year: int, user: Any, *, today: datetime.date | None = None) -> bytes:
    """The review report (DOCX bytes) of ``plan`` for ``year``, as ``user`` may see it."""
    today = today or timezone.localdate()
    review = gather(plan, year, user, today=today)
    return compose(head(review, today), body(review))


def file_name(plan: Plan, year: int, extension: str = "docx") -> str:
    return f"bao-cao-tong-ket-ke-hoach-{plan.pk}-{year}.{extension}"
