"""Which plan applies: the dashboard, the reports and the home page judge a period against the
plan in force for it, not the newest plan.

A province has at most one issued yearly plan per period in practice; when a yearly plan and a
programme plan both cover the period, the yearly plan (the more specific) applies. Plans for a
province after the 2025 reform belong to the new province unit: a unit's plans are those of its
own province and of the provinces it became or came from (``provinces_of``).
"""

from __future__ import annotations

import datetime
from typing import Any

from pcmd.geo.models import Unit, UnitChange, UnitLevel
from pcmd.geo.tree import province_family

from .models import Plan, PlanType

# Specific before general: a yearly plan beats a programme plan covering the same period.
_TYPE_ORDER: dict[str, int] = {PlanType.YEARLY: 0, PlanType.PROGRAMME: 1, PlanType.NATIONAL: 2}


def province_of(unit: Unit) -> Unit:
    """The province-level unit at the top of ``unit``'s path."""
    if unit.level == UnitLevel.PROVINCE:
        return unit
    top = int(unit.path.strip("/").split("/")[0])
    return Unit.objects.get(pk=top)


def provinces_of(unit: Unit) -> list[int]:
    """The province of ``unit`` with its predecessors and successors across the 2025 reform
    (old Đắk Lắk and Phú Yên ↔ new Đắk Lắk): their plans are one province's plans."""
    top = unit.pk if unit.level == UnitLevel.PROVINCE else int(unit.path.strip("/").split("/")[0])
    return sorted(province_family({top}))


def plans_for(unit: Unit, user: Any = None) -> Any:
    """Binding plans of ``unit``'s province (visible to ``user`` when given)."""
    rows = Plan.objects.visible_to(user) if user is not None else Plan.objects.all()
    return rows.binding().filter(unit_id__in=provinces_of(unit))


def _best(plans: list[Plan], start: datetime.date, end: datetime.date) -> Plan | None:
    covering = [p for p in plans if p.period_start <= end and p.period_end >= start]
    if not covering:
        return None

    def overlap(plan: Plan) -> int:
        return (min(plan.period_end, end) - max(plan.period_start, start)).days

    covering.sort(
        key=lambda p: (
            _TYPE_ORDER.get(p.plan_type, 9),
            -overlap(p),
            -(p.issued_on or p.period_start).toordinal(),
        )
    )
    return covering[0]


def in_force(
    unit: Unit,
    start: datetime.date,
    end: datetime.date | None = None,
    *,
    user: Any = None,
) -> Plan | None:
    """The binding plan for ``unit``'s province whose period covers most of [start, end]:
    the yearly plan before a programme plan, the later-issued one on a tie. None when no
    issued plan covers the period."""
    end = end or start
    return _best(list(plans_for(unit, user).covering(start, end)), start, end)


def latest(unit: Unit, *, user: Any = None, on: datetime.date | None = None) -> Plan | None:
    """The plan in force on ``on`` (default today), else the most recent binding plan of the
    province that started before it: what a page shows when no period is asked."""
    on = on or datetime.date.today()
    plans = list(plans_for(unit, user).filter(period_start__lte=on))
    return _best(plans, on, on) or max(plans, key=lambda p: p.period_start, default=None)


def home_unit(user: Any) -> Unit | None:
    """The widest unit of ``user``'s scope (an administrator without one: the first province
    on today's map); None for a user without scope. Pages that show "the plan" for a user
    without a unit parameter judge it for this unit."""
    units = sorted(getattr(user, "scope_units", []), key=lambda u: u.depth)
    if units:
        return units[0]
    if getattr(user, "is_superuser", False):
        return (
            Unit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True)
            .order_by("code")
            .first()
        )
    return None


def in_force_for(user: Any, start: datetime.date, end: datetime.date | None = None) -> Plan | None:
    """:func:`in_force` for the user's own area (:func:`home_unit`), among plans they read."""
    unit = home_unit(user)
    return in_force(unit, start, end, user=user) if unit is not None else None


def latest_for(user: Any, *, on: datetime.date | None = None) -> Plan | None:
    """:func:`latest` for the user's own area (:func:`home_unit`), among plans they read."""
    unit = home_unit(user)
    return latest(unit, user=user, on=on) if unit is not None else None


def counterpart(unit: Unit, on: datetime.date) -> Unit:
    """``unit`` if it existed on ``on``; else the province of that day it came from or became
    (old Đắk Lắk ↔ new Đắk Lắk): the one with the same code first (the province the other
    merged into), then the main link of the reform."""
    if unit.is_valid_on(on) or unit.level != UnitLevel.PROVINCE:
        return unit
    others = [u for u in Unit.objects.filter(pk__in=provinces_of(unit)) if u.is_valid_on(on)]
    if not others:
        return unit
    main = set(
        UnitChange.objects.filter(is_main=True)
        .filter(predecessor_id__in=[unit.pk, *(u.pk for u in others)])
        .values_list("predecessor_id", flat=True)
    )
    others.sort(key=lambda u: (u.code != unit.code, u.pk not in main, u.pk))
    return others[0]
