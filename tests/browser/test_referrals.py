"""The standing office's referral inbox on a phone (390 px): the police's referral waits,
opens with the identity (each showing logged), is received, then the consent is recorded
and the case assigned to the district's social workers."""

from __future__ import annotations

import datetime
from typing import Any

from playwright.sync_api import expect

from pcmd.accounts.models import User
from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.geo.models import Unit, UnitLevel
from pcmd.people import access, actions
from pcmd.people import consent as flow
from pcmd.people.models import AccessLog, Referral, ReferralStatus

PHONE = {"width": 390, "height": 844}
NAME = "Hồ Thị Lan Thử"


def _referral() -> Referral:
    commune = Unit.objects.get(code="24118", valid_from=None, level=UnitLevel.COMMUNE)
    person = actions.create_person(
        None, unit=commune, values={"full_name": NAME, "birth_year": 1996, "sex": "female"}
    )
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=commune, source="sanction:77")
    return flow.refer_to_standing_office(
        User.objects.get(username="congan"),
        person,
        source="sanction:77",
        note="Bị xử phạt hành vi bán dâm.",
        on=datetime.date(2018, 9, 10),
    )


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_standing_office_receives_and_assigns_on_a_phone(
    page_for: Any, demo_server: Any
) -> None:
    referral = _referral()
    person = referral.person
    page = page_for("thuongtruc", viewport=PHONE)
    expect(page.locator("#card-referrals-to-receive")).to_contain_text(person.code)

    page.goto(f"{demo_server.url}/people/referrals/")
    expect(page.locator("#referrals")).to_contain_text(person.code)
    expect(page.locator("#referrals-waiting")).to_be_visible()
    assert NAME not in page.content()  # the inbox shows codes only
    _fits(page)
    assert not AccessLog.objects.filter(person=person).exists()

    page.click(f"#referrals a[href='/people/referrals/{referral.pk}/']")
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.locator("#referral-facts")).to_contain_text("sanction:77")
    _fits(page)
    page.click("#receive-form button")
    expect(page.locator("#referral-status")).to_have_text("đã tiếp nhận")
    expect(page.locator("#no-consent")).to_be_visible()
    _fits(page)

    page.select_option("#consent-quick select[name=given]", "1")
    page.fill("#consent-quick #id_on", "12/09/2018")
    page.click("#consent-quick button[type=submit]")
    expect(page.locator("#consents-current tr[data-purpose=support]")).to_have_attribute(
        "data-given", "1"
    )
    page.select_option("#assign-form select[name=district]", label="Thành phố Buôn Ma Thuột")
    page.click("#assign-form button[type=submit]")
    expect(page.locator("#referral-status")).to_have_text("đã bắt đầu hỗ trợ")
    _fits(page)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUPPORT_STARTED and referral.override is None
    assert access.grant_for(User.objects.get(username="ctxh.bmt"), person) is not None
    # every page that showed the identity wrote one row, all for the standing office
    reads = AccessLog.objects.filter(person=person)
    assert reads.count() == 4  # opened, after receiving, after the consent, after assigning
    assert set(reads.values_list("user__username", flat=True)) == {"thuongtruc"}
