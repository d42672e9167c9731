"""Support case pages (issue 13): who reaches them, identities shown with their trail,
intake (new person, found person, police hand-over), the case page's forms with errors on
their fields (400, never 500), the referral consent refusal and the override, transfers."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import MODULE_ENFORCEMENT, Role
from pcmd.geo.models import Unit, UnitLevel
from pcmd.people import actions as people_actions
from pcmd.people import consent as people_consent
from pcmd.people.models import AccessLog, ConsentPurpose, Person
from pcmd.support import cases
from pcmd.support.models import (
    CaseStatus,
    Goal,
    NeedsAssessment,
    Service,
    ServiceReferral,
    ServiceType,
    SupportCase,
)
from tests.conftest import assert_reach, sign_in

D = datetime.date
pytestmark = pytest.mark.django_db
NAME = "Người Được Hỗ Trợ Trang"
CENTRE = "Trung tâm Dịch vụ việc làm tỉnh"


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


@pytest.fixture
def worker(persona: Any) -> User:
    return persona("ctxh.bmt")


@pytest.fixture
def case(worker: User) -> SupportCase:
    person = people_actions.create_person(
        worker, unit=_unit("643"), values={"full_name": NAME, "birth_year": 1996, "sex": "female"}
    )
    return cases.open_case(
        worker,
        person=person,
        unit=_unit("643"),
        origin="outreach",
        worker=worker,
        opened_on=D(2018, 3, 1),
    )


def _url(case: SupportCase, step: str = "") -> str:
    if step:
        return reverse("support:case_step", args=[case.pk, step])
    return reverse("support:case", args=[case.pk])


def _errors(response: Any) -> str:
    return " ".join(re.findall(r'class="error"[^>]*>([^<]*)<', response.content.decode()))


def test_who_reaches_the_case_pages(client_for: Any, case: Any) -> None:
    allowed = {"admin", "thuongtruc", "ctxh.bmt"}
    for url in (reverse("support:cases"), reverse("support:case_new"), _url(case)):
        assert_reach(client_for, url, allowed)


def test_navigation_lists_the_caseload_for_social_workers_only(client_for: Any) -> None:
    url = reverse("support:cases")
    assert f'href="{url}"' in client_for("ctxh.bmt").get("/").content.decode()
    assert f'href="{url}"' not in client_for("congan").get("/").content.decode()


def test_the_worker_sees_the_identity_with_a_trail_and_admin_never(
    client_for: Any, case: SupportCase, worker: User
) -> None:
    person = case.person
    for url in (reverse("support:cases"), _url(case)):
        before = AccessLog.objects.filter(person=person, user=worker).count()
        body = client_for("ctxh.bmt").get(url).content.decode()
        assert NAME in body and person.code in body
        assert AccessLog.objects.filter(person=person, user=worker).count() == before + 1
    for url in (reverse("support:cases") + "?mine=", _url(case)):
        body = client_for("admin").get(url).content.decode()
        assert person.code in body and NAME not in body
    assert not AccessLog.objects.filter(person=person, user__username="admin").exists()


def test_the_caseload_filters(client_for: Any, case: SupportCase, worker: User) -> None:
    client = client_for("ctxh.bmt")
    list_url = reverse("support:cases")
    assert case.code in client.get(list_url).content.decode()  # "my cases" by default
    body = client.get(list_url + "?mine=&overdue=on").content.decode()
    assert case.code in body and "overdue" in body  # follow-ups of 2018 are overdue
    body = client.get(list_url + "?mine=&no_contact=on").content.decode()
    assert case.code in body
    cases.record_followup(worker, case, done_on=timezone.localdate(), kind="call")
    assert case.code not in client.get(list_url + "?mine=&no_contact=on").content.decode()
    assert case.code not in client.get(list_url + "?mine=&status=closed").content.decode()
    assert case.code not in client.get(list_url + "?mine=&year=2019").content.decode()
    # a filter that cannot be understood is ignored, never a 500
    assert client.get(list_url + "?year=abc&worker=zz&page=x").status_code == 200


def test_intake_of_a_new_person(client_for: Any, worker: User) -> None:
    client = client_for("ctxh.bmt")
    data = {
        "origin": "self",
        "full_name": "Người Mới Đến",
        "sex": "female",
        "birth_year": "1999",
        "unit": _unit("643").pk,
        "worker": worker.pk,
        "opened_on": "05/03/2018",
        "consent_support": "on",
    }
    persons = Person.objects.count()
    refused = client.post(reverse("support:case_new"), {**data, "consent_support": ""})
    assert refused.status_code == 400
    assert "id_consent_support_error" in refused.content.decode()
    assert Person.objects.count() == persons
    response = client.post(reverse("support:case_new"), data)
    assert response.status_code == 302
    case = SupportCase.objects.get(opened_on=D(2018, 3, 5))
    assert response["Location"] == _url(case)
    assert case.person.full_name == "Người Mới Đến"
    assert people_consent.has_support_consent(case.person)
    assert not cases.counted_in_statistics(case)


def test_intake_refusals_roll_back_the_new_person(client_for: Any, worker: User) -> None:
    client = client_for("ctxh.bmt")
    persons = Person.objects.count()
    response = client.post(
        reverse("support:case_new"),
        {
            "origin": "self",
            "full_name": "Người Mới Khác",
            "sex": "female",
            "unit": _unit("643").pk,
            "worker": worker.pk,
            "opened_on": "05/03/2999",  # in the future: the action refuses
            "consent_support": "on",
        },
    )
    assert response.status_code == 400
    assert "opened_on_error" in response.content.decode()
    assert Person.objects.count() == persons
    empty = client.post(reverse("support:case_new"), {"origin": "police"})
    assert empty.status_code == 400
    body = empty.content.decode()
    for name in ("referral", "unit", "worker", "opened_on", "consent_support"):
        assert f"id_{name}_error" in body, name


def test_intake_from_a_police_hand_over(client_for: Any, persona: Any, worker: User) -> None:
    commune = Unit.objects.get(code="24118", valid_from=None, level=UnitLevel.COMMUNE)
    person = people_actions.create_person(
        None, unit=commune, values={"full_name": "Người Chuyển Giao", "birth_year": 1995}
    )
    people_actions.involve(
        None, person, module=MODULE_ENFORCEMENT, unit=commune, source="sanction:91"
    )
    referral = people_consent.refer_to_standing_office(
        persona("congan"), person, source="sanction:91", note="Bị xử phạt.", on=D(2018, 9, 10)
    )
    office = persona("thuongtruc")
    people_consent.receive_referral(office, referral)
    people_consent.record_consent(
        office, person, purpose=ConsentPurpose.SUPPORT, given=True, on=D(2018, 9, 11)
    )
    people_consent.assign_referral(office, referral, district=_unit("643"))
    client = client_for("ctxh.bmt")
    page = client.get(reverse("support:case_new")).content.decode()
    assert person.code in page
    response = client.post(
        reverse("support:case_new"),
        {
            "origin": "police",
            "referral": referral.pk,
            "sex": "unknown",
            "unit": _unit("643").pk,
            "worker": worker.pk,
            "opened_on": "12/09/2018",
            "consent_support": "on",
            "consent_statistics": "on",
        },
    )
    assert response.status_code == 302, _errors(response)
    case = SupportCase.objects.get(referral=referral)
    assert case.person == person and cases.counted_in_statistics(case)
    # the hand-over is taken: it is no longer offered
    assert person.code not in client.get(reverse("support:case_new")).content.decode()


def test_intake_of_a_found_person(client_for: Any, worker: User, case: SupportCase) -> None:
    client = client_for("ctxh.bmt")
    found = client.get(reverse("support:case_new") + f"?q={NAME} 1996").content.decode()
    assert case.person.code in found and f'value="{case.person.pk}"' in found
    response = client.post(
        reverse("support:case_new"),
        {
            "origin": "self",
            "person": case.person.pk,
            "sex": "unknown",
            "unit": _unit("643").pk,
            "worker": worker.pk,
            "opened_on": "05/03/2018",
            "consent_support": "on",
        },
    )
    assert response.status_code == 400  # already has an open case
    assert "open support case" in _errors(response) or "đang" in _errors(response)


def test_the_case_page_forms(client_for: Any, case: SupportCase) -> None:
    client = client_for("ctxh.bmt")
    levels = {"assess-health": "some", "assess-legal": "none", "assess-housing": "urgent"}
    levels |= {"assess-income": "urgent", "assess-family": "some", "assess-safety": "none"}
    bad = client.post(_url(case, "assess"), {"assess-on": "02/03/2018"})
    assert bad.status_code == 400 and "id_assess-health_error" in bad.content.decode()
    ok = client.post(_url(case, "assess"), {"assess-on": "02/03/2018", **levels})
    assert ok.status_code == 302
    assert NeedsAssessment.objects.get(case=case).housing == "urgent"
    assert (
        client.post(
            _url(case, "goal"),
            {
                "goal-domain": "income",
                "goal-text": "Có việc làm ổn định",
                "goal-due_on": "01/09/2018",
            },
        ).status_code
        == 302
    )
    goal = Goal.objects.get(case=case)
    client.post(
        _url(case, "goal_status"), {"goal_status-goal": goal.pk, "goal_status-status": "achieved"}
    )
    goal.refresh_from_db()
    assert goal.status == "achieved"
    loan = ServiceType.objects.get(code="loan")
    bad = client.post(
        _url(case, "service"),
        {"service-type": loan.pk, "service-started_on": "03/03/2018", "service-outcome": "ongoing"},
    )
    assert bad.status_code == 400 and "id_service-loan_amount_error" in bad.content.decode()
    training = ServiceType.objects.get(code="vocational_training")
    ok = client.post(
        _url(case, "service"),
        {
            "service-type": training.pk,
            "service-started_on": "03/03/2018",
            "service-outcome": "ongoing",
            "service-course": "May công nghiệp",
        },
    )
    assert ok.status_code == 302
    assert Service.objects.get(case=case).course == "May công nghiệp"
    bad = client.post(_url(case, "followup"), {"followup-done_on": "99/99/2018"})
    assert bad.status_code == 400 and "id_followup-kind_error" in bad.content.decode()
    assert (
        client.post(
            _url(case, "followup"), {"followup-done_on": "01/04/2018", "followup-kind": "visit"}
        ).status_code
        == 302
    )
    assert client.post(_url(case, "nonsense"), {}).status_code == 404
    bad = client.post(_url(case, "close"), {"close-outcome": "vanished", "close-on": "01/09/2018"})
    assert bad.status_code == 400
    assert (
        client.post(
            _url(case, "close"), {"close-outcome": "stable_job", "close-on": "01/09/2018"}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    page = client.get(_url(case)).content.decode()
    assert 'id="reopen-form"' in page and 'id="service-form"' not in page
    assert client.post(_url(case, "reopen"), {"reopen-on": "05/01/2019"}).status_code == 400
    assert (
        client.post(
            _url(case, "reopen"), {"reopen-on": "05/01/2019", "reopen-reason": "Xin hỗ trợ lại"}
        ).status_code
        == 302
    )


def test_referral_refused_without_consent_then_overridden(
    client_for: Any, case: SupportCase
) -> None:
    training = ServiceType.objects.get(code="vocational_training")
    data = {"refer-type": training.pk, "refer-to_name": CENTRE, "refer-sent_on": "10/03/2018"}
    worker = client_for("ctxh.bmt")
    refused = worker.post(_url(case, "refer"), data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "id_refer-to_name_error" in body and 'id="refer-way-out"' in body
    assert 'name="refer-override_reason"' not in body  # a social worker may not override
    assert not ServiceReferral.objects.filter(case=case).exists()
    office = client_for("thuongtruc")
    assert 'name="refer-override_reason"' in office.get(_url(case)).content.decode()
    done = office.post(
        _url(case, "refer"), {**data, "refer-override_reason": "Đồng ý qua điện thoại."}
    )
    assert done.status_code == 302
    row = ServiceReferral.objects.get(case=case)
    assert row.override is not None and row.override.user.username == "thuongtruc"
    # with the consent naming the centre, the worker refers without a reason
    people_consent.record_consent(
        case.worker,
        case.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 11),
        organisation=CENTRE,
    )
    assert (
        worker.post(_url(case, "refer"), {**data, "refer-sent_on": "11/03/2018"}).status_code == 302
    )
    assert ServiceReferral.objects.filter(case=case, override__isnull=True).count() == 1


def test_a_transferred_case_404s_for_the_old_worker(client_for: Any, case: SupportCase) -> None:
    other = User.objects.create_user(username="ctxh.eakar", password="x-Long-Passw0rd!")
    Assignment.objects.create(user=other, role=Role.SOCIAL_WORKER, unit=_unit("651"))
    client = client_for("ctxh.bmt")
    response = client.post(
        _url(case, "transfer"),
        {
            "transfer-to_unit": _unit("651").pk,
            "transfer-to_worker": other.pk,
            "transfer-on": "01/05/2018",
            "transfer-reason": "Chuyển về sống cùng gia đình.",
        },
    )
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == reverse("support:cases")
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case, "followup"), {}).status_code == 404
    assert case.code not in client.get(reverse("support:cases") + "?mine=").content.decode()
    new = Client()
    sign_in(new, other)
    assert NAME in new.get(_url(case)).content.decode()


def test_a_social_worker_starts_from_her_own_cases(client_for: Any, case: SupportCase) -> None:
    colleague = User.objects.create_user(username="ctxh.bmt2", password="x-Long-Passw0rd!")
    Assignment.objects.create(user=colleague, role=Role.SOCIAL_WORKER, unit=_unit("643"))
    cases.transfer(
        case.worker, case, to_unit=_unit("643"), to_worker=colleague, on=D(2018, 4, 1), reason="x"
    )
    client = client_for("ctxh.bmt")
    assert case.code not in client.get(reverse("support:cases")).content.decode()
    assert case.code in client.get(reverse("support:cases") + "?mine=").content.decode()
    by_worker = client.get(reverse("support:cases") + f"?worker={colleague.pk}").content.decode()
    assert case.code in by_worker
    # the standing office sees every case of the province from the start
    assert case.code in client_for("thuongtruc").get(reverse("support:cases")).content.decode()


@pytest.mark.parametrize("junk", [{}, {"x": "y"}])
def test_every_case_form_answers_bad_input_with_400(
    client_for: Any, case: SupportCase, junk: dict[str, str]
) -> None:
    from pcmd.support.views_case_page import STEPS

    client = client_for("ctxh.bmt")
    for step in STEPS:
        data = {f"{step}-{k}": "zz" for k in ("on", "goal", "type", "done_on", "to_unit")}
        for payload in (junk, data):
            response = client.post(_url(case, step), payload)
            assert response.status_code == 400, (step, payload, response.status_code)
            assert 'class="error"' in response.content.decode(), step
