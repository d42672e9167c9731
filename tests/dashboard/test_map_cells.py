"""Approximate commune cells (issue 10.5): every commune of Đắk Lắk gets exactly one cell,
the cells tile the derived province outline, districts are unions of their communes, and the
shapes are computed once per set of units and kept."""

from __future__ import annotations

import datetime
import itertools

import pytest
import shapely
from shapely.geometry import Point

from pcmd.dashboard.cells import Site, compute
from pcmd.dashboard.geometry import shapes_for
from pcmd.dashboard.models import MapGeometry
from pcmd.geo.models import Unit, UnitLevel

pytestmark = pytest.mark.django_db

DAY_2018 = datetime.date(2018, 12, 31)
DAY_2026 = datetime.date(2026, 1, 1)


def communes(on: datetime.date) -> list[Unit]:
    province = Unit.objects.filter(level=UnitLevel.PROVINCE, code="66").valid_on(on).get()
    return list(
        Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE)
        .valid_on(on)
        .order_by("code")
    )


def sites(units: list[Unit]) -> list[Site]:
    return [
        Site(
            u.pk,
            u.lat,
            u.lon,
            tuple(u.bounds) if u.bounds else None,  # type: ignore[arg-type]
            u.parent_id if u.parent and u.parent.level == UnitLevel.DISTRICT else None,
        )
        for u in units
    ]


def assert_tiling(cells: dict[int, shapely.Geometry], outline: shapely.Geometry) -> None:
    total = sum(g.area for g in cells.values())
    union = shapely.union_all(list(cells.values()))
    # Covered exactly once: no overlaps (the areas add up to the union's) and no gaps.
    assert total == pytest.approx(union.area, rel=1e-6)
    assert union.symmetric_difference(outline).area < 1e-6 * outline.area
    for cell in cells.values():
        assert cell.difference(outline.buffer(1e-9)).area < 1e-9 * outline.area


@pytest.mark.parametrize("on", [DAY_2018, DAY_2026], ids=["2018-districts", "2026-communes"])
def test_every_commune_has_one_cell_inside_the_outline(on: datetime.date) -> None:
    units = communes(on)
    assert len(units) == (184 if on == DAY_2018 else 102)
    result = compute(sites(units))
    assert set(result.cells) == {u.pk for u in units}
    assert result.approximate == {u.pk for u in units}
    assert result.outline.is_valid and result.outline.geom_type in ("Polygon", "MultiPolygon")
    for unit in units:
        cell = result.cells[unit.pk]
        assert not cell.is_empty and cell.is_valid
    # A commune's own point lies in its cell, except where several communes share a point.
    shared = {
        (u.lat, u.lon)
        for u, v in itertools.combinations(units, 2)
        if (u.lat, u.lon) == (v.lat, v.lon)
    }
    for unit in units:
        if (unit.lat, unit.lon) not in shared:
            assert result.cells[unit.pk].buffer(1e-9).contains(Point(unit.lon, unit.lat))
    assert_tiling(result.cells, result.outline)
    if on == DAY_2018:
        # The communes merged before 2025 take their successor's point.
        vanished = [u for u in units if u.valid_to and u.valid_to < datetime.date(2025, 6, 30)]
        assert len(vanished) == 4 and all((u.lat, u.lon) in shared for u in vanished)
        assert len(result.groups) == 15
        for district, shape in result.groups.items():
            members = [result.cells[u.pk] for u in units if u.parent_id == district]
            assert shape.symmetric_difference(shapely.union_all(members)).area < 1e-9
    else:
        assert result.groups == {}  # no districts after 1 July 2025


def test_the_outline_looks_like_a_province_not_a_box() -> None:
    units = communes(DAY_2018)
    outline = compute(sites(units)).outline
    west, south, east, north = outline.bounds
    province = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)
    lat1, lon1, lat2, lon2 = province.bounds
    # Within a few kilometres of the province's own bounding box ...
    assert abs(west - lon1) < 0.08 and abs(east - lon2) < 0.08
    assert abs(south - lat1) < 0.08 and abs(north - lat2) < 0.08
    # ... and clearly not the box itself, nor the convex hull.
    assert outline.area < 0.85 * outline.envelope.area
    assert outline.area < 0.97 * outline.convex_hull.area


def test_imported_polygons_are_used_and_the_rest_share_what_is_left() -> None:
    units = communes(DAY_2018)
    tan_lap = next(u for u in units if u.code == "24118")
    square = shapely.box(
        tan_lap.lon - 0.01, tan_lap.lat - 0.01, tan_lap.lon + 0.01, tan_lap.lat + 0.01
    )
    result = compute(sites(units), {tan_lap.pk: square})
    assert tan_lap.pk not in result.approximate
    assert result.cells[tan_lap.pk].symmetric_difference(square).area < 1e-9
    assert_tiling(result.cells, result.outline)


def test_a_unit_with_an_imported_polygon_is_drawn_once_and_nothing_over_it() -> None:
    """An imported polygon that covers other communes' centre points: those communes get no
    approximate disc drawn over it (they used to), and every imported unit is exactly its
    polygon."""
    units = communes(DAY_2018)
    tan_lap = next(u for u in units if u.code == "24118")
    big = shapely.box(
        tan_lap.lon - 0.08, tan_lap.lat - 0.08, tan_lap.lon + 0.08, tan_lap.lat + 0.08
    )
    covered = [u for u in units if u.pk != tan_lap.pk and big.contains(shapely.Point(u.lon, u.lat))]
    assert covered  # the square holds other communes' centres
    result = compute(sites(units), {tan_lap.pk: big})
    assert result.cells[tan_lap.pk].symmetric_difference(big).area < 1e-9
    for pk, cell in result.cells.items():
        if pk != tan_lap.pk:
            assert cell.intersection(big).area < 1e-9, pk
    assert tan_lap.pk not in result.approximate
    assert result.approximate == set(result.cells) - {tan_lap.pk}


def test_shapes_are_computed_once_per_set_of_units_and_again_when_units_change() -> None:
    units = communes(DAY_2018)
    first = shapes_for(units, DAY_2018)
    assert first is not None and MapGeometry.objects.count() == 1
    # Another date with the same units and the district's own communes reuse the kept shapes.
    again = shapes_for([units[0]], datetime.date(2018, 6, 30))
    assert again is not None and MapGeometry.objects.count() == 1
    assert set(again.cells) == set(first.cells)
    moved = units[5]
    moved.lat += 0.01
    moved.save(update_fields=["lat"])
    changed = shapes_for(units, DAY_2018)
    assert changed is not None and MapGeometry.objects.count() == 2
    assert not changed.cells[moved.pk].equals(first.cells[moved.pk])
