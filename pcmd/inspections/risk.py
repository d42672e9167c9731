"""A transparent risk score per establishment: "what to inspect next".

score = kind + past violations + time since the last inspection + active hotspot nearby
        + tips received

Every part is shown with its reason. The weights are data (``RiskWeights``, edited by an
administrator). The computation runs a fixed number of queries whatever the number of
establishments: the weights, three grouped queries (violations in the window, date of the last
inspection, tips in the window), the hotspots with their status history, the kinds' weights and
the establishments' plain columns; the rest is Python. Model instances, parts and reasons are
made only for the rows shown (``Ranking``).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, overload

from django.db.models import Count, Max, QuerySet
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from pcmd.core.datacache import remember
from pcmd.core.formatting import format_date, vi_sort_key
from pcmd.geo.subtree import under_q
from pcmd.registry.models import Establishment, EstablishmentKind, EstablishmentStatus

from .models import Inspection, RiskWeights, Tip


def months_before(on: datetime.date, months: int) -> datetime.date:
    year, month = divmod(on.month - 1 - months, 12)
    year += on.year
    month += 1
    day = min(
        on.day,
        [
            31,
            29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1],
    )
    return datetime.date(year, month, day)


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), Earth radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


@dataclass
class Part:
    """One term of a score. Its ``reason`` is written when first read, by ``explain(*args)``
    in the language the score was computed in (or is ``explain`` itself when a string)."""

    key: str  # kind | violations | inspection | hotspot | tips
    label: str
    points: int
    explain: str | Callable[..., str] = field(repr=False, compare=False)
    args: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    language: str | None = field(default=None, repr=False, compare=False)

    @cached_property
    def reason(self) -> str:
        if isinstance(self.explain, str):
            return self.explain
        with translation.override(self.language):
            return self.explain(*self.args)


def _kind_reason(kind: str, weight: int, multiplier: int) -> str:
    return _("%(kind)s: weight %(weight)s × %(mult)s") % {
        "kind": kind,
        "weight": weight,
        "mult": multiplier,
    }


def _violations_reason(n: int, months: int) -> str:
    return ngettext(
        "%(n)s violation in the last %(months)s months",
        "%(n)s violations in the last %(months)s months",
        n,
    ) % {"n": n, "months": months}


def _inspection_reason(last: datetime.date | None, on: datetime.date) -> str:
    if last is None:
        return _("never inspected")
    months = whole_months_between(last, on)
    return ngettext("%(date)s, %(n)s month ago", "%(date)s, %(n)s months ago", months) % {
        "date": format_date(last),
        "n": months,
    }


def _hotspot_reason(near: tuple[Any, float | None] | None, name_hotspots: bool) -> str:
    if near is None:
        return _("no active hotspot nearby")
    spot, how = near
    name = spot.name if name_hotspots else _("a hotspot")
    if how is None:
        return _("active hotspot %(name)s in the same commune") % {"name": name}
    return _("active hotspot %(name)s %(km)s km away") % {
        "name": name,
        "km": f"{how:.1f}".replace(".", ","),
    }


def _tips_reason(t: int, months: int) -> str:
    return ngettext(
        "%(n)s tip in the last %(months)s months",
        "%(n)s tips in the last %(months)s months",
        t,
    ) % {"n": t, "months": months}


@dataclass
class RiskRow:
    establishment: Establishment
    score: int = 0
    parts: list[Part] = field(default_factory=list)
    last_inspected: datetime.date | None = None
    violations: int = 0
    tips: int = 0
    rank: int = field(default=0, repr=False, compare=False)  # set by the API's ranking

    def add(self, part: Part) -> None:
        self.parts.append(part)
        self.score += part.points


def active_weights() -> RiskWeights:
    """The weights in use; the model's defaults if an administrator removed them all."""
    return RiskWeights.objects.filter(is_active=True).order_by("pk").first() or RiskWeights(
        name="defaults"
    )


def _hotspots(province_paths: list[str], on: datetime.date) -> list[Any]:
    """Hotspots active on ``on`` in the provinces: status from the dated history."""
    from pcmd.hotspots.models import Hotspot, HotspotStatus

    rows = (
        Hotspot.objects.filter(
            under_q("commune", province_paths), is_deleted=False, first_seen__lte=on
        )
        .select_related("commune")
        .prefetch_related("history")
    )
    active = []
    for spot in rows:
        history = list(spot.history.all())  # ordered by date
        status: str = HotspotStatus.ACTIVE  # a hotspot is active from when it is first seen
        if history:
            for change in history:
                if change.on <= on:
                    status = change.status
        elif spot.status_since <= on:
            status = spot.status
        if status == HotspotStatus.ACTIVE:
            active.append(spot)
    return active


@dataclass
class RiskFacts:
    """What the ranking reads about the establishments of a scope, by establishment id."""

    violations: dict[int, int]
    last_inspected: dict[int, datetime.date]
    tips: dict[int, int]


def risk_facts(
    establishments: QuerySet[Establishment], on: datetime.date, weights: RiskWeights
) -> RiskFacts:
    """Three grouped queries over the scope's rows (not three subqueries per establishment:
    on a province's thousands of establishments those cost more than the ranking)."""
    violation_since = months_before(on, weights.violation_window_months)
    tip_since = months_before(on, weights.tip_window_months)
    ids = establishments.order_by().values("pk")
    # Violations (enforcement) point at the establishment: read through that relation, as
    # inspections does not import enforcement (it depends on inspections).
    violations = (
        Establishment.objects.filter(
            pk__in=ids,
            violations__is_deleted=False,
            violations__date__gt=violation_since,
            violations__date__lte=on,
        )
        .order_by()
        .values_list("pk")
        .annotate(n=Count("violations"))
    )
    last = (
        Inspection.objects.filter(establishment__in=ids, is_deleted=False, date__lte=on)
        .order_by()
        .values_list("establishment")
        .annotate(last=Max("date"))
    )
    tips = (
        Tip.objects.filter(establishment__in=ids, received_on__gt=tip_since, received_on__lte=on)
        .order_by()
        .values_list("establishment")
        .annotate(n=Count("pk"))
    )
    return RiskFacts(dict(violations), dict(last), dict(tips))


@dataclass(frozen=True)
class _Scored:
    """One establishment's points, computed from plain column values (no model instance):
    enough to sort a province's thousands of rows; parts and reasons are built only for the
    rows a page shows (``Ranking``)."""

    pk: int
    name: str
    last_inspected: datetime.date | None
    violations: int
    tips: int
    near: tuple[Any, float | None] | None
    points: tuple[int, int, int, int, int]  # kind, violations, inspection, hotspot, tips

    @property
    def score(self) -> int:
        return sum(self.points)

    def key(self) -> tuple[Any, ...]:
        """Highest score first; then never inspected, then inspected longest ago; then name."""
        return (
            -self.score,
            self.last_inspected is not None,
            self.last_inspected or datetime.date.min,
            vi_sort_key(self.name),
            self.pk,
        )


class Ranking(Sequence[RiskRow]):
    """The ranked rows of a scope: the order is computed for every row, a ``RiskRow`` (with
    its model instance, parts and reasons) only for the rows read: ``len()`` and a slice for
    a page or a card cost one query for that slice, not instances for the whole province.
    Rows carry their 1-based ``rank``. Reasons are written in the language of the ranking."""

    def __init__(
        self,
        scored: list[_Scored],
        establishments: QuerySet[Establishment],
        weights: RiskWeights,
        on: datetime.date,
        name_hotspots: bool,
    ) -> None:
        self._scored = scored
        self._establishments = establishments
        self._weights = weights
        self._on = on
        self._name_hotspots = name_hotspots
        self._language = get_language()

    def __len__(self) -> int:
        return len(self._scored)

    @overload
    def __getitem__(self, index: int) -> RiskRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[RiskRow]: ...

    def __getitem__(self, index: int | slice) -> RiskRow | list[RiskRow]:
        if isinstance(index, slice):
            positions = range(len(self._scored))[index]
            return self._build([(i + 1, self._scored[i]) for i in positions])
        position = range(len(self._scored))[index]  # IndexError as a list would
        return self._build([(position + 1, self._scored[position])])[0]

    def __iter__(self) -> Iterator[RiskRow]:
        return iter(self[:])

    def _build(self, wanted: list[tuple[int, _Scored]]) -> list[RiskRow]:
        if not wanted:
            return []
        instances = self._establishments.filter(pk__in=[s.pk for _r, s in wanted])
        by_pk = {e.pk: e for e in instances.prefetch_related("kind", "commune")}
        weights, language = self._weights, self._language
        with translation.override(language):
            label = {
                "kind": _("Kind"),
                "violations": _("Past violations"),
                "inspection": _("Last inspection"),
                "hotspot": _("Hotspot nearby"),
                "tips": _("Tips received"),
            }
        english = (language or "").startswith("en")
        rows = []
        for rank, scored in wanted:
            est = by_pk.get(scored.pk)
            if est is None:  # deleted or closed since the ranking was computed
                continue
            kind_weight = est.kind.risk_weight
            kind_name = est.kind.name_en if english and est.kind.name_en else est.kind.name
            kind, violations, inspection, hotspot, tips = scored.points
            row = RiskRow(
                establishment=est,
                last_inspected=scored.last_inspected,
                violations=scored.violations,
                tips=scored.tips,
                rank=rank,
            )
            reasons: list[tuple[str, int, Callable[..., str], tuple[Any, ...]]] = [
                ("kind", kind, _kind_reason, (kind_name, kind_weight, weights.kind_multiplier)),
                (
                    "violations",
                    violations,
                    _violations_reason,
                    (scored.violations, weights.violation_window_months),
                ),
                ("inspection", inspection, _inspection_reason, (scored.last_inspected, self._on)),
                ("hotspot", hotspot, _hotspot_reason, (scored.near, self._name_hotspots)),
                ("tips", tips, _tips_reason, (scored.tips, weights.tip_window_months)),
            ]
            for key, points, explain, args in reasons:
                row.add(Part(key, label[key], points, explain, args, language))
            rows.append(row)
        return rows


def _points(
    weights: RiskWeights,
    on: datetime.date,
    kind_weight: int,
    violations: int,
    last_inspected: datetime.date | None,
    near: tuple[Any, float | None] | None,
    tips: int,
) -> tuple[int, int, int, int, int]:
    if last_inspected is None:
        inspection = weights.never_inspected_points
    else:
        months = whole_months_between(last_inspected, on)
        inspection = min(months * weights.points_per_month_uninspected, weights.months_cap)
    return (
        kind_weight * weights.kind_multiplier,
        min(violations * weights.violation_points, weights.violation_cap),
        inspection,
        weights.hotspot_points if near is not None else 0,
        min(tips * weights.tip_points, weights.tip_cap),
    )


def score_rows(
    establishments: QuerySet[Establishment],
    on: datetime.date,
    *,
    weights: RiskWeights | None = None,
    province_paths: list[str] | None = None,
    name_hotspots: bool = True,
) -> Ranking:
    """Rank ``establishments`` (already scoped) by risk on ``on``, highest first. The order is
    kept while the registers it read are unchanged (pcmd.core.datacache), for every user whose
    rows are the same: the key is the SQL of the rows, scope ids included."""
    weights = weights or active_weights()
    open_ones = establishments.exclude(status=EstablishmentStatus.CLOSED)
    paths = province_paths or ["/"]
    sql, params = open_ones.query.sql_with_params()
    weighed = tuple(getattr(weights, f.attname) for f in RiskWeights._meta.concrete_fields)
    scored = remember(
        ("risk", sql, tuple(params), on, weighed, tuple(paths)),
        lambda: _scored(open_ones, on, weights, paths),
        base_tables=[RiskWeights._meta.db_table],  # the weights are read before
    )
    return Ranking(scored, open_ones, weights, on, name_hotspots)


def _scored(
    open_ones: QuerySet[Establishment],
    on: datetime.date,
    weights: RiskWeights,
    province_paths: list[str],
) -> list[_Scored]:
    facts = risk_facts(open_ones, on, weights)
    hotspots = _hotspots(province_paths, on)
    by_commune: dict[int, list[Any]] = {}
    for spot in hotspots:
        by_commune.setdefault(spot.commune_id, []).append(spot)
    located = [s for s in hotspots if s.lat is not None and s.lon is not None]
    radius = float(Decimal(weights.hotspot_distance_km))
    columns = list(
        open_ones.order_by().values_list("pk", "name", "kind_id", "commune_id", "lat", "lon")
    )
    # Read after the rows: a kind made meanwhile is there too (a kind in use is not deleted).
    kind_weights = dict(EstablishmentKind.objects.values_list("pk", "risk_weight"))
    scored = []
    for pk, name, kind_id, commune_id, lat, lon in columns:
        last_inspected = facts.last_inspected.get(pk)
        n = facts.violations.get(pk, 0)
        t = facts.tips.get(pk, 0)
        near = _nearby(commune_id, lat, lon, by_commune, located, radius)
        points = _points(weights, on, kind_weights[kind_id], n, last_inspected, near, t)
        scored.append(_Scored(pk, name, last_inspected, n, t, near, points))
    scored.sort(key=_Scored.key)
    return scored


def _nearby(
    commune_id: int,
    lat: float | None,
    lon: float | None,
    by_commune: dict[int, list[Any]],
    located: list[Any],
    radius: float,
) -> tuple[Any, float | None] | None:
    """The hotspot that makes an establishment risky: same commune first, else the closest
    within ``radius`` km when both have coordinates. ``(hotspot, None)`` means same commune."""
    same = by_commune.get(commune_id)
    if same:
        return same[0], None
    if lat is None or lon is None:
        return None
    best: tuple[Any, float] | None = None
    # A hotspot further north or south than the radius cannot be within it (the distance is
    # at least the latitude's arc): skip the great-circle formula for those.
    margin = radius * 180 / (math.pi * 6371)
    here = float(lat)
    for spot in located:
        if abs(float(spot.lat) - here) > margin:
            continue
        km = distance_km(here, float(lon), spot.lat, spot.lon)
        if km <= radius and (best is None or km < best[1]):
            best = (spot, km)
    return best
