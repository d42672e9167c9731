"""A social worker on a phone (390 px) takes in a police hand-over assigned to the district:
intake with consent to support, then on the case page the consent to a referral naming the
job centre, a needs assessment, a vocational training and the referral to that centre; the
receiving agency's officer accepts it and returns feedback, which the worker reads."""

from __future__ import annotations

import datetime
from typing import Any

from playwright.sync_api import expect

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import MODULE_ENFORCEMENT, Role
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.people import actions
from pcmd.people import consent as flow
from pcmd.people.models import AccessLog, ConsentPurpose, Referral
from pcmd.support.models import ServiceReferral, SupportCase
from tests.browser.test_axe import _axe_source, _violations
from tests.conftest import PASSWORD

PHONE = {"width": 390, "height": 844}
NAME = "Lê Thị Hồng Thử"
CENTRE = "Trung tâm Dịch vụ việc làm tỉnh"
SHOTS = "var/screenshots"


def _hand_over() -> Referral:
    """A police hand-over received by the standing office and assigned to district 643."""
    commune = Unit.objects.get(code="24118", valid_from=None, level=UnitLevel.COMMUNE)
    person = actions.create_person(
        None, unit=commune, values={"full_name": NAME, "birth_year": 1997, "sex": "female"}
    )
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=commune, source="sanction:88")
    referral = flow.refer_to_standing_office(
        User.objects.get(username="congan"),
        person,
        source="sanction:88",
        note="Bị xử phạt hành vi bán dâm.",
        on=datetime.date(2018, 9, 10),
    )
    flow.receive_referral(None, referral)
    flow.record_consent(
        None, person, purpose=ConsentPurpose.SUPPORT, given=True, on=datetime.date(2018, 9, 11)
    )
    district = Unit.objects.get(code="643", valid_from=None)
    return flow.assign_referral(None, referral, district=district)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_social_worker_takes_in_a_hand_over_on_a_phone(page_for: Any, demo_server: Any) -> None:
    referral = _hand_over()
    person = referral.person
    page = page_for("ctxh.bmt", viewport=PHONE)

    axe = _axe_source()
    page.goto(f"{demo_server.url}/support/cases/new/")
    assert _violations(page, axe) == []
    page.select_option("#id_origin", "police")
    page.select_option("#id_referral", str(referral.pk))
    page.fill("#id_opened_on", "12/09/2018")
    page.check("#id_consent_support")
    _fits(page)
    page.screenshot(path=f"{SHOTS}/support_intake_390.png", full_page=True)
    page.click("#intake-form button[type=submit]")

    expect(page.locator("h1")).to_contain_text("HT-2018-")
    case = SupportCase.objects.get(referral=referral)
    expect(page.locator("#case-person")).to_contain_text(NAME)
    assert AccessLog.objects.filter(person=person, user__username="ctxh.bmt").exists()
    _fits(page)

    # consent to be referred to the job centre, in the consent panel
    page.select_option("#consent-quick select[name=purpose]", "referral")
    page.fill("#consent-quick input[name=organisation]", CENTRE)
    page.select_option("#consent-quick select[name=given]", "1")
    page.fill("#consent-quick input[name=on]", "13/09/2018")
    page.click("#consent-quick button[type=submit]")
    expect(page.locator("#consents-current tr[data-purpose=referral]")).to_contain_text(CENTRE)

    # a needs assessment
    page.fill("#id_assess-on", "13/09/2018")
    for domain, level in (
        ("health", "some"),
        ("legal", "none"),
        ("housing", "some"),
        ("income", "urgent"),
        ("family", "some"),
        ("safety", "none"),
    ):
        page.check(f"#assess-form input[name=assess-{domain}][value={level}]")
    page.click("#assess-form button[type=submit]")
    expect(page.locator("#assess .assessment")).to_have_count(1)

    # a vocational training: the course shows, the loan fields stay hidden
    page.select_option("#id_service-type", label="Học nghề")
    expect(page.locator("#id_service-course")).to_be_visible()
    expect(page.locator("#id_service-loan_amount")).to_be_hidden()
    page.fill("#id_service-started_on", "20/09/2018")
    page.fill("#id_service-course", "May công nghiệp")
    _fits(page)
    page.click("#service-form button[type=submit]")
    expect(page.locator("#services")).to_contain_text("May công nghiệp")

    # the referral to the job centre, covered by the consent
    page.select_option("#id_refer-type", label="Học nghề")
    page.fill("#id_refer-to_name", CENTRE)
    page.fill("#id_refer-sent_on", "20/09/2018")
    page.click("#refer-form button[type=submit]")
    expect(page.locator("#referrals")).to_contain_text(CENTRE)
    _fits(page)
    page.screenshot(path=f"{SHOTS}/support_case_390.png", full_page=True)
    assert _violations(page, axe) == []
    for section in ("case-facts", "consent-panel", "assess", "goal", "service", "refer"):
        page.locator(f"#{section}").screenshot(path=f"{SHOTS}/support_case_{section}_390.png")

    # the caseload shows the case, the identity and the next follow-up, and fits the phone
    page.goto(f"{demo_server.url}/support/cases/")
    expect(page.locator(f"#support-cases tr[data-case='{case.pk}']")).to_contain_text(NAME)
    _fits(page)
    page.screenshot(path=f"{SHOTS}/support_cases_390.png", full_page=True)
    assert _violations(page, axe) == []

    row = ServiceReferral.objects.get(case=case)
    assert row.to_name == CENTRE and row.override is None

    # the Women's Union takes part in the job centre's courses: the centre's referral is also
    # sent to it (the receiving agency in PCMD); its officer accepts and returns feedback
    union = Agency.objects.get(code="HOI_LHPN_TINH")
    ServiceReferral.objects.filter(pk=row.pk).update(to_agency=union)
    officer = User.objects.create_user(username="hoilhpn", password=PASSWORD)
    Assignment.objects.create(user=officer, role=Role.AGENCY_OFFICER, unit=union.unit, agency=union)
    receiver = page_for("hoilhpn", viewport=PHONE)
    receiver.goto(f"{demo_server.url}/support/referrals/")
    expect(receiver.locator("main")).to_contain_text(case.code)
    receiver.goto(f"{demo_server.url}/support/referrals/{row.pk}/")
    expect(receiver.locator("body")).not_to_contain_text(NAME)  # no identity before accepting
    receiver.check("#answer-form input[type=radio][value=accept]")
    receiver.fill("#id_answer-on", "22/09/2018")
    with receiver.expect_navigation():
        receiver.click("#answer-form button[type=submit]")
    receiver.fill("#id_feedback-on", "30/11/2018")
    receiver.fill("#id_feedback-feedback", "Đã hoàn thành khóa học may 3 tháng.")
    with receiver.expect_navigation():
        receiver.click("#feedback-form button[type=submit]")
    _fits(receiver)
    row.refresh_from_db()
    assert row.status == "completed" and "khóa học may" in row.feedback
    # the worker sees the feedback on the case page
    page.goto(f"{demo_server.url}/support/cases/{case.pk}/")
    expect(page.locator("#referrals")).to_contain_text("khóa học may")
    assert case.assessments.count() == 1 and case.services.get().course == "May công nghiệp"
