"""Overdue stages of criminal cases on the owners' home pages (issue 12, item 3): each agency
sees the stages it owns — police the verification and investigation, the procuracy the
decision to prosecute, the court the trial stages — for the cases in its scope."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcmd.accounts.models import User
from pcmd.agencies.models import Agency
from pcmd.cases import actions, rules
from pcmd.cases.models import Case, Decision, Offence, Stage
from pcmd.geo.models import Unit
from tests.conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db

KEY = "overdue-case-stages"


def _case(police: User, day: int = 5) -> Case:
    return actions.create_case(
        police,
        values={
            "title": "Chứa mại dâm tại nhà nghỉ",
            "commune": Unit.objects.get(code="24118", valid_from=None, level=3),
            "detected_on": datetime.date(2018, 3, day),
            "detected_by": Agency.objects.get(code="CONG_AN_TINH"),
        },
        links={"offences": Offence.objects.filter(code="327.1")},
    )


def _at_prosecution(police: User, day: int = 5) -> Case:
    case = _case(police, day)
    actions.decide(police, case, decision=Decision.OPEN, on=datetime.date(2018, 3, 10))
    actions.decide(
        police, case, decision=Decision.PROPOSE_PROSECUTION, on=datetime.date(2018, 5, 1)
    )
    return case


def _card(html: str) -> tuple[str | None, set[str]]:
    """(the count, the case links) of the card, or (None, ∅) when the page has none."""
    match = re.search(rf'id="card-{KEY}" data-count="([^"]*)"', html)
    if match is None:
        return None, set()
    block = html[match.start() :].split("</section>")[0]
    return match.group(1), set(re.findall(r'href="(/cases/\d+/)"', block))


def _owners() -> dict[str, set[str]]:
    """persona -> the stages it owns, from the roles (pcmd.cases.rules)."""
    out = {}
    for name in PERSONA_NAMES:
        user = User.objects.get(username=name)
        out[name] = {s for s in rules.OWNERS if user.can(rules.capability_for(s))}
    return out


def test_each_stage_shows_on_its_owners_home_only(persona: Any, client_for: Any) -> None:
    police = persona("congan")
    at_police = _case(police)  # verification: 20 days from 05/03/2018, long past
    at_procuracy = _at_prosecution(police, day=6)
    assert at_police.current_step().stage == Stage.RECEIVED
    assert at_procuracy.current_step().stage == Stage.PROSECUTION
    owners = _owners()
    assert {n for n, stages in owners.items() if stages} == {"congan", "vks", "toaan"}
    expected = {
        "congan": {f"/cases/{at_police.pk}/"},
        "vks": {f"/cases/{at_procuracy.pk}/"},
        "toaan": set(),
    }
    for name in PERSONA_NAMES:
        client = client_for(name)
        html = client.get("/").content.decode()
        count, found = _card(html)
        if name not in expected:
            assert count is None, name  # not an owner of any stage: no card at all
            continue
        assert count == str(len(expected[name])), (name, count)
        assert found == expected[name], (name, found)
        assert "/cases/?overdue=1" in html, name  # the "all" link
        for href in found:
            assert client.get(href).status_code == 200, (name, href)
        assert client.get("/cases/?overdue=1").status_code == 200, name


def test_the_card_names_no_one_and_says_how_late(persona: Any, client_for: Any) -> None:
    from pcmd.people.models import Person

    police = persona("congan")
    case = _case(police)
    party = actions.add_party(
        police,
        case,
        role="owner",
        standing="suspect",
        values={"full_name": "Đỗ Văn Quá Hạn Thử", "id_number": "066080099999", "sex": "male"},
    )
    html = client_for("congan").get("/").content.decode()
    block = html.split(f'id="card-{KEY}"')[1].split("</section>")[0]
    assert case.code in block and "Giai đoạn vụ án quá hạn" in html
    assert "hạn 25/03/2018" in block and "ngày" in block and "quá hạn" in block
    person = Person.objects.get(pk=party.person_id)
    assert "Đỗ Văn Quá Hạn Thử" not in block and person.code not in block


def test_a_decided_or_not_yet_due_stage_leaves_the_card(persona: Any, client_for: Any) -> None:
    police = persona("congan")
    case = _case(police)
    actions.decide(police, case, decision=Decision.OPEN, on=datetime.date(2018, 3, 10))
    # the investigation of 10/03/2018 ran out long ago: it is the one listed now
    html = client_for("congan").get("/").content.decode()
    assert _card(html)[0] == "1"
    step = case.current_step()
    type(step).objects.filter(pk=step.pk).update(due_on=timezone.localdate())
    assert _card(client_for("congan").get("/").content.decode())[0] == "0"


def test_the_card_runs_a_bounded_number_of_queries(
    persona: Any, client_for: Any, settings: Any
) -> None:
    settings.PCMD_ANSWER_CACHE = False  # the card's own work (kept answers: tests/core)
    police = persona("congan")
    client = client_for("vks")
    _at_prosecution(police, day=1)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        html = client.get("/").content.decode()
    assert _card(html)[0] == "1"
    for day in range(2, 10):
        _at_prosecution(police, day=day)
    with CaptureQueriesContext(connection) as nine:
        html = client.get("/").content.decode()
    count, found = _card(html)
    assert count == "9" and len(found) == 5  # the first five, then "9 in all"
    assert "(tổng cộng 9)" in html.split(f'id="card-{KEY}"')[1].split("</section>")[0]
    assert len(nine.captured_queries) == len(one.captured_queries)
