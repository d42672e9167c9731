"""Who reaches violations and sanctions (pages and API), and the API's writes."""

import datetime

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.models import User
from pcmd.accounts.roles import CAPABILITIES, Capability
from pcmd.enforcement import actions
from pcmd.enforcement.models import Sanction, Violation, ViolationType
from tests.conftest import PERSONA_NAMES, assert_reach
from tests.inspections import builders as b

pytestmark = pytest.mark.django_db

# province-wide readers of sanctions: the roles with enforcement.view (the procuracy and the
# court read them too); EDIT_PROVINCE are those who record them
VIEW_PROVINCE = [
    p.username
    for p in PERSONAS
    if p.unit_code == "66" and Capability.VIEW_ENFORCEMENT in CAPABILITIES[p.role]
]
assert set(VIEW_PROVINCE) == {"admin", "thuongtruc", "lanhdao", "congan", "doi178", "vks", "toaan"}
EDIT_PROVINCE = ["admin", "thuongtruc", "congan", "doi178"]
D = datetime.date(2018, 6, 1)


def api(name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=name))
    return client


def make(
    commune: str, code: str = "nd167-d25-chua-moi-gioi", subject: str = "organisation"
) -> Violation:
    return actions.record_violation(
        actor=None,
        violation_type=ViolationType.objects.get(code=code),
        date=D,
        establishment=b.establishment(commune, name=f"Cơ sở {commune}"),
        subject_kind=subject,
    )


@pytest.fixture
def world():
    tan_lap = make(b.TAN_LAP)
    ea_so = make(b.EA_SO)
    sanction = actions.record_sanction(
        actor=None,
        violation=tan_lap,
        number="7/QĐ",
        date=D,
        authority="Chủ tịch UBND",
        form="fine",
        amount=50_000_000,
    )
    return {"tan_lap": tan_lap, "ea_so": ea_so, "sanction": sanction}


def test_pages(client_for, world) -> None:
    viewers = VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap", "xa.easo"]
    for url in ["/enforcement/", "/enforcement/sanctions/", "/enforcement/types/"]:
        assert_reach(client_for, url, viewers)
    assert_reach(
        client_for,
        f"/enforcement/{world['tan_lap'].pk}/",
        VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap"],
    )
    assert_reach(client_for, f"/enforcement/{world['ea_so'].pk}/", VIEW_PROVINCE + ["xa.easo"])
    # Commune officers read violations but do not record them (no enforcement.edit).
    assert_reach(client_for, "/enforcement/new/", EDIT_PROVINCE + ["huyen.bmt"])
    assert_reach(
        client_for, f"/enforcement/{world['tan_lap'].pk}/edit/", EDIT_PROVINCE + ["huyen.bmt"]
    )
    assert_reach(
        client_for,
        f"/enforcement/{world['tan_lap'].pk}/sanctions/new/",
        EDIT_PROVINCE + ["huyen.bmt"],
    )
    assert_reach(
        client_for,
        f"/enforcement/sanctions/{world['sanction'].pk}/edit/",
        EDIT_PROVINCE + ["huyen.bmt"],
    )
    assert_reach(client_for, f"/enforcement/{world['ea_so'].pk}/edit/", EDIT_PROVINCE)


def test_list_shows_only_the_scope_and_totals(client_for, world) -> None:
    response = client_for("xa.tanlap").get("/enforcement/")
    assert [v.pk for v in response.context["page"]] == [world["tan_lap"].pk]
    assert response.context["fines"]["total"] == 50_000_000
    html = response.content.decode()
    assert "50.000.000 đ" in html and "Cơ sở 24379" not in html
    response = client_for("doi178").get("/enforcement/?status=none")
    assert [v.pk for v in response.context["page"]] == [world["ea_so"].pk]


def test_district_officer_records_a_standalone_violation(client_for) -> None:
    commune = b.unit(b.TAN_LAP)
    vt = ViolationType.objects.get(code="nd167-d23-k1-ban-dam")
    response = client_for("huyen.bmt").post(
        "/enforcement/new/",
        {
            "violation_type": vt.pk,
            "date": "03/03/2018",
            "commune": commune.pk,
            "subject_kind": "individual",
            "people_count": 2,
            "description": "Tuần tra",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    v = Violation.objects.get(description="Tuần tra")
    assert (v.commune, v.establishment, v.people_count) == (commune, None, 2)
    # Not in another district.
    response = client_for("huyen.bmt").post(
        "/enforcement/new/",
        {
            "violation_type": vt.pk,
            "date": "03/03/2018",
            "commune": b.unit(b.EA_SO).pk,
            "subject_kind": "individual",
            "people_count": 1,
            "description": "Ngoài",
        },
    )
    assert response.status_code == 400
    assert not Violation.objects.filter(description="Ngoài").exists()


def test_api_read_matrix(world) -> None:
    allowed = set(VIEW_PROVINCE + ["huyen.bmt", "xa.tanlap"])
    for name in PERSONA_NAMES:
        for url in [
            f"/api/v1/violations/{world['tan_lap'].pk}",
            f"/api/v1/sanctions/{world['sanction'].pk}",
        ]:
            status = api(name).get(url).status_code
            assert status == 200 if name in allowed else status in (403, 404), (name, url)
    ids = {r["id"] for r in api("xa.easo").get("/api/v1/violations").json()["results"]}
    assert ids == {world["ea_so"].pk}
    assert api("xa.easo").get("/api/v1/sanctions").json()["count"] == 0


def test_api_write_matrix(world) -> None:
    url = f"/api/v1/violations/{world['tan_lap'].pk}"
    for name, status in {"xa.tanlap": 403, "lanhdao": 403, "sovhttdl": 403, "xa.easo": 403}.items():
        response = api(name).patch(url, {"version": 1, "people_count": 5}, format="json")
        assert response.status_code == status, (name, response.content)
    response = api("huyen.bmt").patch(url, {"version": 1, "people_count": 5}, format="json")
    assert response.status_code == 200 and response.json()["people_count"] == 5
    response = api("huyen.bmt").patch(
        f"/api/v1/violations/{world['ea_so'].pk}", {"version": 1, "people_count": 5}, format="json"
    )
    assert response.status_code == 404


def test_api_create_violation_and_sanction(world) -> None:
    est = b.establishment(b.TAN_LAP, name="Nhà nghỉ API")
    response = api("congan").post(
        "/api/v1/violations",
        {
            "violation_type": "nd167-d22-k1-mua-dam",
            "date": "2018-08-08",
            "establishment": est.pk,
            "subject_kind": "individual",
            "people_count": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["commune_code"] == b.TAN_LAP and body["legal_reference"].startswith("khoản 1")
    response = api("congan").post(
        "/api/v1/sanctions",
        {
            "violation": body["id"],
            "number": "9/QĐ",
            "date": "2018-08-09",
            "authority": "Trưởng Công an TP",
            "form": "fine",
            "amount": 3_000_000,
        },
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["amount"]
    assert "500.000 đ" in error["message_en"] and "1.000.000 đ" in error["message_en"]
    assert error["message"] != error["message_en"] or "đ" in error["message"]
    response = api("congan").post(
        "/api/v1/sanctions",
        {
            "violation": body["id"],
            "number": "9/QĐ",
            "date": "2018-08-09",
            "authority": "Trưởng Công an TP",
            "form": "fine",
            "amount": 750_000,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    sanction = response.json()
    assert sanction["amount_display"] == "750.000 đ" and sanction["status"] == "pending"
    url = f"/api/v1/sanctions/{sanction['id']}"
    response = api("congan").patch(
        url, {"version": 1, "status": "paid", "status_on": "2018-08-20"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [h["status"] for h in response.json()["history"]] == ["pending", "paid"]
    stale = api("huyen.bmt").patch(url, {"version": 1, "amount": 800_000}, format="json")
    assert stale.status_code == 409
    assert Sanction.objects.get(pk=sanction["id"]).amount == 750_000


def test_api_violation_errors_name_the_field() -> None:
    est = b.establishment(b.TAN_LAP)
    cases = [
        ({"violation_type": "khong-co"}, "violation_type"),
        ({"violation_type": "nd144-d24-k1-mua-dam"}, "violation_type"),  # not in force in 2018
        ({"subject_kind": "organisation"}, "subject_kind"),  # buying sex: individuals only
        ({"people_count": 0}, "people_count"),
        ({"commune": "99999", "establishment": None}, "commune"),
    ]
    for change, field in cases:
        data = {
            "violation_type": "nd167-d22-k1-mua-dam",
            "date": "2018-08-08",
            "establishment": est.pk,
            "subject_kind": "individual",
            **change,
        }
        response = api("doi178").post("/api/v1/violations", data, format="json")
        assert response.status_code == 400, (change, response.content)
        assert field in response.json()["error"]["fields"], (change, response.json())
    assert not Violation.objects.exists()
