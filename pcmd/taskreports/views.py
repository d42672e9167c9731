"""Pages of agency task reports: my duties, the report form, the standing office overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.agencies.models import Agency
from pcmd.core.concurrency import EditConflict
from pcmd.plans.models import Plan, TaskGroup
from pcmd.plans.selectors import latest_for
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import (
    apply_errors,
    conflict_message,
    paginate,
    posted_version,
    query_without_page,
)

from . import actions, duties
from .forms import TaskReportForm
from .models import PeriodKind, ReportState, TaskReport, period_bounds

PAGE_SIZE = 50


def _plans(user: Any) -> Any:
    """Plans task reports are written against: binding plans of a province that ``user`` reads
    (not drafts, not national programmes)."""
    return Plan.objects.visible_to(user).binding().filter(unit__isnull=False)


def _plan(request: AuthenticatedHttpRequest) -> Plan:
    """The plan asked (``plan`` = id), else the plan in force today in the user's province."""
    plans = _plans(request.user).select_related("unit")
    raw = request.GET.get("plan", "")
    if raw.isdecimal():
        plan = plans.filter(pk=int(raw)).first()
    else:
        current = latest_for(request.user)
        plan = current if current is not None else plans.first()
    if plan is None:
        raise Http404
    return plan


def _groups(plan: Plan) -> list[TaskGroup]:
    return list(
        plan.task_groups.filter(withdrawn=False).prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.select_related("unit"))
        )
    )


def _cells(
    plan: Plan,
    duty_list: list[duties.Duty],
    periods: list[duties.Period],
    found: dict[tuple[str, int, int, str], TaskReport],
) -> list[dict[str, Any]]:
    rows = []
    for duty in duty_list:
        cells = []
        for p in periods:
            report = found.get((duty.group.number, duty.agency.pk, p.year, p.kind))
            cells.append({"period": p, "report": report})
        rows.append({"duty": duty, "cells": cells})
    return rows


@capability_required("taskreports.view")
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the user's agencies must report, per period; and the reports they may read."""
    user = request.user
    plan = _plan(request)
    periods = duties.plan_periods(plan)
    mine = duties.duties(plan, _groups(plan), user)
    visible = TaskReport.objects.visible_to(user).filter(plan=plan)
    found = {
        (r.group_number, r.agency_id, r.year, r.period): r
        for r in visible.filter(agency__in=[d.agency.pk for d in mine])
    }
    state = request.GET.get("state", "")
    period = request.GET.get("period", "")
    others = visible.select_related("agency")
    if state in ReportState.values:
        others = others.filter(state=state)
    if period in PeriodKind.values:
        others = others.filter(period=period)
    page = paginate(
        request, others.order_by("-period_end", "group_number", "agency__order", "pk"), PAGE_SIZE
    )
    return render(
        request,
        "taskreports/list.html",
        {
            "plan": plan,
            "plans": _plans(user),
            "periods": periods,
            "rows": _cells(plan, mine, periods, found),
            "page": page,
            "query": query_without_page(request),
            "state": state,
            "period": period,
            "states": ReportState.choices,
            "period_kinds": PeriodKind.choices,
            "can_overview": plan.unit is not None and user.sees_unit(plan.unit),
        },
    )


@capability_required("taskreports.view")
def report_page(
    request: AuthenticatedHttpRequest,
    plan_id: int,
    group: str,
    agency_id: int,
    year: int,
    period: str,
) -> HttpResponse:
    user = request.user
    plan = get_object_or_404(Plan.objects.visible_to(user).select_related("unit"), pk=plan_id)
    task_group = duties.group_of(plan, group)
    agency = get_object_or_404(Agency.objects.select_related("unit"), pk=agency_id)
    if (
        task_group is None
        or period not in PeriodKind.values
        or not (plan.period_start.year <= year <= plan.period_end.year)
    ):
        raise Http404
    if agency.pk not in {
        a.pk for a in duties.reporting_agencies(task_group, duties.district_committees(plan))
    }:
        raise Http404
    may_write = duties.may_report(user, agency)
    if not may_write and not user.sees_unit(agency.unit):
        raise Http404
    report = TaskReport.objects.filter(
        plan=plan, group_number=group, agency=agency, year=year, period=period
    ).first()
    if (
        report is not None
        and not may_write
        and not TaskReport.objects.visible_to(user).filter(pk=report.pk).exists()
    ):
        raise Http404
    editable = may_write and (report is None or report.state == ReportState.DRAFT)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    n_figures = max(6, len(report.figures) + 3 if report else 0)
    if request.method == "POST":
        n_figures = max(n_figures, sum(1 for k in request.POST if k.startswith("fig_label_")))
    form = TaskReportForm(
        request.POST or None,
        n_figures=n_figures,
        initial=TaskReportForm.initial_for(report) if report else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.save_task_report(
                plan,
                group,
                agency,
                year,
                period,
                actor=user,
                expected_version=data["version"],
                is_new=report is None,
                **{k: data[k] for k in ("status", "done", "obstacles", "proposals", "figures")},
            )
        except EditConflict as exc:
            form.add_error(None, conflict_message(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if request.POST.get("submit"):
                try:
                    actions.submit_task_report(saved, actor=user, expected_version=saved.version)
                    messages.success(request, _("Report submitted."))
                except ValidationError as exc:
                    messages.warning(request, _("Draft saved, but not submitted."))
                    for text in exc.messages:
                        messages.error(request, text)
            else:
                messages.success(request, _("Draft saved."))
            return redirect(request.path)
    start, end = period_bounds(period, year)
    return render(
        request,
        "taskreports/form.html",
        {
            "plan": plan,
            "group": task_group,
            "agency": agency,
            "year": year,
            "period_label": PeriodKind(period).label,
            "report": report,
            "form": form,
            "editable": editable,
            "start": start,
            "end": end,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@capability_required("taskreports.edit")
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(TaskReport.objects.visible_to(request.user), pk=pk)
    try:
        actions.submit_task_report(
            report, actor=request.user, expected_version=posted_version(request)
        )
        messages.success(request, _("Report submitted."))
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect(
        "taskreports:report",
        plan_id=report.plan_id,
        group=report.group_number,
        agency_id=report.agency_id,
        year=report.year,
        period=report.period,
    )


@capability_required("taskreports.view")
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All agencies × periods: who reported, who has not (the standing office's view)."""
    user = request.user
    plan = _plan(request)
    if plan.unit is None or not user.sees_unit(plan.unit):
        raise PermissionDenied
    periods = duties.plan_periods(plan)
    every = duties.duties(plan, _groups(plan))
    found = {
        (r.group_number, r.agency_id, r.year, r.period): r
        for r in TaskReport.objects.visible_to(user)
        .filter(plan=plan)
        .only("pk", "group_number", "agency_id", "year", "period", "state", "status", "version")
    }
    rows = _cells(plan, every, periods, found)
    totals = []
    for i, p in enumerate(periods):
        states = [
            row["cells"][i]["report"].state if row["cells"][i]["report"] else None for row in rows
        ]
        totals.append(
            {
                "period": p,
                "submitted": states.count(ReportState.SUBMITTED),
                "draft": states.count(ReportState.DRAFT),
                "missing": states.count(None),
            }
        )
    return render(
        request,
        "taskreports/overview.html",
        {
            "plan": plan,
            "plans": _plans(user),
            "periods": periods,
            "rows": rows,
            "totals": totals,
            "expected": len(rows),
        },
    )
