"""The receiving agency's side of service referrals (issue 13, item 4).

An officer whose active assignment names an agency sees the referrals sent to that agency,
with the minimum the service needs (DESIGN.md §4): the service, the dates, the case number
and, of the person, only the sex, a five-year band of the year of birth and the commune.
The name and the phone are shown once the officer has accepted the referral and only while it
stays accepted, in a session signed in with a second factor; each showing is logged
(:func:`pcmd.people.access.reveal_for_referral`). Answers go through
:func:`pcmd.support.cases.answer` and :func:`pcmd.support.cases.give_feedback`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.accounts import two_factor
from pcmd.people import access

from .models import ServiceReferral, ServiceReferralStatus

BAND_YEARS = 5


def agency_ids(user: Any) -> set[int]:
    """The agencies ``user`` acts for (active assignments naming an agency)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.agency_id for a in user.active_assignments if a.agency_id is not None}


def receives(user: Any) -> bool:
    return bool(agency_ids(user))


def inbox(user: Any) -> QuerySet[ServiceReferral]:
    """The referrals sent to ``user``'s agencies, newest first."""
    ids = agency_ids(user)
    if not ids:
        return ServiceReferral.objects.none()
    return (
        ServiceReferral.objects.filter(to_agency_id__in=ids)
        .select_related(
            "type",
            "to_agency",
            "case__unit",
            "case__worker",
            "case__person__current_unit",
            "case__person__permanent_unit",
        )
        .order_by("-sent_on", "-pk")
    )


def year_band(year: int | None) -> str:
    """``1995–1999`` for 1996: enough to plan a service, too coarse to identify."""
    if not year:
        return ""
    start = int(year) - int(year) % BAND_YEARS
    return f"{start}–{start + BAND_YEARS - 1}"


@dataclass(frozen=True)
class MinimumData:
    sex: str
    birth_years: str
    commune: str


def minimum_data(referral: ServiceReferral) -> MinimumData:
    person = referral.case.person
    place = person.current_unit or person.permanent_unit or referral.case.unit
    return MinimumData(
        sex=str(person.get_sex_display()),
        birth_years=year_band(person.birth_year),
        commune=place.name if place is not None else "",
    )


@dataclass(frozen=True)
class Identity:
    """The name and phone when shown, else why not (a sentence for the officer)."""

    shown: bool
    full_name: str = ""
    phone: str = ""
    why_not: str = ""
    enrol: bool = False  # the officer has no second factor yet: link to the enrolment


NOT_YET = _("The name and phone are shown once you accept the referral.")
NO_LONGER = _("The name and phone are no longer shown: the referral is no longer accepted.")
NEED_DEVICE = _(
    "To see the name and phone, set up two-factor sign-in for your account first "
    "(an authenticator app), then sign in again with its code."
)
NEED_CODE = _("To see the name and phone, sign in with the code of your authenticator app.")
REMOVED = _("The person's identity has been removed from the records.")


def identity(user: Any, referral: ServiceReferral, *, verified: bool, path: str) -> Identity:
    """What the officer sees of the person's identity on the referral page."""
    if referral.status == ServiceReferralStatus.SENT:
        return Identity(False, why_not=str(NOT_YET))
    if referral.status != ServiceReferralStatus.ACCEPTED:
        return Identity(False, why_not=str(NO_LONGER))
    person = referral.case.person
    if person.pseudonymised_at is not None:
        return Identity(False, why_not=str(REMOVED))
    if not verified:
        if not two_factor.has_device(user):
            return Identity(False, why_not=str(NEED_DEVICE), enrol=True)
        return Identity(False, why_not=str(NEED_CODE))
    if not access.reveal_for_referral(user, referral, verified=verified, path=path):
        return Identity(False, why_not=str(NO_LONGER))
    return Identity(True, full_name=person.full_name, phone=person.phone)
