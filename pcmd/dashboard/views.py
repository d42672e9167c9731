"""Dashboard: target cards, trend, breakdown with drill-down, alerts; map; exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from pcmd.core.datacache import remember, scope_key, scope_tables, snapshot
from pcmd.core.db_router import read_replica
from pcmd.core.formatting import format_number
from pcmd.core.periods import months_of
from pcmd.indicators.engine import EngineError, evaluate, territory
from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import must_suppress, shown
from pcmd.indicators.sources import SOURCES, may_read
from pcmd.plans.progress import Progress, plan_progress, tone, viewable
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .alerts import register_alerts, review_alerts
from .charts import Bar, bar_chart
from .query import Question, parse_question
from .thematic import build

TREND_INDICATORS = ["inspections", "activities", "patrols", "violations"]


def _name(indicator: Indicator) -> str:
    return indicator.name_en if get_language() == "en" else indicator.name


def breakdown_rows(
    q: Question, user: Any, progress: list[Progress] | None = None
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The province-by-district (or district-by-commune) table of all targets.

    Each row links to the dashboard of its unit (down to the commune); a cell is judged against
    the goal the target sets at the row's level (a share, an allocation, or monitoring only).
    ``progress``: the plan's progress by children when the caller has it already.
    """
    if q.plan is None:
        return [], []
    if progress is None:
        progress = progress_by_children(q)
    terr = territory(q.root, q.period, by="unit", mapping=q.mapping, as_is_on=q.as_is_on)
    columns = [p for p in progress if p.result is not None]
    rows = []
    for unit in terr.children:
        cells = []
        for p in columns:
            value, status = p.children.get(unit.pk, (None, ""))
            share = p.child_shares.get(unit.pk)
            goal = p.child_goals.get(unit.pk)
            cells.append(
                {
                    "value": shown(value, suppress=must_suppress(p.indicator, user)),
                    "share": share,
                    "percent": bool(p.indicator and p.indicator.unit_label == "%"),
                    "goal": goal.text if goal else "",
                    "status": status,
                    "tone": tone(status) if status else "none",
                }
            )
        rows.append(
            {
                "unit": unit,
                "name": unit.name_on(q.period.end),
                "cells": cells,
                "url": f"?{q.params(unit=unit.pk)}",
            }
        )
    return columns, rows


def progress_by_children(q: Question) -> list[Progress]:
    if q.plan is None:
        return []
    return plan_progress(
        q.plan, q.root, q.period, by_children=True, mapping=q.mapping, as_is_on=q.as_is_on
    )


def _trend(q: Question, code: str) -> dict[str, Any] | None:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    try:
        result = evaluate(
            indicator, q.root, q.period, by="month", mapping=q.mapping, as_is_on=q.as_is_on
        )
    except EngineError:
        return None  # e.g. a register without event dates has no trend by month
    bars = [
        Bar(
            label=f"{m.start:%m/%y}",
            value=float(result.values.get(m.start, 0) or 0),
            title=f"{m.start:%m/%Y}: {format_number(result.values.get(m.start, 0) or 0)}",
        )
        for m in months_of(q.period)
    ]
    return {
        "indicator": indicator,
        "name": _name(indicator),
        "chart": bar_chart(bars),
        # nothing in any month: a sentence, not an empty chart with a 0-1 axis
        "empty": not any(b.value for b in bars),
    }


def _question_key(q: Question) -> tuple[Any, ...]:
    plan = q.plan.pk if q.plan is not None else None
    return (plan, q.root.pk, q.period.code, q.period.cutoff, q.mapping, q.as_is_on)


@capability_required("dashboard.view")
@read_replica
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = parse_question(request)
    user = request.user
    # Kept while the registers they read are unchanged (pcmd.core.datacache); the same for
    # every user asking the same question, but the alerts, which name what the user may see:
    # shared by the users with the same roles and scope (the overdue reviews go by the clock:
    # computed every time).
    key = (*_question_key(q), get_language(), timezone.localdate())
    now = snapshot()
    # One evaluation serves the root's figures and the table by children: a result by
    # children carries the root's total and the root is judged the same way.
    progress = remember((*key, "progress"), lambda: progress_by_children(q), now=now)
    for p in progress:
        viewable(p, must_suppress(p.indicator, request.user))
    columns, rows = breakdown_rows(q, request.user, progress)
    trend_code = request.GET.get("trend", "inspections")
    if trend_code not in TREND_INDICATORS:
        trend_code = "inspections"
    from pcmd.reporting.stats import completeness

    reports = remember(
        (*key, "completeness"), lambda: completeness(q.root, q.period, today=q.as_is_on), now=now
    )
    alerts = remember(
        (*key, "alerts", scope_key(user)),
        lambda: register_alerts(q, user),
        base_tables=scope_tables(),
        now=now,
    ) | review_alerts(user)
    return render(
        request,
        "dashboard/home.html",
        {
            "reports": reports,
            "q": q,
            "form": q.form,
            "progress": progress,
            "columns": columns,
            "rows": rows,
            "alerts": alerts,
            "note": next((p.result.note for p in progress if p.result), None),
            "trend": remember((*key, "trend", trend_code), lambda: _trend(q, trend_code), now=now),
            "trend_choices": Indicator.objects.filter(code__in=TREND_INDICATORS),
            "trend_code": trend_code,
            "ancestors": [
                {"unit": a, "url": f"?{q.params(unit=a.pk)}"}
                for a in q.root.ancestors()
                if request.user.sees_unit(a)
            ],
            "language": get_language(),
        },
    )


@capability_required("dashboard.view")
@read_replica
def map_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = parse_question(request)
    code = request.GET.get("indicator", "communes_with_activity")
    indicator = Indicator.objects.filter(code=code, is_active=True).select_related(
        "numerator", "denominator"
    ).first() or get_object_or_404(Indicator, code="communes")
    if not may_read(indicator, request.user):
        indicator = get_object_or_404(Indicator, code="communes")
    thematic = build(q, indicator, request.user)
    return render(
        request,
        "dashboard/map.html",
        {
            "q": q,
            "form": q.form,
            "indicator": indicator,
            "name": _name(indicator),
            "indicators": [
                i
                for i in Indicator.objects.visible_to(request.user).select_related(
                    "numerator", "denominator"
                )
                if may_read(i, request.user)
            ],
            "map": thematic,
            "note": thematic.note,
            "total": thematic.total,
        },
    )


@capability_required("dashboard.view")
@read_replica
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.visible_to(request.user).select_related(
        "numerator", "denominator"
    )
    return render(
        request,
        "dashboard/indicators.html",
        {"indicators": indicators, "sources": SOURCES, "language": get_language()},
    )
