"""The ring pages: the form (police only, a stale save is a 409), members (people who sell sex
refused on the role field), removal with a reason, and a case attached through its form."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.cases import actions
from pcmd.cases.models import Case, Ring

from .conftest import D


@pytest.fixture
def ring(case: Case, police: Any) -> Ring:
    return actions.create_ring(
        police,
        values={
            "name": "Ổ nhóm Tân Lập",
            "unit": case.commune.parent,
            "detected_on": D(2018, 2, 1),
        },
    )


def _ring_data(ring: Ring, **over: Any) -> dict[str, Any]:
    data = {
        "version": ring.version,
        "name": ring.name,
        "unit": ring.unit_id,
        "detected_on": ring.detected_on.strftime("%d/%m/%Y"),
        "notes": "",
    }
    data.update(over)
    return data


def test_police_record_a_ring_through_the_form(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    assert client.get("/cases/rings/new/").status_code == 200
    response = client.post(
        "/cases/rings/new/",
        {"name": "Đường dây mới", "unit": case.commune.parent_id, "detected_on": "01/02/2018"},
    )
    assert response.status_code == 302
    ring = Ring.objects.get(name="Đường dây mới")
    assert ring.code.startswith("ĐD-2018-")
    response = client.post("/cases/rings/new/", {"name": "", "detected_on": "x"})
    assert response.status_code == 400
    assert {"name", "unit", "detected_on"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("username", ["vks", "toaan", "admin", "huyen.bmt"])
def test_only_police_change_rings(client_for: Any, ring: Ring, username: str) -> None:
    client = client_for(username)
    assert client.get("/cases/rings/new/").status_code == 403
    assert client.get(f"/cases/rings/{ring.pk}/edit/").status_code in (403, 404)
    assert client.get(f"/cases/rings/{ring.pk}/members/add/").status_code in (403, 404)


def test_stale_ring_form_is_409(client_for: Any, ring: Ring) -> None:
    client = client_for("congan")
    stale = _ring_data(ring, name="Tên cũ")
    assert (
        client.post(f"/cases/rings/{ring.pk}/edit/", _ring_data(ring, name="Mới")).status_code
        == 302
    )
    assert client.post(f"/cases/rings/{ring.pk}/edit/", stale).status_code == 409
    ring.refresh_from_db()
    assert ring.name == "Mới"


def test_members_sellers_refused_on_the_role_field(client_for: Any, ring: Ring) -> None:
    client = client_for("congan")
    url = f"/cases/rings/{ring.pk}/members/add/"
    person = {"action": "new", "full_name": "Vũ Thị Mai", "sex": "female", "birth_year": 1990}
    response = client.post(url, {**person, "role": "seller"})
    assert response.status_code == 400
    assert response.context["new_form"].errors["role"]
    assert "standing" not in response.context["new_form"].fields
    assert not ring.members.exists()
    assert client.post(url, {**person, "role": "broker"}).status_code == 302
    member = ring.members.get()
    page = client.get(f"/cases/rings/{ring.pk}/").content.decode()
    assert "Vũ Thị Mai" in page
    remove = f"/cases/rings/{ring.pk}/members/{member.pk}/remove/"
    assert client_for("vks").post(remove, {"reason": "x"}).status_code == 403
    client.post(remove, {"reason": ""})
    assert ring.members.exists()
    client.post(remove, {"reason": "Không liên quan"})
    assert not ring.members.exists()


def test_a_case_joins_the_ring_through_its_form(client_for: Any, ring: Ring, case: Case) -> None:
    client = client_for("congan")
    page = client.get(f"/cases/new/?ring={ring.pk}")
    assert page.context["form"].initial["ring"] == str(ring.pk)
    data = {
        "version": case.version,
        "title": case.title,
        "commune": case.commune_id,
        "detected_on": "05/03/2018",
        "detected_by": case.detected_by_id,
        "origin": case.origin,
        "ring": ring.pk,
    }
    assert client.post(f"/cases/{case.pk}/edit/", data).status_code == 302
    case.refresh_from_db()
    assert case.ring == ring
    html = client.get(f"/cases/rings/{ring.pk}/").content.decode()
    assert case.code in html
    listed = {r.pk: r for r in client.get("/cases/rings/").context["page"]}
    assert listed[ring.pk].n_cases == 1 and listed[ring.pk].n_open == 1
