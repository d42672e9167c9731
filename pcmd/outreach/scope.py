"""Helpers on units and the user's scope shared by the outreach and support apps."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pcmd.accounts.permissions import units_q
from pcmd.core.formatting import vi_sort_key
from pcmd.geo.models import Unit, UnitLevel


def scope_units(user: Any, levels: tuple[int, ...] = (1, 2, 3)) -> QuerySet[Unit]:
    """Units of the given levels in the user's scope, any validity, district before commune."""
    return (
        Unit.objects.visible_to(user)
        .filter(units_q(user), level__in=levels)
        .select_related("parent")
        .order_by("level", "parent__code", "code")
    )


def unit_label(unit: Unit) -> str:
    label = unit.name
    if unit.level == UnitLevel.COMMUNE and unit.parent is not None:
        label = f"{unit.name} — {unit.parent.name}"
    if unit.valid_to:
        label += f" (≤ {unit.valid_to:%d/%m/%Y})"
    if unit.valid_from:
        label += f" (≥ {unit.valid_from:%d/%m/%Y})"
    return label


def person_sort_key(full_name: str) -> tuple[Any, ...]:
    """Vietnamese lists of people sort by the given name (the last word), then the rest."""
    words = full_name.split()
    return (vi_sort_key(words[-1] if words else ""), vi_sort_key(full_name))


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def map_date(year: int) -> datetime.date:
    """The map a year's figures are counted on: its last day (or today in the current year)."""
    today = timezone.localdate()
    return (
        min(datetime.date(year, 12, 31), today)
        if year >= today.year
        else datetime.date(year, 12, 31)
    )


def units_by_code(codes: set[str]) -> dict[str, list[Unit]]:
    """Every unit row (any validity) with one of ``codes``, for file imports: one query."""
    found: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(code__in=codes).select_related("parent"):
        found.setdefault(unit.code, []).append(unit)
    return found


def pick_unit(candidates: list[Unit], on: datetime.date | None, user: Any) -> Unit | None:
    """The unit with a code that was valid on ``on`` (any date if None) in the user's scope."""
    rows = [u for u in candidates if user.sees_unit(u)]
    if on is not None:
        rows = [u for u in rows if u.is_valid_on(on)]
    if len(rows) > 1:
        today = timezone.localdate()
        current = [u for u in rows if u.is_valid_on(today)]
        rows = current or rows[:1]
    return rows[0] if rows else None
