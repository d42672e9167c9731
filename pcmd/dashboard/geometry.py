"""The shapes the map draws for a province's communes on a date, computed once and kept.

A commune is drawn with its imported boundary (``indicators.Boundary``) when there is one,
otherwise with its approximate cell (:mod:`pcmd.dashboard.cells`). The shapes of a whole
province are computed together (so that a district's map matches the province's) and kept in
:class:`~pcmd.dashboard.models.MapGeometry` under a digest of their inputs: the same units
on another date reuse them, and a change to the units or the boundaries makes a new digest.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.db import IntegrityError, transaction
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from pcmd.geo.models import Unit, UnitLevel, valid_on_q
from pcmd.indicators.models import Boundary

from .cells import Site, compute
from .models import MapGeometry

# Bump when the computation changes: every kept geometry is then computed again.
VERSION = 2  # bumped whenever compute() draws differently: cached shapes are redone
KEEP_PER_PROVINCE = 8
DIGITS = 5  # about 1 m


@dataclass
class MapShapes:
    """Shapes in longitude/latitude, by unit id."""

    province: Unit
    outline: BaseGeometry
    cells: dict[int, BaseGeometry]
    groups: dict[int, BaseGeometry]
    approximate: set[int]


def _province_of(unit: Unit) -> int:
    return int(unit.path.strip("/").split("/")[0])


def _group_of(path: str) -> int | None:
    """The district of a commune below one (before 1 July 2025), else None."""
    ids = path.strip("/").split("/")
    return int(ids[1]) if len(ids) == 3 else None


def _geometry(data: Any) -> BaseGeometry | None:
    """An imported GeoJSON geometry, or None when it cannot be read."""
    try:
        geometry = shape(data)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
        return None
    return None if geometry.is_empty else geometry


def _round(geometry: BaseGeometry) -> dict[str, Any]:
    rounded = shapely.transform(geometry, lambda c: np.round(c, DIGITS))
    return dict(mapping(rounded))


def _encode(shapes: MapShapes) -> dict[str, Any]:
    return {
        "outline": _round(shapes.outline),
        "cells": {str(k): _round(g) for k, g in shapes.cells.items()},
        "groups": {str(k): _round(g) for k, g in shapes.groups.items()},
        "approximate": sorted(shapes.approximate),
    }


def _decode(province: Unit, data: dict[str, Any]) -> MapShapes:
    return MapShapes(
        province=province,
        outline=shape(data["outline"]),
        cells={int(k): shape(g) for k, g in data["cells"].items()},
        groups={int(k): shape(g) for k, g in data["groups"].items()},
        approximate=set(data["approximate"]),
    )


def shapes_for(units: Iterable[Unit], on: datetime.date) -> MapShapes | None:
    """The shapes of the province of ``units`` (communes valid on ``on``), or None when none
    of its communes can be placed."""
    units = list(units)
    if not units:
        return None
    province = Unit.objects.get(pk=_province_of(units[0]))
    rows = {
        pk: (lat, lon, bounds, path)
        for pk, lat, lon, bounds, path in Unit.objects.filter(
            path__startswith=province.path, level=UnitLevel.COMMUNE
        )
        .filter(valid_on_q(on))
        .values_list("pk", "lat", "lon", "bounds", "path")
    }
    for unit in units:  # e.g. a commune mapped "as is" from elsewhere
        rows.setdefault(unit.pk, (unit.lat, unit.lon, unit.bounds, unit.path))
    imported: dict[int, BaseGeometry] = {}
    stamps: list[tuple[int, str]] = []
    wanted = {*rows, province.pk, *(g for r in rows.values() if (g := _group_of(r[3])))}
    for unit_id, data, stamp in Boundary.objects.filter(unit_id__in=wanted).values_list(
        "unit_id", "geometry", "imported_at"
    ):
        geometry = _geometry(data)
        if geometry is not None:
            imported[unit_id] = geometry
            stamps.append((unit_id, stamp.isoformat()))
    sites = []
    for pk, (lat, lon, bounds, path) in sorted(rows.items()):
        if (lat is None or lon is None) and pk in imported:
            point = imported[pk].representative_point()
            lat, lon = point.y, point.x
        if lat is None or lon is None:
            continue
        box = tuple(bounds) if isinstance(bounds, list) and len(bounds) == 4 else None
        sites.append(Site(pk, float(lat), float(lon), box, _group_of(path)))
    if not sites:
        return None
    key = hashlib.sha256(
        json.dumps(
            [VERSION, province.pk, [list(vars(s).values()) for s in sites], sorted(stamps)],
            default=str,
        ).encode()
    ).hexdigest()
    kept = MapGeometry.objects.filter(key=key).values_list("shapes", flat=True).first()
    if kept is not None:
        return _decode(province, kept)
    started = time.perf_counter()
    communes = {s.pk for s in sites}
    cells = compute(
        sites,
        {pk: g for pk, g in imported.items() if pk in communes},
        outline=imported.get(province.pk),
    )
    groups = {**cells.groups, **{g: imported[g] for g in cells.groups if g in imported}}
    data = _encode(MapShapes(province, cells.outline, cells.cells, groups, cells.approximate))
    try:
        with transaction.atomic():
            MapGeometry.objects.create(
                key=key,
                province=province,
                approximate=bool(cells.approximate),
                shapes=data,
                seconds=round(time.perf_counter() - started, 3),
            )
    except IntegrityError:
        pass  # another request stored the same shapes first
    old = MapGeometry.objects.filter(province=province).values_list("pk", flat=True)[
        KEEP_PER_PROVINCE:
    ]
    MapGeometry.objects.filter(pk__in=list(old)).delete()
    return _decode(province, data)
