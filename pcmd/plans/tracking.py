"""A target year by year, and a national programme's targets in the provincial plans.

A target's **lineage** is the target with its copies in other plans of the province: the same
code along a chain of ``copied_from`` (2018 → 2019 draft → …), and the targets that serve the
same higher target (``Target.parent``, e.g. 1629/QĐ-TTg's "≥70 % of communes"). For each year
from the baseline (the year before the lineage's first plan) to the last year with a plan, the
row shows the plan in force that year (:func:`pcmd.plans.selectors.in_force`), the goal that
plan sets, the result measured by the indicator engine on the year's map or today's, and its
status — with the dashboard's privacy rule (small counts of people hidden).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from pcmd.core.graph import connected
from pcmd.core.periods import Period, PeriodKind, year_period
from pcmd.geo.models import Unit
from pcmd.indicators.engine import AS_IS, AS_WAS, evaluate_many
from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import must_suppress, shown
from pcmd.plans.progress import Progress, goal_text, plan_progress, viewable

from .models import Plan, PlanType, Target
from .selectors import counterpart, in_force, latest, plans_for, provinces_of

# The bar of a year takes the colour of its status (the tones of dashboard.css), as an SVG
# presentation attribute: the page's strict CSP allows no inline style.
TONE_FILL = {
    "ok": "#1f7a3a",
    "info": "#0b5cad",
    "warn": "#9a6700",
    "bad": "#b42318",
    "none": "#5b6777",
}
# A page never walks more years than this (a typo such as a plan ending in 2999).
MAX_YEARS = 40
MAPS = (AS_WAS, AS_IS)


# ---- lineage --------------------------------------------------------------------------------


def _chain_plans(plan: Plan) -> set[int]:
    """Ids of the plans linked to ``plan`` by ``copied_from`` in either direction."""
    edges = Plan.objects.filter(copied_from__isnull=False).values_list("pk", "copied_from_id")
    return connected({plan.pk}, edges)


def lineage(target: Target) -> list[Target]:
    """``target`` and its counterparts in the other plans (same code along the copy chain, or
    serving the same higher target), ordered by the start of their plan's period."""
    plan = target.plan
    match = Q(plan_id__in=_chain_plans(plan), code=target.code)
    if target.parent_id:
        match |= Q(parent_id=target.parent_id)
    if plan.plan_type == PlanType.NATIONAL:
        match |= Q(parent_id=target.pk)  # a programme's target: the provinces' targets serving it
    rows = Target.objects.filter(match).select_related("plan", "plan__unit")
    if plan.unit is not None:
        rows = rows.filter(plan__unit_id__in=provinces_of(plan.unit))
    return sorted(rows, key=lambda t: (t.plan.period_start, t.plan.pk, t.pk))


def find_target(raw: str, unit: Unit, user: Any) -> Target | None:
    """The target asked by id, or by code ("T1") in the plan in force today for ``unit`` (else
    the most recent plan of the province that has the code). Only plans ``user`` may read."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 20:
        return None
    visible = Plan.objects.visible_to(user)
    if raw.isdecimal():
        return (
            Target.objects.filter(pk=int(raw), plan__in=visible)
            .select_related("plan", "plan__unit")
            .first()
        )
    current = latest(unit, user=user)
    if current is not None:
        found = current.targets.filter(code__iexact=raw).select_related("plan").first()
        if found is not None:
            return found
    return (
        Target.objects.filter(
            code__iexact=raw, plan__in=plans_for(unit, user).exclude(plan_type=PlanType.NATIONAL)
        )
        .select_related("plan", "plan__unit")
        .order_by("-plan__period_start")
        .first()
    )


# ---- year by year ---------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    period: Period
    plan: Plan | None
    target: Target | None
    # The plan's goal for the target ("" when the year is the baseline or the plan lacks it).
    goal: str
    status: str
    status_label: str
    tone: str
    display: Any  # the figure as the viewer may see it (None: no data, "<5": hidden)
    percent: bool
    baseline: bool = False
    plan_status: str = ""
    unit: Unit | None = None  # the unit the figure is for (the province valid that year)
    fraction: float | None = None
    dashboard_url: str = ""  # set by the page: the dashboard for that year and unit


@dataclass
class Tracking:
    target: Target
    unit: Unit
    mapping: str
    rows: list[YearRow] = field(default_factory=list)

    @property
    def chart(self) -> dict[str, Any]:
        return year_chart(self.rows)


def _root_for(unit: Unit, year: int, mapping: str) -> Unit:
    """On the year's own map a province that did not exist yet (or no more) is read as the
    province of that year it came from or became (old Đắk Lắk ↔ new Đắk Lắk)."""
    if mapping != AS_WAS:
        return unit
    return counterpart(unit, datetime.date(year, 12, 31))


def _years(chain: list[Target], unit: Unit, user: Any) -> range:
    binding = [t.plan for t in chain if t.plan.is_binding] or [t.plan for t in chain]
    first = min(p.period_start.year for p in binding)
    ends = [p.period_end.year for p in plans_for(unit, user)] + [p.period_end.year for p in binding]
    last = min(max(ends), first + MAX_YEARS)
    return range(first - 1, last + 1)


def _baseline(target: Target, root: Unit, period: Period, user: Any, **engine: Any) -> YearRow:
    indicator = (
        Indicator.objects.filter(code=target.indicator_code).first()
        if target.indicator_code
        else None
    )
    value = None
    if indicator is not None:
        value = evaluate_many([indicator], root, period, **engine)[0].total
    display = shown(value, suppress=must_suppress(indicator, user)) if indicator else None
    return YearRow(
        year=period.start.year,
        period=period,
        plan=None,
        target=None,
        goal="",
        status="baseline",
        status_label="",
        tone="none",
        display=display,
        percent=bool(indicator and indicator.unit_label == "%"),
        baseline=True,
        unit=root,
    )


def _row(
    progress: Progress, plan: Plan, root: Unit, period: Period, today: datetime.date
) -> YearRow:
    return YearRow(
        year=period.start.year,
        period=period,
        plan=plan,
        target=progress.target,
        goal=progress.goal_text,
        status=progress.status,
        status_label=progress.status_label,
        tone=progress.tone,
        display=progress.display,
        percent=progress.is_percent,
        plan_status=plan.status_label(today),
        unit=root,
        fraction=progress.fraction,
    )


def year_by_year(
    target: Target,
    unit: Unit,
    user: Any,
    *,
    mapping: str = AS_WAS,
    today: datetime.date | None = None,
) -> Tracking:
    """One row per year for ``target``'s lineage at ``unit`` (see the module's docstring)."""
    today = today or datetime.date.today()
    engine: dict[str, Any] = {"mapping": mapping, "as_is_on": today}
    provinces = set(provinces_of(unit))
    chain = [t for t in lineage(target) if t.plan.unit_id is None or t.plan.unit_id in provinces]
    ids = {t.pk for t in chain}
    plans_with = {t.plan_id for t in chain}
    out = Tracking(target, unit, mapping)
    years = _years(chain, unit, user)
    for year in years:
        period = year_period(year)
        root = _root_for(unit, year, mapping)
        if year == years.start:
            out.rows.append(_baseline(target, root, period, user, **engine))
            continue
        plan = in_force(unit, period.start, period.end, user=user)
        progress = None
        if plan is not None and plan.pk in plans_with:
            found = [
                p
                for p in plan_progress(plan, root, period, today=today, **engine)
                if p.target.pk in ids
            ]
            # the same code first, else the target serving the same higher target
            found.sort(key=lambda p: p.target.code != target.code)
            progress = found[0] if found else None
        if plan is None or progress is None:
            out.rows.append(
                YearRow(
                    year=year,
                    period=period,
                    plan=plan,
                    target=None,
                    goal="",
                    status="absent",
                    status_label="",
                    tone="none",
                    display=None,
                    percent=False,
                    plan_status=plan.status_label(today) if plan else "",
                    unit=root,
                )
            )
            continue
        viewable(progress, must_suppress(progress.indicator, user))
        out.rows.append(_row(progress, plan, root, period, today))
    return out


# ---- chart ----------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # "<5": hidden, no bar


def _goal_number(row: YearRow) -> float | None:
    """The numeric goal of the row for the chart's marker (a range's minimum)."""
    target = row.target
    if target is None:
        return None
    if row.percent and target.kind == "count_units" and target.denominator:
        return float(target.value or 0) * 100 / float(target.denominator)
    if target.kind == "count_range":
        return _number(target.value_min)
    return _number(target.value)


def _ticks(top: float, integer: bool) -> list[float]:
    """Axis ticks from 0 to the first round value at or above ``top`` (steps of 1, 2 or 5
    times a power of ten, at most five intervals; whole steps for counts)."""
    raw = max(top, 1e-9) / 5
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 5, 10) if top / (f * power) <= 5 + 1e-9)
    if integer:
        step = max(step, 1.0)
    count = max(1, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) for i in range(count + 1)]


def year_chart(rows: list[YearRow], *, width: int = 640, height: int = 200) -> dict[str, Any]:
    """Geometry of a bar per year (the result) with a tick for the year's goal; a hidden or
    missing figure has no bar. The template draws it as SVG (no JavaScript)."""
    values = [_number(r.display) for r in rows]
    goals = [_goal_number(r) for r in rows]
    highest = max([v for v in values + goals if v is not None], default=0.0) or 1.0
    integer = all(v is None or float(v).is_integer() for v in values + goals)
    ticks = _ticks(highest, integer)
    top = ticks[-1] or 1.0
    left, bottom, pad_top = 40, 28, 12
    inner_w = width - left - 8
    inner_h = height - bottom - pad_top
    step = inner_w / max(len(rows), 1)
    bars = []
    for i, (row, value, goal) in enumerate(zip(rows, values, goals, strict=True)):
        x = left + i * step
        h = inner_h * (value or 0) / top
        bars.append(
            {
                "year": row.year,
                "tone": row.tone,
                "fill": TONE_FILL.get(row.tone, TONE_FILL["none"]),
                "has_value": value is not None,
                "x": round(x + step * 0.2, 1),
                "w": round(step * 0.6, 1),
                "y": round(pad_top + inner_h - h, 1),
                "h": round(h, 1),
                "lx": round(x + step / 2, 1),
                "goal_y": None
                if goal is None
                else round(pad_top + inner_h - inner_h * goal / top, 1),
                "gx1": round(x + step * 0.1, 1),
                "gx2": round(x + step * 0.9, 1),
                "title": f"{row.year}: {'—' if row.display is None else row.display}",
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": [
            {"y": round(pad_top + inner_h - inner_h * v / top, 1), "v": f"{v:g}"} for v in ticks
        ],
        "left": left,
        "right": width - 8,
        "label_y": height - 8,
    }


# ---- national programme → provincial targets ------------------------------------------------


@dataclass
class TraceLine:
    target: Target  # a provincial target serving the national one
    plan: Plan
    row: YearRow | None  # its result for the plan's (last) year at the plan's province


@dataclass
class TraceItem:
    target: Target  # the national programme's target
    goal: str
    lines: list[TraceLine] = field(default_factory=list)


def plan_period(plan: Plan) -> Period:
    """The whole period of a plan: its year for a yearly plan, the range for a programme."""
    if plan.period_start.year == plan.period_end.year:
        return year_period(plan.period_start.year)
    start, end = plan.period_start, plan.period_end
    return Period(start, end, PeriodKind.RANGE, f"{start.isoformat()}..{end.isoformat()}")


def trace(programme: Plan, user: Any, *, today: datetime.date | None = None) -> list[TraceItem]:
    """Each target of a national programme with the provincial targets serving it, in every
    plan ``user`` may read, each judged for its plan's year at its province."""
    today = today or datetime.date.today()
    visible = Plan.objects.visible_to(user).binding().exclude(unit__isnull=True)
    serving = (
        Target.objects.filter(parent__plan=programme, plan__in=visible)
        .select_related("plan", "plan__unit")
        .order_by("plan__period_start", "plan__pk", "order")
    )
    by_parent: dict[int, list[Target]] = {}
    for t in serving:
        by_parent.setdefault(t.parent_id or 0, []).append(t)
    progress_cache: dict[int, list[Progress]] = {}
    items = []
    for national in programme.targets.filter(withdrawn=False):
        item = TraceItem(national, goal_text(national))
        for t in by_parent.get(national.pk, []):
            plan, unit = t.plan, t.plan.unit
            row = None
            if unit is not None and user.sees_unit(unit):
                period = plan_period(plan)
                if plan.pk not in progress_cache:
                    progress_cache[plan.pk] = plan_progress(plan, unit, period, today=today)
                found = next((p for p in progress_cache[plan.pk] if p.target.pk == t.pk), None)
                if found is not None:
                    viewable(found, must_suppress(found.indicator, user))
                    row = _row(found, plan, unit, period, today)
            item.lines.append(TraceLine(t, plan, row))
        items.append(item)
    return items
