"""Livelihood support counts: persona matrix (pages and API), writes, small cells."""

import datetime

import pytest
from rest_framework.test import APIClient

from pcmd.core.models import AuditEvent
from pcmd.support.models import SupportCount
from tests.conftest import PERSONA_NAMES, assert_reach
from tests.outreach.builders import EA_SO, TAN_LAP, support_count, unit

pytestmark = pytest.mark.django_db

VIEWERS = ["admin", "thuongtruc", "lanhdao", "huyen.bmt", "ctxh.bmt", "xa.tanlap", "xa.easo"]
EDITORS = [n for n in VIEWERS if n != "lanhdao"]
SEE_TAN_LAP = ["admin", "thuongtruc", "lanhdao", "huyen.bmt", "ctxh.bmt", "xa.tanlap"]


@pytest.fixture
def api(persona):
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(persona(username))
        return client

    return make


def form_data(**overrides):
    data = {
        "commune": unit(TAN_LAP).pk,
        "period_start": "01/01/2018",
        "period_end": "30/06/2018",
        "vocational_training": "3",
        "employment": "2",
        "loans": "1",
        "health_services": "6",
        "legal_aid": "0",
        "other_support": "0",
        "note": "Tổng hợp từ Hội LHPN",
    }
    data.update(overrides)
    return data


def test_pages_by_role(client_for) -> None:
    assert_reach(client_for, "/support/", VIEWERS)
    assert_reach(client_for, "/support/new/", EDITORS)
    row = support_count(TAN_LAP)
    assert_reach(client_for, f"/support/{row.pk}/", [n for n in SEE_TAN_LAP if n != "lanhdao"])


def test_list_is_scoped(client_for) -> None:
    support_count(TAN_LAP, note="ghi chú Tân Lập")
    support_count(EA_SO, note="ghi chú Ea Sô")
    html = {
        n: client_for(n).get("/support/?year=2018").content.decode()
        for n in ["xa.tanlap", "xa.easo", "ctxh.bmt", "thuongtruc"]
    }
    assert "ghi chú Tân Lập" in html["xa.tanlap"] and "Ea Sô" not in html["xa.tanlap"]
    assert "ghi chú Ea Sô" in html["xa.easo"] and "Tân Lập" not in html["xa.easo"]
    assert "ghi chú Tân Lập" in html["ctxh.bmt"] and "ghi chú Ea Sô" not in html["ctxh.bmt"]
    assert "ghi chú Tân Lập" in html["thuongtruc"] and "ghi chú Ea Sô" in html["thuongtruc"]


def test_commune_officer_records_counts(client_for) -> None:
    response = client_for("xa.tanlap").post("/support/new/", form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    row = SupportCount.objects.get()
    assert (row.commune.code, row.vocational_training, row.health_services) == (TAN_LAP, 3, 6)
    event = AuditEvent.objects.get(verb="support.count.create")
    assert event.changes["employment"] == [None, 2] and event.actor_name == "xa.tanlap"


def test_refusals(client_for) -> None:
    client = client_for("xa.tanlap")
    assert client.post("/support/new/", form_data(commune=unit(EA_SO).pk)).status_code == 400
    assert client.post("/support/new/", form_data(period_end="01/01/2017")).status_code == 400
    assert client.post("/support/new/", form_data(loans="-1")).status_code == 400
    assert client_for("lanhdao").post("/support/new/", form_data()).status_code == 403
    assert client_for("congan").get("/support/").status_code == 403
    assert not SupportCount.objects.exists()


def test_overlapping_period_is_refused(client_for) -> None:
    support_count(TAN_LAP)
    response = client_for("xa.tanlap").post(
        "/support/new/", form_data(period_start="01/06/2018", period_end="31/12/2018")
    )
    assert response.status_code == 400
    assert "30/06/2018" in response.content.decode()
    assert SupportCount.objects.count() == 1


def test_edit_with_version_conflict(client_for) -> None:
    row = support_count(TAN_LAP, loans=1)
    first = client_for("xa.tanlap").post(
        f"/support/{row.pk}/", form_data(loans="4", version=row.version)
    )
    assert first.status_code == 302
    second = client_for("ctxh.bmt").post(
        f"/support/{row.pk}/", form_data(loans="9", version=row.version)
    )
    assert second.status_code == 400 and "Someone else saved" in second.content.decode()
    row.refresh_from_db()
    assert (row.loans, row.version) == (4, 2)
    assert (
        client_for("xa.easo")
        .post(f"/support/{row.pk}/", form_data(loans="1", version=2))
        .status_code
        == 404
    )


def test_delete(client_for) -> None:
    row = support_count(TAN_LAP)
    assert client_for("xa.easo").post(f"/support/{row.pk}/delete/").status_code == 404
    assert (
        client_for("xa.tanlap")
        .post(f"/support/{row.pk}/delete/", {"version": row.version})
        .status_code
        == 302
    )
    assert SupportCount.objects.get(pk=row.pk).is_deleted
    assert (
        "Tân Lập"
        not in client_for("xa.tanlap")
        .get("/support/?year=2018")
        .content.decode()
        .split('id="support-counts"')[1]
    )


def test_small_cells_are_hidden_from_read_only_users(client_for, api) -> None:
    support_count(TAN_LAP, vocational_training=3, employment=7, health_services=0)
    lanhdao = client_for("lanhdao").get("/support/?year=2018").content.decode()
    table = lanhdao.split('id="support-counts"')[1]
    assert "&lt;5" in table and ">3<" not in table and ">7<" in table
    recorder = client_for("xa.tanlap").get("/support/?year=2018").content.decode()
    assert "&lt;5" not in recorder.split('id="support-counts"')[1]
    body = api("lanhdao").get("/api/v1/support-counts").json()["results"][0]
    assert body["vocational_training"] == "<5" and body["employment"] == 7
    assert body["health_services"] == 0 and body["suppressed"] == ["vocational_training"]
    body = api("xa.tanlap").get("/api/v1/support-counts").json()["results"][0]
    assert body["vocational_training"] == 3 and body["suppressed"] == []


def test_api_matrix(api) -> None:
    row = support_count(TAN_LAP)
    for name in PERSONA_NAMES:
        status = api(name).get("/api/v1/support-counts").status_code
        assert status == (200 if name in VIEWERS else 403), (name, status)
        status = api(name).get(f"/api/v1/support-counts/{row.pk}").status_code
        wanted = 200 if name in SEE_TAN_LAP else (403 if name not in VIEWERS else 404)
        assert status == wanted, (name, status)


def test_api_create_patch_conflict_and_errors(api) -> None:
    client = api("xa.tanlap")
    body = {
        "commune": TAN_LAP,
        "period_start": "2018-07-01",
        "period_end": "2018-12-31",
        "vocational_training": 2,
        "employment": 1,
        "loans": 0,
        "health_services": 5,
        "legal_aid": 1,
        "other_support": 0,
    }
    response = client.post("/api/v1/support-counts", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["commune"] == TAN_LAP and created["version"] == 1
    again = client.post("/api/v1/support-counts", body, format="json")
    assert again.status_code == 400 and "period_start" in again.json()["error"]["fields"]
    assert "overlaps" in again.json()["error"]["message_en"]
    other = api("xa.easo").post(
        "/api/v1/support-counts", {**body, "commune": TAN_LAP}, format="json"
    )
    assert other.status_code == 403
    bad = client.post(
        "/api/v1/support-counts",
        {**body, "loans": -2, "period_start": "2017-01-01", "period_end": "2017-06-30"},
        format="json",
    )
    assert bad.status_code == 400 and "loans" in bad.json()["error"]["fields"]
    url = f"/api/v1/support-counts/{created['id']}"
    assert client.patch(url, {"loans": 3}, format="json").status_code == 400  # no version
    ok = client.patch(url, {"loans": 3, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["loans"] == 3
    stale = client.patch(url, {"loans": 4, "version": 1}, format="json")
    assert stale.status_code == 409
    assert SupportCount.objects.get(pk=created["id"]).loans == 3
    assert api("lanhdao").patch(url, {"loans": 1, "version": 2}, format="json").status_code == 403


def test_schema_documents_the_endpoints(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/support-counts"])
    assert {"get", "patch"} <= set(paths["/api/v1/support-counts/{id}"])


@pytest.mark.parametrize("n", [2, 30])
def test_list_query_count_is_bounded(client_for, django_assert_max_num_queries, n) -> None:
    codes = ["24118", "24121", "24124", "24379", "24130"]
    for i in range(n):
        year_part = i // len(codes)
        start = datetime.date(2018, 1, 1) + datetime.timedelta(days=10 * year_part)
        support_count(codes[i % len(codes)], start=start, end=start)
    client = client_for("thuongtruc")
    # 13: one of them is the two-factor device that verified the session (django-otp), one
    # the ids of the units in the user's scope (pcmd.geo.subtree)
    with django_assert_max_num_queries(13):
        assert client.get("/support/?year=2018").status_code == 200
