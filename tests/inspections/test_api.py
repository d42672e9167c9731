"""The inspections API: create, read, update with the version (409 on conflict), 400 errors
naming the field, teams and plans with progress, the OpenAPI schema."""

import datetime

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.core.models import AuditEvent
from pcmd.inspections import actions
from pcmd.inspections.models import Inspection

from . import builders as b

pytestmark = pytest.mark.django_db


def client(username: str = "xa.tanlap") -> APIClient:
    api = APIClient()
    api.force_authenticate(User.objects.get(username=username))
    return api


@pytest.fixture
def setup():
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP, name="Karaoke API")
    return team, est


def test_create_read_and_update(setup) -> None:
    team, est = setup
    member = b.members(team)[0]
    response = client().post(
        "/api/v1/inspections",
        {
            "date": "2018-07-02",
            "team": team.pk,
            "establishment": est.pk,
            "result": "violation",
            "members_present": [member.pk],
            "summary": "Phát hiện vi phạm",
            "findings": [
                {"item": "khong-dau-hieu-mai-dam", "answer": "not_ok", "note": "Có dấu hiệu"},
                {"item": "niem-yet-gia", "answer": "ok"},
            ],
            "follow_up_needed": True,
            "follow_up_note": "Kiểm tra lại",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["commune_code"] == b.TAN_LAP
    assert {f["item"]: f["answer"] for f in body["findings"]} == {
        "khong-dau-hieu-mai-dam": "not_ok",
        "niem-yet-gia": "ok",
    }
    pk = body["id"]
    assert client("huyen.bmt").get(f"/api/v1/inspections/{pk}").json()["members_present"] == [
        member.pk
    ]
    response = client("huyen.bmt").patch(
        f"/api/v1/inspections/{pk}",
        {
            "version": 1,
            "result": "no_violation",
            "findings": [{"item": "khong-dau-hieu-mai-dam", "answer": "ok", "note": ""}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    inspection = Inspection.objects.get(pk=pk)
    assert inspection.findings.get(item__code="khong-dau-hieu-mai-dam").answer == "ok"
    assert inspection.recorded_by.username == "xa.tanlap"
    assert AuditEvent.objects.filter(
        verb="inspection.update", actor_name="huyen.bmt", object_id=str(pk)
    ).exists()


def test_version_conflict_is_409_and_saves_nothing(setup) -> None:
    team, est = setup
    inspection = b.inspection(team, est)
    url = f"/api/v1/inspections/{inspection.pk}"
    assert client().patch(url, {"version": 1, "summary": "một"}, format="json").status_code == 200
    response = client("huyen.bmt").patch(url, {"version": 1, "summary": "hai"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["status"] == 409 and "Someone else saved" in error["message_en"]
    assert error["message"] and error["message"] != "" and error["message_en"]
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.version) == ("một", 2)


def test_patch_needs_the_version(setup) -> None:
    team, est = setup
    inspection = b.inspection(team, est)
    response = client().patch(
        f"/api/v1/inspections/{inspection.pk}", {"summary": "x"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["version"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"result": "maybe"}, "result"),
        ({"date": "02/07/2018"}, "date"),
        ({"findings": [{"item": "khong-co", "answer": "ok"}]}, "findings"),
        ({"team": 999999}, "team"),
        ({"date": "2099-01-01"}, "date"),
        ({"follow_up_needed": True, "follow_up_note": ""}, "follow_up_note"),
    ],
)
def test_errors_name_the_field(setup, payload, field) -> None:
    team, est = setup
    data = {
        "date": "2018-07-02",
        "team": team.pk,
        "establishment": est.pk,
        "result": "no_violation",
        **payload,
    }
    response = client().post("/api/v1/inspections", data, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    assert error["message"] and error["message_en"]
    assert not Inspection.objects.exists()


def test_team_outside_the_area_is_a_400_with_both_languages(setup) -> None:
    _team, est = setup
    ea_kar = b.team(b.EA_KAR)
    response = client("thuongtruc").post(
        "/api/v1/inspections",
        {
            "date": "2018-07-02",
            "team": ea_kar.pk,
            "establishment": est.pk,
            "result": "no_violation",
        },
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["team"]
    assert "does not work in" in error["message_en"]


def test_list_filters_and_bad_parameters(setup) -> None:
    team, est = setup
    b.inspection(team, est, on=datetime.date(2018, 2, 1))
    b.inspection(team, est, on=datetime.date(2018, 9, 1), result="violation")
    api = client("doi178")
    assert api.get("/api/v1/inspections?result=violation").json()["count"] == 1
    assert api.get("/api/v1/inspections?date_from=2018-03-01").json()["count"] == 1
    assert api.get(f"/api/v1/inspections?commune={b.TAN_LAP}").json()["count"] == 2
    assert api.get(f"/api/v1/inspections?district={b.EA_KAR}").json()["count"] == 0
    assert api.get("/api/v1/inspections?date_from=1/3/2018").status_code == 400
    assert api.get("/api/v1/inspections?result=x").json()["error"]["fields"].keys() == {"result"}


def test_teams_and_plans_with_progress(setup) -> None:
    team, est = setup
    plan = actions.create_plan(
        actor=None,
        team=team,
        title="KH 2018",
        period_start=datetime.date(2018, 1, 1),
        period_end=datetime.date(2018, 12, 31),
        target_count=4,
        target_max=6,
        establishments=[est],
    )
    b.inspection(team, est)
    body = client().get("/api/v1/inspection-plans").json()
    row = next(r for r in body["results"] if r["id"] == plan.pk)
    assert (row["inspected"], row["planned"], row["percent"], row["target_max"]) == (1, 1, 25, 6)
    assert row["establishments"] == [est.pk]
    teams = client().get("/api/v1/teams").json()["results"]
    assert [t["name"] for t in teams] == [team.name]
    assert len(teams[0]["members"]) == 3 and teams[0]["level"] == 3
    assert client("sovhttdl").get("/api/v1/inspection-plans").status_code == 403
    assert client("xa.easo").get("/api/v1/inspection-plans").json()["count"] == 0


def test_openapi_schema_lists_the_endpoints(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/inspections",
        "/api/v1/inspections/{id}",
        "/api/v1/teams",
        "/api/v1/inspection-plans",
        "/api/v1/risk",
        "/api/v1/violations",
        "/api/v1/violations/{id}",
        "/api/v1/sanctions",
        "/api/v1/sanctions/{id}",
    ]:
        assert path in schema["paths"], path
    assert "patch" in schema["paths"]["/api/v1/inspections/{id}"]
    assert "post" in schema["paths"]["/api/v1/inspections"]
