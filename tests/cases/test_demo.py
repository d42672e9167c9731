"""The 2018 demo case files (pcmd.cases.demo): a ring in Buôn Ma Thuột, a buyer of a minor
tried behind closed doors, one mobile trial, transfers for administrative sanction, one case
not opened, one suspended and exactly one overdue step; every clock as the law sets it."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from pcmd.accounts.roles import MODULE_CASES
from pcmd.cases import actions, demo, legal
from pcmd.cases.models import (
    PROSECUTED,
    Case,
    CaseParty,
    Decision,
    PartyRole,
    Ring,
    RingMember,
    Stage,
    Standing,
    Step,
    Trial,
)
from pcmd.core.demo import DEMO_YEAR, SEED
from pcmd.core.models import AuditEvent
from pcmd.people.models import Involvement, Person
from tests.conftest import kept_for_the_module

pytestmark = pytest.mark.django_db

# Counted by hand from pcmd/cases/demo.py: cases detected in 2018 and cases handled in 2018
# (a terminal decision: indictment, no case, transfer for administrative sanction), by
# district. Buôn Ma Thuột: the ring's four, the Art. 329 case, one transfer, one not opened;
# Ea Kar: the mobile trial and a transfer; Krông Pắc: a transfer; Buôn Hồ: the overdue
# investigation; Cư Kuin: the suspended one.
BY_DISTRICT = {"643": (7, 7), "644": (1, 0), "651": (2, 2), "654": (1, 1), "657": (1, 0)}


def build(*apps: str) -> None:
    """The demo builders, seeded as ``pcmd.core.demo.load_registers`` seeds them."""
    for app in apps:
        builder = import_string(f"pcmd.{app}.demo.build")
        builder(random.Random(f"{SEED}-{app}-{DEMO_YEAR}"), DEMO_YEAR)


def build_demo() -> None:
    build("registry", "hotspots", "inspections", "enforcement", "cases")


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo built once for the tests of this module that read it (the demo without the
    other registers: tests/cases/test_demo_alone.py)."""
    with kept_for_the_module(django_db_blocker):
        build_demo()
        yield


def test_the_demo_builds_cases_after_the_registers_they_link() -> None:
    order = [path.split(".")[1] for path in settings.PCMD_DEMO_REGISTERS]
    assert "cases" in order
    for earlier in ("registry", "hotspots", "inspections", "enforcement"):
        assert order.index(earlier) < order.index("cases"), earlier


def test_demo_cases_ring_trials_and_clocks(built: None) -> None:
    cases = list(Case.objects.select_related("commune__parent"))
    assert len(cases) == 12

    # The ring: three establishments of Buôn Ma Thuột, an owner, two brokers, a protector.
    ring = Ring.objects.get()
    assert ring.unit.code == "643"
    places = list(ring.establishments.select_related("commune__parent", "kind"))
    assert len(places) == 3
    assert {e.commune.parent.code for e in places} == {"643"}
    assert sorted(e.kind.code for e in places) == sorted(demo.RING_KINDS)
    roles = Counter(ring.members.values_list("role", flat=True))
    assert roles == {PartyRole.OWNER: 1, PartyRole.BROKER: 2, PartyRole.PROTECTOR: 1}
    ring_cases = list(ring.cases.all())
    assert len(ring_cases) == 4 and actions.ring_is_handled(ring)
    for case in ring_cases:
        assert case.stage == Stage.CLOSED and case.outcome == Decision.JUDGMENT, case.code
        assert set(case.offences.values_list("article", flat=True)) <= {327, 328}, case.code
        assert not case.has_minor, case.code
    organisers = next(c for c in ring_cases if c.establishments.count() == 3)
    members = set(ring.members.values_list("person", flat=True))
    defendants = organisers.parties.filter(standing=Standing.DEFENDANT)
    assert set(defendants.values_list("person", flat=True)) == members
    # The people who sold sex in the ring's cases are adults, victims or witnesses.
    sellers = CaseParty.objects.filter(case__ring=ring, role=PartyRole.SELLER)
    assert sellers.count() >= 6
    assert set(sellers.values_list("standing", flat=True)) <= {Standing.VICTIM, Standing.WITNESS}
    assert not sellers.filter(is_minor=True).exists()

    # Every defendant of a judged case has a sentence inside the band of the case's offences.
    for party in CaseParty.objects.filter(standing=Standing.DEFENDANT).select_related("case"):
        bands = party.case.offences.values_list("prison_min_months", "prison_max_months")
        low, high = min(b[0] for b in bands), max(b[1] for b in bands)
        assert party.sentence and party.prison_months is not None, party.pk
        assert low <= party.prison_months <= high, (party.case.code, party.prison_months)

    # The buyer of a minor (Art. 329): a victim under 18, a closed hearing, not mobile.
    minor_case = Case.objects.get(offences__article=329)
    assert minor_case.has_minor
    assert minor_case.parties.filter(standing=Standing.VICTIM, is_minor=True).exists()
    assert minor_case.parties.filter(role=PartyRole.BUYER, standing=Standing.DEFENDANT).exists()
    assert minor_case.trial.is_closed and not minor_case.trial.is_mobile
    assert [c.code for c in cases if c.has_minor] == [minor_case.code]

    # Exactly one mobile trial, in a commune, with an audience, in a case without a minor.
    mobile = Trial.objects.get(is_mobile=True)
    assert mobile.location is not None and mobile.location.level == 3
    assert mobile.audience is not None and 200 <= mobile.audience <= 400
    assert not mobile.case.has_minor
    assert not mobile.case.parties.filter(is_minor=True).exists()
    for trial in Trial.objects.all():
        assert trial.judgment_number and trial.judgment_on == trial.held_on, trial.case.code

    # Transfers for administrative sanction, each with reasons and a violation of its commune.
    transfers = [c for c in cases if c.outcome == Decision.TRANSFER_ADMIN]
    assert len(transfers) >= 3
    assert len({c.commune.parent.code for c in transfers}) >= 2
    for case in transfers:
        step = case.steps.get(decision=Decision.TRANSFER_ADMIN)
        assert step.reason, case.code
        communes = set(case.violations.values_list("commune", flat=True))
        assert communes == {case.commune_id}, case.code
    not_open = [c for c in cases if c.outcome == Decision.NOT_OPEN]
    assert 1 <= len(not_open) <= 2
    assert all(c.steps.get(decision=Decision.NOT_OPEN).reason for c in not_open)
    assert {c.commune.parent.code for c in cases} >= {"643", "644", "651", "654"}
    assert any(c.inspections.exists() for c in cases)
    assert any(c.hotspots.exists() for c in cases)

    # Exactly one overdue step; every other case is closed or suspended.
    overdue = list(actions.overdue_steps())
    assert len(overdue) == 1
    assert overdue[0].stage == Stage.INVESTIGATION and overdue[0].started_on.year == 2018
    for case in cases:
        if case.pk == overdue[0].case_id:
            continue
        last = case.steps.order_by("-pk").first()
        assert last is not None
        assert case.stage == Stage.CLOSED or last.decision == Decision.SUSPEND, case.code
        assert case.current_step() is None, case.code

    # People who sell sex never stand prosecuted.
    assert not CaseParty.objects.filter(
        role=PartyRole.SELLER, standing__in=sorted(PROSECUTED)
    ).exists()

    # Every clock is the law's; every decision falls within it; one or two extensions.
    limits = legal.stage_limits()
    steps = list(Step.objects.select_related("case"))
    for step in steps:
        due = limits[step.stage].due(step.started_on, step.case.category or None, step.extensions)
        assert step.due_on == due, (step.case.code, step.stage)
        if step.decided_on is not None:
            assert step.started_on <= step.decided_on <= step.due_on, (step.case.code, step.stage)
            assert step.document and step.agency_id, (step.case.code, step.stage)
    extended = [s for s in steps if s.extensions]
    assert 1 <= len(extended) <= 2 and all(s.extension_reason for s in extended)

    # Every person named is involved in module "cases" through that case or ring.
    for party in CaseParty.objects.all():
        assert Involvement.objects.filter(
            person=party.person_id, module=MODULE_CASES, source=actions.case_source(party.case)
        ).exists()
    for member in RingMember.objects.all():
        assert Involvement.objects.filter(
            person=member.person_id, module=MODULE_CASES, source=actions.ring_source(ring)
        ).exists()

    # The hand count of cases detected and handled in 2018, by district.
    counted: dict[str, tuple[int, int]] = {}
    for district in {c.commune.parent.code for c in cases}:
        rows = Case.objects.filter(commune__parent__code=district)
        counted[district] = (
            rows.filter(detected_on__year=2018).count(),
            rows.filter(handled_on__year=2018).count(),
        )
    assert counted == BY_DISTRICT


def test_building_the_demo_twice_duplicates_nothing(built: None) -> None:
    models = (Case, Step, CaseParty, Ring, RingMember, Trial, Person, Involvement, AuditEvent)
    before = {model.__name__: model.objects.count() for model in models}
    build("cases")
    assert {model.__name__: model.objects.count() for model in models} == before


def test_t4_of_the_demo_equals_the_hand_count(built: None) -> None:
    """T4 (cases handled ÷ cases detected) through the indicator engine, by district, equals
    the hand count of the demo's cases above."""
    from pcmd.core.periods import parse_period
    from pcmd.geo.models import Unit
    from pcmd.indicators.engine import evaluate
    from pcmd.indicators.models import Indicator

    province = Unit.objects.get(code="66", valid_from=None)
    year = parse_period("2018")
    t4 = evaluate(Indicator.objects.get(code="cases_handled_share"), province, year, by="unit")
    codes = dict(Unit.objects.filter(pk__in=list(t4.values)).values_list("pk", "code"))
    shares = {codes[pk]: value for pk, value in t4.values.items() if value is not None}
    assert shares == {
        code: round(100 * handled / detected, 1)
        for code, (detected, handled) in BY_DISTRICT.items()
    }
    detected = sum(d for d, _h in BY_DISTRICT.values())
    handled = sum(h for _d, h in BY_DISTRICT.values())
    assert (detected, handled) == (12, 10)
    assert t4.total == round(100 * handled / detected, 1) == 83.3
