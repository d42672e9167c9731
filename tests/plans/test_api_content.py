"""The plans API's content: the whole content (GET/PUT), targets and task headings one at a
time, each saved with the plan's version; hostile bodies are a 400 naming the field, never
a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pcmd.plans.models import Plan, Target

from .test_api import api, fields_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> Plan:
    source = Plan.objects.get(number="1842/KH-UBND")
    response = api("thuongtruc").post(
        f"/api/v1/plans/{source.pk}/copy",
        {"period_start": "2024-01-01", "period_end": "2024-12-31"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return Plan.objects.get(pk=response.json()["id"])


def version(plan: Plan) -> int:
    plan.refresh_from_db()
    return plan.version


# --- the whole content ----------------------------------------------------------------------


def test_content_round_trip(draft: Plan) -> None:
    url = f"/api/v1/plans/{draft.pk}/content"
    body = api("sovhttdl").get(url).json()
    assert body["version"] == draft.version
    data = body["data"]
    assert [t["code"] for t in data["targets"]] == [f"T{i}" for i in range(1, 8)]
    data["objectives"] = ["Mục tiêu mới"]
    data["targets"][1]["value_max"] = 160
    fields_of(api("sovhttdl").put(url, {"version": body["version"], "data": data}, "json"), 403)
    response = api("thuongtruc").put(url, {"version": body["version"], "data": data}, "json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == body["version"] + 1
    assert response.json()["data"]["objectives"] == ["Mục tiêu mới"]
    assert draft.targets.get(code="T2").value_max == 160
    # the version read before that save is stale now
    fields_of(api("thuongtruc").put(url, {"version": body["version"], "data": data}, "json"), 409)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"targets": [{"code": "T1", "text": "x", "kind": "percent_units", "value": 250}]}, None),
        ({"targets": [{"code": "T1", "text": "x", "value": "nhiều"}]}, "targets[0].value"),
        ({"targets": [{"code": "T1", "text": "x", "value": 1e300}]}, "targets[0].value"),
        ({"targets": [{"code": "T1", "text": "x", "value": 10**40}]}, "targets[0].value"),
        ({"targets": [{"code": "T1", "text": "x", "value": True}]}, "targets[0].value"),
        ({"targets": [{"code": "T1", "text": "x", "responsible": ["NO_SUCH"]}]}, None),
        ({"targets": [{"code": "T1", "text": "x", "kind": "weekly"}]}, "targets[0].kind"),
        ({"targets": "all"}, "targets"),
        ({"targets": [{"code": "T1", "text": "x"}] * 10_000}, "targets"),
        ({"targets": [7]}, "targets[0]"),
        ({"tasks": [{"number": "1", "heading": "x", "agencies": ["NO_SUCH"]}]}, None),
        ({"tasks": [{"number": "1", "heading": "x", "agencies": "SO_YTE"}]}, None),
        ({"tasks": [{"number": "1", "heading": "x", "lead": "SO_YTE", "deadline": "mai"}]}, None),
        ({"objectives": [1, 2]}, "objectives"),
        ({"legal_bases": ["x"]}, "legal_bases"),
        ({"preamble": "x" * 20_001}, "preamble"),
    ],
)
def test_bad_content_names_the_path(draft: Plan, data: dict[str, Any], field: str | None) -> None:
    before = draft.versions.count()
    response = api("thuongtruc").put(
        f"/api/v1/plans/{draft.pk}/content", {"version": draft.version, "data": data}, "json"
    )
    fields = fields_of(response, 400)
    if field is None:  # the path of the item's field
        assert any(k.startswith(("targets[0].", "tasks[0].")) for k in fields), fields
    else:
        assert field in fields, fields
    assert draft.versions.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {}}, "version"),
        ({"version": 1, "data": []}, "data"),
        ({"version": 1, "data": "x"}, "data"),
        ({"version": 1}, "data"),
        ({"version": -1, "data": {}}, "version"),
        ({"version": 10**30, "data": {}}, "version"),
        ({"version": "1; drop", "data": {}}, "version"),
    ],
)
def test_bad_content_bodies(draft: Plan, body: dict[str, Any], field: str) -> None:
    response = api("thuongtruc").put(f"/api/v1/plans/{draft.pk}/content", body, "json")
    assert field in fields_of(response, 400)


def test_a_body_that_is_not_json_is_a_400(draft: Plan) -> None:
    client = api("thuongtruc")
    for path, method in [("/content", client.put), ("/targets", client.post), ("", client.patch)]:
        response = method(
            f"/api/v1/plans/{draft.pk}{path}",
            data=b'{"version": 1, "data": {',
            content_type="application/json",
        )
        fields_of(response, 400)
    response = client.put(
        f"/api/v1/plans/{draft.pk}/content", data=b"\xff\xfe", content_type="application/json"
    )
    fields_of(response, 400)


# --- targets --------------------------------------------------------------------------------

T8 = {
    "code": "T8",
    "text": "100% xã có tổ tư vấn",
    "kind": "percent_units",
    "value": 100,
    "responsible": ["SO_LDTBXH"],
    "applies_at": ["province", "district"],
}


def test_targets_one_at_a_time(draft: Plan) -> None:
    url = f"/api/v1/plans/{draft.pk}/targets"
    assert [t["code"] for t in api("sovhttdl").get(url).json()] == [f"T{i}" for i in range(1, 8)]
    fields_of(api("sovhttdl").post(url, {**T8, "version": draft.version}, "json"), 403)
    assert "version" in fields_of(api("thuongtruc").post(url, T8, "json"), 400)
    response = api("thuongtruc").post(url, {**T8, "version": draft.version}, "json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["code"], made["responsible"], made["withdrawn"]) == ("T8", ["SO_LDTBXH"], False)
    duplicate = api("thuongtruc").post(url, {**T8, "version": version(draft)}, "json")
    assert "code" in fields_of(duplicate, 400)
    # one target: read, change, refuse bad values under its own field names
    one = f"{url}/T2"
    assert (
        api("xa.tanlap")
        .get(f"/api/v1/plans/{Plan.objects.get(number='1842/KH-UBND').pk}/targets/T2")
        .status_code
        == 200
    )
    response = api("thuongtruc").patch(one, {"version": version(draft), "value_max": 160}, "json")
    assert response.status_code == 200, response.content
    assert float(response.json()["value_max"]) == 160
    fields_of(api("thuongtruc").patch(one, {"version": version(draft) - 1, "value_max": 1}), 409)
    for body, field in [
        ({"value_max": 10**12}, "value_max"),
        ({"value_max": "many"}, "value_max"),
        ({"value_min": 500}, "value_max"),  # min above max: named by structure.check
        ({"responsible": ["NO_SUCH"]}, "responsible"),
        ({"responsible": ["SO_YTE", 5]}, "responsible"),
        ({"responsible": "SO_YTE"}, "responsible"),
        ({"kind": "percent_people", "value": 120}, "value"),
        ({"applies_at": ["village"]}, "applies_at"),
        ({"code": "T9"}, "code"),
        ({"allocations": {"24379": "ten"}}, "allocations"),
        ({"allocations": {"NO_SUCH_UNIT": 5}}, "allocations"),  # not of the province
        ({"parent": "x"}, "parent"),
    ]:
        response = api("thuongtruc").patch(one, {"version": version(draft), **body}, "json")
        assert field in fields_of(response, 400), body
    fields_of(api("thuongtruc").get(f"{url}/T99"), 404)
    fields_of(api("thuongtruc").patch(f"{url}/T99", {"version": version(draft)}), 404)
    # delete: gone when nothing refers to it
    assert "version" in fields_of(api("thuongtruc").delete(f"{url}/T8"), 400)
    fields_of(api("sovhttdl").delete(f"{url}/T8?version={version(draft)}"), 403)
    assert api("thuongtruc").delete(f"{url}/T8?version={version(draft)}").status_code == 204
    fields_of(api("thuongtruc").get(f"{url}/T8"), 404)


def test_a_target_data_refers_to_is_withdrawn_not_deleted(draft: Plan) -> None:
    t5 = draft.targets.get(code="T5")
    Target.objects.filter(plan__number="1842/KH-UBND", code="T5").update(parent=t5)
    url = f"/api/v1/plans/{draft.pk}/targets"
    assert api("thuongtruc").delete(f"{url}/T5?version={draft.version}").status_code == 204
    body = api("sovhttdl").get(f"{url}/T5").json()
    assert body["withdrawn"] is True
    detail = api("sovhttdl").get(f"/api/v1/plans/{draft.pk}").json()
    assert [t["code"] for t in detail["targets"] if t["withdrawn"]] == ["T5"]
    # taking it back in: the same row again
    response = api("thuongtruc").post(
        url, {"version": version(draft), "code": "T5", "text": "Lại"}, "json"
    )
    assert response.status_code == 201 and response.json()["withdrawn"] is False
    assert draft.targets.get(code="T5").pk == t5.pk


# --- task headings --------------------------------------------------------------------------

HEADING = {
    "number": "15",
    "heading": "Sở Du lịch",
    "agencies": ["SO_VHTTDL"],
    "lead": "SO_VHTTDL",
    "deadline": "2027-06-30",
    "items": ["Kiểm tra cơ sở lưu trú", "Tập huấn"],
    "item_deadlines": ["2027-03-31", None],
}


def test_task_headings_one_at_a_time(draft: Plan) -> None:
    url = f"/api/v1/plans/{draft.pk}/tasks"
    rows = api("sovhttdl").get(url).json()
    assert len(rows) == 14 and rows[0]["agencies"] == ["SO_LDTBXH"]
    fields_of(api("sovhttdl").post(url, {**HEADING, "version": draft.version}, "json"), 403)
    response = api("thuongtruc").post(url, {**HEADING, "version": draft.version}, "json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["lead"], made["deadline"]) == ("SO_VHTTDL", "2027-06-30")
    assert [t["deadline"] for t in made["tasks"]] == ["2027-03-31", None]
    duplicate = api("thuongtruc").post(url, {**HEADING, "version": version(draft)}, "json")
    assert "number" in fields_of(duplicate, 400)
    one = f"{url}/2"
    response = api("thuongtruc").patch(
        one, {"version": version(draft), "lead": "CONG_AN_TINH", "deadline_note": "quý II"}, "json"
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["lead"] == "CONG_AN_TINH" and "CONG_AN_TINH" in response.json()["agencies"]
    )
    fields_of(api("thuongtruc").patch(one, {"version": 0, "heading": "x"}, "json"), 409)
    for body, field in [
        ({"agencies": ["NO_SUCH"]}, "agencies"),
        ({"lead": "NO_SUCH"}, "lead"),
        ({"agencies": [], "lead": None}, "agencies"),
        ({"deadline": "30/06/2027"}, "deadline"),
        ({"deadline": "1900-01-01"}, "deadline"),
        ({"items": "x"}, "items"),
        ({"items": ["x"] * 201}, "items"),
        ({"heading": ""}, "heading"),
        ({"number": "99"}, "number"),
    ]:
        response = api("thuongtruc").patch(one, {"version": version(draft), **body}, "json")
        assert field in fields_of(response, 400), body
    fields_of(api("thuongtruc").get(f"{url}/99"), 404)
    assert api("thuongtruc").delete(f"{url}/15?version={version(draft)}").status_code == 204
    assert len(api("thuongtruc").get(url).json()) == 14


def test_bodies_of_the_wrong_type_are_400(draft: Plan) -> None:
    client = api("thuongtruc")
    for path in ("/targets", "/tasks", "/copy", "/comments", "/submit", "/issue", "/return"):
        for body in ([1, 2], "text", 12, None):
            response = client.post(
                f"/api/v1/plans/{draft.pk}{path}",
                data=json.dumps(body),
                content_type="application/json",
            )
            assert response.status_code in (400, 403), (path, body, response.content[:200])
            fields_of(response, response.status_code)


def test_content_errors_come_in_both_languages(draft: Plan) -> None:
    """``structure.check`` words its errors in the active language: before the API ran it
    in each language, ``message_en`` repeated the Vietnamese."""
    response = api("thuongtruc").patch(
        f"/api/v1/plans/{draft.pk}/targets/T1",
        {"version": draft.version, "responsible": ["NO_SUCH"]},
        "json",
    )
    fields_of(response, 400)
    error = response.json()["error"]
    assert error["message_en"] == "Unknown agency: NO_SUCH."
    assert error["message"] != error["message_en"]
    assert error["fields"] == {"responsible": [error["message"]]}
