"""The two outreach figures of plan 1842/KH-UBND, each one grouped query over the scope.

- T1: share of communes (in the user's scope, on the year's map) that held at least one
  communication activity in the year — "Phấn đấu 100% xã, phường tổ chức tuyên truyền".
- T5: share of rostered commune officers working on social-evils prevention who attended a
  course in the year — "100% cán bộ … tại các xã, phường, thị trấn được tập huấn".

There is no indicator engine yet (DESIGN.md §5); when it lands these become indicators with
the same definitions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from pcmd.accounts.permissions import units_q
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q

from .models import Officer, TrainingParticipant
from .scope import map_date, year_bounds


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class DistrictRow:
    pk: int | None
    code: str
    name: str
    total: int = 0
    done: int = 0

    @property
    def share(self) -> Decimal | None:
        return percent(self.done, self.total)


@dataclass
class Coverage:
    year: int
    on: datetime.date
    total: int = 0
    covered: int = 0
    missing: list[Unit] = field(default_factory=list)
    districts: list[DistrictRow] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        return percent(self.covered, self.total)


def commune_coverage(
    user: Any, year: int, *, district: Unit | None = None, commune: Unit | None = None
) -> Coverage:
    """Communes in scope with at least one (not deleted) activity dated in ``year``.

    Counted on the map of the year's last day; one query (communes annotated with their
    number of activities), whatever the number of communes.
    """
    start, end = year_bounds(year)
    on = map_date(year)
    communes = Unit.objects.valid_on(on).filter(units_q(user), level=UnitLevel.COMMUNE)
    if district is not None:
        communes = communes.filter(path__startswith=district.path)
    if commune is not None:
        communes = communes.filter(pk=commune.pk)
    rows = (
        communes.select_related("parent")
        .annotate(
            n=Count(
                "communication_activities",
                filter=Q(
                    communication_activities__date__range=(start, end),
                    communication_activities__is_deleted=False,
                ),
            )
        )
        .order_by("parent__code", "code")
    )
    result = Coverage(year=year, on=on)
    by_district: dict[int | None, DistrictRow] = {}
    for unit in rows:
        parent = unit.parent
        row = by_district.get(unit.parent_id)
        if row is None:
            row = by_district[unit.parent_id] = DistrictRow(
                unit.parent_id, parent.code if parent else "", parent.name if parent else ""
            )
        row.total += 1
        result.total += 1
        if unit.n:
            row.done += 1
            result.covered += 1
        else:
            result.missing.append(unit)
    result.districts = list(by_district.values())
    return result


@dataclass
class TrainedShare:
    year: int
    total: int = 0
    trained: int = 0
    districts: list[DistrictRow] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        return percent(self.trained, self.total)


def trained_q(year: int) -> Exists:
    """An officer attended a (not deleted) course that overlaps ``year``."""
    start, end = year_bounds(year)
    return Exists(
        TrainingParticipant.objects.filter(
            officer=OuterRef("pk"),
            training__is_deleted=False,
            training__start_date__lte=end,
            training__end_date__gte=start,
        )
    )


def rostered_officers(user: Any, year: int) -> Any:
    """Officers on the roster in scope who work on social-evils prevention during ``year``."""
    start, end = year_bounds(year)
    return (
        Officer.objects.visible_to(user)
        .filter(is_social_evils_officer=True, commune__level=UnitLevel.COMMUNE)
        .serving_in(start, end)
    )


def trained_share(user: Any, year: int, *, district: Unit | None = None) -> TrainedShare:
    """One grouped query: rostered officers and trained officers per district."""
    officers = rostered_officers(user, year)
    if district is not None:
        officers = officers.filter(under_q("commune", [district.path]))
    rows = (
        officers.annotate(was_trained=trained_q(year))
        .values("commune__parent", "commune__parent__code", "commune__parent__name")
        .annotate(total=Count("pk"), trained=Count("pk", filter=Q(was_trained=True)))
        .order_by("commune__parent__code")
    )
    result = TrainedShare(year=year)
    for r in rows:
        result.districts.append(
            DistrictRow(
                r["commune__parent"],
                r["commune__parent__code"] or "",
                r["commune__parent__name"] or "",
                r["total"],
                r["trained"],
            )
        )
        result.total += r["total"]
        result.trained += r["trained"]
    return result
