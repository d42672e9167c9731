"""Defects found by the outsider review of issue 14, each with the test that finds it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from pcmd.geo.models import Unit
from pcmd.plans import actions
from pcmd.plans.models import Plan, PlanStatus
from pcmd.plans.selectors import counterpart
from pcmd.plans.structure import StructureError, to_data

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


def _new_province() -> Unit:
    return Unit.objects.get(code="66", level=1, valid_from__isnull=False)


def test_one_province_history_across_the_reform(plan2018, persona) -> None:
    """The new Đắk Lắk's people read the old province's plans and the old people the new."""
    new = _new_province()
    assert counterpart(new, D(2018, 12, 31)) == plan2018.unit  # not old Phú Yên
    assert counterpart(plan2018.unit, D(2026, 6, 30)) == new
    assert plan2018 in Plan.objects.visible_to(persona("ubnd.tinh"))
    later = actions.copy_plan(
        plan2018,
        actor=persona("soyte"),
        unit=new,
        period_start=D(2027, 1, 1),
        period_end=D(2027, 12, 31),
    )
    actions.submit(later, actor=persona("soyte"))
    actions.issue(
        later,
        actor=persona("ubnd.tinh"),
        number="9/KH-UBND",
        issued_on=D(2026, 11, 1),
        signer_name="A",
        signer_title="CHỦ TỊCH",
    )
    assert later in Plan.objects.visible_to(persona("thuongtruc"))
    assert later.parent is None  # 361/QĐ-TTg (2016–2020) does not run in 2027


def test_the_dashboard_of_the_new_province_asks_2018_of_the_old_one(client_for) -> None:
    html = client_for("soyte").get("/dashboard/?period=2018").content.decode()
    assert "1842/KH-UBND" in html
    # the question's area is the province of 2018 (its id in the form), not the new one
    assert f'value="{_new_province().pk}" selected' not in html


def test_a_second_plan_for_an_issued_period_is_refused(plan2018, persona) -> None:
    again = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=D(2018, 1, 1),
        period_end=D(2018, 12, 31),
    )
    actions.submit(again, actor=persona("thuongtruc"))
    with pytest.raises(ValidationError) as refused:
        actions.issue(
            again,
            actor=persona("lanhdao"),
            number="77/KH-UBND",
            issued_on=D(2019, 1, 15),
            signer_name="A",
            signer_title="PHÓ CHỦ TỊCH",
        )
    assert "1842/KH-UBND" in str(refused.value.message_dict["number"])


def test_a_dissolved_province_gets_no_new_plan(plan2018, persona) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.copy_plan(
            plan2018, actor=persona("admin"), period_start=D(2027, 1, 1), period_end=D(2027, 12, 31)
        )
    assert "unit" in refused.value.message_dict


def test_target_codes_and_counts_are_checked(plan2018, persona) -> None:
    draft = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=D(2019, 1, 1),
        period_end=D(2019, 12, 31),
    )
    data = to_data(draft)
    data["targets"][0]["code"] = "T/8"
    data["targets"][5]["value"] = 200  # T6: 200 of 184 communes
    with pytest.raises(StructureError) as refused:
        actions.save_content(draft, data, actor=persona("thuongtruc"))
    assert {"targets[0].code", "targets[5].value"} <= set(refused.value.errors)


def test_an_issued_plan_keeps_every_target_on_reimport(plan2018, tmp_path) -> None:
    import yaml

    t7 = plan2018.targets.get(code="T7").pk
    data = yaml.safe_load((actions.DATA_DIR / "kh-1842-2018.yaml").read_text(encoding="utf-8"))
    data["targets"] = [t for t in data["targets"] if t["code"] != "T7"]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    actions.import_plan(path, actor=None)
    kept = plan2018.targets.get(pk=t7)
    assert kept.withdrawn and plan2018.status == PlanStatus.ISSUED


def test_buttons_without_a_version_change_nothing(plan2018, persona, client_for) -> None:
    draft = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=D(2019, 1, 1),
        period_end=D(2019, 12, 31),
    )
    client = client_for("thuongtruc")
    assert client.post(f"/plans/{draft.pk}/edit/targets/T1/delete/").status_code == 400
    assert client.post(f"/plans/{draft.pk}/submit/").status_code == 400
    assert draft.targets.filter(code="T1").exists()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_loading_a_province_never_hands_an_existing_account_its_rights(persona) -> None:
    from pcmd.plans.provinces import ProvinceError, load_province

    with pytest.raises(ProvinceError):
        load_province("56", actor=persona("admin"), admin_user="thuongtruc")
    assert not persona("thuongtruc").assignments.filter(unit__code="56").exists()
