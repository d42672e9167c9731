"""Defects an outside walk of the case files found: a minor's identity through the person
pages, unmasking a minor by moving the detection date, stage owners' rights over persons,
dates outside the case's timeline, a case without an offence."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.cases import actions
from pcmd.cases.models import Case, Decision, Offence
from pcmd.people.models import AccessLog, Person

from .conftest import D, commune

MINOR = "Em Gái Bảo Vệ Thử"


@pytest.fixture
def minor_case(case: Case, police: Any) -> tuple[Case, Person]:
    party = actions.add_party(
        police,
        case,
        values={"full_name": MINOR, "birth_date": D(2001, 7, 3), "sex": "female"},
        role="seller",
        standing="victim",
    )
    return case, Person.objects.get(pk=party.person_id)


def test_a_minor_is_protected_in_the_person_layer(
    minor_case: tuple[Case, Person], client_for: Any
) -> None:
    case, person = minor_case
    assert person.protected
    for name in ("congan", "vks", "toaan"):
        client = client_for(name)
        page = client.get(f"/people/{person.pk}/").content.decode()
        assert MINOR not in page and 'id="protected"' in page, name
        found = client.get("/people/", {"q": MINOR}).content.decode()
        assert found.count(MINOR) == 1, name  # only the search box, typed by the reader
        assert person.code in found, name
        api = client.get(f"/api/v1/persons/{person.pk}").content.decode()
        assert MINOR not in api, name
        assert client.get(f"/people/{person.pk}/edit/").status_code == 403
        # a short reason is not enough; a real one shows the identity and is logged
        short = client.post(f"/people/{person.pk}/", {"why": "xem"}).content.decode()
        assert MINOR not in short
        why = "Lấy lời khai bị hại theo lệnh của điều tra viên"
        shown = client.post(f"/people/{person.pk}/", {"why": why}).content.decode()
        assert MINOR in shown, name
        assert AccessLog.objects.filter(person=person, purpose=why, user__username=name).exists()
    # the administrator never sees it, reason or not
    admin = client_for("admin")
    page = admin.post(f"/people/{person.pk}/", {"why": "Kiểm tra hệ thống định kỳ"})
    assert MINOR not in page.content.decode()


def test_the_detection_date_is_locked_once_a_decision_was_taken(
    minor_case: tuple[Case, Person], police: Any
) -> None:
    case, person = minor_case
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        actions.update_case(
            police, case, version=case.version, values={"detected_on": D(2025, 1, 1)}
        )
    assert "detected_on" in err.value.message_dict
    assert case.parties.get(person=person).is_minor


def test_dates_before_2000_and_persons_born_after_the_case_are_refused(
    police: Any, case: Case
) -> None:
    with pytest.raises(ValidationError) as err:
        actions.create_case(
            police,
            values={
                "title": "Ngày sai",
                "commune": commune("24118"),
                "detected_on": D(1900, 1, 1),
                "detected_by": case.detected_by,
            },
        )
    assert "detected_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        actions.add_party(
            police,
            case,
            values={"full_name": "Sinh Sau Vụ Án", "birth_year": 2025},
            role="buyer",
            standing="suspect",
        )
    assert "birth_year" in err.value.message_dict


def test_a_case_is_opened_for_an_offence_and_keeps_one(police: Any, case: Case) -> None:
    bare = actions.create_case(
        police,
        values={
            "title": "Tin báo chưa rõ tội danh",
            "commune": commune("24118"),
            "detected_on": D(2018, 4, 1),
            "detected_by": case.detected_by,
        },
    )
    with pytest.raises(ValidationError):
        actions.decide(police, bare, decision=Decision.OPEN, on=D(2018, 4, 5))
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        actions.update_case(police, case, version=case.version, values={}, links={"offences": []})
    assert "offences" in err.value.message_dict
    assert case.offences.filter(pk=Offence.objects.get(code="327.1").pk).exists()


def test_persons_change_only_with_the_owner_of_the_current_stage(
    case: Case, police: Any, persona: Any
) -> None:
    vks, court = persona("vks"), persona("toaan")
    party = actions.add_party(
        police,
        case,
        values={"full_name": "Chủ Chứa Giai Đoạn", "birth_year": 1970},
        role="owner",
        standing="suspect",
    )
    for other in (vks, court):
        with pytest.raises(PermissionDenied):
            actions.change_party(other, party, role="pimp")
    with pytest.raises(ValidationError):  # no sentence before the trial
        actions.change_party(court, party, sentence="01 năm tù", prison_months=12)
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the procuracy's stage now
        actions.change_party(police, party, role="broker")
    with pytest.raises(ValidationError):  # the police no longer add persons
        actions.add_party(
            police, case, values={"full_name": "Người Mới Thêm"}, role="broker", standing="suspect"
        )
    actions.change_party(vks, party, role="broker")
    assert party.role == "broker"


def test_a_hearing_cannot_precede_the_decision_to_bring_to_trial(
    case: Case, police: Any, persona: Any
) -> None:
    court = persona("toaan")
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    actions.decide(persona("vks"), case, decision=Decision.INDICT, on=D(2018, 5, 15))
    actions.decide(court, case, decision=Decision.BRING_TO_TRIAL, on=D(2018, 6, 1))
    with pytest.raises(ValidationError) as err:
        actions.record_trial(
            court,
            case,
            values={
                "court": court.active_assignments[0].agency,
                "held_on": D(2018, 1, 1),
                "venue": "Trụ sở",
            },
        )
    assert "held_on" in err.value.message_dict
