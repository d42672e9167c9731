"""The person pages: find, a person's page (identity or code), who read it, a user's reads,
new (with possible duplicates) and edit, merge and its undoing (issue 11, items 1–4)."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.accounts.models import User
from pcmd.accounts.roles import MODULE_ENFORCEMENT, MODULE_SUPPORT
from pcmd.people.models import AccessLog, Involvement, Person, PersonMerge
from tests.people.builders import ID_NUMBER, NAME, commune, new_person

NOTE_VI = "Bạn không có quyền xem thông tin nhân thân"


@pytest.fixture
def person(db: Any) -> Person:
    return new_person()


def reads(person: Person) -> int:
    return AccessLog.objects.filter(person=person).count()


def test_police_see_the_identity_and_the_read_is_logged(client_for: Any, person: Person) -> None:
    response = client_for("congan").get(f"/people/{person.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert NAME in page and ID_NUMBER in page and person.code in page
    assert NOTE_VI not in page
    row = AccessLog.objects.get(person=person)
    assert row.user.username == "congan" and row.surface == "page"
    assert row.path == f"/people/{person.pk}/"


def test_commune_officer_sees_the_code_only_and_nothing_is_logged(
    client_for: Any, person: Person
) -> None:
    response = client_for("xa.tanlap").get(f"/people/{person.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and person.code in page
    assert NAME not in page and ID_NUMBER not in page
    assert NOTE_VI in page
    assert reads(person) == 0


def test_unknown_record_is_a_404(client_for: Any, person: Person) -> None:
    assert client_for("xa.easo").get(f"/people/{person.pk}/").status_code == 404
    assert client_for("xa.easo").get(f"/people/{person.pk}/edit/").status_code == 404


def test_search_shows_names_only_where_revealed(client_for: Any, person: Person) -> None:
    police = client_for("congan").get("/people/", {"q": "hoang thi lan thu 1990"})
    assert NAME in police.content.decode()
    assert AccessLog.objects.filter(person=person, surface="search").count() == 1
    commune_page = client_for("xa.tanlap").get("/people/", {"q": ID_NUMBER}).content.decode()
    assert person.code in commune_page and NAME not in commune_page
    assert AccessLog.objects.filter(person=person).count() == 1
    outsider = client_for("xa.easo").get("/people/", {"q": ID_NUMBER}).content.decode()
    assert person.code not in outsider


def test_list_shows_codes_only(client_for: Any, person: Person) -> None:
    page = client_for("congan").get("/people/").content.decode()
    assert person.code in page and NAME not in page
    assert reads(person) == 0


def test_menu_entry_for_who_may_know_persons(client_for: Any) -> None:
    for name in ("congan", "xa.tanlap", "ctxh.bmt", "thuongtruc", "baovedl", "admin"):
        assert 'href="/people/"' in client_for(name).get("/").content.decode(), name
    for name in ("sovhttdl",):
        assert 'href="/people/"' not in client_for(name).get("/").content.decode(), name
        assert client_for(name).get("/people/").status_code == 403


def test_who_read_section_for_the_access_log_holders(client_for: Any, person: Person) -> None:
    client_for("congan").get(f"/people/{person.pk}/")
    for name in ("admin", "baovedl"):
        response = client_for(name).get(f"/people/{person.pk}/")
        page = response.content.decode()
        assert 'id="reads"' in page and "Cán bộ Công an tỉnh" in page, name
        assert NAME not in page, name  # they read the trail, not the identity
    assert 'id="reads"' not in client_for("congan").get(f"/people/{person.pk}/").content.decode()
    congan = User.objects.get(username="congan")
    filtered = client_for("baovedl").get(
        f"/people/{person.pk}/", {"user": congan.pk, "surface": "api"}
    )
    assert "/people/" not in filtered.content.decode().split('id="reads"')[1].split("</table>")[0]


def test_a_users_reads(client_for: Any, person: Person) -> None:
    congan = User.objects.get(username="congan")
    client_for("congan").get(f"/people/{person.pk}/")
    url = f"/people/reads/user/{congan.pk}/"
    for name in ("admin", "baovedl", "congan"):
        response = client_for(name).get(url)
        assert response.status_code == 200 and person.code in response.content.decode(), name
        assert NAME not in response.content.decode()
    assert client_for("xa.tanlap").get(url).status_code == 403
    assert url in client_for("admin").get(f"/users/{congan.pk}/").content.decode()


def test_new_person_shows_possible_duplicates_then_creates(client_for: Any, person: Person) -> None:
    client = client_for("congan")
    unit = commune("24118")
    data = {
        "module": MODULE_ENFORCEMENT,
        "unit": unit.pk,
        "full_name": "hoàng thị lan thử",
        "birth_year": "1990",
        "sex": "female",
        "nationality": "Việt Nam",
    }
    first = client.post("/people/new/", data)
    page = first.content.decode()
    assert first.status_code == 200 and 'id="candidates"' in page
    assert person.code in page and NAME in page  # congan may see it: shown and logged
    assert Person.objects.count() == 1
    assert AccessLog.objects.filter(person=person, surface="search").count() == 1
    created = client.post("/people/new/", {**data, "confirm_new": "on"})
    assert created.status_code == 302
    new = Person.objects.exclude(pk=person.pk).get()
    assert created["Location"] == f"/people/{new.pk}/"
    inv = Involvement.objects.get(person=new)
    assert (inv.module, inv.unit, inv.source) == (MODULE_ENFORCEMENT, unit, f"manual:{new.pk}")
    assert client.get(f"/people/{new.pk}/").status_code == 200


def test_new_person_duplicates_hide_names_not_revealed(client_for: Any, person: Person) -> None:
    # a social worker finds the same ID number: the candidate is outside her knowledge
    response = client_for("ctxh.bmt").post(
        "/people/new/",
        {
            "module": MODULE_SUPPORT,
            "unit": commune("24118").pk,
            "full_name": "Ai Đó",
            "id_number": ID_NUMBER,
            "sex": "unknown",
        },
    )
    page = response.content.decode()
    assert 'id="candidates"' in page and NAME not in page and person.code not in page


def test_new_person_form_refuses_bad_values(client_for: Any, db: Any) -> None:
    client = client_for("congan")
    response = client.post(
        "/people/new/",
        {
            "module": MODULE_ENFORCEMENT,
            "unit": commune("24118").pk,
            "full_name": "Lê Văn B",
            "id_number": "12345",
            "birth_date": "31/02/1990",
            "sex": "male",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "CCCD" in page and 'id="id_birth_date_error"' in page
    assert not Person.objects.exists()


def test_new_person_outside_ones_modules_is_refused(client_for: Any, db: Any) -> None:
    response = client_for("congan").post(
        "/people/new/",
        {
            "module": MODULE_SUPPORT,
            "unit": commune("24118").pk,
            "full_name": "Lê Văn B",
            "sex": "male",
        },
    )
    assert response.status_code == 400 and not Person.objects.exists()
    assert client_for("xa.tanlap").get("/people/new/").status_code == 403
    assert client_for("admin").get("/people/new/").status_code == 403


def test_edit_with_version_check(client_for: Any, person: Person) -> None:
    client = client_for("congan")
    data = {
        "version": person.version,
        "full_name": NAME,
        "id_number": ID_NUMBER,
        "birth_year": "1990",
        "sex": "female",
        "phone": "0912 000 111",
    }
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    person.refresh_from_db()
    assert person.phone == "0912 000 111"
    stale = client.post(f"/people/{person.pk}/edit/", {**data, "phone": "0912 000 222"})
    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.content.decode() or "lưu" in (
        stale.content.decode()
    )
    person.refresh_from_db()
    assert person.phone == "0912 000 111"
    assert client_for("xa.tanlap").get(f"/people/{person.pk}/edit/").status_code == 403


def test_merge_and_undo_from_the_pages(client_for: Any, person: Person) -> None:
    twin = new_person(name=NAME, id_number="", source="test:2")
    police = client_for("congan")
    refused = client_for("xa.tanlap").post(
        f"/people/{person.pk}/merge/", {"other": twin.code, "reason": "x", "confirm": "on"}
    )
    assert refused.status_code == 403
    no_reason = police.post(f"/people/{person.pk}/merge/", {"other": twin.code, "confirm": "on"})
    assert no_reason.status_code == 400
    done = police.post(
        f"/people/{person.pk}/merge/",
        {"other": twin.code, "reason": "same name and year, same sanction", "confirm": "on"},
    )
    assert done.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == person
    # the merged record redirects to the kept one, with a notice
    followed = police.get(f"/people/{twin.pk}/", follow=True)
    assert followed.redirect_chain[-1][0] == f"/people/{person.pk}/"
    assert twin.code in followed.content.decode()
    # administrators list merges and undo them; others may not
    record = PersonMerge.objects.get()
    assert client_for("congan").get("/people/merges/").status_code == 403
    assert twin.code in client_for("admin").get("/people/merges/").content.decode()
    assert police.post(f"/people/merges/{record.pk}/undo/").status_code == 403
    assert client_for("admin").post(f"/people/merges/{record.pk}/undo/").status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into is None


def test_merge_with_an_unknown_code(client_for: Any, person: Person) -> None:
    response = client_for("congan").post(
        f"/people/{person.pk}/merge/", {"other": "ĐL-1999-999999", "reason": "x", "confirm": "on"}
    )
    assert response.status_code == 400 and "ĐL-1999-999999" in response.content.decode()


def _queries(client: Any, url: str, params: dict[str, str] | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_a_bounded_number_of_queries(client_for: Any, person: Person) -> None:
    """The list, the search, a person's reads and a user's reads: as many queries with
    one person as with several (DESIGN.md §7.10)."""
    police, dpo = client_for("congan"), client_for("baovedl")
    congan = User.objects.get(username="congan")
    urls = [
        (police, "/people/", {"q": "hoang thi lan thu 1990"}),
        (dpo, f"/people/{person.pk}/", None),
        (dpo, f"/people/reads/user/{congan.pk}/", None),
    ]
    police.get(f"/people/{person.pk}/")
    before = [_queries(c, u, p) for c, u, p in urls]
    for n in range(2, 6):
        twin = new_person(id_number=f"06619005432{n}", source=f"test:{n}")
        police.get(f"/people/{twin.pk}/")
        police.get(f"/people/{person.pk}/")
    assert [_queries(c, u, p) for c, u, p in urls] == before


def test_involvements_link_to_the_records_the_user_may_open(
    client_for: Any, person: Person
) -> None:
    from pcmd.people import sources

    Involvement.objects.filter(person=person).update(source="violation:7")
    assert (
        'href="/enforcement/7/"'
        in client_for("congan").get(f"/people/{person.pk}/").content.decode()
    )
    # a record the reader may not open is named in words, never as "violation:7"
    html = client_for("xa.easo").get(f"/people/{person.pk}/")
    assert html.status_code == 404 or "violation:7" not in html.content.decode()
    # every record kind named by a source has a label, and the apps' links resolve
    for kind in ("sanction", "violation", "referral", "manual"):
        assert sources.label(f"{kind}:1") != str(sources.LABELS.get("unknown", "")), kind
    assert sources.link("violation:1") == "/enforcement/1/"
    assert sources.link("nothing:1") is None and sources.link("violation:x") is None
