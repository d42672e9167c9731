"""Reconciliation of police, procuracy and court figures (pcmd/cases/reconcile.py) on the
hand-made cases A–G of tests/cases/figures_data.py, and its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pcmd.cases import actions
from pcmd.cases.models import Case, Standing
from pcmd.cases.reconcile import reconcile
from pcmd.core.periods import parse_period
from tests.cases.figures_data import EA_KAR, Actors, build, unit
from tests.conftest import assert_reach

pytestmark = pytest.mark.django_db

URL = "/cases/reconciliation/"


@pytest.fixture
def cases(persona: Any) -> dict[str, Case]:
    built = build(Actors(persona("congan"), persona("vks"), persona("toaan")))
    owner = built["B"].parties.get(role="owner")
    actions.change_party(persona("toaan"), owner, sentence="36 tháng tù", prison_months=36)
    return built


def _codes(result: Any, code: str) -> list[str]:
    return [c.code for c in result.disagreement(code).cases]


def test_each_agency_answers_for_its_counts(cases: dict[str, Case]) -> None:
    result = reconcile(Case.objects.all(), parse_period("2018"))
    police = result.agency("police")
    # detected in 2018: A–F (G in 2017); proposed: B, E, F with 4 accused (B 2, E 1, F 1)
    assert (police.value("received"), police.value("proposed")) == (6, 3)
    assert police.value("proposed_persons") == 4
    procuracy = result.agency("procuracy")
    assert (procuracy.value("received"), procuracy.value("received_persons")) == (3, 4)
    assert (procuracy.value("indicted"), procuracy.value("indicted_persons")) == (2, 3)  # B, F
    assert (procuracy.value("returned"), procuracy.value("not_prosecuted")) == (0, 0)
    court = result.agency("court")
    assert (court.value("received"), court.value("received_persons")) == (2, 3)  # B, F
    assert (court.value("tried"), court.value("tried_persons")) == (1, 2)  # B
    assert court.value("sentenced") == 1  # B's owner; its broker has no sentence yet


def test_the_cases_behind_each_disagreement(cases: dict[str, Case]) -> None:
    result = reconcile(Case.objects.all(), parse_period("2018"))
    assert _codes(result, "awaiting_procuracy") == [cases["E"].code]
    assert _codes(result, "awaiting_court") == [cases["F"].code]
    assert _codes(result, "no_accused") == []
    assert _codes(result, "unsentenced") == [cases["B"].code]
    # by 31/08 the procuracy had not yet indicted B (01/09): B waits too
    summer = reconcile(Case.objects.all(), parse_period("2018-01-01..2018-08-31"))
    assert _codes(summer, "awaiting_procuracy") == sorted([cases["B"].code, cases["E"].code])
    assert summer.agency("court").value("tried") == 0


def test_a_case_proposed_without_anyone_accused_is_listed(
    cases: dict[str, Case], persona: Any
) -> None:
    # the police concluded D's investigation but named nobody accused (its pimp is a suspect)
    d = cases["D"]
    d.parties.update(standing=Standing.WITNESS)
    actions.resume(persona("congan"), d, on=parse_period("2018-08").start)
    actions.decide(persona("congan"), d, decision="propose", on=parse_period("2018-09").start)
    result = reconcile(Case.objects.all(), parse_period("2018"))
    assert _codes(result, "no_accused") == [d.code]


def test_a_district_sees_its_own_cases(cases: dict[str, Case]) -> None:
    ea_kar = Case.objects.filter(commune__path__startswith=unit(EA_KAR).path)
    result = reconcile(ea_kar, parse_period("2018"))
    assert result.agency("police").value("received") == 3  # D, E, F
    assert result.agency("police").value("proposed") == 2  # E, F
    assert _codes(result, "unsentenced") == []


def test_the_page_lists_codes_not_identities(cases: dict[str, Case], client_for: Any) -> None:
    page = client_for("vks").get(URL, {"period": "2018", "district": EA_KAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/cases/{cases["E"].pk}/"' in html and cases["E"].code in html
    assert cases["B"].code not in html  # B is in Buôn Ma Thuột
    assert "Chủ E" not in html and "Môi giới F" not in html


def test_who_may_open_the_page(client_for: Any) -> None:
    assert_reach(client_for, URL, {"admin", "congan", "vks", "toaan"}, denied_status=(403, 302))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2018-13"}, "period"),
        ({"period": "1800"}, "period"),
        ({"district": "999"}, "district"),
    ],
)
def test_bad_input_is_a_bilingual_400(client_for: Any, params: dict[str, str], field: str) -> None:
    with translation.override("vi"):
        page = client_for("congan").get(URL, params)
    assert page.status_code == 400
    html = page.content.decode()
    assert f'data-field="{field}"' in html
    assert " / " in html.split(f'data-field="{field}"')[1].split("</li>")[0]


def test_the_number_of_queries_does_not_grow_with_the_cases(
    cases: dict[str, Case], persona: Any
) -> None:
    with CaptureQueriesContext(connection) as seven:
        reconcile(Case.objects.all(), parse_period("2018"))
    build(Actors(persona("congan"), persona("vks"), persona("toaan")))
    with CaptureQueriesContext(connection) as fourteen:
        result = reconcile(Case.objects.all(), parse_period("2018"))
    assert result.agency("police").value("received") == 12
    assert len(fourteen.captured_queries) == len(seven.captured_queries)


@pytest.mark.parametrize(("username", "suppressed"), [("admin", True), ("toaan", False)])
def test_small_counts_of_persons_on_the_page(
    cases: dict[str, Case], client_for: Any, username: str, suppressed: bool
) -> None:
    html = client_for(username).get(URL, {"period": "2018"}).content.decode()
    persons = html.split('data-figure="tried_persons">')[1].split("</tr>")[0]
    tried = html.split('data-figure="tried">')[1].split("</tr>")[0]
    assert ("&lt;5" in persons) is suppressed and (">2<" in persons) is not suppressed
    assert ">1<" in tried  # a count of cases, shown to everyone
