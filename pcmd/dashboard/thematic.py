"""The thematic map: an indicator's value in each commune, as a choropleth.

Communes are drawn with their imported boundaries, or with approximate cells where none
were imported (:mod:`pcmd.dashboard.geometry`, labelled "approximate boundaries"); the
classes suit the indicator (:mod:`pcmd.dashboard.breaks`); district and province outlines
are drawn on top; the same names and values are in a table below the map.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from pcmd.core.formatting import vi_sort_key
from pcmd.geo.models import Unit, UnitLevel
from pcmd.indicators.engine import AS_WAS, evaluate, territory
from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import is_small, must_suppress, shown, threshold

from .breaks import SHARE, YESNO, Legend, describe, fmt, legend_for
from .geometry import shapes_for
from .query import Question
from .svgmap import Frame, fit, path


@dataclass
class Area:
    """One commune: its shape (SVG path data, empty when it cannot be placed) and value."""

    unit: Unit
    name: str
    district: str
    value: str
    label: str
    fill: str
    d: str = ""

    @property
    def tip(self) -> str:
        return f"{self.name}: {self.value}"


@dataclass
class ThematicMap:
    frame: Frame | None
    areas: list[Area]
    legend: Legend
    outlines: list[str] = field(default_factory=list)  # district outlines
    outline: str = ""  # the root's outline
    approximate: bool = False
    note: Any = None
    total: Any = None

    @property
    def drawn(self) -> list[Area]:
        return [a for a in self.areas if a.d]

    @property
    def classes(self) -> list[dict[str, Any]]:
        return describe(self.legend)

    @property
    def missing(self) -> int:
        """Communes without a value (in no class)."""
        return sum(1 for a in self.areas if a.fill == self.legend.no_data_fill)

    @property
    def by_district(self) -> bool:
        return len({a.district for a in self.areas if a.district}) > 1


def map_date(q: Question) -> datetime.date:
    """The date of the units drawn: the period's end, or today for figures mapped onto
    today's units."""
    return q.period.end if q.mapping == AS_WAS else q.as_is_on


def _display(value: float | None, raw: Any, *, share: bool, suppress: bool) -> str:
    if value is None:
        return "—"
    text = shown(raw, suppress=suppress)
    if text != raw:
        return str(text)  # "<5"
    return f"{fmt(value)} %" if share else fmt(value)


def build(q: Question, indicator: Indicator, user: Any) -> ThematicMap:
    result = evaluate(
        indicator, q.root, q.period, by="commune", mapping=q.mapping, as_is_on=q.as_is_on
    )
    terr = territory(q.root, q.period, by="commune", mapping=q.mapping, as_is_on=q.as_is_on)
    prefetch_related_objects(terr.children, "names")  # names on the map date, no N+1
    suppress = must_suppress(indicator, user)
    raw = {u.pk: result.values.get(u.pk) for u in terr.children}
    values = {pk: (float(v) if v is not None else None) for pk, v in raw.items()}
    if suppress:
        # Classed as one "<5": neither colour nor legend may give a hidden value away.
        values = {pk: (threshold() - 1.0 if is_small(v) else v) for pk, v in values.items()}
    legend = legend_for(indicator, values.values(), suppress=suppress)
    on = map_date(q)
    shapes = shapes_for(terr.children, on)
    districts = {
        u.pk: u.name_on(on)
        for u in Unit.objects.filter(
            pk__in={u.parent_id for u in terr.children}, level=UnitLevel.DISTRICT
        ).prefetch_related("names")
    }
    areas = []
    for unit in terr.children:
        value = values[unit.pk]
        found = legend.find(value)
        shown_value = _display(value, raw[unit.pk], share=legend.kind == SHARE, suppress=suppress)
        if legend.kind == YESNO and found is not None:
            shown_value = found.label  # "yes" / "no" rather than 1 / 0
        areas.append(
            Area(
                unit=unit,
                name=unit.name_on(on),
                district=districts.get(unit.parent_id or 0, ""),
                value=shown_value,
                label=found.label if found else _("no data"),
                fill=legend.fill(value),
            )
        )
    areas.sort(key=lambda a: (vi_sort_key(a.district), vi_sort_key(a.name)))
    out = ThematicMap(
        frame=None,
        areas=areas,
        legend=legend,
        note=result.note,
        total=shown(result.total, suppress=suppress),
    )
    if shapes is None:
        return out
    cells = {a.unit.pk: shapes.cells[a.unit.pk] for a in areas if a.unit.pk in shapes.cells}
    if not cells:
        return out
    root = terr.root
    whole = root is not None and root.pk == shapes.province.pk
    if whole:
        outline = shapes.outline
    elif root is not None and root.pk in shapes.groups:
        outline = shapes.groups[root.pk]
    else:
        outline = shapely.union_all(list(cells.values()))
    frame = fit([outline, *cells.values()])
    out.frame = frame
    for area in areas:
        if area.unit.pk in cells:
            area.d = path(cells[area.unit.pk], frame)
    out.outline = path(outline, frame)
    if whole:
        out.outlines = [path(g, frame) for _pk, g in sorted(shapes.groups.items())]
    out.approximate = any(pk in shapes.approximate for pk in cells)
    return out
