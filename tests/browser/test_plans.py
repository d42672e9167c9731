"""A year of plans in the browser: the standing office drafts 2019 from the 2018 plan,
changes two targets and a task and submits; the People's Committee issues it; the dashboard
then judges 2018 against plan 1842/KH-UBND and 2019 against the new plan. The plan pages are
axe-clean and fit a phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from pcmd.plans.models import Plan
from tests.browser.test_axe import PHONE, _axe_source, _violations


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_draft_submit_issue_and_the_dashboard_per_year(page_for: Any, demo_server: Any) -> None:
    base = demo_server.url
    source = _axe_source()
    found: list[str] = []

    def check(page: Any, what: str) -> None:
        found.extend(f"{what}: {v}" for v in _violations(page, source))
        _fits(page)

    office = page_for("thuongtruc", viewport=PHONE)
    office.goto(f"{base}/plans/")
    check(office, "list")
    old = Plan.objects.get(number="1842/KH-UBND")
    office.locator(f"#plan-{old.pk}").get_by_role(
        "link", name="Soạn kế hoạch mới từ kế hoạch này"
    ).click()
    expect(office.locator("#id_period_start")).to_have_value("01/01/2019")
    check(office, "copy form")
    office.get_by_role("button", name="Tạo bản nháp").click()
    expect(office.locator("h1")).to_have_text("Sửa dự thảo")
    check(office, "editor")
    draft = Plan.objects.get(status="draft")

    office.locator("#edit-target-T3 a").click()
    office.fill("#id_value_min", "120")
    office.fill("#id_value_max", "160")
    check(office, "target form")
    office.get_by_role("button", name="Lưu", exact=True).click()
    expect(office.locator("h1")).to_have_text("Sửa dự thảo")

    office.locator("#edit-target-T5 a").click()
    office.fill("#id_value", "150")  # a percentage above 100: refused on the field
    office.get_by_role("button", name="Lưu", exact=True).click()
    expect(office.locator("#id_value_error")).to_be_visible()
    check(office, "target form with errors")
    office.fill("#id_value", "95")
    office.get_by_role("button", name="Lưu", exact=True).click()
    expect(office.locator("h1")).to_have_text("Sửa dự thảo")

    office.locator("#edit-heading-2 a").click()
    items = office.locator("#id_items")
    items.fill(items.input_value() + "\nRà soát các cơ sở lưu trú mới cấp phép năm 2019.")
    office.fill("#id_deadline_note", "quý IV/2019")
    office.get_by_role("button", name="Lưu", exact=True).click()
    expect(office.locator("h1")).to_have_text("Sửa dự thảo")

    office.get_by_role("link", name="Quay lại kế hoạch").click()
    expect(office.locator("#tasks-2")).to_contain_text("Rà soát các cơ sở lưu trú mới cấp phép")
    expect(office.locator("#target-T3")).to_contain_text("120–160")
    check(office, "draft page")
    office.get_by_role("button", name="Trình ban hành").click()
    expect(office.locator("#plan-status .badge")).to_contain_text("đang trình duyệt")
    # a click that loads another page returns before it has loaded: wait for the new
    # page before axe reads it (axe on a document being replaced fails or checks the old one)
    office.get_by_role("link", name="Lịch sử phiên bản").click()
    expect(office.locator("#compare-form")).to_be_visible()
    check(office, "versions")
    office.get_by_role("button", name="So sánh").click()
    expect(office.locator("table.compare").first).to_be_visible()
    check(office, "compare")

    leader = page_for("lanhdao", viewport=PHONE)
    leader.goto(f"{base}/plans/{draft.pk}/")
    leader.get_by_role("link", name="Ban hành kế hoạch").click()
    leader.fill("#id_number", "215/KH-UBND")
    leader.fill("#id_issued_on", "20/02/2019")
    leader.fill("#id_signer_name", "Phạm Ngọc Nghị")
    check(leader, "issue form")
    leader.get_by_role("button", name="Ban hành kế hoạch").click()
    expect(leader.locator(".document .issuer")).to_contain_text("215/KH-UBND")
    expect(leader.locator("#plan-status .badge.closed")).to_be_visible()  # 2019 is over

    for period, number, t3 in (
        ("2018", "1842/KH-UBND", "100–150"),
        ("2019", "215/KH-UBND", "120–160"),
    ):
        leader.goto(f"{base}/dashboard/?period={period}")
        expect(
            leader.get_by_role("heading", name=f"Chỉ tiêu của kế hoạch {number}")
        ).to_be_visible()
        expect(leader.locator("#card-T3")).to_contain_text(t3)
    expect(leader.locator("#card-T5")).to_contain_text("95")
    assert found == []
