"""The map page (issue 10.5): one polygon per commune at province and district level, a
legend with the indicator's classes, the same names and values in a table, outlines, and
imported boundaries used instead of the approximate cells (and the label gone)."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
import shapely

from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots.models import Patrol
from pcmd.indicators.models import Boundary

pytestmark = pytest.mark.django_db

DAY = datetime.date(2018, 12, 31)


def bmt() -> Unit:
    return Unit.objects.get(code="643", level=UnitLevel.DISTRICT)


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.COMMUNE, valid_from=None)


def communes_of(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=unit.path, level=UnitLevel.COMMUNE).valid_on(DAY)
    )


def page(client_for, url: str, username: str = "thuongtruc") -> str:
    response = client_for(username).get(url)
    assert response.status_code == 200
    return response.content.decode()


def legend(html: str) -> list[str]:
    part = html.split('id="map-legend"')[1].split("</ul>")[0]
    return [unescape(t) for t in re.findall(r'<span class="label">([^<]*)</span>', part)]


def cells(html: str) -> dict[str, str]:
    return dict(re.findall(r'class="cell" data-unit="(\d+)" d="([^"]*)"', html))


def table(html: str) -> dict[str, list[str]]:
    body = html.split('id="map-table"')[1].split("</table>")[0]
    rows = re.findall(r'<tr data-unit="(\d+)">(.*?)</tr>', body)
    return {
        pk: [
            re.sub(r"<svg.*?</svg>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for pk, row in rows
    }


def test_province_map_draws_every_commune_with_district_outlines(client_for) -> None:
    html = page(client_for, "/dashboard/map/?indicator=communes_with_activity&period=2018")
    drawn = cells(html)
    assert len(drawn) == 184 and set(drawn) == set(table(html))
    assert legend(html) == ["không", "có"]  # yes/no, not "0–1"
    districts = html.split('<g class="districts">')[1].split("</g>")[0]
    assert districts.count("<path") == 15
    assert '<path class="outline" d="M' in html
    assert 'id="map-approximate"' in html and "ranh giới gần đúng" in html
    assert re.search(r'viewBox="0 0 760 \d+"', html)
    row = table(html)[str(commune("24118").pk)]
    assert row[0] == "Phường Tân Lập" and row[1] == "Thành phố Buôn Ma Thuột"
    assert row[2] == row[3] == "không"  # the base demo has no activity


def test_district_map_and_its_table_hold_the_same_values(client_for) -> None:
    Patrol.objects.create(on="2018-04-01", force="CSTT", commune=commune("24118"))
    for _ in range(7):
        Patrol.objects.create(on="2018-05-01", force="CSTT", commune=commune("24121"))
    html = page(client_for, f"/dashboard/map/?indicator=patrols&period=2018&unit={bmt().pk}")
    communes = communes_of(bmt())
    assert set(cells(html)) == set(table(html)) == {str(u.pk) for u in communes}
    assert legend(html) == ["0", "1", "2–10"]
    rows = table(html)
    assert rows[str(commune("24118").pk)][:2] == ["Phường Tân Lập", "1"]
    assert rows[str(commune("24121").pk)][:2] == ["Phường Tân Hòa", "7"]
    assert len(rows[str(commune("24121").pk)]) == 3  # no district column
    assert "Phường Tân Lập: 1" in html and "Phường Tân Hòa: 7" in html
    assert html.split('<g class="districts">')[1].split("</g>")[0] == ""
    # The outline drawn is the district's: every cell lies within the frame.
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', html).groups())  # type: ignore[union-attr]
    for d in cells(html).values():
        for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d):
            assert 0 <= float(x) <= width and 0 <= float(y) <= height


def test_shares_use_fixed_classes(client_for) -> None:
    html = page(client_for, "/dashboard/map/?indicator=communication_coverage&period=2018")
    assert legend(html) == ["<20 %", "20–40 %", "40–60 %", "60–80 %", "≥80 %"]
    assert "Phường Tân Lập: 0 %" in html


def test_imported_boundaries_replace_the_approximate_cells(client_for) -> None:
    communes = communes_of(bmt())
    for unit in communes:
        square = shapely.box(unit.lon - 0.004, unit.lat - 0.004, unit.lon + 0.004, unit.lat + 0.004)
        Boundary.objects.create(unit=unit, geometry=shapely.geometry.mapping(square), source="t")
    html = page(client_for, f"/dashboard/map/?indicator=patrols&period=2018&unit={bmt().pk}")
    drawn = cells(html)
    assert set(drawn) == {str(u.pk) for u in communes}
    # Each commune is its imported square (four corners), not a Voronoi cell.
    assert all(len(re.findall(r"[\d.]+,[\d.]+", d)) == 4 for d in drawn.values())
    assert 'id="map-approximate"' not in html and "ranh giới gần đúng" not in html
    assert "Đa giác từ ranh giới đã nhập" in html or "imported" in html
    # The province still draws the other districts' communes approximately, labelled so.
    province = page(client_for, "/dashboard/map/?indicator=patrols&period=2018")
    assert len(cells(province)) == 184 and 'id="map-approximate"' in province
    tan_lap = commune("24118")
    assert len(re.findall(r"[\d.]+,[\d.]+", cells(province)[str(tan_lap.pk)])) == 4


def test_the_national_view_is_still_refused_and_after_2025_there_are_no_districts(
    client_for,
) -> None:
    html = page(client_for, "/dashboard/map/?indicator=communes&period=2026&map=as_is", "admin")
    assert 'class="cell"' in html
    assert html.split('<g class="districts">')[1].split("</g>")[0] == ""


def test_the_map_runs_a_bounded_number_of_queries(
    client_for, django_assert_max_num_queries
) -> None:
    client = client_for("admin")
    for url in (
        "/dashboard/map/?indicator=patrols&period=2018",
        "/dashboard/map/?indicator=communes&period=2026&map=as_is",  # names not prefetched before
    ):
        client.get(url)  # computes and keeps the shapes
        with django_assert_max_num_queries(35):
            assert client.get(url).status_code == 200
