"""The standing office's 6-month and annual synthesis to the People's Committee (plan IV.1).

It pulls: the plan's targets with value and goal (indicator engine), every active indicator
for the province, the districts' approved reports beside live figures, and the agencies'
reports on their tasks (this app's agency forms and the ``taskreports`` register). From these
:func:`draft_text` writes a first draft in Vietnamese that the official edits before export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pcmd.agencies.models import Agency
from pcmd.core.periods import Period, year_period
from pcmd.geo.models import Unit
from pcmd.indicators.engine import evaluate_many
from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import is_small, must_suppress, shown
from pcmd.plans.models import Plan, Target
from pcmd.plans.selectors import in_force

from . import taskreports_link
from .models import ReporterKind, ReportForm, Submission, SubmissionStatus
from .obligations import expected_reporters, period_label_vi
from .values import Aggregate, aggregate, format_number, plain_number, submission_period

WORK_STATUS_VI = {
    "done": "hoàn thành",
    "in_progress": "đang thực hiện",
    "not_started": "chưa triển khai",
    "not_applicable": "không áp dụng",
}
STATUS_VI = {
    "met": "đạt",
    "on_track": "đúng tiến độ",
    "at_risk": "chậm so với tiến độ",
    "not_met": "chưa đạt",
    "no_data": "chưa có số liệu",
    "tracked": "theo dõi (không có chỉ tiêu định lượng)",
}


@dataclass
class TargetRow:
    target: Target
    goal: str
    value: Any
    value_text: str
    status: str

    @property
    def status_vi(self) -> str:
        return STATUS_VI.get(self.status, self.status)


@dataclass
class AgencyRow:
    agency: Agency
    submissions: list[Submission]

    @property
    def summary(self) -> str:
        for sub in self.submissions:
            text = str(sub.values.get("summary") or sub.values.get("notes") or "").strip()
            if text:
                return text
        return ""


@dataclass
class SynthesisData:
    province: Unit
    period: Period
    plan: Plan | None
    targets: list[TargetRow] = field(default_factory=list)
    indicators: list[tuple[Indicator, Any]] = field(default_factory=list)
    districts: Aggregate | None = None
    agencies: list[AgencyRow] = field(default_factory=list)
    task_reports: list[taskreports_link.TaskReportRow] = field(default_factory=list)


def plan_for(province: Unit, period: Period) -> Plan | None:
    """The plan in force for the period (pcmd.plans.selectors.in_force)."""
    return in_force(province, period.start, period.end)


def _targets(plan: Plan, province: Unit, period: Period, values: dict[str, Any]) -> list[TargetRow]:
    from pcmd.plans.progress import goal_text, judge

    # Targets are annual: a 6-month figure is judged against the share of the year elapsed.
    year = year_period(period.end.year, period.cutoff)
    rows = []
    for target in plan.targets.filter(withdrawn=False):
        value = values.get(target.indicator_code) if target.indicator_code else None
        status, _fraction = judge(target, value, year, period.end)
        key_max = (target.extra or {}).get("key_communes_max")
        key_value = values.get("key_communes")
        if (
            key_max is not None
            and key_value is not None
            and key_value > key_max
            and status == "met"
        ):
            status = "not_met" if period.end >= year.end else "at_risk"
        text = format_number(value) if value is not None else "—"
        if value is not None and target.kind.startswith("percent"):
            text += "%"
        rows.append(TargetRow(target, goal_text(target), value, text, status))
    return rows


def gather(submission: Submission, *, user: Any = None) -> SynthesisData:
    """Everything the synthesis shows, for its province and period.

    With ``user``: as that user may see it, small counts of people (indicators flagged
    ``small_cells``, the districts' figures) as "<5" outside person-level roles. Without:
    exact figures (the draft text, written for the standing office).
    """
    period = submission_period(submission)
    province = submission.unit
    plan = plan_for(province, period)
    indicators = list(
        Indicator.objects.filter(is_active=True).select_related("numerator", "denominator")
    )
    results = evaluate_many(indicators, province, period)
    values = {r.indicator.code: plain_number(r.total) for r in results}
    data = SynthesisData(province, period, plan)
    hidden = {
        r.indicator.code for r in results if user is not None and must_suppress(r.indicator, user)
    }
    data.indicators = [
        (r.indicator, shown(values[r.indicator.code], suppress=r.indicator.code in hidden))
        for r in results
    ]
    if plan is not None:
        data.targets = _targets(plan, province, period, values)
        for row in data.targets:
            if row.target.indicator_code in hidden and is_small(row.value):
                row.value = row.value_text = shown(row.value, suppress=True)
    source = submission.form_version.source_form
    if source is not None:
        data.districts = aggregate(source, province, period, user=user)
    data.agencies = agency_rows(period, province, exclude=submission.form)
    data.task_reports = taskreports_link.rows(period)
    return data


def agency_rows(period: Period, province: Unit, *, exclude: ReportForm) -> list[AgencyRow]:
    """Agency forms of the same period (task reports, police): who reported, what."""
    forms = [
        f
        for f in ReportForm.objects.filter(is_active=True)
        .exclude(pk=exclude.pk)
        .prefetch_related("versions")
        if f.current.reporter_kind == ReporterKind.AGENCY
        and not f.current.is_synthesis
        and f.current.period_type == period.kind
    ]
    rows: dict[int, AgencyRow] = {}
    for form in forms:
        for reporter in expected_reporters(form.current, period, [province]):
            if reporter.agency is not None:
                rows.setdefault(reporter.agency.pk, AgencyRow(reporter.agency, []))
    subs = Submission.objects.filter(
        form__in=forms,
        period_code=period.code,
        agency__in=list(rows),
        status=SubmissionStatus.APPROVED,
    ).select_related("form")
    for sub in subs:
        assert sub.agency_id is not None  # filtered on agency__in
        rows[sub.agency_id].submissions.append(sub)
    return sorted(rows.values(), key=lambda r: (r.agency.order, r.agency.code))


def _first_sentence(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    if 0 < cut < limit:
        return text[: cut + 1]
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def draft_text(submission: Submission, data: SynthesisData | None = None) -> str:
    """A first draft of the synthesis, written from the data, for the official to edit."""
    data = data or gather(submission)
    label = period_label_vi(data.period)
    issuer = submission.agency.name if submission.agency is not None else submission.unit.name
    lines: list[str] = []
    if data.plan is not None:
        plan = data.plan
        subject = plan.title.removeprefix("Kế hoạch ").strip()
        lines.append(
            f"Thực hiện Kế hoạch số {plan.number} ngày {plan.issued_on:%d/%m/%Y} của Ủy ban "
            f"nhân dân tỉnh về {subject}, {issuer} báo cáo kết "
            f"quả thực hiện {label} (số liệu từ ngày {data.period.start:%d/%m/%Y} đến ngày "
            f"{data.period.end:%d/%m/%Y}) như sau:"
        )
    else:
        lines.append(
            f"{issuer} báo cáo kết quả công tác phòng, chống tệ nạn mại dâm {label} như sau:"
        )
    lines += ["", "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"]
    numeric = [t for t in data.targets if t.status != "tracked"]
    for i, row in enumerate(data.targets, 1):
        unit = row.target.unit_label
        if row.status == "tracked":
            lines.append(
                f"{i}. {row.target.short}: {STATUS_VI['tracked']}"
                + (f"; kết quả {row.value_text}." if row.value is not None else ".")
            )
        else:
            lines.append(
                f"{i}. {row.target.short}: kết quả {row.value_text} (chỉ tiêu "
                f"{row.goal} {unit}) – {row.status_vi}."
            )
    lines += ["", "II. KẾT QUẢ Ở CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ"]
    if data.districts is not None:
        agg = data.districts
        lines.append(
            f"- Số báo cáo của cấp huyện đã được duyệt: {agg.approved_count}/{len(agg.rows)}."
        )
        shown = [
            f
            for f in agg.fields
            if f.code in ("activities", "inspections", "violations", "patrols")
        ]
        for unit_row in agg.rows:
            if unit_row.status != SubmissionStatus.APPROVED:
                continue
            parts = [
                f"{f.label.lower()} {format_number(unit_row.approved.get(f.code))}"
                for f in shown
                if unit_row.approved.get(f.code) is not None
            ]
            if parts:
                lines.append(f"- {unit_row.name}: " + "; ".join(parts) + ".")
        missing = [r.name for r in agg.rows if r.status != SubmissionStatus.APPROVED]
        if missing:
            lines.append("- Chưa có báo cáo được duyệt: " + ", ".join(missing) + ".")
    lines += ["", "III. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC SỞ, NGÀNH"]
    reported = [r for r in data.agencies if r.submissions]
    for agency_row in reported:
        summary = _first_sentence(agency_row.summary) if agency_row.summary else "đã gửi báo cáo."
        lines.append(f"- {agency_row.agency.name}: {summary}")
    by_agency: dict[str, dict[str, int]] = {}
    for tr in data.task_reports:
        counts = by_agency.setdefault(tr.agency_name, {})
        counts[tr.status_code] = counts.get(tr.status_code, 0) + 1
    for name, counts in by_agency.items():
        parts = [f"{n} {WORK_STATUS_VI.get(code, code)}" for code, n in sorted(counts.items())]
        lines.append(
            f"- {name} (báo cáo nhiệm vụ): {sum(counts.values())} nhóm nhiệm vụ – "
            + ", ".join(parts)
            + "."
        )
    silent = [r.agency.name for r in data.agencies if not r.submissions]
    if silent:
        lines.append("- Chưa có báo cáo được duyệt: " + ", ".join(silent) + ".")
    lines += ["", "IV. ĐÁNH GIÁ CHUNG"]
    met = [t for t in numeric if t.status == "met"]
    lines.append(f"- Có {len(met)}/{len(numeric)} chỉ tiêu định lượng đã đạt.")
    behind = [t.target.short for t in numeric if t.status in ("not_met", "at_risk")]
    if behind:
        lines.append("- Các chỉ tiêu chưa đạt hoặc chậm tiến độ: " + "; ".join(behind) + ".")
    lines += [
        "",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "- (Cơ quan thường trực bổ sung kiến nghị trước khi ban hành.)",
    ]
    return "\n".join(lines)
