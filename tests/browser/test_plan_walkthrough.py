import re

from playwright.sync_api import expect


def test_login_open_plan_switch_language(page_for, demo_server) -> None:
    page = page_for("thuongtruc")
    expect(page.locator("h1")).to_contain_text("Xin chào")
    page.locator("#navlist summary", has_text="Kế hoạch & chỉ tiêu").click()
    page.get_by_role("link", name="Kế hoạch", exact=True).first.click()
    page.get_by_role("link", name="1842/KH-UBND").click()
    expect(page.locator("h1.doctitle")).to_contain_text("KẾ HOẠCH")
    expect(page.locator("#target-T6")).to_contain_text("174/184")
    expect(page.locator("#my-tasks")).to_contain_text("Sở Lao động - Thương binh và Xã hội")
    expect(page.get_by_role("heading", name=re.compile("Mục tiêu, chỉ tiêu"))).to_be_visible()

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name=re.compile("Objectives and targets"))).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # plan text is data, and stays in Vietnamese
    expect(page.locator("#target-T6")).to_contain_text("174/184")
    expect(page.locator("#target-T1")).to_contain_text("communes")

    page.get_by_role("button", name="VI").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_unit_browser_on_a_phone(page_for, demo_server) -> None:
    page = page_for("xa.tanlap", viewport={"width": 390, "height": 844})
    page.goto(f"{demo_server.url}/units/?on=12/03/2018")
    page.get_by_role("link", name="Tỉnh Đắk Lắk").click()
    expect(page.locator("#unit-summary")).to_contain_text("184")
    page.fill("#id_on", "01/01/2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#unit-summary")).to_contain_text("180")
    # nothing overflows the phone's width but the scrollable table
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
