"""National programmes (361/QĐ-TTg, 1629/QĐ-TTg) as plans without a province, and the trace
from each of their targets to the provincial targets serving it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from pcmd.core.models import AuditEvent
from pcmd.plans import actions
from pcmd.plans.actions import DATA_DIR, import_plan
from pcmd.plans.models import Plan, PlanStatus, PlanType
from pcmd.plans.selectors import in_force
from pcmd.plans.structure import to_data

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


def national(number: str) -> Plan:
    return Plan.objects.get(number=number, unit__isnull=True)


def test_the_demo_loads_both_national_programmes() -> None:
    p361, p1629 = national("361/QĐ-TTg"), national("1629/QĐ-TTg")
    for plan in (p361, p1629):
        assert plan.plan_type == PlanType.NATIONAL and plan.status == PlanStatus.ISSUED
        assert plan.issuer is None and plan.issuer_label == "Thủ tướng Chính phủ"
    assert (p361.issued_on, p361.period_start.year, p361.period_end.year) == (
        D(2016, 3, 7),
        2016,
        2020,
    )
    assert (p1629.issued_on, p1629.period_start.year, p1629.period_end.year) == (
        D(2021, 9, 28),
        2021,
        2025,
    )
    communication = p1629.targets.get(code="N1")
    assert communication.value == 70 and communication.indicator_code == "communication_coverage"
    assert {t.code for t in p361.targets.all()} == {"N1", "N2", "N3"}


def test_the_2018_plan_implements_361_and_its_communication_target_serves_361s(plan2018):
    p361 = national("361/QĐ-TTg")
    assert plan2018.parent == p361
    assert plan2018.targets.get(code="T1").parent == p361.targets.get(code="N1")
    assert AuditEvent.objects.filter(verb="plan.link").exists()


def test_re_importing_the_seed_keeps_its_links_to_the_programme(plan2018) -> None:
    p361 = national("361/QĐ-TTg")
    import_plan(DATA_DIR / "kh-1842-2018.yaml", actor=None)
    plan2018.refresh_from_db()
    assert plan2018.parent == p361
    assert plan2018.targets.get(code="T1").parent == p361.targets.get(code="N1")


def test_re_importing_a_programme_keeps_the_targets_serving_it() -> None:
    before = national("361/QĐ-TTg").targets.get(code="N1").pk
    import_plan(DATA_DIR / "qd-361-2016.yaml", actor=None)
    assert national("361/QĐ-TTg").targets.get(code="N1").pk == before
    assert Plan.objects.filter(number="361/QĐ-TTg").count() == 1


def test_only_an_administrator_loads_a_national_programme(persona) -> None:
    with pytest.raises(PermissionDenied):
        import_plan(DATA_DIR / "qd-1629-2021.yaml", actor=persona("thuongtruc"))
    assert import_plan(DATA_DIR / "qd-1629-2021.yaml", actor=persona("admin")).unit is None


def test_a_national_programme_is_never_a_provinces_plan_in_force(plan2018) -> None:
    assert in_force(plan2018.unit, D(2022, 1, 1), D(2022, 12, 31)) is None


def test_linking_refuses_a_yearly_plan_or_an_unknown_target(plan2018, persona) -> None:
    from django.core.exceptions import ValidationError

    admin = persona("admin")
    with pytest.raises(ValidationError):
        actions.link_to_programme(plan2018, plan2018, actor=admin)
    with pytest.raises(ValidationError):
        actions.link_to_programme(
            plan2018, national("1629/QĐ-TTg"), actor=admin, targets={"T1": "N9"}
        )
    with pytest.raises(PermissionDenied):
        actions.link_to_programme(plan2018, national("1629/QĐ-TTg"), actor=persona("xa.easo"))


@pytest.fixture
def plan2022(plan2018, persona) -> Plan:
    """A 2022 plan drafted from 2018 whose T1 serves 1629's communication target."""
    office = persona("thuongtruc")
    draft = actions.copy_plan(
        plan2018, actor=office, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    data = to_data(draft)
    data["targets"][0]["parent"] = national("1629/QĐ-TTg").targets.get(code="N1").pk
    data["targets"][0]["value"] = 80
    actions.save_content(draft, data, actor=office, version=draft.version)
    actions.submit(draft, actor=office)
    return actions.issue(
        draft,
        actor=persona("lanhdao"),
        number="30/KH-UBND",
        issued_on=D(2022, 2, 10),
        signer_name="X",
        signer_title="PHÓ CHỦ TỊCH",
    )


def test_the_trace_page_lists_the_provincial_targets_serving_each_target(
    plan2018, plan2022, client_for
) -> None:
    client = client_for("thuongtruc")
    p1629 = national("1629/QĐ-TTg")
    html = client.get(f"/plans/{p1629.pk}/trace/").content.decode()
    n1 = html.split('id="trace-N1"')[1].split("</section>")[0]
    assert "30/KH-UBND" in n1 and "80%" in n1 and "1842/KH-UBND" not in n1
    assert f"/plans/tracking/?target={plan2022.targets.get(code='T1').pk}" in n1
    n2 = html.split('id="trace-N2"')[1].split("</section>")[0]
    assert "30/KH-UBND" not in n2
    html361 = client.get(f"/plans/{national('361/QĐ-TTg').pk}/trace/").content.decode()
    assert "1842/KH-UBND" in html361.split('id="trace-N1"')[1].split("</section>")[0]


def test_a_commune_sees_the_trace_without_the_provinces_figures(plan2022, client_for) -> None:
    html = client_for("xa.easo").get(f"/plans/{national('1629/QĐ-TTg').pk}/trace/")
    assert html.status_code == 200
    n1 = html.content.decode().split('id="trace-N1"')[1].split("</section>")[0]
    assert "30/KH-UBND" in n1 and "80%" not in n1 and "/plans/tracking/" not in n1


def test_the_trace_page_is_for_national_programmes_only(plan2018, client_for) -> None:
    client = client_for("thuongtruc")
    assert client.get(f"/plans/{plan2018.pk}/trace/").status_code == 404
    assert client.get("/plans/99999999/trace/").status_code == 404


def test_a_national_target_is_followed_through_the_plans_serving_it(
    plan2018, plan2022, client_for
) -> None:
    n1 = national("1629/QĐ-TTg").targets.get(code="N1")
    html = (
        client_for("thuongtruc")
        .get(f"/plans/tracking/?target={n1.pk}&unit={plan2018.unit.pk}")
        .content.decode()
    )
    row = html.split('data-year="2022"')[1].split("</tr>")[0]
    assert "30/KH-UBND" in row and "80%" in row


def test_national_programmes_are_read_on_the_plan_pages_and_the_api(client_for, persona) -> None:
    from rest_framework.test import APIClient

    p1629 = national("1629/QĐ-TTg")
    client = client_for("xa.easo")
    assert client.get("/plans/").status_code == 200
    assert client.get(f"/plans/{p1629.pk}/").status_code == 200
    api = APIClient()
    api.force_authenticate(persona("xa.easo"))
    listed = {p["number"]: p for p in api.get("/api/v1/plans").json()["results"]}
    assert listed["1629/QĐ-TTg"]["unit_code"] is None
    assert listed["1629/QĐ-TTg"]["issuer"] == "Thủ tướng Chính phủ"
    detail = api.get(f"/api/v1/plans/{p1629.pk}")
    assert detail.status_code == 200 and detail.json()["targets"][0]["code"] == "N1"
