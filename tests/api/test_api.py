import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def token_client(username: str = "xa.tanlap") -> APIClient:
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def test_token_login_and_bearer() -> None:
    client = token_client()
    assert client.get("/api/v1/plans").status_code == 200


def test_wrong_password_is_a_clear_json_error() -> None:
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "admin", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert "mật khẩu" in body["message"]
    assert "password" in body["message_en"]


def test_missing_token_is_401_json() -> None:
    response = APIClient().get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["error"]["message_en"].startswith("Sign in")


def test_bad_token_is_401() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get("/api/v1/units").status_code == 401


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2018-03-12", 184),
        ("2025-01-04", 180),
    ],
)
def test_unit_counts_through_the_api(on: str, expected: int) -> None:
    body = token_client().get(f"/api/v1/units?province=66&level=commune&on={on}").json()
    assert body["count"] == expected


def test_new_province_through_the_api() -> None:
    client = token_client()
    body = client.get("/api/v1/units?province=66&level=commune&on=2025-07-01").json()
    assert body["count"] == 102
    assert {r["parent_code"] for r in body["results"]} == {"66"}
    assert client.get("/api/v1/units?province=66&level=district&on=2025-07-01").json()["count"] == 0


def test_unit_list_fields_and_historic_name() -> None:
    body = token_client().get("/api/v1/units?parent=643&on=2018-03-12").json()
    by_code = {r["code"]: r for r in body["results"]}
    assert by_code["24133"]["name"] == "Phường Thắng Lợi"
    assert by_code["24127"]["valid_to"] == "2024-10-31"
    assert set(by_code["24118"]) >= {
        "code",
        "name",
        "type",
        "level",
        "parent_code",
        "valid_from",
        "valid_to",
    }
    assert by_code["24118"]["type"] == "phuong" and by_code["24118"]["parent_code"] == "643"


def test_unit_detail_with_successors() -> None:
    client = token_client()
    body = client.get("/api/v1/units/24325?on=2018-01-01").json()
    assert body["name"] == "Xã Ea Blang"
    assert {s["code"] for s in body["successors"]} == {"24328", "24334"}
    assert [s["is_main"] for s in body["successors"] if s["code"] == "24328"] == [True]
    new = client.get("/api/v1/units/66?on=2025-07-01").json()
    assert new["valid_from"] == "2025-07-01" and new["children_count"] == 102
    assert {p["code"] for p in new["predecessors"]} == {"66", "54"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units?on=12-03-2018",
        "/api/v1/units?level=village",
        "/api/v1/units?province=999",
        "/api/v1/units?province=643",
        "/api/v1/units?parent=00000",
        "/api/v1/units/24118?on=yesterday",
        "/api/v1/agencies?level=x",
    ],
)
def test_bad_parameters_are_400_with_a_message(url: str) -> None:
    response = token_client().get(url)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["message"] and error["message_en"] and error["fields"]


def test_unknown_unit_is_404_json() -> None:
    response = token_client().get("/api/v1/units/24127?on=2025-01-01")
    assert response.status_code == 404
    assert "24127" in response.json()["error"]["message_en"]


def test_agencies_with_dated_standing_role() -> None:
    body = token_client().get("/api/v1/agencies?level=province").json()
    roles = {a["code"]: a["roles"] for a in body["results"]}
    standing = {code: r for code, rs in roles.items() for r in rs if r["role"] == "standing_office"}
    assert standing["SO_LDTBXH"]["valid_to"] == "2025-02-28"
    assert standing["SO_YTE"]["valid_from"] == "2025-03-01"
    # the 17 of plan 1842 and the commune committees' group of the new province (2025)
    assert len(body["results"]) == 18


def test_plan_detail_has_targets_and_tasks() -> None:
    client = token_client()
    listed = client.get("/api/v1/plans").json()["results"]
    # the province's plan, and the national programmes (no province) it sits between
    plans = [p for p in listed if p["unit_code"] is not None]
    assert [p["number"] for p in plans] == ["1842/KH-UBND"]
    assert sorted(p["number"] for p in listed if p["unit_code"] is None) == [
        "1629/QĐ-TTg",
        "361/QĐ-TTg",
    ]
    plan = client.get(f"/api/v1/plans/{plans[0]['id']}").json()
    assert len(plan["targets"]) == 7
    assert len(plan["tasks"]) == 14
    t3 = next(t for t in plan["targets"] if t["code"] == "T3")
    assert (t3["kind"], float(t3["value_min"]), float(t3["value_max"])) == (
        "count_range",
        100.0,
        150.0,
    )
    t6 = next(t for t in plan["targets"] if t["code"] == "T6")
    assert (float(t6["value"]), float(t6["denominator"])) == (174.0, 184.0)
    assert plan["tasks"][0]["agencies"] == ["SO_LDTBXH"]


def test_unknown_plan_is_404() -> None:
    assert token_client().get("/api/v1/plans/999999").status_code == 404


def test_openapi_schema_lists_the_endpoints() -> None:
    response = APIClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token",
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/agencies",
        "/api/v1/plans",
        "/api/v1/plans/{id}",
    ]:
        assert path in paths, path


def test_openapi_schema_is_valid_without_warnings(tmp_path) -> None:
    import subprocess
    import sys

    out = tmp_path / "schema.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/api/v1/indicators/{code}/values" in out.read_text()


def test_an_account_keeps_its_newest_api_tokens_only() -> None:
    """Knox reads every token of the account on each request: signing in for each call must
    not make every later request slower. Past API_TOKENS_PER_USER the oldest tokens end."""
    from knox.models import AuthToken

    from pcmd.accounts.actions import API_TOKENS_PER_USER
    from pcmd.accounts.models import User
    from pcmd.core.models import AuditEvent

    clients = [token_client("xa.tanlap") for _ in range(API_TOKENS_PER_USER + 2)]
    user = User.objects.get(username="xa.tanlap")
    assert AuthToken.objects.filter(user=user).count() == API_TOKENS_PER_USER
    assert [c.get("/api/v1/me").status_code for c in clients[:2]] == [401, 401]
    assert {c.get("/api/v1/me").status_code for c in clients[2:]} == {200}
    rows = AuditEvent.objects.filter(verb="auth.token", actor=user).order_by("pk")
    assert [r.changes for r in rows][-3:] == [
        {},
        {"api_tokens": [API_TOKENS_PER_USER + 1, API_TOKENS_PER_USER]},
        {"api_tokens": [API_TOKENS_PER_USER + 1, API_TOKENS_PER_USER]},
    ]
