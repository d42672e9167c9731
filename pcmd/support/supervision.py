"""Supervision of support cases (issue 13): what a supervisor, the standing office or a social
worker sees across the cases in their scope, and what the home cards list.

Every figure is read through ``SupportCase.objects.visible_to(user)`` (holders of
``support.cases`` in scope of the case's unit) with a bounded number of queries:

- caseload: open cases per case worker (one grouped query);
- cases without contact for :data:`NO_CONTACT_DAYS` days (``cases.without_contact``);
- overdue follow-ups and overdue referrals (``cases.overdue_followups`` / ``overdue_referrals``);
- people served this year by outcome of their services (distinct persons; a count of people,
  shown through the small-cell rule of register ``support_service_outcomes``).

Lists show case codes only, never names; a code links to the case page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from pcmd.indicators.privacy import sees_small_cells, shown

from . import cases
from .models import (
    CaseStatus,
    FollowUp,
    Service,
    ServiceOutcome,
    ServiceReferral,
    SupportCase,
)

NO_CONTACT_DAYS = 60
MAX_ROWS = 50
OUTCOME_REGISTER = "support_service_outcomes"


def case_url(pk: int) -> str:
    """The case page (``support:case``, built by the case pages)."""
    return reverse("support:case", args=[pk])


def referral_url(pk: int) -> str:
    """The receiving side's page of a referral (``support:referral``)."""
    return reverse("support:referral", args=[pk])


def visible_cases(user: Any) -> QuerySet[SupportCase]:
    return SupportCase.objects.visible_to(user)


def overdue_followups(user: Any, today: datetime.date) -> QuerySet[FollowUp]:
    return (
        cases.overdue_followups(today)
        .filter(case__in=visible_cases(user))
        .select_related("case", "case__unit")
        .order_by("due_on", "pk")
    )


def overdue_referrals(user: Any, today: datetime.date) -> QuerySet[ServiceReferral]:
    return (
        cases.overdue_referrals(today)
        .filter(case__in=visible_cases(user))
        .select_related("case", "type", "to_agency")
        .order_by("due_on", "pk")
    )


def without_contact(user: Any, today: datetime.date) -> QuerySet[SupportCase]:
    return (
        cases.without_contact(NO_CONTACT_DAYS, today)
        .filter(pk__in=visible_cases(user).values("pk"))
        .select_related("unit", "worker")
        .order_by("last_contact_on", "opened_on", "pk")
    )


@dataclass
class Caseload:
    worker: Any
    open_cases: int


@dataclass
class Supervision:
    today: datetime.date
    caseload: list[Caseload] = field(default_factory=list)
    without_contact: list[SupportCase] = field(default_factory=list)
    without_contact_count: int = 0
    followups: list[FollowUp] = field(default_factory=list)
    followups_count: int = 0
    referrals: list[ServiceReferral] = field(default_factory=list)
    referrals_count: int = 0
    outcomes: list[tuple[str, int | str]] = field(default_factory=list)
    year: int = 0


def caseload(user: Any) -> list[Caseload]:
    from pcmd.accounts.models import User

    rows = (
        visible_cases(user)
        .filter(status=CaseStatus.OPEN)
        .order_by()
        .values("worker")
        .annotate(n=Count("pk"))
    )
    counts = {row["worker"]: row["n"] for row in rows}
    workers = User.objects.filter(pk__in=counts).order_by("full_name", "username")
    return [Caseload(w, counts[w.pk]) for w in workers]


def outcomes(user: Any, year: int) -> list[tuple[str, int | str]]:
    """People whose services started in ``year``, by outcome (distinct persons per outcome),
    as ``user`` may see them: "<5" outside the case roles (an administrator without the
    social-work role), by the small-cell rule of register ``support_service_outcomes``."""
    rows = (
        Service.objects.filter(case__in=visible_cases(user), started_on__year=year)
        .order_by()
        .values("outcome")
        .annotate(n=Count("case__person", distinct=True))
    )
    counts = {row["outcome"]: row["n"] for row in rows}
    suppress = not sees_small_cells(user, OUTCOME_REGISTER)
    return [
        (str(label), shown(counts.get(value, 0), suppress=suppress))
        for value, label in ServiceOutcome.choices
    ]


def supervision(user: Any, today: datetime.date) -> Supervision:
    quiet = without_contact(user, today)
    followups = overdue_followups(user, today)
    referrals = overdue_referrals(user, today)
    return Supervision(
        today=today,
        caseload=caseload(user),
        without_contact=list(quiet[:MAX_ROWS]),
        without_contact_count=quiet.count(),
        followups=list(followups[:MAX_ROWS]),
        followups_count=followups.count(),
        referrals=list(referrals[:MAX_ROWS]),
        referrals_count=referrals.count(),
        outcomes=outcomes(user, today.year),
        year=today.year,
    )


# --- for the home cards -----------------------------------------------------------------------


def my_overdue_followups(user: Any, today: datetime.date) -> QuerySet[FollowUp]:
    """Overdue follow-ups of the cases the user works or supervises (still in scope)."""
    return overdue_followups(user, today).filter(Q(case__worker=user) | Q(case__supervisor=user))


def my_overdue_referrals_sent(user: Any, today: datetime.date) -> QuerySet[ServiceReferral]:
    """Overdue referrals of the cases the user works (the sender's side)."""
    return overdue_referrals(user, today).filter(case__worker=user)


def overdue_referrals_received(user: Any, today: datetime.date) -> QuerySet[ServiceReferral]:
    """Overdue referrals sent to an agency the user is an officer of (active assignment)."""
    agencies = [a.agency_id for a in user.active_assignments if a.agency_id is not None]
    if not agencies:
        return ServiceReferral.objects.none()
    return (
        cases.overdue_referrals(today)
        .filter(to_agency_id__in=agencies)
        .select_related("case", "type", "to_agency")
        .order_by("due_on", "pk")
    )


def supervised_without_contact(user: Any, today: datetime.date) -> QuerySet[SupportCase]:
    """Cases the user supervises with no contact for :data:`NO_CONTACT_DAYS` days."""
    return without_contact(user, today).filter(supervisor=user)
