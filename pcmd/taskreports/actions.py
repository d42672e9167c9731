"""Writes to agency task reports: one transaction, permission, one audit row each."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.core.concurrency import EditConflict, save_versioned
from pcmd.plans.models import Plan

from . import duties
from .models import PeriodKind, ReportState, TaskReport, WorkStatus, period_bounds

FIELDS = ["status", "done", "figures", "obstacles", "proposals"]
MAX_FIGURES = 30


def _fail(field: str, message: Any, **params: Any) -> NoReturn:
    raise ValidationError({field: [ValidationError(message, params=params or None)]})


def clean_figures(raw: Any) -> list[dict[str, Any]]:
    """``[{label, value}]`` with a non-empty label and a number; raises naming the row."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        _fail("figures", _("Figures must be a list of {label, value} pairs."))
    if len(raw) > MAX_FIGURES:
        _fail("figures", _("At most %(n)s figures."), n=MAX_FIGURES)
    out = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            _fail("figures", _("Figure %(n)s must have a label and a value."), n=i)
        label = " ".join(str(item.get("label") or "").split())
        value = item.get("value")
        if not label or len(label) > 200:
            _fail(
                "figures", _("Figure %(n)s: the label is required (at most 200 characters)."), n=i
            )
        try:
            if isinstance(value, bool) or value in (None, ""):
                raise InvalidOperation
            number = Decimal(str(value).replace(" ", ""))
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            _fail(
                "figures",
                _("Figure %(n)s (%(label)s): the value must be a number."),
                n=i,
                label=label,
            )
        out.append(
            {
                "label": label,
                "value": int(number) if number == number.to_integral_value() else float(number),
            }
        )
    return out


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    clean = {k: values[k] for k in FIELDS if k in values}
    if "status" in clean and clean["status"] not in WorkStatus.values:
        _fail(
            "status", _("Progress must be one of: %(values)s."), values=", ".join(WorkStatus.values)
        )
    if "figures" in clean:
        clean["figures"] = clean_figures(clean["figures"])
    for key in ("done", "obstacles", "proposals"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    return clean


@transaction.atomic
def save_task_report(
    plan: Plan,
    group_number: str,
    agency: Agency,
    year: int,
    period: str,
    *,
    actor: Any,
    expected_version: int | None = None,
    is_new: bool = False,
    **values: Any,
) -> TaskReport:
    """Create or update the report of ``agency`` on heading ``group_number`` for a period.

    ``is_new``: the caller showed an empty form; if the report exists meanwhile, that is an
    edit conflict.
    """
    require(actor, "taskreports.edit", obj=TaskReport(agency=agency))
    group = (
        plan.task_groups.prefetch_related("agencies")
        .filter(number=group_number, withdrawn=False)
        .first()
    )
    if group is None:
        _fail("group", _("The plan has no heading %(number)s."), number=group_number)
    if agency.pk not in {
        a.pk for a in duties.reporting_agencies(group, duties.district_committees(plan))
    }:
        _fail(
            "agency",
            _("%(agency)s does not report on heading %(number)s."),
            agency=agency.name,
            number=group_number,
        )
    if period not in PeriodKind.values:
        _fail(
            "period", _("Period must be one of: %(values)s."), values=", ".join(PeriodKind.values)
        )
    if not plan.period_start.year <= year <= plan.period_end.year:
        _fail(
            "year",
            _("The plan covers %(start)s–%(end)s."),
            start=plan.period_start.year,
            end=plan.period_end.year,
        )
    clean = _validate(values)
    report = (
        TaskReport.objects.select_for_update()
        .filter(plan=plan, group_number=group_number, agency=agency, year=year, period=period)
        .first()
    )
    if report is None:
        start, end = period_bounds(period, year)
        report = TaskReport(
            plan=plan,
            group_number=group_number,
            agency=agency,
            year=year,
            period=period,
            period_start=start,
            period_end=end,
        )
        for key, value in clean.items():
            setattr(report, key, value)
        report.save()
        audit.record(
            actor=actor,
            verb="task_report.create",
            obj=report,
            changes=audit.diff({}, audit.snapshot(report, FIELDS)),
        )
        return report
    if is_new:
        raise EditConflict(report)
    if report.state == ReportState.SUBMITTED:
        _fail("state", _("This report was submitted and can no longer be changed."))
    before = audit.snapshot(report, FIELDS)
    for key, value in clean.items():
        setattr(report, key, value)
    save_versioned(report, expected_version, list(clean))
    audit.record(
        actor=actor,
        verb="task_report.update",
        obj=report,
        changes=audit.diff(before, audit.snapshot(report, FIELDS)),
    )
    return report


@transaction.atomic
def submit_task_report(
    report: TaskReport, *, actor: Any, expected_version: int | None
) -> TaskReport:
    require(actor, "taskreports.edit", obj=report)
    if report.state == ReportState.SUBMITTED:
        _fail("state", _("This report was already submitted."))
    if report.status != WorkStatus.NOT_APPLICABLE and not report.done.strip():
        _fail("done", _("Say what was done before submitting."))
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    save_versioned(report, expected_version, ["state", "submitted_at", "submitted_by"])
    audit.record(
        actor=actor,
        verb="task_report.submit",
        obj=report,
        changes={"state": [ReportState.DRAFT, ReportState.SUBMITTED]},
    )
    return report
