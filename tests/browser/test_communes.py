"""A commune officer fills in and submits the 2018 assessment of Phường Tân Lập on a phone;
the district officer of TP Buôn Ma Thuột confirms it."""

import re

from playwright.sync_api import expect

from pcmd.communes import actions
from pcmd.communes.models import Assessment
from pcmd.geo.models import Unit


def test_commune_submits_and_district_confirms(page_for, demo_server) -> None:
    template = actions.ensure_seed_template()
    tan_lap = Unit.objects.get(code="24118", level=3, valid_from=None)
    url = f"{demo_server.url}/communes/{tan_lap.pk}/2018/"

    page = page_for("xa.tanlap", viewport={"width": 390, "height": 844})
    page.goto(f"{demo_server.url}/communes/?year=2018")
    page.locator('tr[data-code="24118"] a').click()
    page.wait_for_url(url)
    for criterion in template.criteria.all():
        points = criterion.max_points - (1 if criterion.code == "E1" else 0)
        page.fill(f"#id_c_{criterion.code}", str(points))
    expect(page.locator("#live-total")).to_have_text("99")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#submit-assessment").click()
    page.wait_for_url(url)
    expect(page.locator("#assessment-status")).to_have_class(re.compile(r"\bsubmitted\b"))
    expect(page.locator("#assessment-total")).to_contain_text("99")
    expect(page.locator("#assessment-class")).to_contain_text("Lành mạnh")
    expect(page.locator("#assessment-form")).to_have_count(0)

    district = page_for("huyen.bmt")
    district.goto(url)
    district.locator("#review-link").click()
    district.fill("#id_comment", "Đã kiểm tra hồ sơ, đồng ý kết quả tự chấm.")
    district.locator("#confirm-assessment").click()
    district.wait_for_url(url)
    expect(district.locator("#assessment-status")).to_have_class(re.compile(r"\bconfirmed\b"))
    expect(district.locator("#history")).to_contain_text("huyen.bmt")

    saved = Assessment.objects.get(commune=tan_lap, year=2018)
    assert (saved.status, saved.total, saved.result_class.kind) == ("confirmed", 99, "healthy")
    assert saved.reviewed_by.username == "huyen.bmt"
