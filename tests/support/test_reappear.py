"""The reappearance record (issue 13, item 5): a supported person named on a new sanction or
criminal case is recorded for the case's worker and supervisor only, with the register and
the date, nothing more."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from pcmd.accounts.models import User
from pcmd.agencies.models import Agency
from pcmd.cases import actions as case_actions
from pcmd.cases.models import Case, Offence
from pcmd.enforcement import actions as enforcement_actions
from pcmd.enforcement import persons
from pcmd.enforcement.models import PersonRole, Sanction, SanctionForm, SubjectKind, ViolationType
from pcmd.geo.models import Unit
from pcmd.people import actions as people_actions
from pcmd.people.models import Person
from pcmd.support import cases, reappear
from pcmd.support.models import Reappearance, SupportCase

D = datetime.date
pytestmark = pytest.mark.django_db


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


@pytest.fixture
def worker(persona: Any) -> User:
    return persona("ctxh.bmt")


@pytest.fixture
def person(worker: User) -> Person:
    return people_actions.create_person(
        worker,
        unit=_unit("643"),
        values={"full_name": "Người Xuất Hiện Lại", "birth_year": 1994, "sex": "female"},
    )


@pytest.fixture
def case(worker: User, person: Person) -> SupportCase:
    return cases.open_case(
        worker,
        person=person,
        unit=_unit("643"),
        origin="outreach",
        worker=worker,
        opened_on=D(2018, 3, 1),
    )


MAY_2 = D(2018, 5, 2)


def _sanction(on: datetime.date = MAY_2) -> Sanction:
    vtype = ViolationType.objects.get(code="nd167-d23-k1-ban-dam")
    violation = enforcement_actions.record_violation(
        actor=None,
        violation_type=vtype,
        date=on,
        subject_kind=SubjectKind.INDIVIDUAL,
        people_count=1,
        commune=Unit.objects.get(code="24118", valid_from=None, level=3),
    )
    low, _high = vtype.allowed_fine_range(SubjectKind.INDIVIDUAL)
    return enforcement_actions.record_sanction(
        actor=None,
        violation=violation,
        number=f"{Sanction.objects.count() + 1}/QĐ-XPHC",
        date=on + datetime.timedelta(days=3),
        authority="Chủ tịch UBND phường Tân Lập",
        form=SanctionForm.FINE,
        amount=low,
    )


def _criminal_case(police: User) -> Case:
    return case_actions.create_case(
        police,
        values={
            "title": "Chứa mại dâm tại quán karaoke",
            "commune": Unit.objects.get(code="24118", valid_from=None, level=3),
            "detected_on": D(2018, 6, 9),
            "detected_by": Agency.objects.get(code="CONG_AN_TINH"),
            "origin": "inspection",
        },
        links={"offences": Offence.objects.filter(code="327.1")},
    )


def test_naming_on_a_sanction_records_a_reappearance(case: SupportCase, person: Person) -> None:
    persons.name_person(actor=None, sanction=_sanction(), role=PersonRole.SELLING, person=person)
    row = Reappearance.objects.get(case=case)
    assert row.module == "enforcement" and row.on == D(2018, 5, 5) and row.seen_at is None
    with translation.override("vi"):
        assert reappear.text(row) == "xuất hiện lại trong hồ sơ xử phạt ngày 05/05/2018"
    with translation.override("en"):
        assert reappear.text(row) == (
            "appeared again in an administrative sanction record on 05/05/2018"
        )


def test_a_party_in_a_criminal_case_records_a_reappearance(
    case: SupportCase, person: Person, persona: Any
) -> None:
    police = persona("congan")
    # the police do not know the person from the support case: the system names them here
    case_actions.add_party(
        None, _criminal_case(police), role="seller", standing="victim", person=person
    )
    row = Reappearance.objects.get(case=case)
    assert row.module == "cases" and row.on == D(2018, 6, 9)


def test_only_followed_cases_hear_of_it(case: SupportCase, person: Person, worker: User) -> None:
    # long closed: no row; another person: no row
    cases.close_case(worker, case, outcome="stable_job", on=D(2018, 4, 1))
    SupportCase.objects.filter(pk=case.pk).update(
        closed_on=datetime.date.today() - datetime.timedelta(days=400)
    )
    persons.name_person(actor=None, sanction=_sanction(), role=PersonRole.SELLING, person=person)
    assert not Reappearance.objects.exists()
    # closed within the year: a row
    SupportCase.objects.filter(pk=case.pk).update(
        closed_on=datetime.date.today() - datetime.timedelta(days=30)
    )
    persons.name_person(
        actor=None, sanction=_sanction(D(2018, 7, 1)), role=PersonRole.SELLING, person=person
    )
    assert Reappearance.objects.filter(case=case).count() == 1


def test_shown_to_the_worker_and_supervisor_only(
    case: SupportCase, person: Person, worker: User, persona: Any, client_for: Any
) -> None:
    persons.name_person(actor=None, sanction=_sanction(), role=PersonRole.SELLING, person=person)
    row = Reappearance.objects.get(case=case)
    assert list(reappear.reappearances_for(worker)) == [row]
    for name in ("thuongtruc", "congan", "admin", "huyen.bmt"):
        assert list(reappear.reappearances_for(persona(name))) == [], name
        assert reappear.for_case(persona(name), case) == [], name
    # the case page include: the sentence for the worker, nothing for the standing office
    template = Template('{% include "support/receive/_reappear.html" %}')
    request = RequestFactory().get("/support/cases/1/")
    with translation.override("en"):
        shown = template.render(Context({"case": case, "user": worker, "request": request}))
    assert "05/05/2018" in shown and "Mark as seen" in shown
    assert "QĐ-XPHC" not in shown and "Tân Lập" not in shown
    hidden = template.render(
        Context({"case": case, "user": persona("thuongtruc"), "request": request})
    )
    assert "05/05/2018" not in hidden and 'id="reappearances"' not in hidden
    # mark as seen: the worker only
    url = reverse("support:reappearance_seen", args=[row.pk])
    assert client_for("thuongtruc").post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        reappear.mark_seen(persona("congan"), row)
    assert client_for("ctxh.bmt").post(url, {"next": "/support/"}).status_code == 302
    row.refresh_from_db()
    assert row.seen_at is not None and row.seen_by == worker
    assert list(reappear.reappearances_for(worker)) == []


def test_a_merge_with_a_police_record_of_the_same_person_is_a_reappearance(
    case: SupportCase, person: Person, persona: Any
) -> None:
    """The police do not see the support record, so they create their own; once the two are
    merged, the sanction reaches the case worker (and undoing the merge takes it back)."""
    named = persons.name_person(
        actor=persona("congan"),
        sanction=_sanction(),
        role=PersonRole.SELLING,
        values={"full_name": "Người Xuất Hiện Lại", "birth_year": 1994},
    )
    assert named.person != person and not Reappearance.objects.exists()
    record = people_actions.merge(None, kept=person, merged=named.person, reason="Cùng CCCD")
    row = Reappearance.objects.get(case=case)
    assert row.module == "enforcement" and row.on == D(2018, 5, 5)
    people_actions.undo_merge(None, record)
    assert not Reappearance.objects.exists()


def test_support_and_unwatched_involvements_are_no_reappearance(
    case: SupportCase, person: Person, persona: Any, worker: User
) -> None:
    people_actions.involve(
        worker, person, module="support", unit=_unit("643"), source="support_case:999"
    )
    assert not Reappearance.objects.exists()
    # the supervisor reads it too
    case.supervisor = persona("huyen.bmt")
    case.save(update_fields=["supervisor"])
    persons.name_person(actor=None, sanction=_sanction(), role=PersonRole.SELLING, person=person)
    assert reappear.reappearances_for(persona("huyen.bmt")).count() == 1
