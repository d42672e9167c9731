"""Progress of a plan's targets (plan 1842/KH-UBND I.2) from their indicators."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from pcmd.core.periods import Period
from pcmd.geo.models import Unit, UnitLevel
from pcmd.indicators.engine import AS_WAS, Result, evaluate_many
from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import must_suppress, shown

from .models import Plan, Target, TargetKind, TargetScaling
from .selectors import in_force

# A target "on track" has reached at least this share of where it should be by now.
ON_TRACK_TOLERANCE = 0.9


class Status(models.TextChoices):
    MET = "met", _("met")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    NOT_MET = "not_met", _("not met")
    NO_DATA = "no_data", _("no data yet")
    TRACKED = "tracked", _("followed (no numeric goal)")
    # The goal does not apply at this level (e.g. the provincial team's count at a district).
    MONITORED = "monitored", _("for monitoring")


# One tone per status: the card's border, its progress bar and its badge all take their colour
# from the tone (dashboard.css defines one colour per tone), so they cannot disagree.
TONES: dict[str, str] = {
    Status.MET: "ok",
    Status.ON_TRACK: "info",
    Status.AT_RISK: "warn",
    Status.NOT_MET: "bad",
    Status.NO_DATA: "none",
    Status.TRACKED: "none",
    Status.MONITORED: "none",
}


def tone(status: str) -> str:
    return TONES.get(status, "none")


class GoalMode(models.TextChoices):
    PLAN = "plan", _("the plan's goal")
    SHARE = "share", _("the goal as a share")
    ALLOCATION = "allocation", _("the unit's allocation")
    MONITOR = "monitor", _("monitoring only")


@dataclass(frozen=True)
class Goal:
    """The goal a target sets for one unit: the plan's own, a share, an allocation or none."""

    mode: str
    text: str
    value: float | None = None  # the share (percent) or the allocated count


LEVEL_NAMES: dict[int, str] = {
    UnitLevel.PROVINCE: "province",
    UnitLevel.DISTRICT: "district",
    UnitLevel.COMMUNE: "commune",
}


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
    goal: Goal = field(default_factory=lambda: Goal(GoalMode.PLAN, ""))
    # The figure judged at this level when it differs from the indicator's total: the share of
    # healthy communes (percent) where the plan's goal is "174/184 communes".
    share: float | None = None
    child_goals: dict[int, Goal] = field(default_factory=dict)
    child_shares: dict[int, float | None] = field(default_factory=dict)
    # The goal at the children's level, for a table's column heading.
    child_goal_text: str = ""
    # The value as the viewer may see it (set by the dashboard; small counts hidden).
    display: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def value(self) -> Any:
        return self.result.total if self.result else None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def tone(self) -> str:
        return tone(self.status)

    @property
    def is_percent(self) -> bool:
        """The figure shown is a percentage (a share, or a percentage indicator)."""
        if self.goal.mode == GoalMode.SHARE and self.target.kind == TargetKind.COUNT_UNITS:
            return True
        return bool(self.indicator and self.indicator.unit_label == "%")


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


def _share_goal(target: Target) -> float | None:
    """174/184 -> 94.57 (percent); None for a target that is not a count out of a total."""
    if target.kind != TargetKind.COUNT_UNITS or not target.denominator:
        return None
    return float(target.value or 0) * 100 / float(target.denominator)


def goal_at(target: Target, unit: Unit, plan_level: int = UnitLevel.PROVINCE) -> Goal:
    """The goal ``target`` sets for ``unit`` (levels and scaling come from the plan's data).

    At the plan's own level the plan's goal applies. Below it: a share applies unchanged (a
    count of units out of a total becomes that share of the unit's communes), an allocation
    where the plan sets one for the unit, and monitoring only anywhere else.
    """
    level = LEVEL_NAMES.get(unit.level, "")
    applies = target.applies_at or list(LEVEL_NAMES.values())
    if level not in applies:
        return Goal(GoalMode.MONITOR, str(Status.MONITORED.label))
    if unit.level <= plan_level:
        return Goal(GoalMode.PLAN, goal_text(target))
    if target.scaling == TargetScaling.PROVINCE_ONLY:
        return Goal(GoalMode.MONITOR, str(Status.MONITORED.label))
    if target.scaling == TargetScaling.ALLOCATION:
        allocated = (target.allocations or {}).get(unit.code)
        if allocated is None:
            return Goal(GoalMode.MONITOR, str(Status.MONITORED.label))
        return Goal(GoalMode.ALLOCATION, number_format(allocated, 0), float(allocated))
    share = _share_goal(target)
    if share is not None:
        return Goal(GoalMode.SHARE, f"{number_format(round(share, 1), 1)}%", share)
    if target.kind in (TargetKind.COUNT_RANGE, TargetKind.COUNT_UNITS):
        return Goal(GoalMode.MONITOR, str(Status.MONITORED.label))  # a count has no share
    return Goal(GoalMode.PLAN, goal_text(target))


def _judge_number(
    v: float, goal: float, met: bool, period: Period, today: datetime.date
) -> tuple[str, float | None]:
    fraction = min(v / goal, 1.0) if goal else 1.0
    if met:
        return Status.MET, fraction
    elapsed = period.elapsed_fraction(today)
    if elapsed >= 1.0:
        return Status.NOT_MET, fraction
    expected = elapsed * ON_TRACK_TOLERANCE
    return (Status.ON_TRACK if fraction >= expected else Status.AT_RISK), fraction


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
        goal = float(target.value_min or 0)
    elif target.kind == TargetKind.COUNT_UNITS and target.denominator and share:
        goal = _share_goal(target) or 0.0
    else:
        goal = float(target.value or 0)
    return _judge_number(v, goal, v >= goal, period, today)


def judge_at(
    target: Target, goal: Goal, value: Any, period: Period, today: datetime.date
) -> tuple[str, float | None]:
    """Status and fraction of ``value`` against the goal the target sets for one unit."""
    if target.kind == TargetKind.QUALITATIVE:
        return Status.TRACKED, None
    if goal.mode == GoalMode.MONITOR:
        return Status.MONITORED, None
    if goal.mode == GoalMode.ALLOCATION:
        v = _num(value)
        if v is None:
            return Status.NO_DATA, None
        return _judge_number(v, goal.value or 0.0, v >= (goal.value or 0.0), period, today)
    return judge(target, value, period, today, share=goal.mode == GoalMode.SHARE)


def _share(value: Any, communes: Any) -> float | None:
    if value is None or not communes:
        return None
    return round(float(value) * 100 / float(communes), 1)


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
    """Every target of ``plan`` at ``root``, judged against the goal it sets at root's level."""
    today = today or datetime.date.today()
    targets = list(plan.targets.filter(withdrawn=False))
    plan_level = plan.unit.level if plan.unit else UnitLevel.PROVINCE
    codes = {t.indicator_code for t in targets if t.indicator_code} | {"key_communes"}
    if by_children or root.level > plan_level:
        codes.add("communes")  # a count-of-units target is judged as a share below the plan
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
    communes = results.get("communes")
    children: dict[int, Unit] = {}
    if by_children:
        ids = {uid for r in results.values() for uid in r.values}
        children = Unit.objects.in_bulk(ids)
    out = []
    for target in targets:
        indicator = indicators.get(target.indicator_code)
        result = results.get(target.indicator_code)
        goal = goal_at(target, root, plan_level)
        total = result.total if result else None
        judged = total
        share = None
        if goal.mode == GoalMode.SHARE and target.kind == TargetKind.COUNT_UNITS:
            share = judged = _share(total, communes.total if communes else None)
        status, fraction = judge_at(target, goal, judged, period, today)
        progress = Progress(
            target, indicator, result, status, goal.text, fraction, goal=goal, share=share
        )
        extra_max = (target.extra or {}).get("key_communes_max")
        if extra_max is not None and goal.mode != GoalMode.MONITOR:
            key = results.get("key_communes")
            key_value = key.total if key else None
            progress.extra["key_communes"] = key_value
            if key_value is not None and key_value > extra_max and status == Status.MET:
                progress.status = (
                    Status.NOT_MET if period.elapsed_fraction(today) >= 1 else Status.AT_RISK
                )
        if by_children and result is not None:
            for unit_id, value in result.values.items():
                unit = children.get(unit_id)
                if unit is None:
                    continue
                child_goal = goal_at(target, unit, plan_level)
                child_judged = value
                if child_goal.mode == GoalMode.SHARE and target.kind == TargetKind.COUNT_UNITS:
                    child_judged = _share(value, communes.values.get(unit_id) if communes else None)
                    progress.child_shares[unit_id] = child_judged
                progress.child_goals[unit_id] = child_goal
                progress.children[unit_id] = (
                    value,
                    judge_at(target, child_goal, child_judged, period, today)[0],
                )
                progress.child_goal_text = child_goal.text
        out.append(progress)
    return out


def targets_for(
    user: Any, unit: Unit, period: Period, *, today: datetime.date | None = None
) -> list[Progress]:
    """The targets of the plan in force for ``period`` at ``unit`` (that ``user`` may read),
    judged at ``unit`` for ``period``.

    Each Progress carries ``status``, ``status_label``, ``tone`` (one colour per status),
    ``goal_text`` and ``display`` (the figure as this user may see it: small counts of people
    hidden). Monitoring-only targets (the goal does not apply at ``unit``'s level) have status
    ``monitored``. Empty when the user sees no plan or not the unit.
    """
    if not user.sees_unit(unit):
        return []
    plan = in_force(unit, period.start, period.end, user=user)
    if plan is None:
        return []
    progress = plan_progress(plan, unit, period, today=today)
    for p in progress:
        viewable(p, must_suppress(p.indicator, user))
    return progress


def viewable(p: Progress, suppress: bool) -> None:
    """Set ``p.display`` as the viewer may see it; a hidden value has no bar either."""
    figure = p.share if p.share is not None else p.value
    p.display = shown(figure, suppress=suppress)
    if suppress and p.display != figure:
        p.fraction = None  # a bar would give the hidden value away
