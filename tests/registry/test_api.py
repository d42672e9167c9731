"""/api/v1/establishments: scoped like the pages, 400 naming the field, 409 on conflict."""

import pytest
from rest_framework.test import APIClient

from pcmd.registry.models import Establishment
from tests.conftest import PERSONA_NAMES

from .conftest import EA_SO, TAN_HOA, TAN_LAP

pytestmark = pytest.mark.django_db

VIEWERS = {
    "admin",
    "thuongtruc",
    "lanhdao",
    "congan",
    "doi178",
    "sovhttdl",
    "huyen.bmt",
    "xa.tanlap",
    "xa.easo",
}
EDITORS = {"admin", "thuongtruc", "congan", "doi178", "huyen.bmt", "xa.tanlap", "xa.easo"}


def api(persona, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(name))
    return client


def new(**extra) -> dict:
    return {
        "name": "Karaoke API",
        "kind": "karaoke",
        "address": "3 Hùng Vương",
        "commune": TAN_LAP,
        "on": "2018-03-12",
        **extra,
    }


def test_who_lists_what(persona, make_est) -> None:
    tan_lap, tan_hoa, ea_so = make_est(TAN_LAP), make_est(TAN_HOA), make_est(EA_SO)
    expected = {
        "xa.tanlap": {tan_lap.pk},
        "xa.easo": {ea_so.pk},
        "huyen.bmt": {tan_lap.pk, tan_hoa.pk},
    }
    for name in PERSONA_NAMES:
        response = api(persona, name).get("/api/v1/establishments")
        if name not in VIEWERS:
            assert response.status_code == 403, name
            assert response.json()["error"]["status"] == 403
            continue
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == expected.get(name, {tan_lap.pk, tan_hoa.pk, ea_so.pk}), name
        for est in (tan_lap, tan_hoa, ea_so):
            status = api(persona, name).get(f"/api/v1/establishments/{est.pk}").status_code
            assert status == (200 if est.pk in ids else 404), (name, est.pk)


def test_list_filters(persona, make_est) -> None:
    make_est(TAN_LAP, kind_code="massage", name="Massage Sen Vàng")
    make_est(TAN_HOA)
    make_est(EA_SO, status="closed")
    client = api(persona, "thuongtruc")

    def count(query: str) -> int:
        return client.get(f"/api/v1/establishments?{query}").json()["count"]

    assert count("kind=massage") == 1
    assert count("district=643") == 2
    assert count(f"commune={TAN_HOA}") == 1
    assert count("status=closed") == 1
    assert count("q=sen+vang") == 1
    bad = client.get("/api/v1/establishments?status=gone")
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_who_creates_where(persona) -> None:
    for name in PERSONA_NAMES:
        response = api(persona, name).post(
            "/api/v1/establishments", new(name=f"Karaoke {name}"), format="json"
        )
        allowed = name in EDITORS and name != "xa.easo"
        assert response.status_code == (201 if allowed else 400 if name == "xa.easo" else 403), (
            name,
            response.json(),
        )
        if name == "xa.easo":  # Tân Lập is not in Ea Sô's area
            assert "commune" in response.json()["error"]["fields"]
    assert Establishment.objects.count() == len(EDITORS) - 1


def test_create_returns_the_record_and_names_bad_fields(persona) -> None:
    client = api(persona, "xa.tanlap")
    response = client.post(
        "/api/v1/establishments", new(registration_no="600 111 2223"), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["commune_code"], body["kind"], body["registration_no"], body["version"]) == (
        TAN_LAP,
        "karaoke",
        "6001112223",
        1,
    )
    response = client.post("/api/v1/establishments", new(kind="casino", lat=50), format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"kind"}
    response = client.post(
        "/api/v1/establishments", new(name="Khác", lat=50, lon=108), format="json"
    )
    assert response.status_code == 400 and "lat" in response.json()["error"]["fields"]
    response = client.post("/api/v1/establishments", new(), format="json")  # duplicate
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    today = {k: v for k, v in new(name="Hôm nay").items() if k != "on"}
    response = client.post(
        "/api/v1/establishments", today, format="json"
    )  # Tân Lập does not exist on today's map
    assert response.status_code == 400 and "commune" in response.json()["error"]["fields"]


def test_patch_needs_the_version_and_refuses_a_stale_one(persona, make_est) -> None:
    est = make_est(TAN_LAP, name="Karaoke Gốc")
    first, second = api(persona, "xa.tanlap"), api(persona, "huyen.bmt")
    url = f"/api/v1/establishments/{est.pk}"
    missing = first.patch(url, {"name": "Không phiên bản"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["error"]["fields"]
    ok = first.patch(url, {"name": "Karaoke Một", "version": est.version}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == est.version + 1
    conflict = second.patch(url, {"name": "Karaoke Hai", "version": est.version}, format="json")
    assert conflict.status_code == 409
    error = conflict.json()["error"]
    assert error["status"] == 409 and "Someone else saved" in error["message_en"]
    est.refresh_from_db()
    assert est.name == "Karaoke Một"
    assert (
        api(persona, "lanhdao")
        .patch(url, {"name": "X", "version": est.version}, format="json")
        .status_code
        == 403
    )
    assert (
        api(persona, "xa.easo")
        .patch(url, {"name": "X", "version": est.version}, format="json")
        .status_code
        == 404
    )
    assert first.put(url, {}, format="json").status_code == 405


def test_openapi_lists_the_registry_and_hotspot_endpoints() -> None:
    paths = APIClient().get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/establishments",
        "/api/v1/establishments/{id}",
        "/api/v1/hotspots",
        "/api/v1/hotspots/{id}",
        "/api/v1/hotspots/{id}/status",
        "/api/v1/patrols",
        "/api/v1/patrols/{id}",
    ]:
        assert path in paths, path
    assert "patch" in paths["/api/v1/establishments/{id}"]
    assert "post" in paths["/api/v1/establishments"]


def test_api_list_is_bounded(persona, make_est, django_assert_max_num_queries) -> None:
    client = api(persona, "thuongtruc")
    make_est(TAN_LAP)
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/establishments")
    for _i in range(40):
        make_est(TAN_HOA)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/establishments").json()["count"] == 41
