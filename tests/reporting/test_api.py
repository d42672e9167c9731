"""The reporting API: forms, submissions (create, update, submit, approve, return),
completeness, documents, in the OpenAPI schema."""

from __future__ import annotations

import io

import docx
import pytest
from rest_framework.test import APIClient

from .conftest import GOOD_COMMUNE, user

pytestmark = pytest.mark.django_db


def api_for(name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user(name))
    return client


def test_forms_list_and_detail() -> None:
    api = api_for("xa.tanlap")
    forms = api.get("/api/v1/report-forms").json()["results"]
    by_code = {f["code"]: f for f in forms}
    assert by_code["pcmd-6-thang"]["current"]["period_type"] == "half"
    detail = api.get(f"/api/v1/report-forms/{by_code['pcmd-6-thang']['id']}").json()
    codes = [f["code"] for f in detail["current"]["fields"]]
    assert {"staff", "female_staff", "activities"} <= set(codes)
    assert {r["code"] for r in detail["current"]["rules"]} == {"female_le_staff", "staff_median"}


def test_the_whole_flow_through_the_api() -> None:
    commune = api_for("xa.tanlap")
    created = commune.post(
        "/api/v1/submissions",
        {"form": "pcmd-6-thang", "period": "2018-H1", "unit": "24118"},
        format="json",
    )
    assert created.status_code == 201
    sub = created.json()
    assert sub["status"] == "draft" and sub["due_date"] == "2018-06-16"
    url = f"/api/v1/submissions/{sub['id']}"
    bad = {**GOOD_COMMUNE, "staff": 5, "female_staff": 9}
    saved = commune.patch(url, {"version": sub["version"], "values": bad}, format="json")
    assert saved.status_code == 200
    assert saved.json()["rule_hits"][0]["field"] == "female_staff"
    stale = commune.patch(url, {"version": sub["version"], "values": {"staff": 10}}, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["status"] == 409 and error["message_en"].startswith("Someone else saved")
    blocked = commune.post(f"{url}/submit", {}, format="json")
    assert blocked.status_code == 400
    error = blocked.json()["error"]
    assert list(error["fields"]) == ["female_staff"]
    assert "Female staff cannot exceed" in error["message_en"]
    version = saved.json()["version"]
    fixed = commune.patch(url, {"version": version, "values": {"female_staff": 4}}, format="json")
    assert fixed.json()["values"]["female_staff"] == 4
    submitted = commune.post(f"{url}/submit", {"version": fixed.json()["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    district = api_for("huyen.bmt")
    no_comment = district.post(f"{url}/return", {}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["error"]["fields"]
    returned = district.post(
        f"{url}/return", {"comment": "Bổ sung hoạt động nổi bật."}, format="json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Bổ sung hoạt động nổi bật."
    again = commune.post(f"{url}/submit", {}, format="json")
    assert again.json()["status"] == "submitted"
    approved = district.post(f"{url}/approve", {"comment": "Đạt."}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    download = district.get(f"{url}/document.docx")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.docx"')
    document = docx.Document(io.BytesIO(download.content))
    assert document.tables[0].rows[0].cells[0].text.startswith("ỦY BAN NHÂN DÂN")
    assert district.get(f"{url}/document.xlsx").status_code == 200
    assert district.get(f"{url}/document.odt").status_code == 404
    listed = district.get("/api/v1/submissions?status=approved&period=2018-H1").json()
    assert [s["id"] for s in listed["results"]] == [sub["id"]]
    assert district.get("/api/v1/submissions?status=nonsense").status_code == 400


def test_completeness_endpoint() -> None:
    api = api_for("thuongtruc")
    commune = api_for("xa.tanlap")
    sub = commune.post(
        "/api/v1/submissions",
        {"form": "pcmd-6-thang", "period": "2018-H1", "unit": "24118"},
        format="json",
    ).json()
    commune.patch(
        f"/api/v1/submissions/{sub['id']}",
        {"version": sub["version"], "values": GOOD_COMMUNE},
        format="json",
    )
    commune.post(f"/api/v1/submissions/{sub['id']}/submit", {}, format="json")
    body = api.get("/api/v1/completeness?form=pcmd-6-thang&period=2018").json()
    assert body["expected"] == 184 + 15  # every commune and district of 2018
    assert body["submitted"] == 1
    assert body["rows"][0]["period"] == "2018-H1"
    district = api.get("/api/v1/completeness?form=pcmd-6-thang&period=2018&unit=643").json()
    from pcmd.geo.models import Unit, valid_on_q

    bmt = (
        Unit.objects.filter(parent__code="643", level=3)
        .filter(valid_on_q(__import__("datetime").date(2018, 6, 14)))
        .count()
    )
    assert bmt == 21
    assert district["expected"] == bmt + 1 and district["submitted"] == 1
    assert api.get("/api/v1/completeness?period=someday").status_code == 400
    outsider = api_for("xa.easo").get("/api/v1/completeness?unit=643&period=2018")
    assert outsider.status_code == 404


def test_openapi_schema_lists_the_reporting_endpoints() -> None:
    schema = APIClient().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/report-forms",
        "/api/v1/report-forms/{id}",
        "/api/v1/submissions",
        "/api/v1/submissions/{id}",
        "/api/v1/submissions/{id}/submit",
        "/api/v1/submissions/{id}/approve",
        "/api/v1/submissions/{id}/return",
        "/api/v1/completeness",
    } <= paths
    assert any(p.startswith("/api/v1/submissions/{id}/document.") for p in paths)
