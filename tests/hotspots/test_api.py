"""/api/v1/hotspots and /api/v1/patrols: scoped like the pages."""

import pytest
from rest_framework.test import APIClient

from pcmd.hotspots.models import Hotspot, Patrol
from tests.conftest import PERSONA_NAMES

from .conftest import EA_SO, TAN_HOA, TAN_LAP, D

pytestmark = pytest.mark.django_db

VIEWERS = {
    "admin",
    "thuongtruc",
    "lanhdao",
    "congan",
    "doi178",
    "huyen.bmt",
    "xa.tanlap",
    "xa.easo",
}
EDITORS = {"admin", "thuongtruc", "congan", "huyen.bmt", "xa.tanlap", "xa.easo"}


def api(persona, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(name))
    return client


def test_who_sees_which_hotspots_and_patrols(persona, make_hotspot) -> None:
    from pcmd.hotspots import actions

    spots = {code: make_hotspot(code) for code in (TAN_LAP, TAN_HOA, EA_SO)}
    for h in spots.values():
        actions.record_patrol(actor=None, on=D(2018, 5, 1), force="CA", hotspot=h)
    expected = {"xa.tanlap": {TAN_LAP}, "xa.easo": {EA_SO}, "huyen.bmt": {TAN_LAP, TAN_HOA}}
    for name in PERSONA_NAMES:
        client = api(persona, name)
        for url in ["/api/v1/hotspots", "/api/v1/patrols"]:
            response = client.get(url)
            if name not in VIEWERS:
                assert response.status_code == 403, (name, url)
                continue
            codes = {row["commune_code"] for row in response.json()["results"]}
            assert codes == expected.get(name, {TAN_LAP, TAN_HOA, EA_SO}), (name, url)
        if name in VIEWERS:
            status = client.get(f"/api/v1/hotspots/{spots[EA_SO].pk}").status_code
            assert status == (200 if EA_SO in expected.get(name, {EA_SO}) else 404), name


def test_create_hotspot_and_status_with_history(persona) -> None:
    client = api(persona, "xa.tanlap")
    response = client.post(
        "/api/v1/hotspots",
        {
            "name": "Đường Y Jút",
            "kind": "street",
            "location": "Vỉa hè",
            "commune": TAN_LAP,
            "on": "2018-03-12",
            "first_seen": "2018-01-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    h = response.json()
    bad = client.post(
        f"/api/v1/hotspots/{h['id']}/status",
        {"status": "gone", "on": "2018-08-15", "version": h["version"]},
        format="json",
    )
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]
    response = client.post(
        f"/api/v1/hotspots/{h['id']}/status",
        {"status": "cleared", "on": "2018-08-15", "version": h["version"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["next_check_due"]) == ("cleared", "2018-09-14")
    assert [c["status"] for c in body["history"]] == ["active", "cleared"]
    stale = client.patch(
        f"/api/v1/hotspots/{h['id']}", {"name": "X", "version": h["version"]}, format="json"
    )
    assert stale.status_code == 409
    ok = client.patch(
        f"/api/v1/hotspots/{h['id']}",
        {"name": "Đường Y Jút (đoạn 2)", "version": body["version"]},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["name"] == "Đường Y Jút (đoạn 2)"
    overdue = client.get("/api/v1/hotspots?overdue=true&as_of=2018-12-31").json()
    assert [row["id"] for row in overdue["results"]] == [h["id"]]
    assert (
        api(persona, "doi178")
        .post(
            f"/api/v1/hotspots/{h['id']}/status",
            {"status": "active", "on": "2018-09-01", "version": ok.json()["version"]},
            format="json",
        )
        .status_code
        == 403
    )


def test_patrols_api(persona, make_hotspot) -> None:
    h = make_hotspot(EA_SO)
    client = api(persona, "xa.easo")
    bad = client.post(
        "/api/v1/patrols",
        {
            "on": "2018-05-01",
            "force": "CA",
            "hotspot": h.pk,
            "people_found": 1,
            "people_sanctioned": 2,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "people_sanctioned" in bad.json()["error"]["fields"]
    response = client.post(
        "/api/v1/patrols",
        {
            "on": "2018-05-01",
            "force": "Công an xã Ea Sô",
            "hotspot": h.pk,
            "agency": "CA_X24379",
            "people_found": 2,
            "people_sanctioned": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    p = response.json()
    assert (p["commune_code"], p["agency"], p["hotspot"]) == (EA_SO, "CA_X24379", h.pk)
    # the patrol date is the map date: Ea Sô (three-tier map) did not exist in 2026
    area = client.post(
        "/api/v1/patrols", {"on": "2026-01-05", "force": "CA", "commune": EA_SO}, format="json"
    )
    assert area.status_code == 400 and "commune" in area.json()["error"]["fields"]
    area = client.post(
        "/api/v1/patrols", {"on": "2018-05-02", "force": "CA", "commune": EA_SO}, format="json"
    )
    assert area.status_code == 201
    outsider = api(persona, "xa.tanlap").post(
        "/api/v1/patrols", {"on": "2018-05-01", "force": "CA", "hotspot": h.pk}, format="json"
    )
    assert outsider.status_code == 400 and "hotspot" in outsider.json()["error"]["fields"]
    url = f"/api/v1/patrols/{p['id']}"
    assert (
        client.patch(
            url, {"people_referred": 1, "version": p["version"]}, format="json"
        ).status_code
        == 200
    )
    conflict = client.patch(url, {"people_found": 5, "version": p["version"]}, format="json")
    assert conflict.status_code == 409
    assert Patrol.objects.get(pk=p["id"]).people_found == 2
    assert api(persona, "xa.tanlap").get(url).status_code == 404
    assert client.get(f"/api/v1/patrols?hotspot={h.pk}").json()["count"] == 1
    assert Hotspot.objects.count() == 1
