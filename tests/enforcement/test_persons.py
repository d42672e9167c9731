"""Sanction decisions name the persons sanctioned (issue 11, item 11): the actions, the
legal dates, the count of people, and who sees which name where (pages, API, export)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.core.models import AuditEvent
from pcmd.enforcement import actions, legal, persons
from pcmd.enforcement.models import (
    PersonRole,
    Sanction,
    SanctionedPerson,
    SanctionForm,
    SanctionStatus,
    SubjectKind,
    Violation,
    ViolationType,
)
from pcmd.geo.models import Unit
from pcmd.people.models import AccessLog, Involvement, Person

pytestmark = pytest.mark.django_db

NAME = "Trần Thị Thử Nghiệm"
ID_NUMBER = "066195123456"


def _commune(code: str = "24118") -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level=3)


def _type(code: str = "nd167-d23-k1-ban-dam") -> ViolationType:
    return ViolationType.objects.get(code=code)


def _violation(
    *, on: dt.date = dt.date(2018, 5, 2), people: int = 1, subject: str = SubjectKind.INDIVIDUAL
) -> Violation:
    vtype = _type() if subject == SubjectKind.INDIVIDUAL else _type("nd167-d25-chua-moi-gioi")
    return actions.record_violation(
        actor=None,
        violation_type=vtype,
        date=on,
        subject_kind=subject,
        people_count=people,
        commune=_commune(),
    )


def _sanction(violation: Violation, *, form: str = SanctionForm.FINE, **extra: Any) -> Sanction:
    low, _high = violation.violation_type.allowed_fine_range(violation.subject_kind)
    return actions.record_sanction(
        actor=None,
        violation=violation,
        number=f"{Sanction.objects.count() + 1}/QĐ-XPHC",
        date=extra.pop("date", violation.date + dt.timedelta(days=3)),
        authority="Chủ tịch UBND phường Tân Lập",
        form=form,
        amount=low if form == SanctionForm.FINE else None,
        **extra,
    )


def _named(sanction: Sanction, persona: Any, **values: Any) -> Person:
    row = persons.name_person(
        actor=persona("congan"),
        sanction=sanction,
        role=PersonRole.SELLING,
        values={"full_name": NAME, "id_number": ID_NUMBER, "birth_year": 1995, **values},
    )
    return row.person


# --- actions ----------------------------------------------------------------------------------


def test_naming_a_new_person_records_the_involvement_and_audits_the_code(persona: Any) -> None:
    sanction = _sanction(_violation())
    person = _named(sanction, persona)
    involvement = Involvement.objects.get(person=person)
    assert (involvement.module, involvement.unit, involvement.source) == (
        MODULE_ENFORCEMENT,
        _commune(),
        f"sanction:{sanction.pk}",
    )
    event = AuditEvent.objects.get(verb="sanction.name_person")
    assert person.code in str(event.changes) and NAME not in str(event.changes)
    assert ID_NUMBER not in str(event.changes)


def test_an_existing_person_found_by_id_is_named_again(persona: Any) -> None:
    first = _sanction(_violation())
    person = _named(first, persona)
    second = _sanction(_violation(on=dt.date(2018, 7, 1)))
    persons.name_person(
        actor=persona("congan"), sanction=second, role=PersonRole.SELLING, person=person
    )
    assert Person.objects.count() == 1
    assert SanctionedPerson.objects.filter(person=person).count() == 2
    with pytest.raises(ValidationError) as refused:
        persons.name_person(
            actor=persona("congan"), sanction=second, role=PersonRole.SELLING, person=person
        )
    assert "person" in refused.value.message_dict


def test_people_count_follows_the_persons_named(persona: Any) -> None:
    violation = _violation(people=3)
    sanction = _sanction(violation)
    _named(sanction, persona)
    violation.refresh_from_db()
    assert violation.people_count == 1  # one person named: the count follows
    _named(sanction, persona, full_name="Lê Văn Khác", id_number="066095000001")
    violation.refresh_from_db()
    assert violation.people_count == 2
    with pytest.raises(ValidationError) as refused:
        actions.update_violation(
            violation, actor=None, expected_version=violation.version, people_count=5
        )
    assert "people_count" in refused.value.message_dict
    # a violation without persons keeps the count typed
    other = _violation(people=4)
    _sanction(other)
    other.refresh_from_db()
    assert other.people_count == 4


def test_an_organisation_decision_names_no_person(persona: Any) -> None:
    sanction = _sanction(_violation(subject=SubjectKind.ORGANISATION))
    with pytest.raises(ValidationError) as refused:
        _named(sanction, persona)
    assert "person" in refused.value.message_dict
    assert not Person.objects.exists()


def test_a_commune_officer_cannot_name_persons(persona: Any) -> None:
    sanction = _sanction(_violation())
    with pytest.raises(PermissionDenied):
        persons.name_person(
            actor=persona("xa.tanlap"),
            sanction=sanction,
            role=PersonRole.SELLING,
            values={"full_name": NAME},
        )


def test_unnaming_ends_the_involvement(persona: Any) -> None:
    sanction = _sanction(_violation())
    person = _named(sanction, persona)
    with pytest.raises(ValidationError):
        persons.unname_person(actor=persona("congan"), sanction=sanction, person=person, reason="")
    persons.unname_person(
        actor=persona("congan"), sanction=sanction, person=person, reason="Nhầm người"
    )
    assert not SanctionedPerson.objects.exists()
    assert Involvement.objects.get(person=person).ended_on is not None


# --- the dates the law attaches ----------------------------------------------------------


def test_payment_deadline_is_ten_days_from_receipt_moved_past_a_weekend() -> None:
    assert legal.payment_deadline(dt.date(2018, 5, 2)) == dt.date(2018, 5, 14)  # Sat → Mon
    assert legal.payment_deadline(dt.date(2018, 5, 7)) == dt.date(2018, 5, 17)  # Thursday
    sanction = _sanction(_violation(), received_on=dt.date(2018, 5, 7))
    assert sanction.payment_deadline == dt.date(2018, 5, 17)
    sanction.refresh_from_db()
    assert sanction.payment_deadline == dt.date(2018, 5, 17)


def test_receipt_before_the_decision_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        _sanction(_violation(), received_on=dt.date(2018, 5, 1))
    assert "received_on" in refused.value.message_dict


def test_never_sanctioned_day_follows_every_status_change(persona: Any) -> None:
    violation = _violation()
    sanction = _sanction(violation, date=dt.date(2018, 5, 5))
    person = _named(sanction, persona)
    # pending: from the end of the execution time limit (Art. 74) + 1 year (Art. 7)
    assert sanction.clean_from == dt.date(2020, 5, 6)
    actions.change_sanction_status(
        sanction, actor=None, status=SanctionStatus.PAID, on=dt.date(2018, 5, 10)
    )
    sanction.refresh_from_db()
    assert sanction.clean_from == dt.date(2019, 5, 11)
    row = SanctionedPerson.objects.get(person=person)
    assert row.clean_from == dt.date(2019, 5, 11)
    actions.change_sanction_status(
        sanction, actor=None, status=SanctionStatus.CANCELLED, on=dt.date(2018, 6, 1)
    )
    sanction.refresh_from_db()
    assert sanction.clean_from is None and sanction.payment_deadline is not None


def test_a_new_violation_within_the_period_cancels_the_earlier_day(persona: Any) -> None:
    first = _sanction(_violation(), date=dt.date(2018, 5, 5))
    actions.change_sanction_status(
        first, actor=None, status=SanctionStatus.PAID, on=dt.date(2018, 5, 10)
    )
    person = _named(first, persona)
    assert SanctionedPerson.objects.get(sanction=first).clean_from == dt.date(2019, 5, 11)
    again = _sanction(_violation(on=dt.date(2018, 9, 1)))
    persons.name_person(actor=None, sanction=again, role=PersonRole.SELLING, person=person)
    assert SanctionedPerson.objects.get(sanction=first).clean_from is None
    # the decision itself keeps its own day (organisations, other persons)
    first.refresh_from_db()
    assert first.clean_from == dt.date(2019, 5, 11)


# --- who sees names ---------------------------------------------------------------------------


def _page(client_for: Any, username: str, url: str) -> str:
    response = client_for(username).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["enforcement:violation", "enforcement:sanctions"], ids=["violation", "list"]
)
def test_police_see_the_name_commune_officers_the_code(
    persona: Any, client_for: Any, url_name: str
) -> None:
    violation = _violation()
    person = _named(_sanction(violation), persona)
    url = reverse(url_name, args=[violation.pk] if url_name.endswith("violation") else [])
    police = _page(client_for, "congan", url)
    assert NAME in police and person.code in police
    assert AccessLog.objects.filter(person=person, surface="page", user__username="congan")
    commune = _page(client_for, "xa.tanlap", url)
    assert person.code in commune and NAME not in commune
    assert not AccessLog.objects.filter(user__username="xa.tanlap").exists()
    standing = _page(client_for, "thuongtruc", url)  # identity for support only
    assert person.code in standing and NAME not in standing


def test_the_page_to_name_a_person_searches_and_creates(persona: Any, client_for: Any) -> None:
    violation = _violation()
    sanction = _sanction(violation)
    existing = _named(_sanction(_violation(on=dt.date(2018, 4, 1))), persona)
    client = client_for("congan")
    url = reverse("enforcement:sanction_person_add", args=[sanction.pk])
    found = client.get(url, {"q": "066 195 123 456"}).content.decode()
    assert existing.code in found and NAME in found
    response = client.post(url, {"action": "pick", "person": existing.pk, "role": "selling"})
    assert response.status_code == 302
    assert SanctionedPerson.objects.filter(sanction=sanction, person=existing).exists()
    bad = client.post(
        url, {"action": "new", "full_name": "Ai Đó", "id_number": "123", "role": "selling"}
    )
    assert bad.status_code == 400 and "CCCD" in bad.content.decode()
    assert client_for("xa.tanlap").get(url).status_code == 403


# --- export -------------------------------------------------------------------------------


def _export(client: Any, **data: Any) -> list[list[Any]]:
    response = client.post(reverse("enforcement:sanction_export"), {"format": "xlsx", **data})
    assert response.status_code == 200, response.content[:500]
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_export_carries_codes_unless_a_reason_is_given(persona: Any, client_for: Any) -> None:
    violation = _violation(people=2)
    sanction = _sanction(violation)
    person = _named(sanction, persona)
    other = _named(sanction, persona, full_name="Lê Văn Khác", id_number="066095000001")
    police = client_for("congan")
    plain = " ".join(str(c) for row in _export(police) for c in row)
    assert person.code in plain and other.code in plain and NAME not in plain
    assert not AccessLog.objects.exists()
    refused = police.post(
        reverse("enforcement:sanction_export"), {"format": "csv", "identities": "on"}
    )
    assert refused.status_code == 400
    named = " ".join(
        str(c) for row in _export(police, identities="on", reason="Đối chiếu hồ sơ") for c in row
    )
    assert NAME in named and "Lê Văn Khác" in named
    logs = AccessLog.objects.filter(surface="export")
    assert sorted(logs.values_list("person_id", flat=True)) == sorted([person.pk, other.pk])
    assert set(logs.values_list("purpose", flat=True)) == {"Đối chiếu hồ sơ"}
    # a commune officer cannot ask for names: the field is not even offered, codes only
    commune = " ".join(
        str(c) for row in _export(client_for("xa.tanlap"), identities="on", reason="x") for c in row
    )
    assert person.code in commune and NAME not in commune


# --- API ------------------------------------------------------------------------------------


def test_api_shows_codes_and_names_only_after_reveal(persona: Any, client_for: Any) -> None:
    sanction = _sanction(_violation())
    person = _named(sanction, persona)
    url = f"/api/v1/sanctions/{sanction.pk}"
    police = client_for("congan").get(url).json()
    assert police["persons"] == [
        {
            "code": person.code,
            "role": "selling",
            "clean_from": police["persons"][0]["clean_from"],
            "full_name": NAME,
        }
    ]
    assert police["payment_deadline"] and police["clean_from"]
    assert AccessLog.objects.filter(surface="api", person=person).count() == 1
    listed = client_for("xa.tanlap").get("/api/v1/sanctions").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    entry = next(r for r in rows if r["id"] == sanction.pk)
    assert entry["persons"][0]["code"] == person.code
    assert entry["persons"][0]["full_name"] is None
    assert NAME not in str(listed)
    assert AccessLog.objects.filter(surface="api").count() == 1


# --- indicators and the police report ------------------------------------------------------


def test_person_indicators_count_distinct_persons_and_feed_the_police_report(
    persona: Any,
) -> None:
    from pcmd.core.periods import month_period
    from pcmd.indicators import privacy
    from pcmd.indicators.engine import evaluate
    from pcmd.indicators.models import Indicator
    from pcmd.reporting.models import ReportForm
    from pcmd.reporting.values import evaluate_auto

    first = _sanction(_violation(people=2))
    person = _named(first, persona, sex="female")
    _named(first, persona, full_name="Lê Văn Khác", id_number="066095000001", sex="male")
    again = _sanction(_violation(on=dt.date(2018, 5, 20)), form=SanctionForm.FINE)
    persons.name_person(actor=None, sanction=again, role=PersonRole.SELLING, person=person)
    cancelled = _sanction(_violation(on=dt.date(2018, 5, 21)))
    _named(cancelled, persona, full_name="Hủy Bỏ", id_number="066195999999")
    actions.change_sanction_status(
        cancelled, actor=None, status=SanctionStatus.CANCELLED, on=dt.date(2018, 5, 30)
    )
    province = Unit.objects.get(code="66", valid_from=None)
    may = month_period(2018, 5)

    def total(code: str) -> Any:
        return evaluate(Indicator.objects.get(code=code), province, may).total

    assert total("sanctions") == 3  # decisions, the cancelled one included (unchanged)
    assert total("sanctioned_people") == 2  # persons: the repeat once, the cancelled none
    assert total("sanctioned_people_female") == 1
    assert total("sanctioned_people_fined") == 2

    # the police month runs 15/04–14/05 (Decree 09/2019): only the first decision (05/05)
    version = ReportForm.objects.get(code="ca-xu-phat-thang").current
    auto = evaluate_auto(version, province, month_period(2018, 5, version.cutoff))
    assert auto["people_sanctioned_register"] == 2
    assert auto["fines_register"] == 2 and auto["warnings_register"] == 0

    # any indicator over the persons register counts people, flagged or not
    bare = Indicator(code="x", kind="distinct", source="sanctioned_persons", measure="person")
    assert privacy.counts_people(bare)
    assert privacy.must_suppress(bare, persona("lanhdao"))
    assert not privacy.must_suppress(bare, persona("congan"))
