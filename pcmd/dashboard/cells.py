"""Approximate commune cells for the thematic map when no boundaries were imported.

The unit data (``vietnamadminunits``) give each commune a centre point and, for the units
before 1 July 2025, a bounding box; they give no polygons. The map draws each commune as
the Voronoi cell of its centre, clipped to an approximate outline of the province:

- the outline is the union of an ellipse inscribed in each commune's bounding box (a circle
  of half the distance to the nearest other centre where there is no box) and a concave
  hull of the centres, closed by a buffer out and back in (which fills the gaps between
  communes and rounds the corners), without holes;
- communes that share a centre (a commune that vanished before the 2025 data takes its
  successor's point) are spread a little around it, so that each still gets a cell;
- a district is the union of its communes' cells.

Every commune is covered exactly once and every cell lies inside the outline; the cells are
NOT the legal boundaries, and the page says so ("ranh giới gần đúng"). Geometry is computed
in a local plane (longitude scaled by the cosine of the mean latitude) and returned in
longitude/latitude like an imported GeoJSON boundary.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

# Concave hull of the centres: 0 is the tightest hull, 1 the convex hull.
HULL_RATIO = 0.35
# A commune's ellipse never reaches further than this many nearest-neighbour distances, so
# that one bad bounding box cannot blow the outline up.
MAX_REACH = 2.5
# Imported polygons are simplified to about 10 m (in degrees of latitude): far below a pixel.
IMPORT_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Site:
    """A commune as the unit data know it."""

    pk: int
    lat: float
    lon: float
    bounds: tuple[float, float, float, float] | None = None  # lat1, lon1, lat2, lon2
    group: int | None = None  # its district, if any


@dataclass
class Cells:
    """Cells, district outlines and the province outline, in longitude/latitude."""

    outline: BaseGeometry
    cells: dict[int, BaseGeometry]
    groups: dict[int, BaseGeometry]
    approximate: set[int]  # the sites drawn with an approximate cell


class _Plane:
    """Longitude/latitude <-> a local plane where a unit of x is as long as a unit of y."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self.k = math.cos(math.radians(lat0))

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.k, lat - self.lat0

    def to_plane(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry,
            lambda c: np.column_stack(((c[:, 0] - self.lon0) * self.k, c[:, 1] - self.lat0)),
        )

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry, lambda c: np.column_stack((c[:, 0] / self.k + self.lon0, c[:, 1] + self.lat0))
        )


def _spread(points: np.ndarray, nearest: np.ndarray) -> np.ndarray:
    """Move centres that coincide apart, evenly around their common point."""
    out = points.copy()
    same: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(points):
        same[(round(float(x), 6), round(float(y), 6))].append(i)
    for members in same.values():
        if len(members) < 2:
            continue
        radius = 0.3 * float(nearest[members[0]])
        for j, i in enumerate(members):
            angle = 2 * math.pi * j / len(members)
            out[i] = points[i] + radius * np.array([math.cos(angle), math.sin(angle)])
    return out


def _nearest(points: np.ndarray) -> np.ndarray:
    """Each point's distance to the nearest point at another place."""
    if len(points) < 2:
        return np.full(len(points), 0.05)
    diff = points[:, None, :] - points[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    dist[dist < 1e-9] = np.inf  # itself, and any point at the same place
    nearest = dist.min(axis=1)
    finite = nearest[np.isfinite(nearest)]
    fallback = float(np.median(finite)) if len(finite) else 0.05
    return np.where(np.isfinite(nearest), nearest, fallback)


def _extent(site: Site, plane: _Plane, centre: tuple[float, float], reach: float) -> Polygon:
    """Where the commune roughly lies: the ellipse inscribed in its bounding box."""
    if site.bounds is not None:
        lat1, lon1, lat2, lon2 = site.bounds
        x1, y1 = plane.xy(min(lat1, lat2), min(lon1, lon2))
        x2, y2 = plane.xy(max(lat1, lat2), max(lon1, lon2))
        rx, ry = min((x2 - x1) / 2, MAX_REACH * reach), min((y2 - y1) / 2, MAX_REACH * reach)
        if rx > 0 and ry > 0:
            ellipse = affinity.scale(Point(0, 0).buffer(1.0, quad_segs=8), rx, ry, origin=(0, 0))
            return affinity.translate(ellipse, (x1 + x2) / 2, (y1 + y2) / 2)
    return Point(centre).buffer(reach / 2, quad_segs=8)


def _without_holes(geometry: BaseGeometry) -> BaseGeometry:
    parts = getattr(geometry, "geoms", [geometry])
    return shapely.union_all([Polygon(p.exterior) for p in parts if not p.is_empty])


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (an imported one may be invalid or mixed)."""
    geometry = shapely.make_valid(geometry)
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type.endswith("Polygon")]
    return shapely.union_all(parts) if parts else Polygon()


def _derived_outline(
    sites: Sequence[Site], plane: _Plane, raw: np.ndarray, points: np.ndarray, nearest: np.ndarray
) -> BaseGeometry:
    typical = float(np.median(nearest))
    shapes: list[BaseGeometry] = [
        _extent(site, plane, (float(x), float(y)), float(n))
        for site, (x, y), n in zip(sites, raw, nearest, strict=True)
    ]
    if len(sites) >= 3:
        shapes.append(shapely.concave_hull(MultiPoint(points), ratio=HULL_RATIO))
    body = shapely.union_all(shapes)
    closed = body.buffer(typical, quad_segs=4).buffer(-typical, quad_segs=4)
    outline = _without_holes(
        shapely.union_all([closed, *(Point(p).buffer(typical / 4) for p in points)])
    ).simplify(typical / 20)
    return shapely.make_valid(outline)


def compute(
    sites: Sequence[Site],
    imported: dict[int, BaseGeometry] | None = None,
    outline: BaseGeometry | None = None,
) -> Cells:
    """The cells of ``sites`` (at least one), their groups and the outline.

    ``imported``: polygons imported for some sites (longitude/latitude), drawn as they are;
    the other sites share what is left. ``outline``: an imported outline of the province,
    used instead of the derived one.
    """
    if not sites:
        raise ValueError("no communes to draw")
    lat0 = sum(s.lat for s in sites) / len(sites)
    lon0 = sum(s.lon for s in sites) / len(sites)
    plane = _Plane(lat0, lon0)
    raw = np.array([plane.xy(s.lat, s.lon) for s in sites], dtype=float)
    nearest = _nearest(raw)
    points = _spread(raw, nearest)
    typical = float(np.median(nearest))
    fixed = {
        pk: _polygonal(plane.to_plane(g)).simplify(IMPORT_TOLERANCE)
        for pk, g in (imported or {}).items()
    }
    fixed = {pk: g for pk, g in fixed.items() if not g.is_empty}
    given = _polygonal(plane.to_plane(outline)) if outline is not None else None
    regions: dict[int, BaseGeometry] = {}
    if all(site.pk in fixed for site in sites):
        regions = {site.pk: fixed[site.pk] for site in sites}
        area = (
            given
            if given is not None and not given.is_empty
            else shapely.union_all(list(regions.values()))
        )
    else:
        area = (
            given
            if given is not None and not given.is_empty
            else _derived_outline(sites, plane, raw, points, nearest)
        )
        taken = shapely.union_all(list(fixed.values())) if fixed else Polygon()
        area = shapely.union_all([area, taken])
        free = area.difference(taken) if fixed else area
        # The communes without an imported polygon share the rest among themselves.
        regions.update(fixed)
        loose = [i for i, site in enumerate(sites) if site.pk not in fixed]
        if len(loose) == 1:
            voronoi: list[BaseGeometry] = [area]
        else:
            frame = area.envelope.buffer(10 * typical)
            voronoi = list(
                shapely.voronoi_polygons(
                    MultiPoint(points[loose]), extend_to=frame, ordered=True
                ).geoms
            )
        for i, region in zip(loose, voronoi, strict=True):
            cell = region.intersection(free)
            if cell.is_empty:  # its point lies in an imported polygon or outside the outline
                # a small disc, but never over an imported polygon: a unit that has one is
                # drawn once, as imported
                cell = Point(points[i]).buffer(typical / 4, quad_segs=4).difference(taken)
            if cell.is_empty:
                continue  # wholly inside an imported polygon: listed in the table only
            regions[sites[i].pk] = cell
    members: dict[int, list[BaseGeometry]] = defaultdict(list)
    for site in sites:
        if site.group is not None and site.pk in regions:
            members[site.group].append(regions[site.pk])
    return Cells(
        outline=plane.to_lonlat(area),
        cells={pk: plane.to_lonlat(g) for pk, g in regions.items()},
        groups={g: plane.to_lonlat(shapely.union_all(parts)) for g, parts in members.items()},
        approximate={site.pk for site in sites if site.pk in regions and site.pk not in fixed},
    )
