"""Two records of the same sanctioned person merged: the decisions follow the kept record
(so person counts do not count them twice) and undoing the merge gives them back; the
retention of a sanctioned person's identity follows Art. 7 (issue 11)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.enforcement import actions, persons
from pcmd.enforcement.models import PersonRole, SanctionedPerson, SanctionStatus
from pcmd.people import actions as people_actions
from pcmd.people import retention

from .test_persons import _sanction, _violation

pytestmark = pytest.mark.django_db


def _name(sanction: Any, persona: Any, name: str, number: str) -> Any:
    return persons.name_person(
        actor=persona("congan"),
        sanction=sanction,
        role=PersonRole.SELLING,
        values={"full_name": name, "id_number": number, "birth_year": 1994},
    ).person


def test_merge_moves_the_decisions_and_undo_gives_them_back(persona: Any) -> None:
    first = _sanction(_violation(on=dt.date(2018, 3, 2)))
    second = _sanction(_violation(on=dt.date(2018, 9, 2)))
    kept = _name(first, persona, "Lò Thị Gộp", "066194000001")
    twin = _name(second, persona, "Lo Thi Gop", "066194000002")
    record = people_actions.merge(persona("congan"), kept=kept, merged=twin, reason="cùng người")
    assert set(
        SanctionedPerson.objects.filter(sanction__in=[first, second]).values_list(
            "person", flat=True
        )
    ) == {kept.pk}
    people_actions.undo_merge(persona("admin"), record)
    assert SanctionedPerson.objects.get(sanction=second).person_id == twin.pk
    assert SanctionedPerson.objects.get(sanction=first).person_id == kept.pk


def test_enforcement_retention_follows_article_7(persona: Any) -> None:
    sanction = _sanction(_violation(on=dt.date(2018, 3, 2)))
    person = _name(sanction, persona, "Ksor H'Lưu", "066194000003")
    rule = retention.rule_for(MODULE_ENFORCEMENT)
    # not paid yet: the latest possible day (the 1-year enforcement limit, then 1 year)
    unpaid = rule(person)
    assert unpaid == SanctionedPerson.objects.get(sanction=sanction).clean_from
    assert unpaid is not None and unpaid > dt.date(2020, 3, 1)
    actions.change_sanction_status(
        sanction, actor=None, status=SanctionStatus.PAID, on=dt.date(2018, 3, 20)
    )
    row = SanctionedPerson.objects.get(sanction=sanction)
    assert row.clean_from is not None and rule(person) == row.clean_from
    assert dt.date(2019, 3, 19) < row.clean_from < unpaid  # a year after the fine was paid


def test_the_person_page_links_the_decision_to_its_violation(persona: Any, client_for: Any) -> None:
    sanction = _sanction(_violation(on=dt.date(2018, 4, 2)))
    person = _name(sanction, persona, "Hà Thị Liên Kết", "066194000004")
    html = client_for("lanhdao").get(f"/people/{person.pk}/").content.decode()
    assert f'href="/enforcement/{sanction.violation_id}/"' in html
    assert "sanction:" not in html
