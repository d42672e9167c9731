"""Retention: identities removed when every record naming the person is past its period;
counts unchanged; the dry run changes nothing; a person with one live record is kept."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pcmd.accounts.roles import MODULE_ENFORCEMENT, MODULE_SUPPORT
from pcmd.core.models import AuditEvent
from pcmd.enforcement.legal import deemed_not_sanctioned_from
from pcmd.enforcement.models import SanctionForm
from pcmd.geo.models import Unit
from pcmd.people import actions, retention
from pcmd.people.models import IDENTITY_FIELDS, Involvement, Person

NAME_OLD = "Trần Thị Lưu Trữ"
ID_OLD = "066185099001"
NAME_LIVE = "Lê Thị Còn Hồ Sơ"
ID_LIVE = "066185099002"


def _commune() -> Unit:
    return Unit.objects.get(code="24118", valid_from=None, level=3)


def _person(name: str, number: str) -> Person:
    return actions.create_person(
        None,
        unit=_commune(),
        values={
            "full_name": name,
            "id_number": number,
            "phone": "0905 111 222",
            "birth_year": 1985,
            "sex": "female",
        },
    )


def _involve(person: Person, module: str, source: str, ended: datetime.date | None) -> None:
    inv = actions.involve(
        None, person, module=module, unit=_commune(), source=source, on=datetime.date(2018, 3, 1)
    )
    if ended:
        Involvement.objects.filter(pk=inv.pk).update(ended_on=ended)


@pytest.fixture
def people(db: Any) -> dict[str, Person]:
    old = _person(NAME_OLD, ID_OLD)
    _involve(old, MODULE_SUPPORT, "support:1", datetime.date(2018, 6, 30))
    _involve(old, MODULE_ENFORCEMENT, "sanction:1", datetime.date(2018, 4, 1))
    live = _person(NAME_LIVE, ID_LIVE)
    _involve(live, MODULE_SUPPORT, "support:2", datetime.date(2018, 6, 30))
    _involve(live, MODULE_ENFORCEMENT, "sanction:2", None)  # still open
    return {"old": old, "live": live}


def _raw(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        return " ".join(str(v) for v in cursor.fetchone())


def _counts() -> dict[str, Any]:
    return {
        "persons": Person.objects.count(),
        "by_sex": sorted(Person.objects.values_list("sex", flat=True)),
        "by_unit": sorted(Person.objects.values_list("unit_id", flat=True)),
        "involvements": sorted(Involvement.objects.values_list("module", "unit_id", "source")),
    }


def test_dry_run_changes_nothing(people: dict[str, Person]) -> None:
    before = _raw(people["old"])
    out = StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert people["old"].code in text and "Dry run" in text
    assert NAME_OLD not in text and ID_OLD not in text  # codes and counts, never names
    assert _raw(people["old"]) == before
    assert Person.objects.get(pk=people["old"].pk).pseudonymised_at is None


def test_apply_removes_identity_and_keeps_counts(people: dict[str, Person]) -> None:
    before = _counts()
    assert "gAAAA" in _raw(people["old"])  # encrypted identity values before
    out = StringIO()
    call_command("apply_retention", "--apply", stdout=out)
    assert _counts() == before
    old = Person.objects.get(pk=people["old"].pk)
    assert old.pseudonymised_at is not None and old.code == people["old"].code
    assert old.sex == "female" and old.unit_id == people["old"].unit_id
    for name in IDENTITY_FIELDS:
        assert getattr(old, name) in ("", None), name
    assert (old.bi_id_number, old.bi_phone, old.bi_name_year, old.bi_name) == ("", "", "", "")
    raw = _raw(old)
    assert "gAAAA" not in raw  # no Fernet token left in the row
    assert not Person.objects.by_id_number(ID_OLD).exists()
    row = AuditEvent.objects.get(verb="person.pseudonymise", object_id=str(old.pk))
    assert NAME_OLD not in f"{row.changes} {row.object_repr}" and row.object_repr == old.code
    # a person with one live involvement keeps the identity
    live = Person.objects.get(pk=people["live"].pk)
    assert live.pseudonymised_at is None and live.full_name == NAME_LIVE
    # running again changes nothing more
    assert retention.apply(None, dry_run=False).due == []


def test_each_module_must_be_past_its_period(people: dict[str, Person]) -> None:
    old = people["old"]
    # support: 5 years after 30/06/2018 → from 01/07/2023
    assert retention.removable_from(Person.objects.get(pk=old.pk)) == datetime.date(2023, 7, 1)
    assert old not in retention.plan(datetime.date(2023, 6, 30)).due
    assert [p.pk for p in retention.plan(datetime.date(2023, 7, 1)).due] == [old.pk]


def test_a_module_registers_its_own_rule(people: dict[str, Person], settings: Any) -> None:
    """Enforcement decides by Art. 7 (deemed never sanctioned), not by years."""
    fine_paid = datetime.date(2018, 4, 1)

    def art7(person: Person) -> datetime.date | None:
        return deemed_not_sanctioned_from(SanctionForm.FINE, executed_on=fine_paid)

    saved = dict(retention.RETENTION_RULES)
    try:
        retention.register(MODULE_ENFORCEMENT, art7, "Art. 7")
        # the live person's sanction is executed: enforcement no longer needs the identity
        live = Person.objects.get(pk=people["live"].pk)
        assert retention.rule_for(MODULE_ENFORCEMENT)(live) == datetime.date(2019, 4, 2)
        assert retention.describe(MODULE_ENFORCEMENT) == "Art. 7"
        due = {p.pk for p in retention.plan(datetime.date(2024, 1, 1)).due}
        assert due == {people["old"].pk, people["live"].pk}
    finally:
        retention.RETENTION_RULES.clear()
        retention.RETENTION_RULES.update(saved)
        retention.RULE_DESCRIPTIONS.pop(MODULE_ENFORCEMENT, None)


def test_only_an_administrator_or_the_system_pseudonymises(
    people: dict[str, Person], persona: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    for name in ("baovedl", "thuongtruc", "congan"):
        with pytest.raises(PermissionDenied):
            retention.pseudonymise(persona(name), [people["old"]])
    assert retention.pseudonymise(persona("admin"), [people["old"]]) == 1


def test_a_record_merged_into_a_removed_one_loses_its_identity_too(
    people: dict[str, Person],
) -> None:
    dup = _person(NAME_OLD, "066185099009")
    actions.merge(None, kept=people["old"], merged=dup, reason="same person")
    retention.apply(None, dry_run=False)
    assert Person.objects.get(pk=dup.pk).pseudonymised_at is not None


def test_apply_refuses_a_future_day(db: Any) -> None:
    from django.core.management.base import CommandError

    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    with pytest.raises(CommandError):
        call_command("apply_retention", "--apply", "--on", future, stdout=StringIO())
    out = StringIO()
    call_command("apply_retention", "--on", future, stdout=out)
    assert "Dry run" in out.getvalue()
