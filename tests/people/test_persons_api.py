"""The persons API: search and read with names only where revealed (logged, surface "api"),
create with people.identity, PATCH with the version (issue 11, item 5)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.people.models import AccessLog, Involvement, Person
from tests.people.builders import ID_NUMBER, NAME, new_person


@pytest.fixture
def person(db: Any) -> Person:
    return new_person()


@pytest.fixture
def api_for(persona: Any) -> Any:
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(persona(username))
        return client

    return make


def test_detail_reveals_to_the_police_only(api_for: Any, person: Person) -> None:
    body = api_for("congan").get(f"/api/v1/persons/{person.pk}").json()
    assert body["full_name"] == NAME and body["id_number"] == ID_NUMBER
    assert body["identity_shown"] is True and body["code"] == person.code
    row = AccessLog.objects.get(person=person)
    assert (row.user.username, row.surface) == ("congan", "api")
    code_only = api_for("xa.tanlap").get(f"/api/v1/persons/{person.pk}").json()
    assert code_only["code"] == person.code and code_only["identity_shown"] is False
    assert code_only["full_name"] is None and code_only["id_number"] is None
    assert code_only["sex"] is None and body["sex"] == "female"
    assert ID_NUMBER not in str(code_only)
    assert AccessLog.objects.filter(person=person).count() == 1
    missing = api_for("xa.easo").get(f"/api/v1/persons/{person.pk}")
    assert missing.status_code == 404 and "message_en" in missing.json()["error"]
    assert api_for("sovhttdl").get("/api/v1/persons").status_code == 403


def test_search_and_list(api_for: Any, person: Person) -> None:
    found = api_for("congan").get("/api/v1/persons", {"q": "066 190 054 321"}).json()
    assert [r["full_name"] for r in found["results"]] == [NAME]
    assert AccessLog.objects.filter(person=person, surface="api").count() == 1
    listed = api_for("congan").get("/api/v1/persons").json()
    assert [r["code"] for r in listed["results"]] == [person.code]
    assert listed["results"][0]["full_name"] is None  # a list without q gives codes only
    assert AccessLog.objects.filter(person=person).count() == 1
    commune = api_for("xa.tanlap").get("/api/v1/persons", {"q": ID_NUMBER}).json()
    assert commune["results"][0]["full_name"] is None
    assert api_for("xa.easo").get("/api/v1/persons", {"q": ID_NUMBER}).json()["count"] == 0
    too_long = api_for("congan").get("/api/v1/persons", {"q": "x" * 201})
    assert too_long.status_code == 400 and "q" in too_long.json()["error"]["fields"]


def test_create(api_for: Any, db: Any) -> None:
    body = {
        "full_name": "Đinh Văn Mới",
        "id_number": "066 200 000 111",
        "birth_date": "2000-05-01",
        "sex": "male",
        "module": MODULE_ENFORCEMENT,
        "unit_code": "24118",
    }
    assert api_for("xa.tanlap").post("/api/v1/persons", body, format="json").status_code == 403
    assert api_for("admin").post("/api/v1/persons", body, format="json").status_code == 403
    created = api_for("congan").post("/api/v1/persons", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["full_name"] == "Đinh Văn Mới" and data["id_number"] == "066200000111"
    assert data["birth_year"] == 2000
    person = Person.objects.get(pk=data["id"])
    assert Involvement.objects.filter(person=person, source=f"manual:{person.pk}").exists()
    bad = api_for("congan").post("/api/v1/persons", {**body, "id_number": "1234"}, format="json")
    assert bad.status_code == 400 and "id_number" in bad.json()["error"]["fields"]
    wrong_module = api_for("congan").post(
        "/api/v1/persons", {**body, "module": "support"}, format="json"
    )
    assert wrong_module.status_code == 400
    assert "module" in wrong_module.json()["error"]["message_en"]


def test_patch_with_version(api_for: Any, person: Person) -> None:
    police = api_for("congan")
    url = f"/api/v1/persons/{person.pk}"
    assert police.patch(url, {"phone": "0912 111 222"}, format="json").status_code == 400
    done = police.patch(url, {"phone": "0912 111 222", "version": person.version}, format="json")
    assert done.status_code == 200 and done.json()["phone"] == "0912 111 222"
    stale = police.patch(url, {"phone": "0912 333 444", "version": person.version}, format="json")
    assert stale.status_code == 409
    refused = api_for("xa.tanlap").patch(
        url, {"phone": "1", "version": person.version + 1}, format="json"
    )
    assert refused.status_code == 403
    person.refresh_from_db()
    assert person.phone == "0912 111 222"
    blank = police.patch(url, {"full_name": None, "version": person.version}, format="json")
    assert blank.status_code == 400
