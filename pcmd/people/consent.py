"""Consent per purpose and the police → standing office hand-over (issue 11 items 7, 12).

Plan 1842 Section IV.2: commune police report the people who sell sex; the provincial police
compile them and send them to the standing office (Sở LĐTBXH) for outreach, education and
support. Here a police officer who sees a sanctioned person's identity refers the person
(:func:`refer_to_standing_office`): a :class:`~pcmd.people.models.Referral` with the minimum
fields and a support involvement under the province *and the standing office's agency*, so
that only that office's officers gain the identity. The office receives it and assigns it to
a district's social workers (:func:`assign_referral`) — only once the person has consented
to support services, unless a holder of ``people.override`` writes why not (an
:class:`~pcmd.people.models.AccessException` of kind ``consent_override``, reviewed like
emergency access). Withdrawing that consent ends the district's involvements again.

The referral itself is a disclosure: it is written to the audit log (never identity values);
the receiving side's reads are logged in the access log when they open it (``reveal``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import covers, holds
from pcmd.accounts.roles import IDENTITY_MODULES, MODULE_ENFORCEMENT, MODULE_SUPPORT, Capability
from pcmd.agencies.models import AgencyRoleKind, agency_with_role
from pcmd.core import audit
from pcmd.geo.models import Unit, UnitLevel
from pcmd.plans.selectors import counterpart

from . import access
from .actions import PersonRefused, province_of
from .models import (
    NAMED_PURPOSES,
    AccessException,
    Consent,
    ConsentPurpose,
    ExceptionKind,
    Involvement,
    Person,
    Referral,
    ReferralQuerySet,
    ReferralStatus,
)

REFERRAL_PREFIX = "referral:"

# --- consent ------------------------------------------------------------------------------


def may_record_consent(user: Any, person: Person) -> bool:
    """Social workers and the standing office who see the person in the support module."""
    return access.granted_in(user, person, MODULE_SUPPORT)


def _key(consent: Consent) -> tuple[str, str]:
    return consent.purpose, consent.organisation.strip().casefold()


def current_consents(person: Person) -> list[Consent]:
    """The latest row of each purpose (and named organisation): the consent in force."""
    seen: dict[tuple[str, str], Consent] = {}
    for row in Consent.objects.filter(person=person).select_related("recorded_by").latest_first():
        seen.setdefault(_key(row), row)
    return sorted(seen.values(), key=lambda c: (c.purpose, c.organisation.casefold()))


def current_consent(person: Person, purpose: str, organisation: str = "") -> Consent | None:
    wanted = (purpose, organisation.strip().casefold())
    return next((c for c in current_consents(person) if _key(c) == wanted), None)


def has_support_consent(person: Person) -> bool:
    consent = current_consent(person, ConsentPurpose.SUPPORT)
    return consent is not None and consent.given


def _end_referral_support(person: Person, on: datetime.date) -> int:
    """End the support involvements that referrals of ``person`` gave districts (the
    standing office keeps its own); their referrals go back to "received"."""
    referrals = {r.pk: r for r in Referral.objects.filter(person=person)}
    ended = []
    for inv in Involvement.objects.current().filter(
        person=person, module=MODULE_SUPPORT, source__startswith=REFERRAL_PREFIX
    ):
        referral = referrals.get(_referral_pk(inv.source) or 0)
        if referral is not None and _is_office_involvement(inv, referral):
            continue
        ended.append(inv.pk)
    Involvement.objects.filter(pk__in=ended).update(ended_on=on)
    Referral.objects.filter(person=person, status=ReferralStatus.SUPPORT_STARTED).update(
        status=ReferralStatus.RECEIVED
    )
    return len(ended)


def _referral_pk(source: str) -> int | None:
    tail = source.removeprefix(REFERRAL_PREFIX)
    return int(tail) if tail.isdecimal() else None


def _is_office_involvement(inv: Involvement, referral: Referral) -> bool:
    return inv.unit_id == referral.to_unit_id and inv.agency_id == referral.to_agency_id


@transaction.atomic
def record_consent(
    actor: Any,
    person: Person,
    *,
    purpose: str,
    given: bool,
    on: datetime.date,
    organisation: str = "",
    note: str = "",
) -> Consent:
    """The person gave (or withdrew) consent for ``purpose`` on ``on``. Withdrawing consent to
    support services ends the districts' access given by referrals."""
    if actor is not None and not may_record_consent(actor, person):
        raise PermissionDenied
    if purpose not in ConsentPurpose.values:
        raise PersonRefused(_("Choose what the consent is for."))
    organisation = organisation.strip()[:200] if purpose in NAMED_PURPOSES else ""
    if purpose in NAMED_PURPOSES and not organisation:
        raise PersonRefused(_("Name the service or organisation the consent is for."))
    if on > timezone.localdate():
        raise PersonRefused(_("The date of the consent lies in the future."))
    last = current_consent(person, purpose, organisation)
    if last is not None and on < last.on:
        raise PersonRefused(
            _("The date is before the last change of this consent (%(date)s)."),
            date=last.on.strftime("%d/%m/%Y"),
        )
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        organisation=organisation,
        given=given,
        on=on,
        recorded_by=actor if actor is not None else None,
        note=note.strip()[:500],
    )
    ended = 0
    if purpose == ConsentPurpose.SUPPORT and not given:
        ended = _end_referral_support(person, on)
    changes: dict[str, Any] = {"purpose": purpose, "given": given, "on": on.isoformat()}
    if organisation:
        changes["organisation"] = organisation
    if ended:
        changes["ended_involvements"] = ended
    audit.record(actor=actor, verb="consent.record", obj=person, changes=changes)
    if not given:
        for hook in WITHDRAWAL_HOOKS:
            hook(actor, consent)
    return consent


# Modules that close what a withdrawn consent covered (e.g. support cases and their
# referrals); each is called inside the withdrawal's transaction with the new row.
WITHDRAWAL_HOOKS: list[Callable[[Any, Consent], None]] = []


def register_withdrawal_hook(hook: Callable[[Any, Consent], None]) -> None:
    """Call from ``AppConfig.ready``."""
    if hook not in WITHDRAWAL_HOOKS:
        WITHDRAWAL_HOOKS.append(hook)


# --- referrals ------------------------------------------------------------------------------


def referable_sources(user: Any, person: Person) -> list[str]:
    """The sanctions and violations of ``person`` that ``user`` (police) may refer from."""
    rows = Involvement.objects.current().filter(person=person, module=MODULE_ENFORCEMENT)
    referred = set(
        Referral.objects.filter(person=person)
        .exclude(status=ReferralStatus.CLOSED)
        .values_list("source", flat=True)
    )
    return sorted(
        {
            inv.source
            for inv in rows.select_related("unit")
            if inv.source not in referred
            and (user is None or holds(user, Capability.VIEW_IDENTITY, inv.unit))
        }
    )


def may_refer(user: Any, person: Person) -> bool:
    return access.granted_in(user, person, MODULE_ENFORCEMENT) and bool(
        referable_sources(user, person)
    )


def _sender(actor: Any, unit: Unit) -> tuple[Unit, Any]:
    """The sending unit and agency: the actor's police assignment over ``unit``."""
    if actor is not None:
        for a in actor.active_assignments:
            if MODULE_ENFORCEMENT in IDENTITY_MODULES.get(a.role, ()) and covers(a.unit, unit):
                return a.unit, a.agency
    return unit, None


@transaction.atomic
def refer_to_standing_office(
    actor: Any, person: Person, *, source: str, note: str, on: datetime.date | None = None
) -> Referral:
    """Hand ``person``, sanctioned in ``source``, over to the province's standing office:
    the agency that holds that role on ``on`` (the date of sending, default today): Sở
    LĐ-TB&XH under plan 1842, Sở Y tế from 01/03/2025 (pcmd/agencies/data)."""
    if actor is not None and not access.granted_in(actor, person, MODULE_ENFORCEMENT):
        raise PermissionDenied
    if (
        Referral.objects.filter(person=person, source=source)
        .exclude(status=ReferralStatus.CLOSED)
        .exists()
    ):
        raise PersonRefused(
            _("The person has already been referred from %(source)s."), source=source
        )
    if source not in referable_sources(actor, person):
        raise PersonRefused(
            _("Choose the sanction or violation the person is referred from (%(source)s)."),
            source=source or "—",
        )
    if not note.strip():
        raise PersonRefused(_("Write a short reason for the referral."))
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise PersonRefused(_("The date of the referral lies in the future."))
    involvement = Involvement.objects.current().filter(person=person, source=source).first()
    assert involvement is not None  # referable_sources found it
    province = province_of(involvement.unit)
    office = agency_with_role(AgencyRoleKind.STANDING_OFFICE, province, on)
    if office is None:
        raise PersonRefused(
            _("No standing office is recorded for the province on %(date)s."),
            date=on.strftime("%d/%m/%Y"),
        )
    from_unit, from_agency = _sender(actor, involvement.unit)
    referral = Referral.objects.create(
        person=person,
        from_unit=from_unit,
        from_agency=from_agency,
        from_user=actor,
        to_unit=province,
        to_agency=office,
        sent_on=on,
        source=source,
        reason=note.strip()[:500],
    )
    Involvement.objects.create(
        person=person,
        module=MODULE_SUPPORT,
        unit=province,
        agency=office,
        source=referral.source_tag,
        started_on=on,
    )
    audit.record(
        actor=actor,
        verb="referral.send",
        obj=referral,
        changes={"person": person.code, "source": source, "agency": office.code},
    )
    return referral


def _require_office(actor: Any, referral: Referral) -> None:
    """The receiving standing office: support identity over the referral's province."""
    if actor is None:
        return
    if not any(
        a.agency_id == referral.to_agency_id
        and MODULE_SUPPORT in IDENTITY_MODULES.get(a.role, ())
        and covers(a.unit, referral.to_unit)
        for a in actor.active_assignments
    ):
        raise PermissionDenied


def may_handle(user: Any, referral: Referral) -> bool:
    try:
        _require_office(user, referral)
    except PermissionDenied:
        return False
    return True


def _require_status(referral: Referral, *allowed: str) -> None:
    if referral.status not in allowed:
        raise PersonRefused(
            _("This referral is %(status)s; it cannot be changed that way."),
            status=referral.get_status_display(),
        )


@transaction.atomic
def receive_referral(actor: Any, referral: Referral) -> Referral:
    _require_office(actor, referral)
    _require_status(referral, ReferralStatus.SENT)
    referral.status = ReferralStatus.RECEIVED
    referral.received_on = timezone.localdate()
    referral.received_by = actor
    referral.save(update_fields=["status", "received_on", "received_by"])
    audit.record(actor=actor, verb="referral.receive", obj=referral, changes={"status": "received"})
    return referral


def districts_for(referral: Referral) -> Any:
    """The units a case can be assigned to: the level below the province on the map of the
    day the referral was sent. Districts until 30/06/2025; from 01/07/2025 districts were
    abolished and the communes of the province of that day (old Đắk Lắk's referrals go to
    the new Đắk Lắk) take the cases."""
    on = referral.sent_on
    province = counterpart(referral.to_unit, on)
    units = Unit.objects.within(province).valid_on(on).order_by("code")
    districts = units.filter(level=UnitLevel.DISTRICT)
    return districts if districts.exists() else units.filter(level=UnitLevel.COMMUNE)


@transaction.atomic
def assign_referral(
    actor: Any, referral: Referral, *, district: Unit, override_reason: str = ""
) -> Referral:
    """Give the case to ``district``'s social workers: only with the person's consent to
    support services, or with a written reason from a holder of ``people.override``."""
    _require_office(actor, referral)
    _require_status(referral, ReferralStatus.RECEIVED)
    if not districts_for(referral).filter(pk=district.pk).exists():
        raise PersonRefused(_("Choose a district or commune of the province from the list."))
    person = referral.person
    override = None
    if not has_support_consent(person):
        reason = override_reason.strip()
        if not reason:
            raise PersonRefused(
                _(
                    "The person has not consented to support services: record the consent "
                    "first, or give a reason to assign the case without it."
                )
            )
        if actor is None or not holds(actor, Capability.OVERRIDE_CONSENT, referral.to_unit):
            raise PersonRefused(
                _("Only an officer allowed to override a missing consent may assign without it.")
            )
        override = AccessException.objects.create(
            kind=ExceptionKind.CONSENT_OVERRIDE,
            user=actor,
            person=person,
            reason=reason[:2000],
            expires_at=None,
        )
    today = timezone.localdate()
    Involvement.objects.get_or_create(
        person=person,
        module=MODULE_SUPPORT,
        unit=district,
        agency=None,
        source=referral.source_tag,
        ended_on=None,
        defaults={"started_on": today},
    )
    referral.status = ReferralStatus.SUPPORT_STARTED
    referral.assigned_unit = district
    referral.assigned_on = today
    referral.assigned_by = actor
    referral.override = override
    referral.save(
        update_fields=["status", "assigned_unit", "assigned_on", "assigned_by", "override"]
    )
    changes: dict[str, Any] = {"unit": district.code, "status": "support_started"}
    if override is not None:
        changes["consent_override"] = override.pk
    audit.record(
        actor=actor,
        verb="referral.assign",
        obj=referral,
        changes=changes,
        reason=override.reason if override is not None else "",
    )
    return referral


@transaction.atomic
def close_referral(actor: Any, referral: Referral) -> Referral:
    """Support ended: the districts' access ends; the standing office keeps the record."""
    _require_office(actor, referral)
    _require_status(referral, ReferralStatus.RECEIVED, ReferralStatus.SUPPORT_STARTED)
    today = timezone.localdate()
    ended = (
        Involvement.objects.current()
        .filter(person=referral.person, source=referral.source_tag)
        .exclude(unit=referral.to_unit, agency=referral.to_agency)
        .update(ended_on=today)
    )
    referral.status = ReferralStatus.CLOSED
    referral.closed_on = today
    referral.closed_by = actor
    referral.save(update_fields=["status", "closed_on", "closed_by"])
    audit.record(
        actor=actor,
        verb="referral.close",
        obj=referral,
        changes={"status": "closed", "ended_involvements": ended},
    )
    return referral


def referrals_waiting(user: Any) -> ReferralQuerySet:
    """Referrals from the police that ``user``'s standing office has not received yet."""
    rows = Referral.objects.visible_to(user).waiting()
    if user is None:
        return rows
    agencies = [
        a.agency_id
        for a in user.active_assignments
        if a.agency_id is not None and MODULE_SUPPORT in IDENTITY_MODULES.get(a.role, ())
    ]
    return rows.filter(to_agency__in=agencies)
