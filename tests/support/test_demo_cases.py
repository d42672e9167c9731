"""The 2018 demo of support cases (pcmd.support.demo_cases): forty people in five districts,
police hand-overs and other origins, services, referrals with consent (one override),
follow-ups, transfers, closures, one reopening; re-running duplicates nothing."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from pcmd.accounts.models import User
from pcmd.accounts.permissions import holds
from pcmd.core.demo import DEMO_YEAR, SEED
from pcmd.core.models import AuditEvent
from pcmd.enforcement.legal import add_months
from pcmd.enforcement.models import SanctionedPerson
from pcmd.people import consent as people_consent
from pcmd.people.models import (
    AccessException,
    ConsentPurpose,
    ExceptionKind,
    Involvement,
    Person,
    Referral,
    ReferralStatus,
)
from pcmd.support import cases, demo_cases
from pcmd.support.models import (
    CaseOrigin,
    CaseStatus,
    CaseTransfer,
    FollowUp,
    Service,
    ServiceReferral,
    ServiceReferralStatus,
    SupportCase,
)
from tests.conftest import PASSWORD, kept_for_the_module

pytestmark = pytest.mark.django_db

D = datetime.date

# Persons supported in 2018 (a service begun in 2018), counted only with their consent to
# statistics, counted by hand from PLANS in pcmd/support/demo_cases.py:
# - Buôn Ma Thuột (643): 18 cases, less two without statistics consent (a police hand-over lost
#   to follow-up, a self-referral closed "other"), the hand-over who declined before any service
#   and the December outreach case lost before any service (no consent either) = 14.
# - Buôn Hồ (644): 6, less the hand-over without statistics consent = 5.
# - Ea Kar (651): 6, less the organisation's referral without statistics consent = 5.
# - Krông Pắc (654): 5, less the person who declined (no statistics consent) = 4.
# - Cư Kuin (657): 5.
# The unit is the one in charge when the service was given: both transfers (643 → 654 in
# September 2018, 644 → 643 in January 2019) come after the person's 2018 services.
SUPPORTED_2018 = {"643": 14, "644": 5, "651": 5, "654": 4, "657": 5}
# The same people by the unit in charge today (after the transfers): 643 loses one to 654 and
# gains one from 644.
SUPPORTED_2018_BY_CURRENT_UNIT = {"643": 14, "644": 4, "651": 5, "654": 5, "657": 5}


def build() -> None:
    """The registers the support demo builds on, then the support demo, seeded as
    ``pcmd.core.demo.load_registers`` seeds them."""
    for app in ("registry", "hotspots", "inspections", "enforcement", "support"):
        builder = import_string(f"pcmd.{app}.demo.build")
        builder(random.Random(f"{SEED}-{app}-{DEMO_YEAR}"), DEMO_YEAR)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo built once for the tests of this module that read it."""
    with kept_for_the_module(django_db_blocker):
        build()
        yield


def test_support_is_built_after_enforcement() -> None:
    order = [path.split(".")[1] for path in settings.PCMD_DEMO_REGISTERS]
    assert order.index("enforcement") < order.index("support")


def test_demo_support_cases(built: None) -> None:
    rows = list(SupportCase.objects.select_related("unit", "person").order_by("pk"))
    assert len(rows) == len(demo_cases.PLANS) == 40
    assert {c.opened_on.year for c in rows} == {2018}
    assert all(c.code == f"HT-2018-{c.pk:05d}" for c in rows)
    assert len({c.person_id for c in rows}) == 40
    by_unit = Counter(c.unit.code for c in rows)
    assert by_unit == {"643": 18, "644": 5, "651": 6, "654": 6, "657": 5}
    assert by_unit.most_common(1)[0][0] == "643"
    origins = Counter(c.origin for c in rows)
    assert origins == {
        CaseOrigin.POLICE: 15,
        CaseOrigin.OUTREACH: 15,
        CaseOrigin.SELF: 5,
        CaseOrigin.ORGANISATION: 5,
    }

    # Police hand-overs: sellers the enforcement demo sanctioned, handed over in 2018,
    # received and assigned to the district by the standing office before the case opened.
    office = User.objects.get(username="thuongtruc")
    sanctioned = set(SanctionedPerson.objects.values_list("person_id", flat=True))
    for case in (c for c in rows if c.origin == CaseOrigin.POLICE):
        referral = Referral.objects.get(pk=case.referral_id)
        assert referral.person_id == case.person_id and case.person_id in sanctioned
        assert referral.source.startswith("sanction:")
        assert referral.to_agency.code == "SO_LDTBXH" and referral.received_by == office
        assert referral.received_on is not None and referral.assigned_on is not None
        assert referral.sent_on <= referral.received_on <= referral.assigned_on <= case.opened_on
        if case.status == CaseStatus.OPEN:
            assert referral.status == ReferralStatus.SUPPORT_STARTED
        else:
            assert referral.status == ReferralStatus.CLOSED and referral.closed_on is not None
            assert referral.closed_on.year in (2018, 2019)
    others = [c for c in rows if c.origin != CaseOrigin.POLICE]
    assert all(c.referral_id is None for c in others)
    adults = Person.objects.filter(pk__in=[c.person_id for c in others])
    assert all(1978 <= p.birth_year <= 1998 for p in adults)  # 20 to 40 in 2018
    # No involvement, referral or consent dated after 2019 (the actions date them "today").
    assert not Involvement.objects.filter(module="support", started_on__year__gt=2019).exists()
    assert not Involvement.objects.filter(module="support", ended_on__year__gt=2019).exists()

    # Workers: the district's social worker; new accounts for the districts other than the city.
    for case in rows:
        assert holds(case.worker, "support.cases", case.unit), case.code
    workers = {c.unit.code: c.worker.username for c in rows}
    assert workers == {code: name for code, (name, _full) in demo_cases.WORKERS.items()}
    for username, _full in demo_cases.WORKERS.values():
        if username != "ctxh.bmt":
            assert not User.objects.get(username=username).check_password(PASSWORD)

    # Needs assessment and goals for every case; services from the catalog.
    assert all(c.assessments.count() == 1 for c in rows)
    plain = ["counselling", "peer_group"]
    for case in rows:
        assert case.goals.exists() == case.services.exclude(type__code__in=plain).exists()
        if case.status == CaseStatus.CLOSED:  # achieved, or dropped when the person left
            assert not case.goals.filter(status="open").exists(), case.code
    services = list(Service.objects.select_related("type"))
    kinds = Counter(s.type.kind for s in services)
    assert set(kinds) >= {"training", "job", "loan", "health", "legal", "counselling", "community"}
    for s in services:
        if s.type.kind == "training":
            assert s.course, s.pk
        if s.type.kind == "loan":
            assert s.lender == "Ngân hàng Chính sách xã hội" and s.loan_amount
            assert s.loan_term_months == 36 and s.repayment
    assert {s.repayment for s in services if s.type.kind == "loan"} >= {"repaid", "late"}
    # two persons declined before any service (codes follow the database's ids: not named)
    assert sum(1 for c in rows if not c.services.exists()) == 2

    # Referrals: each with the person's consent naming the organisation, except one override
    # by the standing office; answers and feedback returned.
    referrals = list(ServiceReferral.objects.select_related("case__person", "to_agency"))
    names = {r.to_agency.code for r in referrals if r.to_agency is not None}
    assert names == {"SO_YTE", "HOI_LHPN_TINH"}
    assert {r.to_name for r in referrals} >= {
        demo_cases.JOBS,
        demo_cases.LEGAL,
        demo_cases.SOCIAL,
        demo_cases.HOSPITAL,
    }
    overridden = [r for r in referrals if r.override_id is not None]
    assert len(overridden) == 1
    override = AccessException.objects.get(pk=overridden[0].override_id)
    assert override.kind == ExceptionKind.CONSENT_OVERRIDE and override.user == office
    for r in referrals:
        consent = people_consent.current_consent(r.case.person, ConsentPurpose.REFERRAL, r.to_name)
        assert (consent is not None and consent.given) != (r.override_id is not None), r.pk
    statuses = Counter(r.status for r in referrals)
    assert statuses[ServiceReferralStatus.SENT] == 0
    assert statuses[ServiceReferralStatus.DECLINED] == 1 and statuses["completed"] >= 10
    assert all(r.feedback for r in referrals)

    # Transfers with reasons; the old unit's worker no longer sees the case.
    transfers = list(CaseTransfer.objects.select_related("from_unit", "to_unit", "case"))
    assert sorted((t.from_unit.code, t.to_unit.code) for t in transfers) == [
        ("643", "654"),
        ("644", "643"),
    ]
    assert all(t.reason for t in transfers)
    bmt = User.objects.get(username="ctxh.bmt")
    moved = next(t.case for t in transfers if t.from_unit.code == "643")
    assert not SupportCase.objects.visible_to(bmt).filter(pk=moved.pk).exists()

    # Closures: most cases closed by 2019 with varied outcomes; three stay open; one reopened.
    closed = [c for c in rows if c.status == CaseStatus.CLOSED]
    assert len(closed) == 37 and all(c.closed_on.year in (2018, 2019) for c in closed)
    outcomes = Counter(c.outcome for c in closed)
    assert len(outcomes) == 6 and outcomes["stable_job"] >= 15
    reopened = AuditEvent.objects.filter(verb="support_case.reopen")
    assert reopened.count() == 1
    open_cases = [c for c in rows if c.status == CaseStatus.OPEN]
    assert len(open_cases) == 3
    for case in open_cases:  # no open case without consent to support services
        assert people_consent.has_support_consent(case.person), case.code
    # Two people withdrew that consent, and their cases closed as declined.
    withdrawn = [c for c in rows if not people_consent.has_support_consent(c.person)]
    assert sorted(c.outcome for c in withdrawn) == ["declined", "declined"]

    # Follow-ups: scheduled at 1, 3, 6 and 12 months from the opening (and the reopening), done
    # at 1, 3 and 6 months while open; only the open cases have any overdue.
    months = cases.followup_months()
    for case in rows:
        due = set(case.followups.values_list("due_on", flat=True))
        assert {add_months(case.opened_on, m) for m in months} <= due, case.code
        for row in case.followups.filter(done_on__isnull=False):
            assert row.kind and row.done_on >= case.opened_on, case.code
    done = FollowUp.objects.filter(done_on__isnull=False)
    assert done.count() >= 100
    for case in (c for c in rows if c.status == CaseStatus.OPEN):
        assert case.followups.filter(done_on__isnull=False).count() == 3
    overdue = cases.overdue_followups(D(2026, 12, 2))
    assert {f.case_id for f in overdue} == {c.pk for c in open_cases}

    # Statistics consent: 34 of the 40.
    assert sum(cases.counted_in_statistics(c) for c in rows) == 34


def supported(by_current_unit: bool) -> dict[str, int]:
    """Distinct persons with a service begun in 2018 and consent to statistics, by district."""
    found: dict[str, set[int]] = {}
    for service in Service.objects.filter(started_on__year=2018).select_related("case__unit"):
        case = service.case
        if not cases.counted_in_statistics(case):
            continue
        unit = case.unit.code
        if not by_current_unit:
            moved = case.transfers.filter(on__lte=service.started_on).order_by("-on").first()
            first = case.transfers.order_by("on").first()
            unit = moved.to_unit.code if moved else (first.from_unit.code if first else unit)
        found.setdefault(unit, set()).add(case.person_id)
    return {code: len(people) for code, people in sorted(found.items())}


def test_persons_supported_in_2018_by_district(built: None) -> None:
    assert supported(by_current_unit=False) == SUPPORTED_2018
    assert supported(by_current_unit=True) == SUPPORTED_2018_BY_CURRENT_UNIT
    assert sum(SUPPORTED_2018.values()) == 33


def test_rerunning_the_demo_duplicates_nothing(built: None) -> None:

    def sizes() -> tuple[int, ...]:
        return (
            SupportCase.objects.count(),
            Person.objects.count(),
            User.objects.count(),
            Referral.objects.count(),
            Service.objects.count(),
            ServiceReferral.objects.count(),
            FollowUp.objects.count(),
            AuditEvent.objects.filter(verb__startswith="support_case.").count(),
            AuditEvent.objects.filter(verb__startswith="referral.").count(),
            AuditEvent.objects.filter(verb="consent.record").count(),
        )

    before = sizes()
    build()
    demo_cases.build(random.Random("another seed"), DEMO_YEAR)
    assert sizes() == before


def test_the_indicator_of_persons_supported_equals_the_hand_count(built: None) -> None:
    """people_supported_cases (distinct persons with a service in the period, only with
    consent to statistics, counted at the unit in charge) through the engine equals the hand
    count of the demo above, by district and for the province."""
    from pcmd.core.periods import parse_period
    from pcmd.geo.models import Unit
    from pcmd.indicators.engine import evaluate
    from pcmd.indicators.models import Indicator

    province = Unit.objects.get(code="66", valid_from=None)
    indicator = Indicator.objects.get(code="people_supported_cases")
    result = evaluate(indicator, province, parse_period("2018"), by="unit")
    codes = dict(Unit.objects.filter(pk__in=list(result.values)).values_list("pk", "code"))
    by_district = {codes[pk]: v for pk, v in result.values.items() if v}
    assert by_district == SUPPORTED_2018_BY_CURRENT_UNIT
    assert result.total == 33
