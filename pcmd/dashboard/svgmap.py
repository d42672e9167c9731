"""Drawing map shapes (longitude/latitude) into an SVG frame: fitted with padding, so that
nothing is clipped, at a fixed width and the height the area needs."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

WIDTH = 760
PAD = 14
MAX_HEIGHT = 900
MIN_HEIGHT = 240
TOLERANCE = 0.4  # pixels: simplification nobody can see


@dataclass(frozen=True)
class Frame:
    """An equirectangular projection (longitude scaled by the cosine of the mean latitude)
    of a bounding box into a ``width`` × ``height`` box with the area centred."""

    width: int
    height: int
    lon0: float
    lat1: float
    k: float
    scale: float
    dx: float
    dy: float

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        def move(c: np.ndarray) -> np.ndarray:
            x = self.dx + (c[:, 0] - self.lon0) * self.k * self.scale
            y = self.dy + (self.lat1 - c[:, 1]) * self.scale
            return np.column_stack((x, y))

        return shapely.transform(geometry, move)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def fit(geometries: Iterable[BaseGeometry], *, width: int = WIDTH, pad: int = PAD) -> Frame:
    """The frame that shows all of ``geometries`` with ``pad`` pixels around them."""
    lon0, lat0, lon1, lat1 = shapely.total_bounds(list(geometries))
    if not all(math.isfinite(v) for v in (lon0, lat0, lon1, lat1)):
        lon0, lat0, lon1, lat1 = 0.0, 0.0, 1.0, 1.0
    k = math.cos(math.radians((lat0 + lat1) / 2))
    span_x = max((lon1 - lon0) * k, 1e-6)
    span_y = max(lat1 - lat0, 1e-6)
    scale = (width - 2 * pad) / span_x
    height = span_y * scale + 2 * pad
    if height > MAX_HEIGHT:
        height = MAX_HEIGHT
        scale = (height - 2 * pad) / span_y
    height = max(height, MIN_HEIGHT)
    dx = (width - span_x * scale) / 2
    dy = (height - span_y * scale) / 2
    return Frame(width, math.ceil(height), lon0, lat1, k, scale, dx, dy)


def path(geometry: BaseGeometry, frame: Frame) -> str:
    """SVG path data of a (multi)polygon, in the frame, to a tenth of a pixel."""
    drawn = frame.project(geometry).simplify(TOLERANCE)
    parts = []
    for polygon in getattr(drawn, "geoms", [drawn]):
        if polygon.is_empty or not hasattr(polygon, "exterior"):
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = [f"{x:.1f},{y:.1f}" for x, y in ring.coords[:-1]]
            if len(points) >= 3:
                parts.append("M" + " ".join(points) + "Z")
    return "".join(parts)
