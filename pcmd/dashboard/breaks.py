"""Class breaks of the thematic map, suited to what the indicator measures.

- yes/no (an indicator that counts communes, seen commune by commune): two classes,
  "yes" and "no";
- a share (a ratio in per cent): fixed classes <20, 20–40, 40–60, 60–80, ≥80 %, so that the
  same colour means the same share on every map;
- a count: 0 on its own, then up to five classes whose upper bounds are quantiles of the
  positive values rounded up to a nice number (1, 2, 3, 5 × 10^k);
- a count of people that must be suppressed for the reader: 1–4 is one class "<5" (its
  colour and label give no hidden value away), the classes above it start at 5.

A commune without a value (no data) is in no class.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from pcmd.indicators.models import Indicator, IndicatorKind
from pcmd.indicators.privacy import threshold

YESNO, SHARE, COUNT = "yesno", "share", "count"

# ColorBrewer "Oranges" (sequential, colour-blind safe), light to dark.
SEQUENTIAL = ["#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]
ZERO = "#fff5eb"
NO_DATA = "#d9dee5"
YES, NO = "#3b7dbf", "#f3e3c3"
SHARE_BOUNDS = [20.0, 40.0, 60.0, 80.0]
NICE_STEPS = (1, 2, 3, 5)
MAX_CLASSES = 5


@dataclass
class MapClass:
    """Values ``lower <= v < upper`` (``upper`` None: no upper bound)."""

    label: str
    fill: str
    lower: float
    upper: float | None
    count: int = 0

    def holds(self, value: float) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)


@dataclass
class Legend:
    kind: str
    classes: list[MapClass] = field(default_factory=list)
    no_data_fill: str = NO_DATA

    def find(self, value: float | None) -> MapClass | None:
        if value is None:
            return None
        for item in self.classes:
            if item.holds(value):
                return item
        return self.classes[-1] if self.classes else None

    def fill(self, value: float | None) -> str:
        found = self.find(value)
        return found.fill if found else self.no_data_fill


def counts_communes(indicator: Indicator) -> bool:
    """Does ``indicator`` count communes (so that one commune has 0 or 1)?"""
    return (
        indicator.source == "communes"
        or (indicator.kind == IndicatorKind.DISTINCT and indicator.measure in ("unit", "commune"))
        or indicator.unit_label_en.strip().lower() in ("commune", "communes")
    )


def kind_of(indicator: Indicator, values: Iterable[float | None]) -> str:
    if indicator.kind == IndicatorKind.RATIO and indicator.scale == 100:
        return SHARE
    if counts_communes(indicator) and all(v in (None, 0, 1) for v in values):
        return YESNO
    return COUNT


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 3, 5, 10, 20, 30, 50, … that is at least ``value``."""
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (*NICE_STEPS, 10):
        if step * power >= value - 1e-9:
            return float(step * power)
    return 10 * power  # pragma: no cover - the loop always returns


def fmt(value: float) -> str:
    """A number the Vietnamese way (1.234,5) or the English way (1,234.5)."""
    decimals = 0 if float(value).is_integer() else 1
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimals,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def _spread(count: int) -> list[str]:
    """``count`` colours of the sequence, evenly apart, always ending on the darkest."""
    if count >= len(SEQUENTIAL):
        return SEQUENTIAL[:count]
    if count == 1:
        return [SEQUENTIAL[-2]]
    step = (len(SEQUENTIAL) - 1) / (count - 1)
    return [SEQUENTIAL[round(i * step)] for i in range(count)]


def _bounds(values: list[float], start: float, room: int) -> list[float]:
    """Inclusive upper bounds of up to ``room`` classes of ``values`` (all >= ``start``).

    Each bound is the value a 1/r-th of the way up the values not yet classed (r: the
    classes left), rounded up to a nice number: ties (many communes with 1) take one class
    and the long tail still gets its own.
    """
    left = sorted(values)
    bounds: list[float] = []
    while left and room > 0:
        index = math.ceil(len(left) / room) - 1
        bound = nice_ceiling(max(left[index], start))
        bounds.append(bound)
        left = [v for v in left if v > bound]
        room -= 1
    return bounds  # the last round (room 1) took the largest value


def _count_classes(
    values: list[float], *, suppress: bool, integral: bool
) -> list[tuple[str, float, float | None]]:
    """(label, lower, upper) of a count's classes (``lower <= v < upper``), zero first."""
    tiny = 1e-9
    out: list[tuple[str, float, float | None]] = [("0", -math.inf, tiny)]
    positive = [v for v in values if v > 0]
    first = 1.0 if integral else tiny
    if suppress:
        small = float(threshold())
        out.append((f"<{threshold()}", tiny, small))
        positive = [v for v in positive if v >= small]
        first = small
    room = MAX_CLASSES - (1 if suppress else 0)
    previous = 0.0
    for bound in _bounds(positive, first, room):
        if integral:
            label = fmt(bound) if first == bound else f"{fmt(first)}–{fmt(bound)}"
            out.append((label, first, bound + 1))
            first = bound + 1
        else:
            label = f"≤{fmt(bound)}" if previous == 0 else f"{fmt(previous)}–{fmt(bound)}"
            out.append((label, previous + tiny, bound + tiny))
            previous = bound
    label, lower, _upper = out[-1]
    out[-1] = (label, lower, None)
    return out


def legend_for(
    indicator: Indicator, values: Iterable[float | None], *, suppress: bool = False
) -> Legend:
    """The classes for the commune values ``values`` of ``indicator``.

    ``suppress``: the reader must not see small counts of people (one "<5" class).
    """
    values = list(values)
    kind = kind_of(indicator, values)
    legend = Legend(kind)
    if kind == YESNO:
        legend.classes = [
            MapClass(_("no"), NO, -math.inf, 0.5),
            MapClass(_("yes"), YES, 0.5, None),
        ]
    elif kind == SHARE:
        labels = [f"<{fmt(SHARE_BOUNDS[0])} %"]
        labels += [f"{fmt(a)}–{fmt(b)} %" for a, b in itertools.pairwise(SHARE_BOUNDS)]
        labels.append(f"≥{fmt(SHARE_BOUNDS[-1])} %")
        lowers = [-math.inf, *SHARE_BOUNDS]
        uppers: list[float | None] = [*SHARE_BOUNDS, None]
        legend.classes = [
            MapClass(label, fill, low, high)
            for label, fill, low, high in zip(labels, SEQUENTIAL, lowers, uppers, strict=True)
        ]
    else:
        present = [v for v in values if v is not None]
        integral = all(float(v).is_integer() for v in present)
        spec = _count_classes(present, suppress=suppress, integral=integral)
        fills = [ZERO, *_spread(len(spec) - 1)]
        legend.classes = [
            MapClass(label, fill, low, high)
            for (label, low, high), fill in zip(spec, fills, strict=True)
        ]
    for value in values:
        found = legend.find(value)
        if found is not None:
            found.count += 1
    return legend


def describe(legend: Legend) -> list[dict[str, Any]]:
    """The legend's rows for the template."""
    return [{"label": c.label, "fill": c.fill, "count": c.count} for c in legend.classes]
