"""Emergency access ("break the glass") and the review of access exceptions (issue 11.5).

A user who holds ``people.identity`` somewhere but has no grant to a person by the rules may
open that person's identity by writing a reason: :func:`open_emergency` creates a
time-limited :class:`AccessException` (``PCMD_BREAK_GLASS_HOURS``); while it lasts,
:func:`pcmd.people.access.grant_for` returns it and every read is logged under it.

Every exception — emergency accesses and consent overrides alike — then waits in the review
queue of the ``people.review`` holders: the administrator and the data protection officer
review every use, the standing office the uses by users of its province
(:func:`reviewable_q`). :func:`review_exception` marks a use justified or not, once, never by
the user who made it. Uses left unreviewed longer than ``PCMD_ACCESS_REVIEW_DAYS`` are
overdue (:func:`queue_counts`), flagged on the dashboard and the reviewers' home page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.models import Assignment
from pcmd.accounts.permissions import require
from pcmd.accounts.roles import CAPABILITIES, Capability, Role
from pcmd.core import audit
from pcmd.geo.models import valid_on_q

from .access import active_emergency
from .actions import PersonRefused, province_of
from .models import AccessException, ExceptionKind, Person

MIN_REASON = 20
MAX_REASON = 2000
MAX_NOTE = 2000
# Roles whose review covers every user, wherever they work.
REVIEW_EVERYONE = frozenset({Role.ADMINISTRATOR, Role.PRIVACY_OFFICER})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def hours() -> int:
    return int(settings.PCMD_BREAK_GLASS_HOURS)


def review_days() -> int:
    return int(settings.PCMD_ACCESS_REVIEW_DAYS)


# --- emergency access -----------------------------------------------------------------------


def granted_by_rules(user: Any, person: Person) -> bool:
    from .access import identity_q

    return Person.objects.filter(identity_q(user, emergency=False), pk=person.pk).exists()


def may_break_glass(user: Any, person: Person) -> bool:
    """``user`` holds ``people.identity`` (anywhere) but sees ``person`` by no rule."""
    return (
        _signed_in(user)
        and user.can(Capability.VIEW_IDENTITY)
        and person.pseudonymised_at is None
        and person.merged_into_id is None
        and not granted_by_rules(user, person)
    )


def _clean_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON:
        raise PersonRefused(
            _(
                "Reason: write why you need this person's identity now "
                "(at least %(n)d characters; you wrote %(got)d)."
            ),
            n=MIN_REASON,
            got=len(text),
        )
    if len(text) > MAX_REASON:
        raise PersonRefused(
            _("Reason: at most %(n)d characters (you wrote %(got)d)."),
            n=MAX_REASON,
            got=len(text),
        )
    return text


@transaction.atomic
def open_emergency(actor: Any, person: Person, reason: str) -> AccessException:
    """Open ``person``'s identity to ``actor`` for ``PCMD_BREAK_GLASS_HOURS`` hours."""
    require(actor, Capability.VIEW_IDENTITY)
    if actor is None or not _signed_in(actor):
        raise PermissionDenied
    if person.pseudonymised_at is not None or person.merged_into_id is not None:
        raise PersonRefused(
            _("This record's identity has been removed or merged; there is nothing to open.")
        )
    if granted_by_rules(actor, person):
        raise PersonRefused(_("You already see this person's identity; no emergency access."))
    current = active_emergency(actor, person)
    if current is not None and current.expires_at is not None:
        raise PersonRefused(
            _("Your emergency access to this record is already open until %(until)s."),
            until=timezone.localtime(current.expires_at).strftime("%H:%M %d/%m/%Y"),
        )
    text = _clean_reason(reason)
    now = timezone.now()
    until = now + datetime.timedelta(hours=hours())
    exception = AccessException.objects.create(
        kind=ExceptionKind.BREAK_GLASS,
        user=actor,
        person=person,
        reason=text,
        started_at=now,
        expires_at=until,
    )
    audit.record(
        actor=actor,
        verb="person.emergency",
        obj=person,
        changes={"exception": exception.pk, "until": until.isoformat()},
        reason=text,
    )
    return exception


# --- the review queue -----------------------------------------------------------------------


def reviewable_q(user: Any) -> Q:
    """A filter on the access exceptions ``user`` reviews (their own uses excluded)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return ~Q(user=user)
    today = timezone.localdate()
    q = Q(pk__in=[])
    for a in user.active_assignments:
        if Capability.REVIEW_ACCESS not in CAPABILITIES.get(a.role, ()):
            continue
        if a.role in REVIEW_EVERYONE:
            return ~Q(user=user)
        province = province_of(a.unit)
        q |= Q(
            Exists(
                Assignment.objects.filter(
                    valid_on_q(today),
                    user=OuterRef("user"),
                    unit__path__startswith=province.path,
                )
            )
        )
    return q & ~Q(user=user)


def reviewable(user: Any) -> QuerySet[AccessException]:
    return AccessException.objects.filter(reviewable_q(user))


def pending(user: Any) -> QuerySet[AccessException]:
    """Unreviewed uses, oldest first."""
    return reviewable(user).filter(reviewed_at__isnull=True).order_by("started_at", "pk")


def overdue_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=review_days())


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    overdue: int


def queue_counts(user: Any) -> QueueCounts | None:
    """How many uses wait for ``user``'s review and how many of them are overdue
    (``None``: not a reviewer)."""
    if not _signed_in(user) or not user.can(Capability.REVIEW_ACCESS):
        return None
    # One statement for both (the menu's badge asks on every page).
    counts = reviewable(user).aggregate(
        total=Count("pk", filter=Q(reviewed_at__isnull=True)),
        late=Count("pk", filter=Q(reviewed_at__isnull=True, started_at__lt=overdue_since())),
    )
    return QueueCounts(counts["total"], counts["late"])


@transaction.atomic
def review_exception(
    actor: Any, exception: AccessException, justified: bool, note: str = ""
) -> AccessException:
    """Mark a use justified or not (once; never one's own). An emergency access judged
    unjustified ends at once."""
    require(actor, Capability.REVIEW_ACCESS)
    if actor is not None and exception.user_id == actor.pk:
        raise PersonRefused(_("You cannot review your own use; another reviewer decides on it."))
    if actor is not None and not reviewable(actor).filter(pk=exception.pk).exists():
        raise PermissionDenied
    text = (note or "").strip()
    if not justified and not text:
        raise PersonRefused(_("Note: write why the use had no grounds."))
    if len(text) > MAX_NOTE:
        raise PersonRefused(
            _("Note: at most %(n)d characters (you wrote %(got)d)."), n=MAX_NOTE, got=len(text)
        )
    now = timezone.now()
    changes: dict[str, Any] = {
        "reviewed_by": actor,
        "reviewed_at": now,
        "justified": justified,
        "review_note": text,
    }
    if not justified and exception.kind == ExceptionKind.BREAK_GLASS and exception.is_active(now):
        changes["expires_at"] = now
    done = AccessException.objects.filter(pk=exception.pk, reviewed_at__isnull=True).update(
        **changes
    )
    if not done:
        raise PersonRefused(_("This use has already been reviewed."))
    exception.refresh_from_db()
    audit.record(
        actor=actor,
        verb="person.exception_review",
        obj=exception,
        changes={"justified": [None, justified]},
        reason=text,
    )
    return exception
