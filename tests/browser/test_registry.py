"""On a phone: record an establishment on the 2018 map, and a patrol at a cleared hotspot."""

import datetime

from playwright.sync_api import expect

from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots import actions as hotspot_actions
from pcmd.hotspots.models import Hotspot, HotspotStatus

PHONE = {"width": 390, "height": 844}


def test_record_an_establishment_on_a_phone(page_for, demo_server) -> None:
    page = page_for("xa.tanlap", viewport=PHONE)
    page.goto(f"{demo_server.url}/registry/new/")
    page.fill("#id_on", "12/03/2018")
    with page.expect_navigation():
        page.locator("button[name=refresh]").click()  # "Update the list" (text is translated)
    page.select_option("#id_commune", label="Phường Tân Lập — Thành phố Buôn Ma Thuột")
    page.fill("#id_name", "Karaoke Hoàng Gia")
    page.select_option("#id_kind", label="Karaoke")
    page.fill("#id_address", "12 Lê Duẩn, tổ dân phố 7, phường Tân Lập, TP Buôn Ma Thuột")
    page.fill("#id_opened_on", "05/03/2015")
    with page.expect_navigation():
        page.locator("form.form button.primary").click()
    expect(page.locator("h1")).to_contain_text("Karaoke Hoàng Gia")
    expect(page.locator("#establishment-facts")).to_contain_text("05/03/2015")
    # the facts (long labels such as "Chủ cơ sở hoặc người quản lý") fit the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{demo_server.url}/registry/?q=hoang+gia")
    expect(page.locator("#establishments")).to_contain_text("Karaoke Hoàng Gia")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_patrol_finds_a_cleared_hotspot_back(page_for, demo_server) -> None:
    commune = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    h = hotspot_actions.create_hotspot(
        actor=None,
        name="Đường Nguyễn Tất Thành (km 3)",
        kind="street",
        location="Vỉa hè",
        commune=commune,
        first_seen=datetime.date(2017, 5, 1),
        on=datetime.date(2018, 1, 1),
    )
    hotspot_actions.change_hotspot_status(
        h,
        actor=None,
        expected_version=h.version,
        status=HotspotStatus.CLEARED,
        on=datetime.date(2018, 8, 15),
    )
    page = page_for("xa.tanlap", viewport=PHONE)
    page.goto(f"{demo_server.url}/hotspots/{h.pk}/")
    page.locator(f'a[href="/hotspots/patrols/new/?hotspot={h.pk}"]').click()
    page.fill("#id_on", "20/09/2018")
    page.fill("#id_force", "Công an phường Tân Lập")
    page.fill("#id_people_found", "2")
    page.fill("#id_people_sanctioned", "1")
    page.locator("form.form button.primary").click()
    expect(page.locator("#history")).to_contain_text("20/09/2018")
    expect(page.locator("#patrols")).to_contain_text("Công an phường Tân Lập")
    h.refresh_from_db()
    assert h.status == HotspotStatus.ACTIVE
    assert h.history.filter(reappeared=True).count() == 1
    assert Hotspot.objects.overdue(datetime.date(2018, 12, 31)).count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
