"""A criminal case from detection to judgment in the browser (issue 12): the police record it,
name an owner and a person selling sex (a victim), create a ring and attach the case, open it
and propose prosecution; the procuracy indicts; the court brings it to trial, records a
mobile trial and the judgment. The case page then shows the enforcement stage, handled, and
target T4 on the dashboard moved from 0 % to 100 % when the procuracy decided to prosecute."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from pcmd.agencies.models import Agency
from pcmd.cases.models import Case, Offence, Ring
from pcmd.geo.models import Unit
from tests.browser.test_axe import _axe_source, _violations

PHONE = {"width": 390, "height": 844}
OWNER = "Đặng Văn Chứa"
SELLER = "Lò Thị Hoa"


def _decide(page: Any, decision: str, on: str, document: str = "") -> None:
    page.select_option("#id_decision", decision)
    page.fill("#id_on", on)
    if document:
        page.fill("#id_document", document)
    with page.expect_navigation():
        page.locator("#panel button.primary").first.click()


def _add_person(page: Any, name: str, year: str, role: str, standing: str) -> None:
    with page.expect_navigation():
        page.locator(".i178-actions a[href$='/persons/add/']").click()
    page.fill("#id_full_name", name)
    page.fill("#id_birth_year", year)
    page.select_option("#id_role", role)
    page.select_option("#id_standing", standing)
    with page.expect_navigation():
        page.locator("form:has(input[value=new]) button.primary").click()


def _t4(page: Any, url: str) -> str:
    """The value of target T4 (cases handled ÷ detected) on the 2018 dashboard."""
    page.goto(f"{url}/dashboard/?period=2018")
    return str(page.locator("#card-T4 .big").inner_text()).strip()


def _shots(page: Any, name: str) -> None:
    """Screenshots at 1280 and 390 px when PCMD_SCREENSHOTS names a folder (to look at)."""
    folder = os.environ.get("PCMD_SCREENSHOTS")
    if not folder:
        return
    for width, height in ((1280, 900), (PHONE["width"], PHONE["height"])):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
        if page.locator("#persons").count():
            page.locator("#persons").screenshot(
                path=str(Path(folder) / f"{name}-persons-{width}.png")
            )
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_case_from_detection_to_judgment(page_for: Any, demo_server: Any) -> None:
    url = demo_server.url
    tan_lap = Unit.objects.get(code="24118", valid_from=None, level=3)
    offence = Offence.objects.get(code="327.1")

    police = page_for("congan")
    police.goto(f"{url}/cases/")
    with police.expect_navigation():
        police.locator("a[href='/cases/new/']").click()
    _shots(police, "case-form")
    police.fill("#id_title", "Chứa mại dâm tại quán karaoke trên đường Y Moan")
    police.select_option("#id_commune", str(tan_lap.pk))
    police.fill("#id_detected_on", "05/03/2018")
    police.select_option("#id_detected_by", str(Agency.objects.get(code="CONG_AN_TINH").pk))
    police.select_option("#id_origin", "inspection")
    police.check(f"input[name=offences][value='{offence.pk}']")
    with police.expect_navigation():
        police.locator("form.case-form button.primary").click()
    case = Case.objects.get(title__startswith="Chứa mại dâm tại quán karaoke trên")
    expect(police.locator("h1")).to_contain_text(case.code)

    _add_person(police, OWNER, "1978", "owner", "suspect")
    _add_person(police, SELLER, "1999", "seller", "victim")
    expect(police.locator("#persons")).to_contain_text(OWNER)
    expect(police.locator("#persons")).to_contain_text(SELLER)

    # a ring, and the case attached to it through the case form
    police.goto(f"{url}/cases/rings/new/")
    police.fill("#id_name", "Đường dây karaoke Y Moan")
    police.select_option("#id_unit", str(tan_lap.parent_id))
    police.fill("#id_detected_on", "01/03/2018")
    with police.expect_navigation():
        police.locator("form.case-form button.primary").click()
    ring = Ring.objects.get(name="Đường dây karaoke Y Moan")
    police.goto(f"{url}/cases/{case.pk}/edit/")
    police.select_option("#id_ring", str(ring.pk))
    with police.expect_navigation():
        police.locator("form.case-form button.primary").click()
    expect(police.locator("#summary")).to_contain_text(ring.code)

    # T4 of plan 1842 on the dashboard (2018): the case is detected, not yet handled
    t4 = _t4(police, url)
    assert t4.startswith("0"), t4
    police.goto(f"{url}/cases/{case.pk}/")
    _decide(police, "open", "10/03/2018", "05/QĐ-CSĐT")
    _decide(police, "propose", "02/05/2018", "12/KLĐT")
    expect(police.locator("#stage")).to_have_attribute("data-stage", "prosecution")
    expect(police.locator("#panel")).to_have_count(0)  # the procuracy's stage now

    vks = page_for("vks")
    vks.goto(f"{url}/cases/{case.pk}/")
    expect(vks.locator("#persons")).to_contain_text(OWNER)
    _decide(vks, "indict", "20/05/2018", "08/CT-VKS")
    # the decision to prosecute is a terminal outcome: T4 moves to 100 %
    assert _t4(vks, url).startswith("100"), _t4(vks, url)
    vks.goto(f"{url}/cases/{case.pk}/")

    court = page_for("toaan")
    court.goto(f"{url}/cases/{case.pk}/")
    _decide(court, "bring_to_trial", "05/06/2018", "15/QĐXX")
    court.select_option("#id_court", str(Agency.objects.filter(kind="court").first().pk))
    court.fill("#id_held_on", "20/06/2018")
    court.fill("#id_venue", "Nhà văn hóa phường Tân Lập")
    court.check("#id_is_mobile")
    court.select_option("#id_location", str(tan_lap.pk))
    court.fill("#id_audience", "250")
    court.fill("#id_judgment_number", "25/2018/HS-ST")
    court.fill("#id_judgment_on", "20/06/2018")
    with court.expect_navigation():
        court.locator("#trial button.primary").click()
    expect(court.locator("#trial")).to_contain_text("25/2018/HS-ST")
    _decide(court, "judgment", "20/06/2018", "25/2018/HS-ST")

    expect(court.locator("#stage")).to_have_attribute("data-stage", "enforcement")
    expect(court.locator("#outcome .i178-good")).to_be_visible()
    case.refresh_from_db()
    assert case.stage == "enforcement" and case.handled_on is not None
    _shots(court, "case")
    source = _axe_source()
    found = [f"court case page: {v}" for v in _violations(court, source)]

    # on a phone the case page fits the screen (tables scroll inside their wrapper)
    phone = page_for("congan", viewport=PHONE)
    phone.goto(f"{url}/cases/{case.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    found += [f"phone case page: {v}" for v in _violations(phone, source)]
    phone.goto(f"{url}/cases/rings/{ring.pk}/")
    expect(phone.locator("#ring-cases")).to_contain_text(case.code)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    found += [f"phone ring page: {v}" for v in _violations(phone, source)]
    phone.goto(f"{url}/cases/?overdue=1")
    found += [f"phone case list: {v}" for v in _violations(phone, source)]
    assert found == []
