from playwright.sync_api import expect

from pcmd.geo.models import Unit
from pcmd.hotspots.models import Patrol


def test_target_card_and_map(page_for, demo_server) -> None:
    Patrol.objects.create(
        on="2018-03-03", force="CSTT", commune=Unit.objects.get(code="24118"), people_found=2
    )
    page = page_for("thuongtruc")
    page.goto(f"{demo_server.url}/dashboard/")
    card = page.locator("#card-T3")
    expect(card).to_contain_text("100–150")
    expect(card.locator(".chip")).to_be_visible()
    expect(page.locator("#card-T6")).to_contain_text("174/184")
    page.locator("a.button", has_text="Bản đồ").click()
    page.select_option("#id_indicator", "patrols")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#map path.cell")).to_have_count(184)
    expect(page.locator("#map-total")).to_have_text("1")
    expect(page.locator("#map-legend")).to_be_visible()
    tan_lap = Unit.objects.get(code="24118", valid_from=None)
    page.locator(f"#cell-{tan_lap.pk}").hover()
    expect(page.locator("#map-tip")).to_have_text("Phường Tân Lập: 1")


def test_drill_down_by_clicking_to_a_commune(page_for, demo_server) -> None:
    page = page_for("thuongtruc")
    page.goto(f"{demo_server.url}/dashboard/?period=2018")
    page.locator("table.breakdown a", has_text="Thành phố Buôn Ma Thuột").click()
    expect(page.locator("nav.crumbs strong")).to_have_text("Thành phố Buôn Ma Thuột")
    expect(page.locator("#card-T3")).to_contain_text("theo dõi")
    expect(page.locator("#card-T6 .goal")).to_have_text("mục tiêu 94,6%")
    page.locator("table.breakdown a", has_text="Phường Tân Lập").click()
    expect(page.locator("nav.crumbs strong")).to_have_text("Phường Tân Lập")
    assert page.url.count("unit=") == 1
    page.locator("nav.crumbs a", has_text="Thành phố Buôn Ma Thuột").click()
    expect(page.locator("nav.crumbs strong")).to_have_text("Thành phố Buôn Ma Thuột")
