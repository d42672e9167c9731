"""The map in the browser at 1366×900 and 390×844 (issue 10.5): every shape lies inside the
SVG's viewport (nothing clipped), and hovering a commune shows its name and value."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots.models import Patrol

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

INSIDE = """() => {
  const svg = document.getElementById("map");
  const frame = svg.getBoundingClientRect();
  const shapes = [...svg.querySelectorAll("path")];
  const outside = shapes.filter((shape) => {
    const box = shape.getBoundingClientRect();
    return box.left < frame.left - 0.5 || box.right > frame.right + 0.5
      || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5;
  });
  return {count: shapes.length, outside: outside.length, width: frame.width,
          page: document.documentElement.scrollWidth, view: window.innerWidth};
}"""


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_the_map_fits_and_names_the_commune_under_the_pointer(
    page_for: Any, demo_server: Any, size: str
) -> None:
    tan_lap = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    Patrol.objects.create(on="2018-03-03", force="CSTT", commune=tan_lap)
    page = page_for("thuongtruc", viewport=VIEWPORTS[size])
    for unit, communes in [("", 184), (f"&unit={tan_lap.parent_id}", 21)]:
        page.goto(f"{demo_server.url}/dashboard/map/?indicator=patrols&period=2018{unit}")
        expect(page.locator("#map path.cell")).to_have_count(communes)
        expect(page.locator("#map-table tbody tr")).to_have_count(communes)
        expect(page.locator("#map-approximate")).to_have_text("ranh giới gần đúng")
        fit = page.evaluate(INSIDE)
        assert fit["count"] > communes and fit["outside"] == 0, fit
        assert fit["page"] <= fit["view"], fit  # no sideways scrolling at 390 px either
        tip = page.locator("#map-tip")
        expect(tip).to_be_hidden()
        page.locator(f"#cell-{tan_lap.pk}").hover()
        expect(tip).to_be_visible()
        expect(tip).to_have_text("Phường Tân Lập: 1")
        labels = page.locator("#map-legend .label")
        expect(labels).to_have_text(["0", "1"])
