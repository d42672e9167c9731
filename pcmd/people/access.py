"""Who may know that a person record exists, who may see the identity, and the trail.

- **Existence** (the pseudonymous code): users who may read the records the person appears
  in — sanctions and cases for ``enforcement.view`` in the area; support only for the roles
  that see support identities — plus the data protection officer and the holders of an active
  emergency access.
- **Identity**: an assignment whose role holds ``people.identity``, whose modules
  (``IDENTITY_MODULES``) include a current involvement of the person, whose unit subtree
  contains that involvement's unit and, when the involvement names an agency, of that agency;
  or an active emergency access (break the glass) of the user to that person.
- **Receiving agency**: :func:`reveal_for_referral`, one narrow grant outside the rules above:
  the officer of the agency a support referral was sent to, while the referral is accepted,
  in a session signed in with a second factor.
- **Trail**: :func:`reveal`, :func:`reveal_many` and :func:`reveal_for_referral` are the only
  way code shows an identity; each writes an :class:`AccessLog` row per person shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from pcmd.accounts.roles import (
    CAPABILITIES,
    IDENTITY_MODULES,
    MODULE_CASES,
    MODULE_ENFORCEMENT,
    MODULE_SUPPORT,
    Capability,
)

from .models import AccessException, AccessLog, ExceptionKind, Person

# What lets a user know that a person appears in a module's records: the right to read those
# records. Criminal case files are read by the police, procuracy and court only; the standing
# office, leadership, districts and communes get figures, not the persons of a case.
_EXISTENCE_CAPABILITY = {
    MODULE_ENFORCEMENT: Capability.VIEW_ENFORCEMENT,
    MODULE_CASES: Capability.VIEW_CASES,
}
_SEE_ALL_CODES = (Capability.VIEW_ACCESS_LOG, Capability.MANAGE_REQUESTS)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _involvement_q(module_set: Iterable[str], path: str, agency: Any = None) -> Q:
    q = Q(
        involvements__module__in=list(module_set),
        involvements__unit__path__startswith=path,
        involvements__ended_on__isnull=True,
    )
    if agency is not None:
        q &= Q(involvements__agency__isnull=True) | Q(involvements__agency=agency)
    else:
        q &= Q(involvements__agency__isnull=True)
    return q


def _emergency_q(user: Any) -> Q:
    return Q(
        exceptions__user=user,
        exceptions__kind=ExceptionKind.BREAK_GLASS,
        exceptions__expires_at__gt=timezone.now(),
    )


def identity_q(user: Any, *, emergency: bool = True, module: str | None = None) -> Q:
    """A filter on persons whose identity ``user`` may see (through ``module``'s
    involvements only, when given)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for a in user.active_assignments:
        if Capability.VIEW_IDENTITY not in CAPABILITIES.get(a.role, ()):
            continue
        modules = IDENTITY_MODULES.get(a.role, frozenset())
        if module is not None:
            modules = modules & {module}
        if modules:
            q |= _involvement_q(modules, a.unit.path, a.agency)
    if emergency:
        q |= _emergency_q(user)
    return q


def existence_q(user: Any) -> Q:
    """A filter on persons whose code ``user`` may see."""
    if user is None:
        return Q()
    if not _signed_in(user):
        return Q(pk__in=[])
    if any(user.can(cap) for cap in _SEE_ALL_CODES):
        return Q()
    q = identity_q(user)
    for a in user.active_assignments:
        caps = CAPABILITIES.get(a.role, ())
        modules = [m for m, cap in _EXISTENCE_CAPABILITY.items() if cap in caps]
        if modules:
            q |= Q(
                involvements__module__in=modules,
                involvements__unit__path__startswith=a.unit.path,
            )
    return q


@dataclass(frozen=True)
class Grant:
    """Why a user may see a person's identity: by the rules, or under an emergency access."""

    exception: AccessException | None = None


def active_emergency(user: Any, person: Person) -> AccessException | None:
    if not _signed_in(user):
        return None
    return (
        AccessException.objects.filter(
            user=user,
            person=person,
            kind=ExceptionKind.BREAK_GLASS,
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


def grant_for(user: Any, person: Person) -> Grant | None:
    """The user's grant to ``person``'s identity, or ``None``."""
    if not _signed_in(user) or person.pseudonymised_at is not None:
        return None
    if Person.objects.filter(identity_q(user, emergency=False), pk=person.pk).exists():
        return Grant()
    exception = active_emergency(user, person)
    return Grant(exception) if exception is not None else None


def granted_in(user: Any, person: Person, module: str) -> bool:
    """The user sees ``person``'s identity by the rules (not emergency access) through a
    current involvement in ``module`` (e.g. support: the people referred to them)."""
    if not _signed_in(user) or person.pseudonymised_at is not None:
        return False
    return Person.objects.filter(
        identity_q(user, emergency=False, module=module), pk=person.pk
    ).exists()


def may_know(user: Any, person: Person) -> bool:
    return Person.objects.filter(existence_q(user), pk=person.pk).exists()


def log_read(
    user: Any,
    person: Person,
    surface: str,
    *,
    path: str = "",
    purpose: str = "",
    exception: AccessException | None = None,
) -> AccessLog:
    return AccessLog.objects.create(
        user=user if _signed_in(user) else None,
        person=person,
        surface=surface,
        path=path[:300],
        purpose=purpose[:300],
        exception=exception,
    )


# A reason written for seeing a protected person's identity is at least this long.
PROTECTED_REASON_MIN = 10


def reveal(user: Any, person: Person, surface: str, *, path: str = "", purpose: str = "") -> bool:
    """May ``user`` see ``person``'s identity here? If so, the showing is logged. A protected
    person (a minor) is shown only on their own page and only with a written reason."""
    if person.protected and (surface != "page" or len(purpose.strip()) < PROTECTED_REASON_MIN):
        return False
    grant = grant_for(user, person)
    if grant is None:
        return False
    log_read(user, person, surface, path=path, purpose=purpose, exception=grant.exception)
    return True


def reveal_many(
    user: Any, persons: Iterable[Person], surface: str, *, path: str = "", purpose: str = ""
) -> set[int]:
    """The pks of ``persons`` whose identity ``user`` may see; one log row per person shown.
    Protected persons (minors) are never shown in lists."""
    people = [p for p in persons if p.pseudonymised_at is None and not p.protected]
    if not people or not _signed_in(user):
        return set()
    pks = [p.pk for p in people]
    by_rule = set(
        Person.objects.filter(identity_q(user, emergency=False), pk__in=pks).values_list(
            "pk", flat=True
        )
    )
    emergencies = {
        e.person_id: e
        for e in AccessException.objects.filter(
            user=user,
            person_id__in=[pk for pk in pks if pk not in by_rule],
            kind=ExceptionKind.BREAK_GLASS,
            expires_at__gt=timezone.now(),
        )
    }
    shown = by_rule | set(emergencies)
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            person_id=pk,
            surface=surface,
            path=path[:300],
            purpose=purpose[:300],
            exception=emergencies.get(pk),
        )
        for pk in sorted(shown)
    )
    return shown


def in_support_scope(user: Any) -> bool:
    """The user sees support identities somewhere (social workers, standing office)."""
    return _signed_in(user) and any(
        MODULE_SUPPORT in IDENTITY_MODULES.get(a.role, ()) for a in user.active_assignments
    )


def reveal_for_referral(user: Any, referral: Any, *, verified: bool, path: str = "") -> bool:
    """The one grant of an identity to a receiving agency: the officer of ``referral``'s
    agency sees the person's name and phone while the referral is accepted (not before, not
    after completion or decline), in a session signed in with a second factor. Each showing
    is logged (surface "page", purpose "referral <pk>")."""
    if not _signed_in(user) or not verified:
        return False
    # pcmd.support.models.ServiceReferralStatus.ACCEPTED (people does not import support)
    if referral.status != "accepted" or referral.to_agency_id is None:
        return False
    if not any(a.agency_id == referral.to_agency_id for a in user.active_assignments):
        return False
    person = referral.case.person
    if person.pseudonymised_at is not None:
        return False
    log_read(user, person, "page", path=path, purpose=f"referral {referral.pk}")
    return True
