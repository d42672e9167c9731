"""Dashboard: target cards, trend, breakdown with drill-down, alerts; map; exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from pcmd.core.periods import months_of
from pcmd.geo.models import UnitLevel
from pcmd.indicators.engine import EngineError, evaluate, territory
from pcmd.indicators.models import Boundary, Indicator
from pcmd.indicators.privacy import is_small, must_suppress, shown, threshold
from pcmd.indicators.sources import SOURCES, may_read
from pcmd.indicators.targets import plan_progress
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .alerts import alerts as _alerts
from .charts import Bar, Projection, bar_chart, classes, colour, geometry_points, polygon_path
from .query import Question, parse_question

TREND_INDICATORS = ["inspections", "activities", "patrols", "violations"]


def _name(indicator: Indicator) -> str:
    return indicator.name_en if get_language() == "en" else indicator.name


def breakdown_rows(q: Question, user: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    """The province-by-district (or district-by-commune) table of all targets."""
    if q.plan is None:
        return [], []
    progress = plan_progress(
        q.plan, q.root, q.period, by_children=True, mapping=q.mapping, as_is_on=q.as_is_on
    )
    terr = territory(q.root, q.period, by="unit", mapping=q.mapping, as_is_on=q.as_is_on)
    columns = [p for p in progress if p.result is not None]
    rows = []
    for unit in terr.children:
        cells = []
        for p in columns:
            value, status = p.children.get(unit.pk, (None, ""))
            cells.append(
                {"value": shown(value, suppress=must_suppress(p.indicator, user)), "status": status}
            )
        rows.append({"unit": unit, "cells": cells, "drill": unit.level < UnitLevel.COMMUNE})
    return columns, rows


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
            title=f"{m.start:%m/%Y}: {result.values.get(m.start, 0) or 0}",
        )
        for m in months_of(q.period)
    ]
    return {"indicator": indicator, "name": _name(indicator), "chart": bar_chart(bars)}


@capability_required("dashboard.view")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = parse_question(request)
    progress = (
        plan_progress(q.plan, q.root, q.period, mapping=q.mapping, as_is_on=q.as_is_on)
        if q.plan
        else []
    )
    for p in progress:
        p.display = shown(p.value, suppress=must_suppress(p.indicator, request.user))
        if p.display != p.value:
            p.fraction = None  # a bar would give the hidden value away
    columns, rows = breakdown_rows(q, request.user)
    trend_code = request.GET.get("trend", "inspections")
    if trend_code not in TREND_INDICATORS:
        trend_code = "inspections"
    from pcmd.reporting.stats import completeness

    reports = completeness(q.root, q.period, today=q.as_is_on)
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
            "alerts": _alerts(q, request.user),
            "note": next((p.result.note for p in progress if p.result), None),
            "trend": _trend(q, trend_code),
            "trend_choices": Indicator.objects.filter(code__in=TREND_INDICATORS),
            "trend_code": trend_code,
            "ancestors": [a for a in q.root.ancestors() if request.user.sees_unit(a)],
            "language": get_language(),
        },
    )


@capability_required("dashboard.view")
def map_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = parse_question(request)
    code = request.GET.get("indicator", "communes_with_activity")
    indicator = Indicator.objects.filter(code=code, is_active=True).select_related(
        "numerator", "denominator"
    ).first() or get_object_or_404(Indicator, code="communes")
    if not may_read(indicator, request.user):
        indicator = get_object_or_404(Indicator, code="communes")
    result = evaluate(
        indicator, q.root, q.period, by="commune", mapping=q.mapping, as_is_on=q.as_is_on
    )
    terr = territory(q.root, q.period, by="commune", mapping=q.mapping, as_is_on=q.as_is_on)
    communes = [u for u in terr.children if u.lat is not None]
    boundaries = {b.unit_id: b.geometry for b in Boundary.objects.filter(unit__in=terr.children)}
    suppress = must_suppress(indicator, request.user)
    values = {uid: (float(v) if v is not None else None) for uid, v in result.values.items()}
    if suppress:
        # One "<5" class: colour, size and legend must not give a hidden value away.
        values = {uid: (threshold() - 1.0 if is_small(v) else v) for uid, v in values.items()}
    bounds = classes([v for v in values.values() if v is not None])
    points = [(u.lat, u.lon) for u in communes if u.lat is not None and u.lon is not None]
    for geometry in boundaries.values():
        points.extend(geometry_points(geometry))
    project = Projection(points, 760, 560)
    top = max((v for v in values.values() if v), default=0) or 1
    shapes = []
    for unit in terr.children:
        value = values.get(unit.pk)
        label = shown(result.values.get(unit.pk), suppress=suppress)
        item = {
            "unit": unit,
            "name": unit.name_on(q.period.end),
            "value": label,
            "fill": colour(value, bounds),
        }
        if unit.pk in boundaries:
            item["path"] = polygon_path(boundaries[unit.pk], project)
        elif unit.lat is not None and unit.lon is not None:
            x, y = project(unit.lat, unit.lon)
            item.update({"x": x, "y": y, "r": round(4 + 10 * ((value or 0) / top) ** 0.5, 1)})
        else:
            continue
        shapes.append(item)
    legend = []
    low = 0.0
    for bound in bounds:
        text = (
            f"<{threshold()}" if suppress and bound < threshold() else f"{_fmt(low)}–{_fmt(bound)}"
        )
        legend.append({"fill": colour(bound, bounds), "text": text})
        low = bound
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
            "shapes": shapes,
            "legend": legend,
            "polygons": bool(boundaries),
            "note": result.note,
            "total": shown(result.total, suppress=suppress),
        },
    )


def _fmt(v: float) -> str:
    return f"{v:,.1f}".replace(",", " ").replace(".0", "").replace(" ", ".")


@capability_required("dashboard.view")
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.visible_to(request.user).select_related(
        "numerator", "denominator"
    )
    return render(
        request,
        "dashboard/indicators.html",
        {"indicators": indicators, "sources": SOURCES, "language": get_language()},
    )
