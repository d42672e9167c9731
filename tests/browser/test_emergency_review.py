"""The review queue of exceptional access in the browser (issue 11.5): the standing office,
at 1366 px, follows its home card to the queue, reads what was read under an emergency
access and marks it justified."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from pcmd.accounts.models import User
from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.geo.models import Unit, UnitLevel
from pcmd.people import access, actions, emergency
from pcmd.people.models import AccessException
from tests.browser.test_axe import _axe_source, _violations

WIDE = {"width": 1366, "height": 900}
NAME = "Hoàng Thị Trình Duyệt"
REASON = "Cần liên hệ người thân vì người này đang cấp cứu ở bệnh viện tỉnh."


def _emergency_use() -> AccessException:
    unit = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    person = actions.create_person(None, unit=unit, values={"full_name": NAME})
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=unit, source="sanction:b1")
    worker = User.objects.get(username="ctxh.bmt")
    exception = emergency.open_emergency(worker, person, REASON)
    access.reveal(worker, person, "page", path=f"/people/emergency/{person.pk}/")
    return exception


def test_the_standing_office_reviews_an_emergency_access(page_for: Any) -> None:
    exception = _emergency_use()
    page = page_for("thuongtruc", viewport=WIDE)
    card = page.locator("#card-exceptions-to-review")
    expect(card).to_contain_text("Truy cập ngoại lệ chờ xem xét")
    card.locator(".all a").click()
    page.wait_for_url("**/people/review/")
    use = page.locator(f"#exception-{exception.pk}")
    expect(use).to_contain_text(exception.person.code)
    expect(use).to_contain_text(REASON)
    expect(use.locator(".reads li")).to_have_count(1)
    assert NAME not in page.content()  # the reviewer sees the code, never the identity
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe = _axe_source()
    assert _violations(page, axe) == []

    page.locator(f"#exception-{exception.pk}").get_by_label("có căn cứ", exact=True).check()
    page.locator(f"#id_r{exception.pk}-note").fill("Có lý do cấp cứu, đã xác minh.")
    page.locator(f"#exception-{exception.pk} button[type=submit]").click()
    page.wait_for_url("**/people/review/")
    expect(page.locator(".messages")).to_contain_text(exception.person.code)
    expect(page.locator(f"#exception-{exception.pk}")).to_have_count(0)

    page.locator("#tab-reviewed").click()
    page.wait_for_url("**/people/review/?tab=reviewed")
    reviewed = page.locator(f"#exception-{exception.pk}")
    expect(reviewed).to_contain_text("có căn cứ")
    expect(reviewed).to_contain_text("Có lý do cấp cứu, đã xác minh.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert _violations(page, axe) == []
    exception.refresh_from_db()
    assert exception.justified is True and exception.reviewed_by is not None
    assert exception.reviewed_by.username == "thuongtruc"


def test_a_social_worker_breaks_the_glass_and_every_read_is_logged(page_for: Any) -> None:
    from pcmd.people.models import AccessLog, Person

    unit = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    person = actions.create_person(None, unit=unit, values={"full_name": NAME})
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=unit, source="sanction:b2")
    page = page_for("ctxh.bmt", viewport=WIDE)
    page.goto(page.url + f"people/emergency/{person.pk}/")
    expect(page.locator("#identity")).to_have_count(0)
    page.locator("#id_reason").fill("gấp")
    page.locator("#emergency-access button[type=submit]").click()
    expect(page.locator(".errorsummary")).to_contain_text("ít nhất 20 ký tự")
    expect(page.locator(".errorsummary")).to_contain_text("at least 20 characters")
    axe = _axe_source()
    assert _violations(page, axe) == []
    assert not AccessLog.objects.filter(person=person).exists()
    page.locator("#id_reason").fill(REASON)
    page.locator("#emergency-access button[type=submit]").click()
    expect(page.locator("#identity .person-name")).to_have_text(NAME)
    expect(page.locator(".messages")).to_contain_text("Đã mở truy cập khẩn cấp")
    page.reload()
    expect(page.locator("#identity .person-name")).to_have_text(NAME)
    assert _violations(page, axe) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    reads = AccessLog.objects.filter(person=person)
    assert reads.count() == 2  # one per showing of the page
    assert {r.exception_id for r in reads} == {
        AccessException.objects.get(person=Person.objects.get(pk=person.pk)).pk
    }
