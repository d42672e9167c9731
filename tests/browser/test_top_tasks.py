"""Each persona's most frequent task, walked from the home page by clicking only (issue 10,
"Done when"). After the login lands on the home page there is no ``page.goto``: every step is a
click (choosing an option in a list counts as one), and the number of clicks stays within a
budget stated per task. Typing into fields is not counted.

| persona    | viewport | top task                                              | clicks | budget |
|------------|----------|-------------------------------------------------------|--------|--------|
| admin      | 1366×900 | open the audit log, filter by one user                |   4    |   4    |
| thuongtruc | 1366×900 | write and submit the agency's 6-month task report     |   3    |   3    |
| lanhdao    | 1366×900 | open a target's card on the dashboard                 |   1    |   1    |
| congan     | 390×844  | start the monthly sanctions report (draft opened)     |   2    |   2    |
| doi178     | 390×844  | record an inspection of the riskiest business         |   4    |   4    |
| sovhttdl   | 1366×900 | write and submit the agency's 6-month task report     |   3    |   3    |
| huyen.bmt  | 1366×900 | approve a commune report waiting in the inbox         |   2    |   2    |
| ctxh.bmt   | 1366×900 | record support counts for a commune                   |   5    |   5    |
| xa.tanlap  | 390×844  | fill in and submit the commune's 6-month report       |   3    |   3    |
| xa.easo    | 390×844  | log a communication activity                          |   6    |   6    |
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from pcmd.accounts.models import User
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit, UnitLevel
from pcmd.reporting import actions
from pcmd.reporting.models import ReportForm, Submission
from pcmd.reporting.seed import seed_forms
from pcmd.support.models import SupportCount
from pcmd.taskreports.models import TaskReport
from tests.browser.test_outreach import ensure_catalogs as ensure_outreach_catalogs
from tests.inspections import builders as b

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
GOOD_COMMUNE = {
    "staff": 20,
    "female_staff": 12,
    "assessment": "Tình hình ổn định.",
    "budget_spent": 5_000_000,
    "highlights": [{"date": "03/2018", "content": "Tuyên truyền tổ dân phố", "participants": 120}],
}


class Walk:
    """A page that counts the clicks (and choices in a list) made on it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.clicks = 0

    def click(self, target: Any) -> None:
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.click()
        self.clicks += 1

    def choose(self, selector: str, **option: str | int) -> None:
        self.page.select_option(selector, **option)
        self.clicks += 1

    def menu(self, href: str) -> None:
        """Open a menu entry: the phone menu first when it is folded, then its group."""
        toggle = self.page.locator(".navtoggle")
        if toggle.is_visible():
            self.click(toggle)
        group = self.page.locator(f'#navlist details:has(a[href="{href}"])')
        if group.count() and not group.evaluate("d => d.open"):
            self.click(group.locator("summary"))
        self.click(self.page.locator(f'#navlist a[href="{href}"]'))


@pytest.fixture
def forms(demo_server: Any) -> None:
    seed_forms()  # a transactional test before this one may have flushed the seeded forms


def test_admin_filters_the_audit_log_by_a_user(page_for: Any, forms: None) -> None:
    tanlap = User.objects.get(username="xa.tanlap")
    commune = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    actions.start_submission(
        ReportForm.objects.get(code="pcmd-6-thang"), "2018-H1", actor=tanlap, unit=commune
    )
    walk = Walk(page_for("admin", viewport=WIDE))
    walk.menu("/audit/")
    walk.page.wait_for_url("**/audit/")
    walk.choose("#id_user", value="xa.tanlap")
    walk.click(walk.page.locator("form.filters button[type=submit]"))
    walk.page.wait_for_url("**/audit/?*user=xa.tanlap*")
    rows = walk.page.locator("main table tbody tr")
    assert rows.count() == AuditEvent.objects.filter(actor_name="xa.tanlap").count() >= 1
    expect(rows.first).to_contain_text(str(tanlap))
    assert walk.clicks <= 4


@pytest.mark.parametrize("username", ["thuongtruc", "sovhttdl"])
def test_agency_writes_its_task_report(page_for: Any, forms: None, username: str) -> None:
    walk = Walk(page_for(username, viewport=WIDE))
    walk.click(walk.page.locator("#card-task-reports-owed .home-items a").first)
    walk.page.wait_for_url("**/taskreports/**/h1/")
    walk.choose("#id_status", index=1)
    walk.page.fill("#id_done", "Đã tổ chức 3 đợt tuyên truyền, kiểm tra 12 cơ sở.")
    walk.click(walk.page.locator("#report-form button[name=submit]"))
    walk.page.wait_for_load_state()
    report = TaskReport.objects.get(done__startswith="Đã tổ chức 3 đợt")
    assert report.submitted_at is not None
    assert walk.clicks <= 3


def test_leader_opens_a_target_from_home(page_for: Any, forms: None) -> None:
    walk = Walk(page_for("lanhdao", viewport=WIDE))
    walk.click(walk.page.locator("#card-targets .home-items a").first)
    walk.page.wait_for_url("**/dashboard/?*#card-*")
    code = walk.page.url.rsplit("#card-", 1)[1]
    expect(walk.page.locator(f"#card-{code}")).to_be_in_viewport()
    assert walk.clicks <= 1


def test_police_start_the_monthly_sanctions_report(page_for: Any, forms: None) -> None:
    walk = Walk(page_for("congan", viewport=PHONE))
    walk.click(walk.page.locator("#card-reports-to-submit .home-items a").first)
    walk.page.wait_for_url("**/reporting/reports/new/?*")
    walk.click(walk.page.locator("main button[type=submit]").last)
    walk.page.wait_for_url("**/edit/")
    sub = Submission.objects.get()
    assert sub.period_code == "2018-01" and "Công an" in sub.form.name
    assert walk.clicks <= 2


def test_team_178_records_an_inspection_from_the_risk_list(page_for: Any, forms: None) -> None:
    b.ensure_catalogs()
    scope = User.objects.get(username="doi178").assignments.get()
    assert scope.agency is not None
    b.team(scope.unit, name="Đội kiểm tra liên ngành 178 tỉnh", lead=scope.agency.code)
    est = b.establishment(b.TAN_LAP, name="Karaoke Ánh Trăng")
    walk = Walk(page_for("doi178", viewport=PHONE))
    walk.click(walk.page.locator("#card-inspections-due .all a"))
    walk.page.wait_for_url("**/inspections/next/")
    walk.click(walk.page.locator(f'a[href$="?establishment={est.pk}"]'))
    walk.page.wait_for_url("**/inspections/new/?establishment=*")
    expect(walk.page.locator("#id_establishment")).to_have_value(str(est.pk))
    expect(walk.page.locator("#id_team")).not_to_have_value("")  # a member's own team
    for item in b.items():
        walk.page.check(f"input[name='finding_{item.code}'][value='ok']")
    walk.click(walk.page.locator("input[name=result][value=no_violation]"))
    walk.click(walk.page.locator(".i178-save button"))
    walk.page.wait_for_url("**/inspections/*/")
    expect(walk.page.locator("h1")).to_contain_text("Karaoke Ánh Trăng")
    assert walk.clicks <= 4


def test_district_approves_a_commune_report(page_for: Any, forms: None) -> None:
    tanlap = User.objects.get(username="xa.tanlap")
    commune = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    sub = actions.start_submission(
        ReportForm.objects.get(code="pcmd-6-thang"), "2018-H1", actor=tanlap, unit=commune
    )
    actions.save_draft(sub, actor=tanlap, expected_version=sub.version, values=GOOD_COMMUNE)
    actions.submit_submission(sub, actor=tanlap)
    walk = Walk(page_for("huyen.bmt", viewport=WIDE))
    walk.click(walk.page.locator("#card-reports-to-approve .home-items a").first)
    walk.page.wait_for_url(f"**/reporting/reports/{sub.pk}/?from=inbox")
    walk.click("#approve-button")
    expect(walk.page.locator('#status [data-status="approved"]')).to_be_visible()
    assert walk.clicks <= 2


def test_social_affairs_records_support_counts(page_for: Any, forms: None) -> None:
    walk = Walk(page_for("ctxh.bmt", viewport=WIDE))
    walk.menu("/support/")
    walk.page.wait_for_url("**/support/*")
    walk.click(walk.page.locator('main a[href="/support/new/"]'))
    option = walk.page.locator("#id_commune option", has_text="Phường Tân Lập").first
    walk.choose("#id_commune", value=option.get_attribute("value") or "")
    walk.page.fill("#id_period_start", "01/01/2018")
    walk.page.fill("#id_period_end", "30/06/2018")
    walk.page.fill("#id_vocational_training", "6")
    walk.page.fill("#id_employment", "3")
    walk.click(walk.page.locator("#support-form button[type=submit].primary"))
    walk.page.wait_for_url("**/support/")
    row = SupportCount.objects.get()
    assert (row.commune.name, row.vocational_training, row.employment) == ("Phường Tân Lập", 6, 3)
    assert walk.clicks <= 5


def test_commune_submits_its_six_month_report(page_for: Any, forms: None) -> None:
    walk = Walk(page_for("xa.tanlap", viewport=PHONE))
    walk.click(walk.page.locator("#card-reports-to-submit .home-items a").first)
    walk.page.wait_for_url("**/reporting/reports/new/?*")
    walk.click(walk.page.locator("main button[type=submit]").last)
    walk.page.wait_for_url("**/edit/")
    walk.page.fill("#id_staff", "10")
    walk.page.fill("#id_female_staff", "6")
    walk.page.fill("#id_assessment", "Tình hình tệ nạn mại dâm trên địa bàn được kiểm soát.")
    walk.page.fill("#id_highlights__0__content", "Tuyên truyền tại tổ dân phố 5")
    walk.page.fill("#id_highlights__0__participants", "85")
    walk.click("#save-submit-button")
    expect(walk.page.locator('#status [data-status="submitted"]')).to_be_visible()
    assert Submission.objects.get().period_code == "2018-H1"
    assert walk.clicks <= 3


def test_commune_logs_a_communication_activity(page_for: Any, forms: None) -> None:
    ensure_outreach_catalogs()
    walk = Walk(page_for("xa.easo", viewport=PHONE))
    walk.menu("/outreach/")
    walk.page.wait_for_url("**/outreach/*")
    walk.click("#new-activity")
    walk.page.fill("#id_date", "15/05/2018")
    walk.choose("#id_form", label="Hội họp thôn, buôn, tổ dân phố")
    walk.page.fill("#id_title", "Tuyên truyền phòng, chống mại dâm tại buôn Ea Sô")
    walk.click(walk.page.get_by_label("Nhân dân (cộng đồng dân cư)"))
    walk.page.fill("#id_participants", "64")
    walk.click(walk.page.locator("#activity-form button[type=submit].primary"))
    expect(walk.page.locator("h1")).to_have_text("Tuyên truyền phòng, chống mại dâm tại buôn Ea Sô")
    expect(walk.page.locator("#activity-facts")).to_contain_text("Xã Ea Sô")
    assert walk.clicks <= 6
