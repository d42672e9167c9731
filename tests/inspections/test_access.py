"""Who reaches and edits which inspection: pages and API (DESIGN.md §7.8).

A commune officer sees only inspections of establishments in their commune; a district
officer those of the district; provincial roles the whole province. Seeing is not changing:
an inspection belongs to the team that recorded it (``pcmd.accounts.policy``), so a commune
officer edits the commune team's inspections, not the provincial team's.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from pcmd.inspections.models import Inspection
from tests.conftest import PERSONA_NAMES, assert_reach

from . import builders as b

pytestmark = pytest.mark.django_db

VIEW_PROVINCE = ["admin", "thuongtruc", "lanhdao", "congan", "doi178"]
EDIT_PROVINCE = ["admin", "thuongtruc", "congan", "doi178"]
NO_CAPABILITY = ["sovhttdl", "ctxh.bmt"]


@pytest.fixture
def world():
    team = b.team(b.province(), name="Đội 178 tỉnh")
    tan_lap = b.inspection(team, b.establishment(b.TAN_LAP, name="Karaoke Tân Lập"))
    ea_so = b.inspection(team, b.establishment(b.EA_SO, name="Nhà nghỉ Ea Sô"))
    other = b.other_commune_in(b.BMT, b.TAN_LAP)
    bmt_other = b.inspection(team, b.establishment(other, name="Massage Phường Khác"))
    commune_team = b.team(b.TAN_LAP, name="Đội 178 phường Tân Lập")
    own = b.inspection(commune_team, b.establishment(b.TAN_LAP, name="Quán Tân Lập"))
    return {
        "team": team,
        "tan_lap": tan_lap,
        "ea_so": ea_so,
        "bmt_other": bmt_other,
        "commune_team": commune_team,
        "own": own,
    }


def test_list_page_reach(client_for) -> None:
    assert_reach(client_for, "/inspections/", VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap", "xa.easo"])


@pytest.mark.parametrize("url", ["/inspections/next/", "/inspections/teams/", "/inspections/tips/"])
def test_other_pages_reach(client_for, url) -> None:
    assert_reach(client_for, url, VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap", "xa.easo"])


@pytest.mark.parametrize(
    "url", ["/inspections/new/", "/inspections/tips/new/", "/inspections/teams/new/"]
)
def test_create_pages_reach(client_for, url) -> None:
    assert_reach(client_for, url, EDIT_PROVINCE + ["huyen.bmt", "xa.tanlap", "xa.easo"])


def test_catalog_pages_are_for_administrators(client_for) -> None:
    for url in ["/inspections/checklist/", "/inspections/next/weights/"]:
        assert_reach(client_for, url, ["admin"])


def test_detail_matrix(client_for, world) -> None:
    assert_reach(
        client_for,
        f"/inspections/{world['tan_lap'].pk}/",
        VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap"],
    )
    assert_reach(client_for, f"/inspections/{world['ea_so'].pk}/", VIEW_PROVINCE + ["xa.easo"])
    assert_reach(
        client_for, f"/inspections/{world['bmt_other'].pk}/", VIEW_PROVINCE + ["huyen.bmt"]
    )


def test_edit_matrix(client_for, world) -> None:
    # the provincial team's inspections: the team (doi178, congan), the standing office
    assert_reach(client_for, f"/inspections/{world['tan_lap'].pk}/edit/", EDIT_PROVINCE)
    assert_reach(client_for, f"/inspections/{world['ea_so'].pk}/edit/", EDIT_PROVINCE)
    # the commune team's: the commune, its district, the standing office
    assert_reach(
        client_for,
        f"/inspections/{world['own'].pk}/edit/",
        ["admin", "thuongtruc", "huyen.bmt", "xa.tanlap"],
    )


def test_refusals_are_403_without_capability_and_404_outside_scope(client_for, world) -> None:
    url = f"/inspections/{world['tan_lap'].pk}/"
    for name in NO_CAPABILITY:
        assert client_for(name).get(url).status_code == 403
    assert client_for("xa.easo").get(url).status_code == 404
    assert client_for("lanhdao").get(url + "edit/").status_code == 403


def test_list_shows_only_the_scope(client_for, world) -> None:
    html = client_for("xa.tanlap").get("/inspections/").content.decode()
    assert "Karaoke Tân Lập" in html
    assert "Nhà nghỉ Ea Sô" not in html and "Massage Phường Khác" not in html
    html = client_for("huyen.bmt").get("/inspections/").content.decode()
    assert "Karaoke Tân Lập" in html and "Massage Phường Khác" in html
    assert "Nhà nghỉ Ea Sô" not in html
    html = client_for("doi178").get("/inspections/").content.decode()
    assert all(n in html for n in ["Karaoke Tân Lập", "Massage Phường Khác", "Nhà nghỉ Ea Sô"])


def test_commune_officer_cannot_edit_another_commune_by_post(client_for, world) -> None:
    target = world["ea_so"]
    response = client_for("xa.tanlap").post(
        f"/inspections/{target.pk}/edit/",
        {
            "version": target.version,
            "date": "01/06/2018",
            "result": "violation",
            "establishment": target.establishment_id,
            "team": target.team_id,
        },
    )
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.result == "no_violation" and target.version == 1


def test_commune_officer_cannot_record_in_another_commune(client_for, world) -> None:
    foreign = b.establishment(b.EA_SO, name="Quán Ea Sô 2")
    before = Inspection.objects.count()
    response = client_for("xa.tanlap").post(
        "/inspections/new/",
        {
            "date": "02/06/2018",
            "establishment": foreign.pk,
            "team": world["commune_team"].pk,
            "result": "no_violation",
        },
    )
    assert response.status_code == 400
    assert "establishment" in response.context["form"].errors
    assert Inspection.objects.count() == before


# --- API ---------------------------------------------------------------------------------


def api(persona, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(name))
    return client


def test_api_list_scope(persona, world) -> None:
    expected = {
        "xa.tanlap": {world["tan_lap"].pk, world["own"].pk},
        "xa.easo": {world["ea_so"].pk},
        "huyen.bmt": {world["tan_lap"].pk, world["bmt_other"].pk, world["own"].pk},
        "doi178": {
            world["tan_lap"].pk,
            world["ea_so"].pk,
            world["bmt_other"].pk,
            world["own"].pk,
        },
    }
    for name, ids in expected.items():
        body = api(persona, name).get("/api/v1/inspections").json()
        assert {r["id"] for r in body["results"]} == ids, name
    for name in NO_CAPABILITY:
        assert api(persona, name).get("/api/v1/inspections").status_code == 403


def test_api_detail_matrix(persona, world) -> None:
    url = f"/api/v1/inspections/{world['tan_lap'].pk}"
    allowed = set(VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap"])
    for name in PERSONA_NAMES:
        status = api(persona, name).get(url).status_code
        if name in allowed:
            assert status == 200, name
        else:
            assert status in (403, 404), (name, status)


def test_api_patch_matrix(persona, world) -> None:
    target = world["own"]
    url = f"/api/v1/inspections/{target.pk}"
    refused = {"lanhdao": 403, "sovhttdl": 403, "ctxh.bmt": 403, "xa.easo": 404, "doi178": 404}
    for name, status in refused.items():
        response = api(persona, name).patch(url, {"version": 1, "summary": "x"}, format="json")
        assert response.status_code == status, (name, response.content)
    response = api(persona, "xa.tanlap").patch(
        url, {"version": 1, "summary": "Đã xem"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Đã xem" and response.json()["version"] == 2


def test_api_post_outside_scope_names_the_field(persona, world) -> None:
    foreign = b.establishment(b.EA_SO)
    response = api(persona, "xa.tanlap").post(
        "/api/v1/inspections",
        {
            "date": "2018-06-02",
            "team": world["commune_team"].pk,
            "establishment": foreign.pk,
            "result": "no_violation",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "establishment" in response.json()["error"]["fields"]


def test_team_visibility(persona) -> None:
    prov = b.team(b.province(), name="Đội tỉnh")
    bmt = b.team(b.BMT, name="Đội TP BMT")
    ea_kar = b.team(b.EA_KAR, name="Đội Ea Kar")
    seen = {r["name"] for r in api(persona, "xa.tanlap").get("/api/v1/teams").json()["results"]}
    assert seen == {prov.name, bmt.name}
    seen = {r["name"] for r in api(persona, "doi178").get("/api/v1/teams").json()["results"]}
    assert {prov.name, bmt.name, ea_kar.name} <= seen
    assert api(persona, "sovhttdl").get("/api/v1/teams").status_code == 403


def test_team_edit_only_inside_scope(client_for) -> None:
    prov = b.team(b.province())
    bmt = b.team(b.BMT)
    assert client_for("huyen.bmt").get(f"/inspections/teams/{bmt.pk}/edit/").status_code == 200
    assert client_for("huyen.bmt").get(f"/inspections/teams/{prov.pk}/edit/").status_code == 404
    assert client_for("huyen.bmt").get(f"/inspections/teams/{prov.pk}/").status_code == 200


def test_dates_and_version_are_kept(world) -> None:
    assert world["tan_lap"].date == datetime.date(2018, 6, 1)
    assert world["tan_lap"].commune.code == b.TAN_LAP
