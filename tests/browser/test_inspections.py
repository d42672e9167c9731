"""A district officer records an inspection with a violation on a phone, then finds it in
the list (issue 3, "Done when")."""

from __future__ import annotations

import datetime

import pytest

from pcmd.enforcement.models import Violation, ViolationType
from pcmd.inspections.models import Inspection
from tests.inspections import builders as b

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def field_data(demo_server):
    b.ensure_catalogs()
    team = b.team(b.BMT, name="Đội kiểm tra liên ngành 178 TP Buôn Ma Thuột")
    est = b.establishment(b.TAN_LAP, name="Karaoke Ánh Trăng")
    b.establishment(b.TAN_LAP, name="Nhà nghỉ Hoa Sữa")
    vtype = (
        ViolationType.objects.valid_on(datetime.date.today())
        .filter(fine_min_individual__isnull=False, fine_min_organisation__isnull=True)
        .order_by("order")
        .first()
    )
    return {"team": team, "est": est, "vtype": vtype}


def test_record_an_inspection_with_a_violation_on_a_phone(
    page_for, demo_server, field_data
) -> None:
    team, est, vtype = field_data["team"], field_data["est"], field_data["vtype"]
    page = page_for("huyen.bmt", viewport=PHONE)
    page.goto(f"{demo_server.url}/inspections/new/")
    # The form fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("#establishment-search", "Ánh Trăng")
    assert page.locator("#id_establishment option:not([hidden])").count() == 2  # + blank
    page.select_option("#id_establishment", str(est.pk))
    page.select_option("#id_team", str(team.pk))
    members = b.members(team)
    for member in members[:2]:
        page.check(f"input[name=members_present][value='{member.pk}']")
    for item in b.items():
        answer = "not_ok" if item.code == "khong-dau-hieu-mai-dam" else "ok"
        page.check(f"input[name='finding_{item.code}'][value='{answer}']")
    page.fill(
        "input[name='finding_khong-dau-hieu-mai-dam_note']", "Phát hiện 2 khách mua dâm tại phòng 5"
    )
    page.check("input[name=result][value=violation]")
    page.check("input[name=follow_up_needed]")
    page.fill("textarea[name=follow_up_note]", "Chuyển hồ sơ cho Công an phường")
    page.check("input[name=add_violation]")
    page.select_option("#id_violation_type", str(vtype.pk))
    page.select_option("#id_subject_kind", "individual")
    page.fill("#id_people_count", "2")
    page.fill("#id_violation_description", "Hai người mua dâm, lập biên bản")
    page.click(".i178-save button")
    page.wait_for_url(f"{demo_server.url}/inspections/*/")
    assert "Karaoke Ánh Trăng" in page.inner_text("h1")
    assert vtype.name in page.content()

    inspection = Inspection.objects.get(establishment=est)
    assert inspection.result == "violation" and inspection.recorded_by.username == "huyen.bmt"
    assert set(inspection.members_present.all()) == set(members[:2])
    violation = Violation.objects.get(inspection=inspection)
    assert (violation.violation_type, violation.people_count) == (vtype, 2)

    # The list shows it; the result filter finds it; no horizontal scrolling.
    page.goto(f"{demo_server.url}/inspections/")
    row = page.locator("tbody tr", has_text="Karaoke Ánh Trăng")
    assert row.count() == 1
    assert row.locator(".i178-bad").count() == 1
    page.select_option("#id_result", "violation")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/inspections/?*result=violation*")
    assert page.locator("tbody tr", has_text="Karaoke Ánh Trăng").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row = page.locator("tbody tr", has_text="Karaoke Ánh Trăng")
    row.locator("a").first.click()
    page.wait_for_url(f"{demo_server.url}/inspections/{inspection.pk}/")
    assert "Phát hiện 2 khách mua dâm tại phòng 5" in page.content()
