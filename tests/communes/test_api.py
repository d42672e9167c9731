"""API: scope like the pages, workflow endpoints, 400 naming the field, 409 on conflict."""

import pytest
from rest_framework.test import APIClient

from pcmd.communes.models import Assessment
from tests.conftest import PERSONA_NAMES

from .builders import EA_SO, TAN_LAP, YEAR, assessment, full_points, template

pytestmark = pytest.mark.django_db

VIEWERS = {"admin", "thuongtruc", "lanhdao", "huyen.bmt", "ctxh.bmt", "xa.tanlap", "xa.easo"}


def api(persona, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(name))
    return client


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_list_scope_per_persona(persona, name) -> None:
    assessment(persona("xa.tanlap"))
    assessment(persona("xa.easo"), code=EA_SO)
    response = api(persona, name).get("/api/v1/assessments?year=2018")
    if name not in VIEWERS:
        assert response.status_code == 403
        assert api(persona, name).get("/api/v1/assessment-templates").status_code == 403
        return
    codes = {r["commune_code"] for r in response.json()["results"]}
    expected = {
        "xa.tanlap": {TAN_LAP},
        "xa.easo": {EA_SO},
        "huyen.bmt": {TAN_LAP},
        "ctxh.bmt": {TAN_LAP},
    }.get(name, {TAN_LAP, EA_SO})
    assert codes == expected
    assert api(persona, name).get("/api/v1/assessment-templates").json()["count"] >= 1


def test_full_workflow(persona) -> None:
    template()
    commune_api = api(persona, "xa.tanlap")
    response = commune_api.post(
        "/api/v1/assessments",
        {"commune": TAN_LAP, "year": YEAR, "scores": full_points(E2=4)},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == 99 and body["result_class"]["kind"] == "healthy"
    assert body["status"] == "draft" and body["scores"]["E2"] == 4
    pk, version = body["id"], body["version"]
    response = commune_api.post(
        f"/api/v1/assessments/{pk}/submit", {"version": version}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    version = response.json()["version"]
    # the commune cannot confirm its own assessment
    assert (
        commune_api.post(
            f"/api/v1/assessments/{pk}/confirm", {"version": version}, format="json"
        ).status_code
        == 403
    )
    district = api(persona, "huyen.bmt")
    response = district.post(
        f"/api/v1/assessments/{pk}/return", {"version": version}, format="json"
    )
    assert response.status_code == 400
    assert "comment" in response.json()["error"]["fields"]
    assert response.json()["error"]["message_en"].startswith("Say why")
    response = district.post(
        f"/api/v1/assessments/{pk}/confirm", {"version": version}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


def test_commune_cannot_create_for_another_commune(persona) -> None:
    template()
    response = api(persona, "xa.tanlap").post(
        "/api/v1/assessments", {"commune": EA_SO, "year": YEAR, "scores": {}}, format="json"
    )
    assert response.status_code == 403
    response = api(persona, "huyen.bmt").post(
        "/api/v1/assessments", {"commune": TAN_LAP, "year": YEAR, "scores": {}}, format="json"
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_district_cannot_confirm_another_district(persona) -> None:
    a = assessment(persona("xa.easo"), code=EA_SO, status="submitted")
    response = api(persona, "huyen.bmt").post(
        f"/api/v1/assessments/{a.pk}/confirm", {"version": a.version}, format="json"
    )
    assert response.status_code == 404
    assert Assessment.objects.get(pk=a.pk).status == "submitted"


def test_bad_points_name_the_criterion(persona) -> None:
    template()
    response = api(persona, "xa.tanlap").post(
        "/api/v1/assessments",
        {"commune": TAN_LAP, "year": YEAR, "scores": {"A1": 7}},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "A1" in error["fields"] and "A1" in error["message_en"] and "A1" in error["message"]
    response = api(persona, "xa.tanlap").post(
        "/api/v1/assessments", {"commune": "99999", "year": YEAR}, format="json"
    )
    assert response.status_code == 400 and "commune" in response.json()["error"]["fields"]


def test_patch_with_stale_version_is_409(persona) -> None:
    a = assessment(persona("xa.tanlap"))
    client = api(persona, "xa.tanlap")
    ok = client.patch(
        f"/api/v1/assessments/{a.pk}", {"version": a.version, "scores": {"E1": 2}}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["total"] == 97
    stale = client.patch(
        f"/api/v1/assessments/{a.pk}", {"version": a.version, "scores": {"E1": 0}}, format="json"
    )
    assert stale.status_code == 409
    assert "Someone else saved" in stale.json()["error"]["message_en"]
    assert Assessment.objects.get(pk=a.pk).total == 97
    missing = client.patch(f"/api/v1/assessments/{a.pk}", {"scores": {"E1": 0}}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["error"]["fields"]


def test_list_query_count(persona, django_assert_max_num_queries) -> None:
    from pcmd.communes import actions
    from pcmd.geo.models import Unit

    admin = persona("admin")
    for u in Unit.objects.filter(parent__code="643", level=3, valid_from=None)[:10]:
        actions.save_assessment(u, YEAR, actor=admin, points=full_points())
    client = api(persona, "thuongtruc")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/assessments").json()["count"] == 10


def test_schema_lists_the_endpoints(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/assessment-templates",
        "/api/v1/assessments",
        "/api/v1/assessments/{id}",
        "/api/v1/assessments/{id}/submit",
        "/api/v1/assessments/{id}/confirm",
        "/api/v1/assessments/{id}/return",
    ]:
        assert path in paths, path
    assert "patch" in paths["/api/v1/assessments/{id}"]
    assert "post" in paths["/api/v1/assessments"]
