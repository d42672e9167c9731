"""Progress of a plan's targets (plan 1842/KH-UBND I.2) from their indicators."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.core.periods import Period
from pcmd.geo.models import Unit
from pcmd.plans.models import Plan, Target, TargetKind

from .engine import AS_WAS, Result, evaluate_many
from .models import Indicator

# A target "on track" has reached at least this share of where it should be by now.
ON_TRACK_TOLERANCE = 0.9


class Status(models.TextChoices):
    MET = "met", _("met")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    NOT_MET = "not_met", _("not met")
    NO_DATA = "no_data", _("no data yet")
    TRACKED = "tracked", _("followed (no numeric goal)")


@dataclass
class Progress:
    target: Target
    indicator: Indicator | None
    result: Result | None
    status: str
    goal_text: str
    fraction: float | None  # 0..1 towards the goal, for a progress bar
    extra: dict[str, Any] = field(default_factory=dict)
    children: dict[int, tuple[Any, str]] = field(default_factory=dict)  # unit id -> (value, status)
    # The value as the viewer may see it (set by the dashboard; small counts hidden).
    display: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def value(self) -> Any:
        return self.result.total if self.result else None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def goal_text(target: Target) -> str:
    def n(v: Decimal | None) -> str:
        return f"{v:.0f}" if v is not None else ""

    if target.kind == TargetKind.COUNT_RANGE:
        return f"{n(target.value_min)}–{n(target.value_max)}"
    if target.denominator:
        return f"{n(target.value)}/{n(target.denominator)}"
    if target.value is not None:
        return f"{n(target.value)}%" if target.kind.startswith("percent") else n(target.value)
    return "—"


def judge(
    target: Target, value: Any, period: Period, today: datetime.date, *, share: bool = False
) -> tuple[str, float | None]:
    """Status and progress fraction of ``value`` against the target's goal.

    ``share=True`` judges a child unit's share against a count-of-units target
    (174/184 becomes 94.6% of that unit's communes).
    """
    v = _num(value)
    if target.kind == TargetKind.QUALITATIVE:
        return Status.TRACKED, None
    if v is None:
        return Status.NO_DATA, None
    if target.kind == TargetKind.COUNT_RANGE:
        low = float(target.value_min or 0)
        goal = low
        met = v >= low
    elif target.kind == TargetKind.COUNT_UNITS and target.denominator and not share:
        goal = float(target.value or 0)
        met = v >= goal
    elif target.kind == TargetKind.COUNT_UNITS and target.denominator and share:
        goal = float(target.value or 0) * 100 / float(target.denominator)
        met = v >= goal
    else:
        goal = float(target.value or 0)
        met = v >= goal
    fraction = min(v / goal, 1.0) if goal else 1.0
    if met:
        return Status.MET, fraction
    elapsed = period.elapsed_fraction(today)
    if elapsed >= 1.0:
        return Status.NOT_MET, fraction
    expected = elapsed * ON_TRACK_TOLERANCE
    return (Status.ON_TRACK if fraction >= expected else Status.AT_RISK), fraction


def plan_progress(
    plan: Plan,
    root: Unit,
    period: Period,
    *,
    by_children: bool = False,
    mapping: str = AS_WAS,
    as_is_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> list[Progress]:
    today = today or datetime.date.today()
    targets = list(plan.targets.all())
    codes = {t.indicator_code for t in targets if t.indicator_code} | {"key_communes"}
    if by_children:
        codes.add("communes")  # a count-of-units target is judged as a share per child
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=codes).select_related("numerator", "denominator")
    }
    wanted = [indicators[c] for c in sorted(indicators)]
    results = {
        r.indicator.code: r
        for r in evaluate_many(
            wanted,
            root,
            period,
            by="unit" if by_children else None,
            mapping=mapping,
            as_is_on=as_is_on,
        )
    }
    out = []
    for target in targets:
        indicator = indicators.get(target.indicator_code)
        result = results.get(target.indicator_code)
        status, fraction = judge(target, result.total if result else None, period, today)
        progress = Progress(target, indicator, result, status, goal_text(target), fraction)
        extra_max = (target.extra or {}).get("key_communes_max")
        if extra_max is not None:
            key = results.get("key_communes")
            key_value = key.total if key else None
            progress.extra["key_communes"] = key_value
            if key_value is not None and key_value > extra_max and status == Status.MET:
                progress.status = (
                    Status.NOT_MET if period.elapsed_fraction(today) >= 1 else Status.AT_RISK
                )
        if by_children and result is not None:
            share = target.kind == TargetKind.COUNT_UNITS
            communes = results.get("communes") if share else None
            for unit_id, value in result.values.items():
                if target.kind == TargetKind.COUNT_RANGE:
                    progress.children[unit_id] = (value, "")
                    continue
                judged = value
                if share and communes is not None:
                    total = communes.values.get(unit_id) or 0
                    judged = (
                        (float(value) * 100 / float(total)) if total and value is not None else None
                    )
                progress.children[unit_id] = (
                    value,
                    judge(target, judged, period, today, share=share)[0],
                )
        out.append(progress)
    return out
