"""Totals of support counts (one grouped query) and small-cell suppression (DESIGN.md §4).

Counts of people who sold sex are sensitive even as numbers: a "2" in a small commune can
point at someone. Users who record these counts see the exact figures; everyone else (the
read-only leadership) sees values from 1 to 4 as "<5".
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum

from .models import COUNT_FIELDS

SMALL_CELL = 5


def sees_exact(user: Any) -> bool:
    return bool(user.can("support.edit"))


def shown(value: int | None, exact: bool) -> int | str | None:
    if value is None or exact or value == 0 or value >= SMALL_CELL:
        return value
    return f"<{SMALL_CELL}"


def totals(rows: QuerySet[Any]) -> dict[str, int]:
    sums = rows.aggregate(**{name: Sum(name) for name in COUNT_FIELDS})
    return {name: sums[name] or 0 for name in COUNT_FIELDS}


def by_district(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return list(rows.order_by().values("commune__parent__code", "commune__parent__name")
                .annotate(**{name: Sum(name) for name in COUNT_FIELDS})
                .order_by("commune__parent__code"))
