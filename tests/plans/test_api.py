"""The plans API: reading plans (old fields kept, new ones added), filters, copying into a
draft, the header, comments, the lifecycle steps, versions, and who may do what (scope, roles,
drafts only for the agencies consulted, another province's plans out of reach)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.geo.models import Unit
from pcmd.plans import actions
from pcmd.plans.models import Plan, PlanStatus
from pcmd.plans.structure import to_data

pytestmark = pytest.mark.django_db

D = datetime.date
OLD_FIELDS = {
    "id",
    "number",
    "kind",
    "title",
    "issued_on",
    "place",
    "unit_code",
    "issuer",
    "signer_name",
    "signer_authority",
    "signer_title",
    "period_start",
    "period_end",
}
NEW_FIELDS = {"plan_type", "status", "status_now", "version", "parent", "copied_from"}


def api(username: str) -> APIClient:
    client = APIClient()
    token = AuthToken.objects.create(User.objects.get(username=username))[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def fields_of(response: Any, status: int) -> dict[str, Any]:
    """The JSON error's ``fields`` after checking its status and shape (never a 500)."""
    assert response.status_code == status, response.content[:500]
    error = response.json()["error"]
    assert error["status"] == status and error["message"] and error["message_en"]
    return dict(error["fields"])


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


@pytest.fixture
def draft(plan2018: Plan) -> dict[str, Any]:
    """A draft for the old province's last half-year (it ended on 30/06/2025 with the
    reform), copied by the standing office through the API."""
    response = api("thuongtruc").post(
        f"/api/v1/plans/{plan2018.pk}/copy",
        {"period_start": "2025-01-01", "period_end": "2025-06-30"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def other_province_draft() -> Plan:
    """A draft of Phú Yên (no persona of the demo works there)."""
    phu_yen = Unit.objects.get(code="54", level=1)
    data = to_data(Plan.objects.get(number="1842/KH-UBND"))
    return actions.create_draft(
        phu_yen,
        {"title": "Kế hoạch Phú Yên", "period_start": D(2019, 1, 1), "period_end": D(2019, 12, 31)},
        data,
        actor=None,
    )


# --- reading -------------------------------------------------------------------------------


def test_the_list_keeps_the_old_fields_and_adds_the_plan_over_time(plan2018: Plan) -> None:
    body = api("xa.tanlap").get("/api/v1/plans").json()
    row = next(r for r in body["results"] if r["id"] == plan2018.pk)
    assert set(row) == OLD_FIELDS | NEW_FIELDS
    assert row["unit_code"] == "66" and row["issuer"]
    assert (row["status"], row["plan_type"], row["version"]) == (
        "issued",
        "yearly",
        plan2018.version,
    )
    # 2018's plan read today: its period is over
    assert row["status_now"] == plan2018.status_on() == "closed"
    # 1842 implements the national programme 361/QĐ-TTg (pcmd/plans/demo.py)
    assert (row["parent"], row["copied_from"]) == (plan2018.parent_id, None)


def test_the_detail_has_withdrawn_flags_leads_and_deadlines(plan2018: Plan) -> None:
    body = api("xa.tanlap").get(f"/api/v1/plans/{plan2018.pk}").json()
    assert {"targets", "tasks", "objectives", "status_now", "version"} <= set(body)
    assert all(t["withdrawn"] is False for t in body["targets"])
    heading = body["tasks"][0]
    assert {"lead", "deadline", "deadline_note", "withdrawn"} <= set(heading)
    assert set(heading["tasks"][0]) == {"order", "text", "deadline"}


def test_filters(plan2018: Plan, draft: dict[str, Any]) -> None:
    client = api("thuongtruc")

    national = set(Plan.objects.filter(unit__isnull=True).values_list("pk", flat=True))

    def ids(query: str) -> set[int]:
        """The province's plans listed (the national programmes, readable by all, aside)."""
        response = client.get(f"/api/v1/plans?{query}")
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()["results"]} - national

    assert ids("") == {plan2018.pk, draft["id"]}
    assert ids("status=draft") == {draft["id"]}
    assert ids("status=issued&year=2018") == {plan2018.pk}
    assert ids("year=2019") == set()
    assert ids("type=programme") == set()
    assert ids("unit=24379") == {plan2018.pk, draft["id"]}  # a commune: its province's plans
    # Phú Yên merged into Đắk Lắk in 2025: one province's plans across the reform
    assert ids("unit=54") == {plan2018.pk, draft["id"]}
    for query, field in [
        ("status=in_force", "status"),
        ("type=weekly", "type"),
        ("year=1800", "year"),
        ("year=abc", "year"),
        ("unit=00000", "unit"),
    ]:
        assert field in fields_of(client.get(f"/api/v1/plans?{query}"), 400), query


def test_the_old_plan_list_needs_a_token() -> None:
    fields_of(APIClient().get("/api/v1/plans"), 401)


# --- drafts: who sees them, who may copy ----------------------------------------------------


def test_a_commune_officer_does_not_see_the_provinces_drafts(draft: dict[str, Any]) -> None:
    """Commune officers hold ``plan.comment`` but are not consulted on the province's drafts:
    before the fix ``visible_to`` showed them every draft of the province."""
    client = api("xa.easo")
    assert draft["id"] not in {p["id"] for p in client.get("/api/v1/plans").json()["results"]}
    for path in ("", "/content", "/targets", "/versions", "/comments"):
        fields_of(client.get(f"/api/v1/plans/{draft['id']}{path}"), 404)
    fields_of(client.post(f"/api/v1/plans/{draft['id']}/comments", {"text": "x"}), 404)
    # the agencies consulted see it
    for username in ("sovhttdl", "lanhdao", "congan", "vks"):
        assert api(username).get(f"/api/v1/plans/{draft['id']}").status_code == 200, username
    # the privacy officer reads plans but is not consulted
    fields_of(api("baovedl").get(f"/api/v1/plans/{draft['id']}"), 404)


def test_copy_makes_a_draft_for_the_standing_office_only(plan2018: Plan) -> None:
    body = {"period_start": "2024-01-01", "period_end": "2024-12-31", "title": "Kế hoạch 2024"}
    for username in ("sovhttdl", "lanhdao", "xa.easo"):
        fields_of(api(username).post(f"/api/v1/plans/{plan2018.pk}/copy", body), 403)
    response = api("thuongtruc").post(f"/api/v1/plans/{plan2018.pk}/copy", body, format="json")
    assert response.status_code == 201, response.content
    new = response.json()
    assert (new["status"], new["status_now"], new["number"]) == ("draft", "draft", "")
    assert new["copied_from"] == plan2018.pk and new["title"] == "Kế hoạch 2024"
    assert len(new["targets"]) == 7 and new["version"] >= 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period_start": "2024-01-01"}, "period_end"),
        ({"period_start": "2024-12-31", "period_end": "2024-01-01"}, "period_end"),
        ({"period_start": "1999-01-01", "period_end": "2024-01-01"}, "period_start"),
        ({"period_start": "2024-01-01", "period_end": "2024-12-31", "unit": "24379"}, "unit"),
        ({"period_start": "2024-01-01", "period_end": "2024-12-31", "unit": "zz"}, "unit"),
        (
            {"period_start": "2024-01-01", "period_end": "2024-12-31", "plan_type": "national"},
            "plan_type",
        ),
        ({"period_start": 20240101, "period_end": "2024-12-31"}, "period_start"),
        ({"period_start": "2024-01-01", "period_end": "2024-12-31", "title": ["a"]}, "title"),
    ],
)
def test_copy_refuses_bad_bodies(plan2018: Plan, body: dict[str, Any], field: str) -> None:
    response = api("thuongtruc").post(f"/api/v1/plans/{plan2018.pk}/copy", body, format="json")
    assert field in fields_of(response, 400)


# --- another province ---------------------------------------------------------------------


def test_a_province_user_cannot_reach_another_provinces_plan(plan2018: Plan) -> None:
    other = other_province_draft()
    for username in ("thuongtruc", "lanhdao", "sovhttdl", "xa.easo"):
        client = api(username)
        assert other.pk not in {p["id"] for p in client.get("/api/v1/plans").json()["results"]}
        fields_of(client.get(f"/api/v1/plans/{other.pk}"), 404)
        fields_of(client.get(f"/api/v1/plans/{other.pk}/content"), 404)
    fields_of(api("sovhttdl").post(f"/api/v1/plans/{other.pk}/comments", {"text": "x"}), 404)
    fields_of(api("lanhdao").post(f"/api/v1/plans/{other.pk}/close", {"version": 1}), 404)
    client = api("thuongtruc")  # edits plans, but not this province's
    fields_of(client.patch(f"/api/v1/plans/{other.pk}", {"version": 1, "title": "x"}), 404)
    body = {"version": 1, "data": {}}
    fields_of(client.put(f"/api/v1/plans/{other.pk}/content", body, format="json"), 404)
    fields_of(client.post(f"/api/v1/plans/{other.pk}/submit", {"version": 1}), 404)
    fields_of(client.delete(f"/api/v1/plans/{other.pk}?version=1"), 404)
    # nor draft a plan for it from its own province's plan
    body = {"period_start": "2019-01-01", "period_end": "2019-12-31", "unit": "54"}
    fields_of(api("thuongtruc").post(f"/api/v1/plans/{plan2018.pk}/copy", body), 403)
    assert Plan.objects.filter(unit__code="54").count() == 1


# --- the header ---------------------------------------------------------------------------


def test_header_patch_with_versions(draft: dict[str, Any], plan2018: Plan) -> None:
    url = f"/api/v1/plans/{draft['id']}"
    version = draft["version"]
    fields_of(api("sovhttdl").patch(url, {"version": version, "title": "x"}), 403)
    assert "version" in fields_of(api("thuongtruc").patch(url, {"title": "x"}), 400)
    assert "version" in fields_of(api("thuongtruc").patch(url, {"version": "v1"}), 400)
    response = api("thuongtruc").patch(
        url,
        {"version": version, "title": "Kế hoạch mới", "parent": plan2018.pk, "place": "Buôn Ma"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["parent"], body["version"]) == (
        "Kế hoạch mới",
        plan2018.pk,
        version + 1,
    )
    # the same version again: someone (we) saved since
    fields_of(api("thuongtruc").patch(url, {"version": version, "title": "y"}), 409)
    current = version + 1
    for body, field in [
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"period_end": "2000-01-01"}, "period_end"),
        ({"parent": draft["id"]}, "parent"),  # a draft implements no draft
        ({"parent": 2**40}, "parent"),
        ({"place": ["a"]}, "place"),
    ]:
        response = api("thuongtruc").patch(url, {"version": current, **body}, format="json")
        assert field in fields_of(response, 400), body


# --- comments -------------------------------------------------------------------------------


def test_comments_by_the_agencies_consulted(draft: dict[str, Any]) -> None:
    url = f"/api/v1/plans/{draft['id']}/comments"
    response = api("sovhttdl").post(url, {"text": "Bổ sung chỉ tiêu", "about": "T2"})
    assert response.status_code == 201, response.content
    note = response.json()
    assert (note["agency"], note["about"], note["resolved"]) == ("SO_VHTTDL", "T2", False)
    assert [c["id"] for c in api("lanhdao").get(url).json()] == [note["id"]]
    assert "text" in fields_of(api("sovhttdl").post(url, {"text": ""}), 400)
    assert "text" in fields_of(api("sovhttdl").post(url, {"text": "x" * 5001}), 400)
    # sovhttdl comments but cannot edit: no resolving
    resolve = f"{url}/{note['id']}/resolve"
    fields_of(api("sovhttdl").post(resolve, {}), 403)
    response = api("thuongtruc").post(resolve, {}, format="json")
    assert response.status_code == 200 and response.json()["resolved"] is True
    response = api("thuongtruc").post(resolve, {"resolved": False}, format="json")
    assert response.json()["resolved"] is False
    fields_of(api("thuongtruc").post(f"{url}/999999/resolve", {}), 404)
    assert "resolved" in fields_of(api("thuongtruc").post(resolve, {"resolved": "maybe"}), 400)


def test_no_comment_on_an_issued_plan(plan2018: Plan) -> None:
    response = api("sovhttdl").post(f"/api/v1/plans/{plan2018.pk}/comments", {"text": "x"})
    fields_of(response, 400)


# --- lifecycle ------------------------------------------------------------------------------


def test_submit_return_issue_close(draft: dict[str, Any]) -> None:
    pk = draft["id"]

    def step(username: str, name: str, body: dict[str, Any]) -> Any:
        return api(username).post(f"/api/v1/plans/{pk}/{name}", body, format="json")

    def version() -> int:
        return Plan.objects.get(pk=pk).version

    fields_of(step("sovhttdl", "submit", {"version": version()}), 403)
    assert "version" in fields_of(step("thuongtruc", "submit", {}), 400)
    fields_of(step("thuongtruc", "submit", {"version": version() - 1}), 409)
    response = step("thuongtruc", "submit", {"version": version()})
    assert response.status_code == 200 and response.json()["status"] == "review"
    assert "reason" in fields_of(step("lanhdao", "return", {"version": version()}), 400)
    response = step("lanhdao", "return", {"version": version(), "reason": "Thiếu chỉ tiêu"})
    assert response.status_code == 200 and response.json()["status"] == "draft"
    fields_of(step("xa.easo", "return", {"version": version(), "reason": "x"}), 404)
    step("thuongtruc", "submit", {"version": version()})
    today = timezone.localdate().isoformat()
    issue = {
        "version": version(),
        "number": "77/KH-UBND",
        "issued_on": today,
        "signer_name": "Nguyễn Tuấn Hà",
        "signer_title": "PHÓ CHỦ TỊCH",
    }
    fields_of(step("thuongtruc", "issue", issue), 403)
    fields_of(step("sovhttdl", "issue", issue), 403)
    refused = fields_of(
        step("lanhdao", "issue", {**issue, "number": "1842/KH-UBND", "signer_name": ""}), 400
    )
    assert {"number", "signer_name"} <= set(refused)
    assert "issued_on" in fields_of(step("lanhdao", "issue", {**issue, "issued_on": "x"}), 400)
    response = step("lanhdao", "issue", issue)
    assert response.status_code == 200, response.content
    # issued after its period: it reads as closed today
    assert (response.json()["status"], response.json()["status_now"]) == ("issued", "closed")
    # an issued plan is not edited, deleted or submitted again
    fields_of(
        api("thuongtruc").patch(f"/api/v1/plans/{pk}", {"version": version(), "title": "x"}), 400
    )
    fields_of(api("thuongtruc").delete(f"/api/v1/plans/{pk}?version={version()}"), 400)
    fields_of(step("thuongtruc", "submit", {"version": version()}), 400)
    fields_of(step("thuongtruc", "close", {"version": version()}), 403)
    response = step("lanhdao", "close", {"version": version()})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    # the whole path is in the versions, newest first
    versions = api("xa.easo").get(f"/api/v1/plans/{pk}/versions").json()
    assert versions[0]["status"] == "closed" and versions[-1]["number"] == 1
    assert len(versions) == version()


def test_delete_a_draft(draft: dict[str, Any]) -> None:
    url = f"/api/v1/plans/{draft['id']}"
    version = draft["version"]
    fields_of(api("sovhttdl").delete(f"{url}?version={version}"), 403)
    assert "version" in fields_of(api("thuongtruc").delete(url), 400)
    assert "version" in fields_of(api("thuongtruc").delete(f"{url}?version=x"), 400)
    fields_of(api("thuongtruc").delete(f"{url}?version={version + 1}"), 409)
    assert api("thuongtruc").delete(f"{url}?version={version}").status_code == 204
    assert not Plan.objects.filter(pk=draft["id"]).exists()


def test_versions_hold_the_content(draft: dict[str, Any]) -> None:
    url = f"/api/v1/plans/{draft['id']}/versions"
    rows = api("sovhttdl").get(url).json()
    assert [r["number"] for r in rows] == [1]
    one = api("sovhttdl").get(f"{url}/1").json()
    assert [t["code"] for t in one["data"]["targets"]] == [f"T{i}" for i in range(1, 8)]
    fields_of(api("sovhttdl").get(f"{url}/2"), 404)
    fields_of(api("sovhttdl").get(f"{url}/99999999999999999999"), 404)
    assert Plan.objects.get(pk=draft["id"]).status == PlanStatus.DRAFT


def test_the_schema_has_every_plans_operation() -> None:
    """What the schemathesis run in tests/api walks: every operation of the plans API."""
    paths = APIClient().get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/plans": {"get"},
        "/api/v1/plans/{id}": {"get", "patch", "delete"},
        "/api/v1/plans/{id}/copy": {"post"},
        "/api/v1/plans/{id}/content": {"get", "put"},
        "/api/v1/plans/{id}/targets": {"get", "post"},
        "/api/v1/plans/{id}/targets/{code}": {"get", "patch", "delete"},
        "/api/v1/plans/{id}/tasks": {"get", "post"},
        "/api/v1/plans/{id}/tasks/{number}": {"get", "patch", "delete"},
        "/api/v1/plans/{id}/comments": {"get", "post"},
        "/api/v1/plans/{id}/comments/{cid}/resolve": {"post"},
        "/api/v1/plans/{id}/submit": {"post"},
        "/api/v1/plans/{id}/return": {"post"},
        "/api/v1/plans/{id}/issue": {"post"},
        "/api/v1/plans/{id}/close": {"post"},
        "/api/v1/plans/{id}/versions": {"get"},
        "/api/v1/plans/{id}/versions/{number}": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path
