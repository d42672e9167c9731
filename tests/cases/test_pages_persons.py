"""Persons on the case and ring pages: adults' identities to police, procuracy and court (with
a read log row), never to the administrator; a minor's identity never on a case or ring page,
only on the person's own page; the seller rule on its field; the trial rules for minors."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.cases import actions
from pcmd.cases.models import Case, CaseParty, Decision, Ring, Stage
from pcmd.people.models import AccessLog, Person

from .conftest import D, commune

ADULT = "Lê Văn Chủ Chứa"
MINOR = "Trần Thị Nhỏ Tuổi"


@pytest.fixture
def named(case: Case, police: Any) -> tuple[Person, Person]:
    adult = actions.add_party(
        police,
        case,
        role="owner",
        standing="suspect",
        values={"full_name": ADULT, "sex": "male", "birth_year": 1975},
    ).person
    minor = actions.add_party(
        police,
        case,
        role="seller",
        standing="victim",
        values={"full_name": MINOR, "sex": "female", "birth_year": 2003},
    ).person
    return adult, minor


@pytest.fixture
def ring(case: Case, police: Any, named: tuple[Person, Person]) -> Ring:
    ring = actions.create_ring(
        police,
        values={
            "name": "Đường dây karaoke Tân Lập",
            "unit": case.commune.parent,
            "detected_on": D(2018, 2, 1),
        },
    )
    adult, minor = named
    actions.add_member(police, ring, role="owner", person=adult)
    actions.add_member(police, ring, role="other", person=minor)
    actions.update_case(police, case, version=None, values={"ring": ring})
    return ring


@pytest.mark.parametrize("username", ["congan", "vks", "toaan"])
def test_adult_named_for_case_readers_minor_never(
    client_for: Any, persona: Any, case: Case, named: tuple[Person, Person], username: str
) -> None:
    adult, minor = named
    before = AccessLog.objects.filter(user=persona(username), person=adult).count()
    html = client_for(username).get(f"/cases/{case.pk}/").content.decode()
    assert ADULT in html
    assert MINOR not in html
    assert minor.code in html
    assert "under 18" in html or "dưới 18" in html
    assert AccessLog.objects.filter(user=persona(username), person=adult).count() == before + 1
    assert not AccessLog.objects.filter(
        user=persona(username), person=minor, path=f"/cases/{case.pk}/"
    ).exists()


def test_admin_sees_codes_only(client_for: Any, case: Case, named: tuple[Person, Person]) -> None:
    adult, minor = named
    html = client_for("admin").get(f"/cases/{case.pk}/").content.decode()
    assert ADULT not in html and MINOR not in html
    assert adult.code in html and minor.code in html


@pytest.mark.parametrize("username", ["congan", "vks", "toaan", "admin"])
def test_ring_page_never_names_a_minor_member(
    client_for: Any, ring: Ring, named: tuple[Person, Person], username: str
) -> None:
    adult, minor = named
    html = client_for(username).get(f"/cases/rings/{ring.pk}/").content.decode()
    assert MINOR not in html
    assert minor.code in html
    assert (ADULT in html) == (username != "admin")
    assert "Tân Lập" in html  # the communes it spans


def test_minor_identity_shown_on_the_persons_own_page_with_a_reason(
    client_for: Any, named: tuple[Person, Person]
) -> None:
    _adult, minor = named
    police = client_for("congan")
    assert MINOR not in police.get(f"/people/{minor.pk}/").content.decode()  # a reason first
    why = {"why": "Lấy lời khai của bị hại theo kế hoạch điều tra"}
    assert MINOR in police.post(f"/people/{minor.pk}/", why).content.decode()
    response = client_for("admin").post(f"/people/{minor.pk}/", why)
    assert MINOR not in response.content.decode()


def test_ring_list_and_status(client_for: Any, ring: Ring, case: Case, police: Any) -> None:
    client = client_for("congan")
    html = client.get("/cases/rings/").content.decode()
    assert ring.code in html and "not handled" in html or "chưa xử lý" in html
    actions.decide(police, case, decision=Decision.NOT_OPEN, on=D(2018, 3, 9), reason="Không đủ")
    assert actions.ring_is_handled(ring)
    page = client.get(f"/cases/rings/{ring.pk}/")
    assert page.context["handled"]


def test_add_a_new_person_and_the_seller_rule_on_its_field(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    url = f"/cases/{case.pk}/persons/add/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "new",
            "full_name": "Phạm Thị Bán",
            "sex": "female",
            "birth_year": 1995,
            "role": "seller",
            "standing": "suspect",
        },
    )
    assert response.status_code == 400
    assert response.context["new_form"].errors["standing"]
    assert not case.parties.exists()
    response = client.post(
        url,
        {
            "action": "new",
            "full_name": "Phạm Thị Bán",
            "sex": "female",
            "birth_year": 1995,
            "role": "seller",
            "standing": "victim",
        },
    )
    assert response.status_code == 302
    assert case.parties.get().standing == "victim"


def test_find_an_existing_person_and_name_them(
    client_for: Any, case: Case, named: tuple[Person, Person], police: Any
) -> None:
    adult, _minor = named
    other = actions.create_case(
        police,
        values={
            "title": "Môi giới",
            "commune": commune("24118"),
            "detected_on": D(2019, 1, 5),
            "detected_by": case.detected_by,
        },
    )
    client = client_for("congan")
    found = client.get(f"/cases/{other.pk}/persons/add/", {"q": f"{ADULT} 1975"})
    assert adult in found.context["found"]
    response = client.post(
        f"/cases/{other.pk}/persons/add/",
        {"action": "pick", "person": adult.pk, "role": "broker", "standing": "suspect"},
    )
    assert response.status_code == 302
    assert other.parties.get().person == adult


def test_persons_pages_refused_to_others(
    client_for: Any, case: Case, named: tuple[Person, Person]
) -> None:
    party = case.parties.first()
    assert party is not None
    for username in ("vks", "toaan", "admin"):
        client = client_for(username)
        assert client.get(f"/cases/{case.pk}/persons/add/").status_code == 403
        remove = f"/cases/{case.pk}/persons/{party.pk}/remove/"
        assert client.post(remove, {"reason": "x"}).status_code == 403
    assert (
        client_for("admin")
        .post(f"/cases/{case.pk}/persons/{party.pk}/", {"role": "broker", "standing": "suspect"})
        .status_code
        == 403
    )
    # the sentence is the court's
    assert (
        client_for("congan")
        .post(f"/cases/{case.pk}/persons/{party.pk}/", {"sentence": "5 năm tù"})
        .status_code
        == 403
    )


def test_change_standing_refuses_prosecuting_a_seller_with_400(
    client_for: Any, case: Case, named: tuple[Person, Person]
) -> None:
    seller = case.parties.get(role="seller")
    response = client_for("congan").post(
        f"/cases/{case.pk}/persons/{seller.pk}/", {"role": "seller", "standing": "accused"}
    )
    assert response.status_code == 400
    assert "never" in response.content.decode() or "không bao giờ" in response.content.decode()
    assert CaseParty.objects.get(pk=seller.pk).standing == "victim"


def test_remove_a_person_with_a_reason(
    client_for: Any, case: Case, named: tuple[Person, Person]
) -> None:
    adult_party = case.parties.get(role="owner")
    client = client_for("congan")
    client.post(f"/cases/{case.pk}/persons/{adult_party.pk}/remove/", {"reason": ""})
    assert case.parties.filter(pk=adult_party.pk).exists()
    client.post(f"/cases/{case.pk}/persons/{adult_party.pk}/remove/", {"reason": "Nhầm người"})
    assert not case.parties.filter(pk=adult_party.pk).exists()


def _to_trial(case: Case, police: Any, persona: Any) -> None:
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 10))
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    actions.decide(persona("vks"), case, decision=Decision.INDICT, on=D(2018, 5, 15))
    actions.decide(persona("toaan"), case, decision=Decision.BRING_TO_TRIAL, on=D(2018, 6, 1))


def test_trial_form_for_the_court_and_the_minor_rules_on_their_fields(
    client_for: Any, case: Case, named: tuple[Person, Person], police: Any, persona: Any
) -> None:
    from pcmd.agencies.models import Agency

    assert (
        f'action="/cases/{case.pk}/trial/"'
        not in client_for("toaan").get(f"/cases/{case.pk}/").content.decode()
    )
    _to_trial(case, police, persona)
    court = Agency.objects.filter(kind="court").first()
    assert court is not None
    client = client_for("toaan")
    assert f'action="/cases/{case.pk}/trial/"' in client.get(f"/cases/{case.pk}/").content.decode()
    data = {
        "court": court.pk,
        "held_on": "10/06/2018",
        "venue": "Hội trường UBND xã",
        "is_mobile": "on",
        "location": commune("24118").pk,
        "audience": 200,
    }
    response = client.post(f"/cases/{case.pk}/trial/", data)
    assert response.status_code == 400
    errors = response.context["trial_form"].errors
    assert "is_mobile" in errors and "is_closed" in errors
    assert client_for("vks").post(f"/cases/{case.pk}/trial/", data).status_code == 403
    del data["is_mobile"]
    data.update(is_closed="on", judgment_number="12/2018/HS-ST", judgment_on="10/06/2018")
    assert client.post(f"/cases/{case.pk}/trial/", data).status_code == 302
    response = client.post(
        f"/cases/{case.pk}/decide/", {"decision": "judgment", "on": "10/06/2018"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ENFORCEMENT and case.outcome == Decision.JUDGMENT
    assert case.handled_on == D(2018, 5, 15)  # handled from the indictment on
    party = case.parties.get(role="owner")
    response = client.post(
        f"/cases/{case.pk}/persons/{party.pk}/", {"sentence": "5 năm tù", "prison_months": 60}
    )
    assert response.status_code == 302
    assert CaseParty.objects.get(pk=party.pk).prison_months == 60


def test_stale_trial_is_409(
    client_for: Any, case: Case, named: tuple[Person, Person], police: Any, persona: Any
) -> None:
    from pcmd.agencies.models import Agency

    _to_trial(case, police, persona)
    court = Agency.objects.filter(kind="court").first()
    assert court is not None
    client = client_for("toaan")
    data = {"court": court.pk, "held_on": "10/06/2018", "venue": "TAND", "is_closed": "on"}
    assert client.post(f"/cases/{case.pk}/trial/", data).status_code == 302
    version = case.trial.version
    assert client.post(f"/cases/{case.pk}/trial/", {**data, "version": version}).status_code == 302
    response = client.post(f"/cases/{case.pk}/trial/", {**data, "version": version})
    assert response.status_code == 409


def test_search_on_the_add_page_never_names_a_minor(
    client_for: Any, case: Case, named: tuple[Person, Person]
) -> None:
    _adult, minor = named
    response = client_for("congan").get(f"/cases/{case.pk}/persons/add/", {"q": f"{MINOR} 2003"})
    assert minor in response.context["found"]
    results = response.content.decode().split('id="found"', 1)[1]  # the query box echoes it
    assert minor.code in results and MINOR not in results


@pytest.mark.parametrize(
    ("language", "mobile", "closed"),
    [
        ("vi", "không được xét xử lưu động", "phải xét xử kín"),
        ("en", "cannot be tried as a mobile trial", "the hearing must be closed"),
    ],
)
def test_trial_refusals_on_their_fields_in_both_languages(
    client_for: Any,
    case: Case,
    named: tuple[Person, Person],
    police: Any,
    persona: Any,
    language: str,
    mobile: str,
    closed: str,
) -> None:
    from pcmd.agencies.models import Agency

    _to_trial(case, police, persona)
    court = Agency.objects.filter(kind="court").first()
    assert court is not None
    client = client_for("toaan")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.post(
        f"/cases/{case.pk}/trial/",
        {
            "court": court.pk,
            "held_on": "10/06/2018",
            "venue": "Nhà văn hóa",
            "is_mobile": "on",
            "location": commune("24118").pk,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field, text in (("is_mobile", mobile), ("is_closed", closed)):
        assert text in html
        block = html.split(f'id="id_{field}"', 1)[1].split('class="field', 1)[0]
        assert text in block, field  # the message sits with its field
