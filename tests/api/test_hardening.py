"""Issue 9: bounded parameters, JSON errors everywhere under /api/, no-store caching and the
end of API tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from pcmd.accounts import actions as account_actions
from pcmd.accounts.models import User
from pcmd.core.models import AuditEvent
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def bearer(username: str) -> tuple[APIClient, str]:
    token = AuthToken.objects.create(User.objects.get(username=username))[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, token


def assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"] and error["message_en"]
    assert "Traceback" not in response.content.decode()
    return error


# --- parameters: bounded, a 400 naming the parameter ---------------------------------------


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/trainings?year=10000", "year"),
        ("/api/v1/activities?year=10000", "year"),
        ("/api/v1/support-counts?year=10000", "year"),
        ("/api/v1/budget-lines?year=1999", "year"),
        ("/api/v1/task-reports?year=-1", "year"),
        ("/api/v1/assessments?year=2101", "year"),
        (f"/api/v1/plans?limit={HUGE}", "limit"),
        ("/api/v1/plans?limit=-1.9", "limit"),
        ("/api/v1/plans?limit=0", "limit"),
        ("/api/v1/plans?limit=501", "limit"),
        ("/api/v1/units?offset=1.5", "offset"),
        ("/api/v1/units?limit=null", "limit"),
        ("/api/v1/establishments?days=99999999999", "days"),
        (f"/api/v1/inspections?team={HUGE}", "team"),
        (f"/api/v1/inspection-plans?team={HUGE}", "team"),
        (f"/api/v1/training-participants?training={HUGE}", "training"),
        (f"/api/v1/patrols?hotspot={HUGE}", "hotspot"),
        (f"/api/v1/task-reports?plan={HUGE}", "plan"),
        ("/api/v1/violations?date_from=0001-01-01", "date_from"),
        ("/api/v1/inspections?date_to=2018-02-30", "date_to"),
        ("/api/v1/units?on=10000-01-01", "on"),
        ("/api/v1/hotspots?as_of=", "as_of"),
        ("/api/v1/hotspots?overdue=maybe", "overdue"),
        ("/api/v1/hotspots?status=zzz", "status"),
        ("/api/v1/establishments?licence=", "licence"),
        ("/api/v1/trainings?level=zzz", "level"),
        ("/api/v1/sanctions?status=zzz", "status"),
        ("/api/v1/units?level=4", "level"),
        ("/api/v1/indicators/communes_with_activity/values?unit=66&period=2018&by=zzz", "by"),
        ("/api/v1/indicators/communes_with_activity/values?unit=66&period=0000", "period"),
        ("/api/v1/indicators/communes_with_activity/values?unit=66&period=2018&on=x", "on"),
        (
            "/api/v1/indicators/communes_with_activity/values?unit=66"
            "&period=2018-02-30..2018-03-01",
            "period",
        ),
        ("/api/v1/completeness?period=2101-01-01..2101-03-01", "period"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(url: str, param: str) -> None:
    client, _token = bearer("admin")
    error = assert_json_error(client.get(url), 400)
    assert param in error["fields"], error


def test_a_page_of_500_rows_is_the_most_one_can_ask_for() -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(verb="test.row", object_type="test") for _ in range(510)
    )
    client, _token = bearer("admin")
    body = client.get("/api/v1/audit?limit=500").json()
    assert body["count"] > 500
    assert len(body["results"]) == 500


def test_risk_ranking_is_paginated_as_documented() -> None:
    client, _token = bearer("admin")
    body = client.get("/api/v1/risk?unit=66&limit=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    schema = client.get("/api/v1/openapi.json").json()
    ok = schema["paths"]["/api/v1/risk"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("PaginatedRiskRowList")


# --- the schema tells the truth --------------------------------------------------------------


def test_schema_declares_bounds_nullables_versions_and_errors() -> None:
    schema = APIClient().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    for name, field in [
        ("Agency", "parent_code"),
        ("Unit", "parent_code"),
        ("Indicator", "denominator"),
        ("Assignment", "agency_code"),
        ("Patrol", "agency"),
        ("Submission", "agency"),
    ]:
        assert components[name]["properties"][field].get("nullable"), (name, field)
    operations = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    for path, method, op in operations:
        assert {"400", "401", "403", "404"} <= set(op["responses"]), (path, method)
        for parameter in op.get("parameters", []):
            kind = parameter["schema"].get("type")
            if kind == "integer" and parameter["in"] == "query":
                assert "maximum" in parameter["schema"], (path, parameter["name"])
        if method == "patch":
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            body = components[ref.rsplit("/", 1)[-1]]
            assert "version" in body["required"], path
    trainings = schema["paths"]["/api/v1/trainings"]["get"]["parameters"]
    year = next(p for p in trainings if p["name"] == "year")
    assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (2000, 2100)


# --- JSON errors for every failure under /api/ -------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_address_is_a_json_404(debug: bool) -> None:
    client, _token = bearer("admin")
    with override_settings(DEBUG=debug):
        assert_json_error(client.get("/api/v1/no-such-thing"), 404)
        assert_json_error(client.post("/api/v1/plans/1/nothing"), 404)
        assert_json_error(client.patch("/api/v1/plans/x", {"a": 1}), 404)
        session = APIClient(enforce_csrf_checks=True)
        sign_in(session, User.objects.get(username="admin"))
        assert_json_error(session.patch("/api/v1/trainings/copies", {"a": 1}), 404)
        assert_json_error(Client().get("/api/v2/units"), 404)


def test_wrong_method_is_a_json_405() -> None:
    client, _token = bearer("admin")
    assert_json_error(client.delete("/api/v1/plans"), 405)


def test_unexpected_exception_is_a_json_500_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from pcmd.plans import api as views

    def boom(self: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.PlanList, "get_queryset", boom)
    client, _token = bearer("admin")
    client.raise_request_exception = False
    error = assert_json_error(client.get("/api/v1/plans"), 500)
    assert "secret detail" not in str(error)
    assert any("secret detail" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_django_500_handler_under_api_is_json_and_elsewhere_a_page() -> None:
    from django.test import RequestFactory

    from pcmd.api.errors import server_error

    api = server_error(RequestFactory().get("/api/v1/plans"))
    assert api.status_code == 500 and api["Content-Type"].startswith("application/json")
    page = server_error(RequestFactory().get("/plans/"))
    assert page.status_code == 500 and b"<html" in page.content


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "500.html"])
def test_error_pages_exist_in_vietnamese(template: str) -> None:
    from django.template import loader
    from django.utils import translation

    with translation.override("vi"):
        html = loader.get_template(template).render(
            {} if template == "500.html" else {"request": None}
        )
    assert "lang=" in html or template != "500.html"
    assert any(word in html for word in ("Không", "không", "Lỗi", "lỗi", "Yêu cầu")), template


def test_bad_page_filter_is_a_page_not_a_500(client_for: Any) -> None:
    response = client_for("admin").get("/outreach/trainings/", {"year": "10000"})
    assert response.status_code in (200, 400)


# --- Cache-Control ---------------------------------------------------------------------------


def test_signed_in_pages_documents_and_api_are_not_stored(client_for: Any) -> None:
    client = client_for("admin")
    for url in ("/", "/plans/", "/registry/import/template.xlsx", "/dashboard/export.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    api, _token = bearer("admin")
    assert "no-store" in api.get("/api/v1/plans")["Cache-Control"]
    assert "no-store" in APIClient().get("/api/v1/plans")["Cache-Control"]  # the 401 too


def test_static_files_keep_their_caching() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from pcmd.core.middleware import NoStoreMiddleware

    request = RequestFactory().get("/static/pcmd/app.css")
    request.user = User.objects.get(username="admin")

    def cached(_request: Any) -> HttpResponse:
        response = HttpResponse("x")
        response["Cache-Control"] = "max-age=3600, public"
        return response

    assert NoStoreMiddleware(cached)(request)["Cache-Control"] == "max-age=3600, public"


# --- tokens ------------------------------------------------------------------------------------


def test_locking_an_account_ends_its_tokens() -> None:
    client, _token = bearer("xa.tanlap")
    user = User.objects.get(username="xa.tanlap")
    account_actions.update_user(user, actor=User.objects.get(username="admin"), is_active=False)
    assert not AuthToken.objects.filter(user=user).exists()
    assert_json_error(client.get("/api/v1/me"), 401)
    event = AuditEvent.objects.filter(verb="user.update").latest("pk")
    assert event.changes["api_tokens"] == [1, 0]


def test_removing_a_role_ends_its_tokens() -> None:
    client, _token = bearer("xa.tanlap")
    user = User.objects.get(username="xa.tanlap")
    admin = User.objects.get(username="admin")
    for assignment in list(user.assignments.all()):
        account_actions.remove_assignment(assignment, actor=admin)
    assert_json_error(client.get("/api/v1/me"), 401)


def test_logout_ends_the_current_token_only() -> None:
    first, _a = bearer("xa.tanlap")
    second, _b = bearer("xa.tanlap")
    response = first.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert_json_error(first.get("/api/v1/me"), 401)
    assert second.get("/api/v1/me").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.logout").exists()


def test_logout_needs_a_token() -> None:
    assert_json_error(APIClient().post("/api/v1/auth/logout"), 401)


def test_an_administrator_revokes_a_users_tokens() -> None:
    officer, _a = bearer("xa.tanlap")
    officer2, _b = bearer("xa.tanlap")
    admin, _c = bearer("admin")
    pk = User.objects.get(username="xa.tanlap").pk
    response = admin.post(f"/api/v1/users/{pk}/revoke-tokens")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert_json_error(officer.get("/api/v1/me"), 401)
    assert_json_error(officer2.get("/api/v1/me"), 401)
    assert admin.get("/api/v1/me").status_code == 200
    assert_json_error(admin.post("/api/v1/users/99999999/revoke-tokens"), 404)


def test_only_administrators_revoke_tokens() -> None:
    officer, _a = bearer("xa.tanlap")
    pk = User.objects.get(username="admin").pk
    assert_json_error(officer.post(f"/api/v1/users/{pk}/revoke-tokens"), 403)


@override_settings(AXES_ENABLED=True)
def test_token_lockout_is_a_json_error() -> None:
    client = APIClient()
    for _ in range(5):
        client.post(
            "/api/v1/auth/token", {"username": "xa.easo", "password": "wrong"}, format="json"
        )
    response = client.post(
        "/api/v1/auth/token", {"username": "xa.easo", "password": PASSWORD}, format="json"
    )
    error = assert_json_error(response, 429)
    assert "30" in error["message"] and "30" in error["message_en"]
    assert error["message"] != error["message_en"]


def test_a_negative_version_is_refused() -> None:
    from tests.inspections.builders import establishment as build_establishment

    # One establishment built in code (loading the demo's registers here took ~110 s).
    establishment = build_establishment()
    client, _token = bearer("admin")
    assert client.get(f"/api/v1/establishments/{establishment.pk}").status_code == 200
    response = client.patch(
        f"/api/v1/establishments/{establishment.pk}", {"version": -1}, format="json"
    )
    error = assert_json_error(response, 400)
    assert "version" in error["fields"]
