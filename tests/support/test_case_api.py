"""The support-case API (issue 13, item 10): scope (404 outside, and after a transfer), the
capability (403), intake with a new person and its consent, identities revealed with a log row
and never to the administrator, the consent gate on referrals and its override, optimistic
locking, and the receiving agency's answer and feedback."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import Role
from pcmd.agencies.models import Agency
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit
from pcmd.people import actions as people_actions
from pcmd.people import consent as people_consent
from pcmd.people.models import AccessException, AccessLog, ConsentPurpose, ExceptionKind, Person
from pcmd.support import cases
from pcmd.support.models import SupportCase
from tests.conftest import PERSONA_NAMES

D = datetime.date
pytestmark = pytest.mark.django_db
CASE_FOLLOWERS = {"ctxh.bmt", "thuongtruc", "admin"}
URL = "/api/v1/support-cases"


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


@pytest.fixture
def api_for(persona: Any) -> Any:
    def make(user: str | User) -> APIClient:
        client = APIClient()
        client.force_authenticate(persona(user) if isinstance(user, str) else user)
        return client

    return make


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    error = response.json()["error"]
    assert error["status"] == status and error["message"] and error["message_en"]
    return error


@pytest.fixture
def worker(persona: Any) -> User:
    return persona("ctxh.bmt")


@pytest.fixture
def person(worker: User) -> Person:
    return people_actions.create_person(
        worker,
        unit=_unit("643"),
        values={"full_name": "Người Được Hỗ Trợ Api", "birth_year": 1995, "sex": "female"},
    )


@pytest.fixture
def case(worker: User, person: Person) -> SupportCase:
    return cases.open_case(
        worker,
        person=person,
        unit=_unit("643"),
        origin="outreach",
        worker=worker,
        opened_on=D(2018, 3, 1),
    )


def _social_worker(username: str, unit_code: str) -> User:
    user = User.objects.create_user(username=username, password="x-Long-Passw0rd!")
    Assignment.objects.create(
        user=user, role=Role.SOCIAL_WORKER, unit=_unit(unit_code), agency=None
    )
    return user


# --- who reads ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [URL, "/api/v1/service-types"])
def test_only_case_followers_read_support_cases(api_for: Any, url: str) -> None:
    for name in PERSONA_NAMES:
        response = api_for(name).get(url)
        if name in CASE_FOLLOWERS:
            assert response.status_code == 200, (name, url, response.content[:200])
        else:
            error_of(response, 403)
    for name in ("congan", "vks", "xa.tanlap"):
        error_of(api_for(name).post(URL, {}, format="json"), 403)


def test_a_case_is_404_outside_the_district_and_after_a_transfer(
    api_for: Any, case: SupportCase, worker: User
) -> None:
    other = _social_worker("ctxh.eakar", "651")
    error_of(api_for(other).get(f"{URL}/{case.pk}"), 404)
    error_of(api_for(other).get(f"{URL}/{case.pk}/follow-ups"), 404)
    assert api_for(other).get(URL).json()["count"] == 0
    moved = api_for(worker).post(
        f"{URL}/{case.pk}/transfer",
        {"to_unit": "651", "to_worker": "ctxh.eakar", "on": "2018-05-01", "reason": "Về Ea Kar"},
        format="json",
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["from_unit"] == "643" and moved.json()["to_worker"] == "ctxh.eakar"
    error_of(api_for(worker).get(f"{URL}/{case.pk}"), 404)
    body = {"done_on": "2018-05-02", "kind": "call"}
    error_of(api_for(worker).post(f"{URL}/{case.pk}/follow-ups", body, format="json"), 404)
    assert api_for(other).get(f"{URL}/{case.pk}").json()["worker"] == "ctxh.eakar"


CASE_PATHS = ["", "/assessments", "/goals", "/services", "/referrals", "/follow-ups"]
CASE_ACTIONS = ["/transfer", "/close", "/reopen", *CASE_PATHS[1:]]


def test_every_case_address_is_404_outside_the_scope(api_for: Any, case: SupportCase) -> None:
    goal = cases.add_goal(case.worker, case, domain="income", text="Học nghề", due_on=D(2018, 9, 1))
    api = api_for(_social_worker("ctxh.eakar", "651"))
    for path in CASE_PATHS:
        error_of(api.get(f"{URL}/{case.pk}{path}"), 404)
    for path in CASE_ACTIONS:
        error_of(api.post(f"{URL}/{case.pk}{path}", {}, format="json"), 404)
    error_of(api.patch(f"{URL}/{case.pk}", {"version": case.version}, format="json"), 404)
    body = {"version": case.version, "status": "achieved"}
    error_of(api.patch(f"{URL}/{case.pk}/goals/{goal.pk}", body, format="json"), 404)
    schema = APIClient().get("/api/v1/openapi.json").json()["paths"]
    for path in [*CASE_PATHS, *CASE_ACTIONS, "/goals/{goal_id}"]:
        assert f"{URL}/{{id}}{path}" in schema, path
    for path in ["/service-referrals/{id}/answer", "/service-referrals/{id}/feedback"]:
        assert f"/api/v1{path}" in schema, path


def test_list_filters(api_for: Any, case: SupportCase, worker: User) -> None:
    api = api_for(worker)
    rows = api.get(URL).json()["results"]
    assert [r["code"] for r in rows] == [case.code]
    assert rows[0]["identity"] is None and rows[0]["unit"] == "643"  # codes only in the list
    assert rows[0]["next_followup_on"] == "2018-04-01" and rows[0]["followup_overdue"] is True
    assert api.get(URL, {"status": "open", "unit": "643", "worker": "ctxh.bmt"}).json()["count"]
    assert api.get(URL, {"status": "closed"}).json()["count"] == 0
    assert api.get(URL, {"worker": "someone.else"}).json()["count"] == 0
    assert api.get(URL, {"overdue": "true"}).json()["count"] == 1
    assert api.get(URL, {"overdue": "false"}).json()["count"] == 0
    assert api.get(URL, {"no_contact_days": 60}).json()["count"] == 1
    for bad in ({"status": "x"}, {"overdue": "1"}, {"no_contact_days": 0}, {"unit": "99999"}):
        assert next(iter(bad)) in error_of(api.get(URL, bad), 400)["fields"]
    assert not AccessLog.objects.filter(user=worker).exists()


# --- intake and identities ----------------------------------------------------------------


def test_intake_of_a_new_person_reveals_the_identity_to_the_worker_only(
    api_for: Any, worker: User
) -> None:
    body = {
        "new_person": {"full_name": "Hờ Thị Mới", "birth_year": 1999, "sex": "female"},
        "unit": "643",
        "origin": "self",
        "worker": "ctxh.bmt",
        "opened_on": "2018-04-02",
        "support_consent": False,
    }
    error = error_of(api_for(worker).post(URL, body, format="json"), 400)
    assert "support_consent" in error["fields"]
    assert not Person.objects.filter(created_by=worker).exists()
    body["support_consent"] = True
    created = api_for(worker).post(URL, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["code"].startswith("HT-2018-") and data["identity"]["full_name"] == "Hờ Thị Mới"
    person = Person.objects.get(code=data["person"])
    assert people_consent.has_support_consent(person)
    assert AccessLog.objects.filter(user=worker, person=person, surface="api").count() == 1
    shown = api_for(worker).get(f"{URL}/{data['id']}").json()
    assert shown["identity_shown"] is True
    assert AccessLog.objects.filter(user=worker, person=person).count() == 2
    admin = api_for("admin").get(f"{URL}/{data['id']}").json()
    assert admin["identity_shown"] is False and admin["identity"] is None
    assert admin["person"] == data["person"]
    assert not AccessLog.objects.filter(user__username="admin", person=person).exists()
    # a second open case for the same person, by code: refused naming the field
    again = {**body, "person": data["person"]}
    del again["new_person"]
    assert "person" in error_of(api_for(worker).post(URL, again, format="json"), 400)["fields"]


def test_intake_refusals_name_the_field(api_for: Any, worker: User, person: Person) -> None:
    # known to the district's social workers (as after a police hand-over assigned to it)
    people_actions.involve(
        None, person, module="support", unit=_unit("643"), source="referral:test", on=D(2018, 4, 1)
    )
    base = {
        "person": person.code,
        "unit": "643",
        "origin": "outreach",
        "worker": "ctxh.bmt",
        "opened_on": "2018-04-02",
        "support_consent": True,
    }
    for change, field in [
        ({"person": "ĐL-2018-999999"}, "person"),
        ({"worker": "nobody.here"}, "worker"),
        ({"worker": "xa.tanlap"}, "worker"),
        ({"unit": "00000"}, "unit"),
        ({"origin": "police"}, "referral"),
        ({"referral": 999999}, "error"),
    ]:
        response = api_for(worker).post(URL, {**base, **change}, format="json")
        if field == "error":
            error_of(response, 404)
        else:
            assert field in error_of(response, 400)["fields"], change
    # the person layer's refusal of new values, and no person recorded
    new = {**base, "new_person": {"full_name": "Thử Số", "id_number": "123"}}
    del new["person"]
    assert "new_person" in error_of(api_for(worker).post(URL, new, format="json"), 400)["fields"]
    # a district outside the worker's scope
    error_of(api_for(worker).post(URL, {**base, "unit": "651"}, format="json"), 403)
    assert not SupportCase.objects.filter(person=person).exists()


# --- edits --------------------------------------------------------------------------------


def test_patch_changes_worker_and_supervisor_with_the_version(
    api_for: Any, case: SupportCase, worker: User
) -> None:
    colleague = _social_worker("ctxh.bmt2", "643")
    api = api_for(worker)
    error_of(api.patch(f"{URL}/{case.pk}", {"supervisor": "ctxh.bmt2"}, format="json"), 400)
    changed = api.patch(
        f"{URL}/{case.pk}", {"version": case.version, "supervisor": "ctxh.bmt2"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["supervisor"] == "ctxh.bmt2" and changed.json()["worker"] == "ctxh.bmt"
    stale = api.patch(f"{URL}/{case.pk}", {"version": case.version, "worker": "ctxh.bmt2"})
    error_of(stale, 409)
    outside = {"version": case.version + 1, "worker": "xa.tanlap"}
    assert "worker" in error_of(api.patch(f"{URL}/{case.pk}", outside), 400)["fields"]
    removed = api.patch(
        f"{URL}/{case.pk}",
        {"version": case.version + 1, "worker": colleague.username, "supervisor": None},
        format="json",
    )
    assert removed.status_code == 200, removed.content
    assert removed.json()["worker"] == "ctxh.bmt2" and removed.json()["supervisor"] is None
    assert AuditEvent.objects.filter(verb="support_case.assign").count() == 2


def test_plan_services_follow_ups_close_and_reopen(
    api_for: Any, case: SupportCase, worker: User
) -> None:
    api = api_for(worker)
    levels = {d: "some" for d in ("health", "legal", "housing", "income", "family", "safety")}
    made = api.post(f"{URL}/{case.pk}/assessments", {"on": "2018-03-02", **levels}, format="json")
    assert made.status_code == 201, made.content
    assert api.get(f"{URL}/{case.pk}/assessments").json()[0]["by"] == "ctxh.bmt"
    bad = api.post(f"{URL}/{case.pk}/assessments", {"on": "2018-03-02"}, format="json")
    assert "health" in error_of(bad, 400)["fields"]
    goal = api.post(
        f"{URL}/{case.pk}/goals",
        {"domain": "income", "text": "Học nghề may", "due_on": "2018-09-01"},
        format="json",
    ).json()
    version = api.get(f"{URL}/{case.pk}").json()["version"]
    path = f"{URL}/{case.pk}/goals/{goal['id']}"
    error_of(api.patch(path, {"version": version + 5, "status": "achieved"}, format="json"), 409)
    done = api.patch(path, {"version": version, "status": "achieved"}, format="json")
    assert done.json()["status"] == "achieved"
    error_of(api.patch(f"{URL}/{case.pk}/goals/999999", {"version": version}), 404)
    loan = {"type": "loan", "started_on": "2018-04-01"}
    refused = api.post(f"{URL}/{case.pk}/services", loan, format="json")
    assert "loan_amount" in error_of(refused, 400)["fields"]
    loan.update(loan_amount="20000000", lender="Ngân hàng Chính sách xã hội", loan_term_months=24)
    given = api.post(f"{URL}/{case.pk}/services", loan, format="json")
    assert given.status_code == 201, given.content
    assert given.json()["loan_amount"] == "20000000" and given.json()["type"] == "loan"
    contact = api.post(
        f"{URL}/{case.pk}/follow-ups", {"done_on": "2018-04-03", "kind": "visit"}, format="json"
    )
    assert contact.json()["due_on"] == "2018-04-01" and contact.json()["is_overdue"] is False
    closed = api.post(
        f"{URL}/{case.pk}/close", {"outcome": "stable_job", "on": "2018-09-01"}, format="json"
    )
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "stable_job"
    late = api.post(f"{URL}/{case.pk}/follow-ups", {"done_on": "2018-09-02", "kind": "call"})
    assert "status" in error_of(late, 400)["fields"]
    reopened = api.post(
        f"{URL}/{case.pk}/reopen", {"on": "2019-01-05", "reason": "Mất việc"}, format="json"
    )
    assert reopened.json()["status"] == "open"


# --- referrals: consent, override, the receiving agency -------------------------------------


def test_referral_consent_gate_override_and_the_receiving_agency(
    api_for: Any, case: SupportCase, worker: User, persona: Any
) -> None:
    women = Agency.objects.get(code="HOI_LHPN_TINH")
    body = {"type": "loan", "to_agency": women.code, "sent_on": "2018-03-10"}
    refused = api_for(worker).post(f"{URL}/{case.pk}/referrals", body, format="json")
    assert "to_name" in error_of(refused, 400)["fields"]
    reason = {**body, "override_reason": "Đồng ý bằng lời qua điện thoại; sẽ ký sau."}
    not_allowed = api_for(worker).post(f"{URL}/{case.pk}/referrals", reason, format="json")
    assert "override_reason" in error_of(not_allowed, 400)["fields"]
    office = persona("thuongtruc")
    sent = api_for(office).post(f"{URL}/{case.pk}/referrals", reason, format="json")
    assert sent.status_code == 201, sent.content
    referral = sent.json()
    assert referral["consent_override"] is True and referral["to_name"] == women.name
    assert AccessException.objects.filter(
        person=case.person, user=office, kind=ExceptionKind.CONSENT_OVERRIDE
    ).exists()
    # with consent naming the organisation, no override is needed
    people_consent.record_consent(
        worker,
        case.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 12),
        organisation=women.name,
    )
    second = api_for(worker).post(
        f"{URL}/{case.pk}/referrals", {**body, "sent_on": "2018-03-12"}, format="json"
    )
    assert second.status_code == 201 and second.json()["consent_override"] is False
    assert len(api_for(worker).get(f"{URL}/{case.pk}/referrals").json()) == 2
    # the receiving agency's officer answers and returns feedback; another agency may not
    officer = User.objects.create_user(username="hoilhpn.tinh", password="x-Long-Passw0rd!")
    Assignment.objects.create(
        user=officer, role=Role.AGENCY_OFFICER, unit=_unit("66"), agency=women
    )
    answer_url = f"/api/v1/service-referrals/{referral['id']}/answer"
    error_of(api_for("sovhttdl").post(answer_url, {"accepted": True, "on": "2018-03-15"}), 404)
    error_of(api_for(officer).get(f"{URL}/{case.pk}"), 403)
    declined = api_for(officer).post(answer_url, {"accepted": False, "on": "2018-03-15"})
    assert "feedback" in error_of(declined, 400)["fields"]
    accepted = api_for(officer).post(answer_url, {"accepted": True, "on": "2018-03-15"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = api_for(officer).post(answer_url, {"accepted": True, "on": "2018-03-16"})
    assert "status" in error_of(again, 400)["fields"]
    feedback = api_for(officer).post(
        f"/api/v1/service-referrals/{referral['id']}/feedback",
        {"on": "2018-05-02", "feedback": "Đã giải ngân 20 triệu đồng."},
        format="json",
    )
    assert feedback.json()["status"] == "completed"
    assert AuditEvent.objects.filter(verb="support_case.referral_feedback").count() == 1
    # an organisation outside PCMD answers through the case worker
    outside = api_for(worker).post(
        f"/api/v1/service-referrals/{second.json()['id']}/answer",
        {"accepted": True, "on": "2018-03-13"},
    )
    assert outside.status_code == 200, outside.content


def test_services_stop_when_consent_is_withdrawn(
    api_for: Any, case: SupportCase, worker: User
) -> None:
    people_consent.record_consent(
        worker, case.person, purpose=ConsentPurpose.SUPPORT, given=False, on=D(2018, 6, 1)
    )
    refused = api_for(worker).post(
        f"{URL}/{case.pk}/services", {"type": "counselling", "started_on": "2018-06-02"}
    )
    # the withdrawal closed the case ("declined"): no service on a closed case
    assert "status" in error_of(refused, 400)["fields"]
