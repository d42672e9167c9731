"""Which persona reaches which page and API endpoint (DESIGN.md §7.8)."""

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.models import User
from pcmd.accounts.roles import IDENTITY_MODULES, IDENTITY_ROLES
from pcmd.plans.models import Plan
from tests.conftest import PERSONA_NAMES, assert_reach

pytestmark = pytest.mark.django_db

EVERYONE = PERSONA_NAMES
ADMINS = ["admin"]
# Who records a person by hand: the roles shown identities in some module (pcmd.accounts.roles)
RECORDERS = [
    p.username for p in PERSONAS if p.role in IDENTITY_ROLES and IDENTITY_MODULES.get(p.role)
]
assert {"thuongtruc", "congan", "ctxh.bmt", "vks", "toaan"} == set(RECORDERS)


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("/", EVERYONE),
        ("/plans/", EVERYONE),
        ("/units/", EVERYONE),
        ("/agencies/", EVERYONE),
        ("/users/", ADMINS),
        ("/users/new/", ADMINS),
        ("/audit/", ADMINS),
    ],
)
def test_pages(client_for, url_name, allowed) -> None:
    assert_reach(client_for, url_name, allowed)


def test_plan_page_for_everyone_in_the_province(client_for) -> None:
    plan = Plan.objects.get(number="1842/KH-UBND")
    assert_reach(client_for, f"/plans/{plan.pk}/", EVERYONE)


def test_user_edit_page_is_admin_only(client_for) -> None:
    target = User.objects.get(username="xa.easo")
    assert_reach(client_for, f"/users/{target.pk}/", ADMINS)


def test_anonymous_is_sent_to_login(client) -> None:
    for url in ["/", "/plans/", "/units/", "/agencies/", "/users/", "/audit/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_user_from_another_province_does_not_see_the_plan(client_for, persona) -> None:
    from pcmd.accounts import actions
    from pcmd.geo.loader import load_provinces
    from pcmd.geo.models import Unit

    load_provinces(["Kon Tum"])
    outsider = actions.create_user(
        actor=None, username="kontum", password="x" * 12, check_password=False
    )
    actions.add_assignment(
        outsider,
        actor=None,
        role="standing_office",
        unit=Unit.objects.get(code="62", valid_from=None),
    )
    plan = Plan.objects.get(number="1842/KH-UBND")
    client = client_for("kontum")
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    assert plan.number not in client.get("/plans/").content.decode()
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/plans/{plan.pk}").status_code == 404
    # only the national programmes (no province) remain, which every reader of plans sees
    listed = api.get("/api/v1/plans").json()["results"]
    assert listed and all(p["unit_code"] is None for p in listed)


@pytest.mark.parametrize("username", PERSONA_NAMES)
def test_api_reference_data_for_every_persona(username, persona) -> None:
    api = APIClient()
    api.force_authenticate(persona(username))
    for url in ["/api/v1/units?province=66&on=2018-01-01", "/api/v1/agencies", "/api/v1/plans"]:
        assert api.get(url).status_code == 200, (username, url)
    plan = Plan.objects.get(number="1842/KH-UBND")
    assert api.get(f"/api/v1/plans/{plan.pk}").status_code == 200


@pytest.mark.parametrize("username", [n for n in PERSONA_NAMES if n not in ADMINS])
def test_non_admins_cannot_write_users(username, client_for) -> None:
    target = User.objects.get(username="xa.easo")
    client = client_for(username)
    assert (
        client.post("/users/new/", {"username": "intruder", "password": "x" * 12}).status_code
        == 403
    )
    assert (
        client.post(
            f"/users/{target.pk}/roles/", {"a-role": "administrator", "a-unit_code": "66"}
        ).status_code
        == 403
    )
    assert not User.objects.filter(username="intruder").exists()
    assert not target.assignments.filter(role="administrator").exists()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/api/v1/me", EVERYONE),
        ("/api/v1/users", ADMINS),
        ("/api/v1/audit", ADMINS),
    ],
)
def test_api_matrix(url, allowed, persona) -> None:
    for username in PERSONA_NAMES:
        api = APIClient()
        api.force_authenticate(persona(username))
        status = api.get(url).status_code
        assert status == (200 if username in allowed else 403), (username, url, status)


def test_me_shows_own_scope_only(persona) -> None:
    api = APIClient()
    api.force_authenticate(persona("xa.tanlap"))
    body = api.get("/api/v1/me").json()
    assert body["username"] == "xa.tanlap"
    assert [(a["role"], a["unit_code"]) for a in body["assignments"]] == [
        ("commune_officer", "24118")
    ]


# --- persons: the identity rule (issue 11) --------------------------------------------------

# A person sanctioned in Tân Lập: who sees the identity ("identity"), the code only ("code"),
# or nothing (None: 404). The data protection officer and the administrator read the trail,
# not the identity; the social worker knows support people only.
PERSON_SEES = {
    "admin": "code",
    "thuongtruc": "code",
    "lanhdao": "code",
    "congan": "identity",
    "doi178": "code",
    "sovhttdl": None,
    "huyen.bmt": "code",
    "ctxh.bmt": None,
    "xa.tanlap": "code",
    "xa.easo": None,
    "baovedl": "code",
    # the procuracy and the court read sanctions (codes); identities only in their cases
    "vks": "code",
    "toaan": "code",
}
READS_SECTION = {"admin", "baovedl"}


def _person_matrix(person, sees, persona, client_for) -> list[str]:
    from pcmd.people.models import AccessLog
    from tests.people.builders import ID_NUMBER, NAME

    wrong = []
    for name in PERSONA_NAMES:
        expected = sees[name]
        before = AccessLog.objects.filter(person=person).count()
        page = client_for(name).get(f"/people/{person.pk}/")
        api = APIClient()
        api.force_authenticate(persona(name))
        body = api.get(f"/api/v1/persons/{person.pk}")
        logged = AccessLog.objects.filter(person=person).count() - before
        html = page.content.decode()
        if expected is None:
            if page.status_code != 404 or body.status_code not in (403, 404):
                wrong.append(f"{name}: {page.status_code}/{body.status_code}, expected 404")
            continue
        shown = NAME in html and ID_NUMBER in html
        api_shown = body.json().get("full_name") == NAME
        if page.status_code != 200 or body.status_code != 200 or person.code not in html:
            wrong.append(f"{name}: {page.status_code}/{body.status_code}")
        if shown != (expected == "identity") or api_shown != shown:
            wrong.append(f"{name}: identity {'shown' if shown else 'hidden'} on page/API")
        if logged != (2 if expected == "identity" else 0):  # one row per showing
            wrong.append(f"{name}: {logged} access-log rows")
        if ('id="reads"' in html) != (name in READS_SECTION):
            wrong.append(f"{name}: read log section")
    return wrong


def test_person_identity_matrix(persona, client_for) -> None:
    from tests.people.builders import new_person

    person = new_person()
    assert _person_matrix(person, PERSON_SEES, persona, client_for) == []


def test_person_identity_matrix_after_a_support_referral(persona, client_for) -> None:
    from pcmd.accounts.roles import MODULE_SUPPORT
    from pcmd.people import actions
    from tests.people.builders import TAN_LAP, commune, new_person

    person = new_person()
    actions.involve(None, person, module=MODULE_SUPPORT, unit=commune(TAN_LAP), source="referral:1")
    sees = {**PERSON_SEES, "ctxh.bmt": "identity", "thuongtruc": "identity"}
    wrong = _person_matrix(person, sees, persona, client_for)
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (
            "/people/",
            ["admin", "thuongtruc", "lanhdao", "congan", "doi178", "huyen.bmt", "ctxh.bmt"]
            + ["xa.tanlap", "xa.easo", "baovedl", "vks", "toaan"],
        ),
        ("/people/new/", RECORDERS),
        ("/people/merges/", ADMINS),
    ],
)
def test_person_pages(client_for, url, allowed) -> None:
    assert_reach(client_for, url, allowed)


def test_persons_api_matrix(persona) -> None:
    knowing = set(PERSON_SEES) - {"sovhttdl"}
    for username in PERSONA_NAMES:
        api = APIClient()
        api.force_authenticate(persona(username))
        status = api.get("/api/v1/persons").status_code
        assert status == (200 if username in knowing else 403), (username, status)


def test_person_identity_matrix_in_a_criminal_case(persona, client_for) -> None:
    """A person named only in a criminal case: the police, the procuracy and the court see
    the identity; the administrator (who reads case files) the code, and so do the officers
    who answer data-subject requests (data protection officer, standing office); the others,
    who read no case file, do not know the person exists."""
    from pcmd.accounts.roles import MODULE_CASES
    from tests.people.builders import new_person

    person = new_person(module=MODULE_CASES, source="case:1")
    sees = {name: None for name in PERSON_SEES}
    sees |= {"congan": "identity", "vks": "identity", "toaan": "identity"}
    sees |= {"admin": "code", "baovedl": "code", "thuongtruc": "code"}
    wrong = _person_matrix(person, sees, persona, client_for)
    assert wrong == [], "\n".join(wrong)
