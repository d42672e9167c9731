"""The home page as each person's work list (issue 10.1), followed to the place to act, at
1366 px and at 390 px (no sideways scrolling)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from pcmd.accounts.models import User
from pcmd.geo.models import Unit, UnitLevel
from pcmd.reporting import actions
from pcmd.reporting.models import ReportForm
from pcmd.reporting.seed import seed_forms

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
GOOD_COMMUNE = {
    "staff": 20,
    "female_staff": 12,
    "assessment": "Tình hình ổn định.",
    "budget_spent": 5_000_000,
    "highlights": [{"date": "03/2018", "content": "Tuyên truyền tổ dân phố", "participants": 120}],
}


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _submitted_report() -> int:
    tanlap = User.objects.get(username="xa.tanlap")
    commune = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    sub = actions.start_submission(
        ReportForm.objects.get(code="pcmd-6-thang"), "2018-H1", actor=tanlap, unit=commune
    )
    actions.save_draft(sub, actor=tanlap, expected_version=sub.version, values=GOOD_COMMUNE)
    actions.submit_submission(sub, actor=tanlap)
    return sub.pk


def test_home_cards_lead_to_the_place_to_act(page_for: Any, demo_server: Any) -> None:
    seed_forms()  # a transactional test before this one may have flushed the seeded forms

    # a commune officer, on a phone: the report to submit opens the start page, filled in
    commune = page_for("xa.easo", viewport=PHONE)
    card = commune.locator("#card-reports-to-submit")
    expect(card).to_contain_text("Báo cáo cần gửi")
    assert _fits(commune)
    card.locator(".home-items a").first.click()
    commune.wait_for_url("**/reporting/reports/new/?*")
    expect(commune.locator("#id_period")).not_to_have_value("")
    commune.locator("button[type=submit]").last.click()
    commune.wait_for_url("**/edit/")

    # the district approves what Tân Lập sent: one click from its home to the report
    pk = _submitted_report()
    district = page_for("huyen.bmt", viewport=WIDE)
    approve = district.locator("#card-reports-to-approve")
    expect(approve.locator(".count")).to_have_text("1")
    approve.locator(".home-items a").first.click()
    district.wait_for_url(f"**/reporting/reports/{pk}/?from=inbox")
    expect(district.locator("#approve-button")).to_be_visible()
    expect(district.locator('.tabs a[aria-current="page"]')).to_have_text("Hộp công việc")

    # leadership: where the plan stands first, a target card opens the dashboard's card
    leader = page_for("lanhdao", viewport=WIDE)
    first = leader.locator("h2").first
    expect(first).to_have_text("Tình hình thực hiện kế hoạch")
    targets = leader.locator("#card-targets")
    expect(targets.locator(".home-items li").first).to_be_visible()
    targets.locator(".home-items a").first.click()
    leader.wait_for_url("**/dashboard/?*#card-*")
    code = leader.url.rsplit("#card-", 1)[1]
    expect(leader.locator(f"#card-{code}")).to_be_visible()

    # police on a phone: the work list fits, "all" opens the risk list
    police = page_for("congan", viewport=PHONE)
    expect(police.locator("#card-inspections-due")).to_be_visible()
    expect(police.locator("#card-hotspot-rechecks")).to_be_visible()
    assert _fits(police)
    police.locator('#card-inspections-due a[href$="/inspections/next/"]').click()
    police.wait_for_url("**/inspections/next/")
