"""The national map: one approved figure of each 2025 province, as a choropleth.

The dashboard's map code draws it (:mod:`pcmd.dashboard.cells` for approximate cells around
each province's centre point, :mod:`pcmd.dashboard.breaks` for the classes,
:mod:`pcmd.dashboard.svgmap` for the SVG paths). The unit data give provinces no polygons, so
the cells are approximate and the page says so; the same values are in the table below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pcmd.dashboard.breaks import SHARE, Legend, describe, legend_for
from pcmd.dashboard.cells import Site, compute
from pcmd.dashboard.svgmap import Frame, fit, path
from pcmd.indicators.privacy import threshold

from .figures import FieldSpec, Figures


@dataclass
class Area:
    pk: int
    name: str
    value: str
    label: str
    fill: str
    d: str = ""

    @property
    def tip(self) -> str:
        return f"{self.name}: {self.value}"


@dataclass
class NationalMap:
    spec: FieldSpec
    legend: Legend
    areas: list[Area]
    frame: Frame | None = None
    outline: str = ""
    drawn: list[Area] = field(default_factory=list)

    @property
    def classes(self) -> list[dict[str, Any]]:
        return describe(self.legend)

    @property
    def missing(self) -> int:
        return sum(1 for a in self.areas if a.fill == self.legend.no_data_fill)


def mappable(figures: Figures) -> list[FieldSpec]:
    """Fields that can be classed on a map: those computed by an indicator."""
    return [s for s in figures.specs if s.indicator is not None]


def _for_class(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):  # "<5": classed as one small value, never as its real value
        return threshold() - 1.0
    return float(value)


def build(figures: Figures, spec: FieldSpec) -> NationalMap:
    assert spec.indicator is not None
    values = {r.province.pk: _for_class(r.figures[spec.code].value) for r in figures.rows}
    legend = legend_for(spec.indicator, values.values(), suppress=spec.suppress)
    areas = []
    for row in figures.rows:
        fig = row.figures[spec.code]
        value = values[row.province.pk]
        found = legend.find(value)
        areas.append(
            Area(
                pk=row.province.pk,
                name=row.province.name,
                value=fig.text,
                label=found.label if found else _("no data"),
                fill=legend.fill(value),
            )
        )
    out = NationalMap(spec, legend, areas)
    sites = [
        Site(r.province.pk, r.province.lat, r.province.lon)
        for r in figures.rows
        if r.province.lat is not None and r.province.lon is not None
    ]
    if len(sites) < 2:
        return out  # nothing to divide: the table says it all
    cells = compute(sites)
    frame = fit([cells.outline, *cells.cells.values()])
    out.frame = frame
    out.outline = path(cells.outline, frame)
    for area in areas:
        if area.pk in cells.cells:
            area.d = path(cells.cells[area.pk], frame)
    out.drawn = [a for a in areas if a.d]
    return out


def is_share(national_map: NationalMap) -> bool:
    return national_map.legend.kind == SHARE
