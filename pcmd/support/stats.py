"""Totals of support counts (one grouped query) and small-cell suppression (DESIGN.md §4).

Counts of people who sold sex are sensitive even as numbers: a "2" in a small commune can
point at someone. The rule is the project's one (``pcmd.indicators.privacy``): person-level
roles and the officers who record these counts see exact figures; everyone else sees values
below the threshold as "<5".
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum

from pcmd.indicators import privacy

from .models import COUNT_FIELDS

SOURCE = "support_counts"


def sees_exact(user: Any) -> bool:
    return privacy.sees_small_cells(user, SOURCE)


def shown(value: int | None, exact: bool) -> int | str | None:
    return privacy.shown(value, suppress=not exact)


def totals(rows: QuerySet[Any]) -> dict[str, int]:
    sums = rows.aggregate(**{name: Sum(name) for name in COUNT_FIELDS})
    return {name: sums[name] or 0 for name in COUNT_FIELDS}


def by_district(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return list(
        rows.order_by()
        .values("commune__parent__code", "commune__parent__name")
        .annotate(**{name: Sum(name) for name in COUNT_FIELDS})
        .order_by("commune__parent__code")
    )
