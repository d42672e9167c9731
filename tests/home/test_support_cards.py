"""Home cards of support cases (issue 13): overdue follow-ups for the case's worker and
supervisor, overdue referrals for the sender and for the receiving agency's officers, cases
without contact for 60 days for the supervisor, and no card for anybody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import Role
from pcmd.agencies.models import Agency
from pcmd.home import cards
from pcmd.people import consent as people_consent
from pcmd.people.models import ConsentPurpose
from pcmd.support import cases
from pcmd.support.models import ServiceType, SupportCase
from tests.conftest import PERSONA_NAMES
from tests.support.figures_data import BMT, D, build, unit

pytestmark = pytest.mark.django_db


TODAY = D(2018, 12, 31)
KEYS = ("support-followups", "support-referrals", "support-without-contact")


def _user(username: str, role: str, agency: Agency | None = None) -> User:
    user = User.objects.create_user(username=username, password="x-Long-Passw0rd!")
    Assignment.objects.create(user=user, role=role, unit=unit(BMT), agency=agency)
    return user


def _cards(user: User) -> dict[str, cards.Card]:
    request = RequestFactory().get("/")
    request.user = user
    ctx = cards.Context(request, TODAY)  # type: ignore[arg-type]
    found = [p(ctx) for p in cards.SUPPORT_WORK]
    return {c.key: c for c in found if c is not None}


@pytest.fixture
def setup(persona: Any) -> dict[str, Any]:
    worker = persona("ctxh.bmt")
    supervisor = _user("ctxh.bmt.sup", Role.SOCIAL_WORKER)
    women = Agency.objects.get(code="HOI_LHPN_TINH")
    receiver = _user("hlhpn.officer", Role.AGENCY_OFFICER, women)
    built = build(worker, supervisor)
    p5: SupportCase = built.cases["P5"]
    people_consent.record_consent(
        worker,
        p5.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 12),
        organisation="Hội LHPN tỉnh",
    )
    referral = cases.refer(
        worker,
        p5,
        type=ServiceType.objects.get(code="job_placement"),
        to_name="Hội LHPN tỉnh",
        to_agency=women,
        sent_on=D(2018, 3, 12),
    )
    return {
        "worker": worker,
        "supervisor": supervisor,
        "receiver": receiver,
        "p5": p5,
        "referral": referral,
    }


def test_worker_sees_follow_ups_and_referrals_sent(setup: dict[str, Any]) -> None:
    found = _cards(setup["worker"])
    assert found["support-followups"].count == 4 * 3  # four open cases, three follow-ups each
    assert len(found["support-followups"].items) == cards.MAX_ITEMS
    assert found["support-referrals"].count == 1
    assert setup["p5"].code in found["support-referrals"].items[0].text
    assert found["support-referrals"].items[0].url == reverse("support:case", args=[setup["p5"].pk])
    assert "Người Được" not in " ".join(i.text + i.note for c in found.values() for i in c.items)
    # the worker is not the supervisor: no cases-without-contact card content
    assert found["support-without-contact"].count == 0


def test_supervisor_sees_follow_ups_and_cases_without_contact(setup: dict[str, Any]) -> None:
    found = _cards(setup["supervisor"])
    assert found["support-followups"].count == 12
    assert found["support-without-contact"].count == 4  # P2–P5, last contact in March
    assert found["support-referrals"].count == 0  # the supervisor did not send it


def test_receiving_officer_sees_the_referral_to_answer(setup: dict[str, Any]) -> None:
    found = _cards(setup["receiver"])
    assert set(found) == {"support-referrals"}
    card = found["support-referrals"]
    assert card.count == 1 and setup["p5"].code in card.items[0].text
    assert card.items[0].url == reverse("support:referral", args=[setup["referral"].pk])
    # answered: off the card
    cases.answer(setup["receiver"], setup["referral"], accepted=True, on=D(2018, 12, 1))
    assert "support-referrals" not in _cards(setup["receiver"])


def test_nobody_else_gets_a_support_card(setup: dict[str, Any], persona: Any) -> None:
    case_roles = {"ctxh.bmt", "thuongtruc", "admin"}
    for username in PERSONA_NAMES:
        found = _cards(persona(username))
        if username in case_roles:
            continue
        assert not any(c.count for c in found.values()), username
        assert not found, username
