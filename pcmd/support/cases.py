"""Writes to support cases (issue 13): one transaction, one permission check, one audit row.

Who: the social workers and the standing office of the case's unit and the levels above
(capability ``support.cases``, rule ``support.supportcase`` in pcmd/accounts/policy.py).
Consent (pcmd.people.consent) gates the work: a case opens only with the person's consent to
support services; each referral needs consent naming the receiving organisation, or a written
reason from a holder of ``people.override`` (an ``AccessException`` of kind
``consent_override``, reviewed like emergency access). The person appears in module
"support" under the case's unit (``source="support_case:<pk>"``), which gives that unit's
social workers the identity; a transfer moves it, so the old unit loses sight of the case.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import holds, require
from pcmd.accounts.roles import MODULE_SUPPORT
from pcmd.accounts.roles import Capability as C
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.enforcement.legal import add_months
from pcmd.people import consent as people_consent
from pcmd.people.models import (
    AccessException,
    ConsentPurpose,
    ExceptionKind,
    Involvement,
    Person,
)

from .models import (
    NEED_DOMAINS,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    CaseTransfer,
    FollowUp,
    Goal,
    GoalStatus,
    NeedLevel,
    NeedsAssessment,
    Service,
    ServiceOutcome,
    ServiceReferral,
    ServiceReferralStatus,
    ServiceType,
    SupportCase,
)


def source_of(case: SupportCase) -> str:
    return f"support_case:{case.pk}"


def followup_months() -> list[int]:
    return list(getattr(settings, "PCMD_FOLLOWUP_MONTHS", [1, 3, 6, 12]))


def referral_answer_days() -> int:
    return int(getattr(settings, "PCMD_REFERRAL_ANSWER_DAYS", 10))


def _today() -> datetime.date:
    return timezone.localdate()


def _refuse(field: str, message: Any, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(message, params=params)})


def _check_day(field: str, day: datetime.date, not_before: datetime.date | None = None) -> None:
    if day > _today():
        raise _refuse(field, _("The date lies in the future."))
    if not_before is not None and day < not_before:
        raise _refuse(
            field,
            _("The date is before %(date)s."),
            date=not_before.strftime("%d/%m/%Y"),
        )


def _check_worker(field: str, user: Any, unit: Any) -> None:
    if user is None or not holds(user, C.SUPPORT_CASES, unit):
        raise _refuse(field, _("Choose a social worker of the unit in charge."))


def _open(case: SupportCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise _refuse("status", _("The case is closed: reopen it first."))


# --- intake, transfer, closure ---------------------------------------------------------------


@transaction.atomic
def open_case(
    actor: Any,
    *,
    person: Person,
    unit: Any,
    origin: str,
    worker: Any,
    opened_on: datetime.date,
    supervisor: Any = None,
    origin_note: str = "",
    referral: Any = None,
    statistics_consent: bool = False,
) -> SupportCase:
    """Intake: the case, the person's involvement under ``unit`` and the consent to support
    services (given at intake, recorded now) and, if given, to anonymous statistics."""
    case = SupportCase(
        person=person,
        unit=unit,
        origin=origin,
        origin_note=origin_note.strip()[:200],
        referral=referral,
        worker=worker,
        supervisor=supervisor,
        opened_on=opened_on,
    )
    require(actor, C.SUPPORT_CASES, obj=case)
    if origin not in CaseOrigin.values:
        raise _refuse("origin", _("Choose how the case came."))
    if origin == CaseOrigin.POLICE and referral is None:
        raise _refuse("referral", _("Choose the police hand-over the case comes from."))
    if referral is not None and referral.person_id != person.pk:
        raise _refuse("referral", _("The hand-over names another person."))
    _check_worker("worker", worker, unit)
    if supervisor is not None:
        _check_worker("supervisor", supervisor, unit)
    _check_day("opened_on", opened_on)
    if person.merged_into_id is not None or person.pseudonymised_at is not None:
        raise _refuse("person", _("Choose the person's current record."))
    if SupportCase.objects.filter(person=person, status=CaseStatus.OPEN).exists():
        raise _refuse("person", _("This person already has an open support case."))
    case.code = "?"
    case.save()
    case.code = f"HT-{opened_on.year}-{case.pk:05d}"
    SupportCase.objects.filter(pk=case.pk).update(code=case.code)
    Involvement.objects.create(
        person=person,
        module=MODULE_SUPPORT,
        unit=unit,
        source=source_of(case),
        started_on=opened_on,
    )
    people_consent.record_consent(
        actor, person, purpose=ConsentPurpose.SUPPORT, given=True, on=opened_on
    )
    if statistics_consent:
        people_consent.record_consent(
            actor, person, purpose=ConsentPurpose.STATISTICS, given=True, on=opened_on
        )
    for months in followup_months():
        FollowUp.objects.create(case=case, due_on=add_months(opened_on, months))
    audit.record(actor=actor, verb="support_case.open", obj=case, changes={"code": case.code})
    return case


@transaction.atomic
def intake(
    actor: Any,
    *,
    person: Person | None = None,
    values: Mapping[str, Any] | None = None,
    unit: Any,
    **case: Any,
) -> SupportCase:
    """:func:`open_case` for a person found (``person``) or recorded now under the case's unit
    (``values``, the person layer's fields), in one transaction."""
    if (person is None) == (values is None):
        raise _refuse("person", _("Choose a person found, or enter a new person."))
    if person is None:
        from pcmd.people import actions as people_actions

        require(actor, C.SUPPORT_CASES, unit=unit)
        person = people_actions.create_person(actor, unit=unit, values=values or {})
    return open_case(actor, person=person, unit=unit, **case)


@transaction.atomic
def assign(
    actor: Any, case: SupportCase, *, version: int, worker: Any, supervisor: Any = None
) -> SupportCase:
    """Give the case another worker or supervisor of its unit (``version``: the one read; a
    transfer moves a case to another unit)."""
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    _check_worker("worker", worker, case.unit)
    if supervisor is not None:
        _check_worker("supervisor", supervisor, case.unit)
    changes = {
        name: [getattr(old, "username", None), getattr(new, "username", None)]
        for name, old, new in (
            ("worker", case.worker, worker),
            ("supervisor", case.supervisor, supervisor),
        )
        if getattr(old, "pk", None) != getattr(new, "pk", None)
    }
    case.worker, case.supervisor = worker, supervisor
    save_versioned(case, version, ["worker", "supervisor"])
    audit.record(actor=actor, verb="support_case.assign", obj=case, changes=changes)
    return case


@transaction.atomic
def transfer(
    actor: Any,
    case: SupportCase,
    *,
    to_unit: Any,
    to_worker: Any,
    on: datetime.date,
    reason: str,
) -> CaseTransfer:
    """Hand the case to another unit's social worker; the old unit loses sight of it."""
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    if not reason.strip():
        raise _refuse("reason", _("Write why the case is transferred."))
    if to_unit.pk == case.unit_id and to_worker.pk == case.worker_id:
        raise _refuse("to_unit", _("The case is already with this unit and worker."))
    _check_worker("to_worker", to_worker, to_unit)
    _check_day("on", on, case.opened_on)
    row = CaseTransfer.objects.create(
        case=case,
        from_unit=case.unit,
        to_unit=to_unit,
        from_worker=case.worker,
        to_worker=to_worker,
        on=on,
        reason=reason.strip()[:500],
        by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Involvement.objects.filter(
        person=case.person, module=MODULE_SUPPORT, source=source_of(case), ended_on__isnull=True
    ).update(unit=to_unit)
    case.unit, case.worker = to_unit, to_worker
    if case.supervisor is not None and not holds(case.supervisor, C.SUPPORT_CASES, to_unit):
        case.supervisor = None
    save_versioned(case, None, ["unit", "worker", "supervisor"])
    audit.record(
        actor=actor,
        verb="support_case.transfer",
        obj=case,
        changes={"unit": [row.from_unit.code, to_unit.code]},
        reason=row.reason,
    )
    return row


@transaction.atomic
def close_case(actor: Any, case: SupportCase, *, outcome: str, on: datetime.date) -> SupportCase:
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    if outcome not in CaseOutcome.values:
        raise _refuse("outcome", _("Choose the outcome of the case."))
    _check_day("on", on, case.opened_on)
    case.status, case.outcome, case.closed_on = CaseStatus.CLOSED, outcome, on
    save_versioned(case, None, ["status", "outcome", "closed_on"])
    Involvement.objects.filter(
        person=case.person, module=MODULE_SUPPORT, source=source_of(case), ended_on__isnull=True
    ).update(ended_on=on)
    audit.record(actor=actor, verb="support_case.close", obj=case, changes={"outcome": outcome})
    return case


@transaction.atomic
def reopen(actor: Any, case: SupportCase, *, on: datetime.date, reason: str) -> SupportCase:
    require(actor, C.SUPPORT_CASES, obj=case)
    if case.status != CaseStatus.CLOSED:
        raise _refuse("status", _("The case is open."))
    if not reason.strip():
        raise _refuse("reason", _("Write why the case is reopened."))
    _check_day("on", on, case.closed_on)
    if not people_consent.has_support_consent(case.person):
        raise _refuse("reason", _("The person has withdrawn consent to support services."))
    case.status, case.outcome, case.closed_on = CaseStatus.OPEN, "", None
    save_versioned(case, None, ["status", "outcome", "closed_on"])
    Involvement.objects.create(
        person=case.person,
        module=MODULE_SUPPORT,
        unit=case.unit,
        source=source_of(case),
        started_on=on,
    )
    for months in followup_months():
        FollowUp.objects.create(case=case, due_on=add_months(on, months))
    audit.record(actor=actor, verb="support_case.reopen", obj=case, reason=reason.strip()[:500])
    return case


# --- assessment, plan, services ---------------------------------------------------------------


@transaction.atomic
def assess(
    actor: Any,
    case: SupportCase,
    *,
    on: datetime.date,
    levels: Mapping[str, str],
    note: str = "",
) -> NeedsAssessment:
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    _check_day("on", on, case.opened_on)
    errors = {
        d: ValidationError(_("Choose a level of need."))
        for d in NEED_DOMAINS
        if levels.get(d) not in NeedLevel.values
    }
    if errors:
        raise ValidationError(errors)
    row = NeedsAssessment.objects.create(
        case=case,
        on=on,
        note=note.strip(),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        **{d: levels[d] for d in NEED_DOMAINS},
    )
    _contact(case, on)
    audit.record(actor=actor, verb="support_case.assess", obj=case)
    return row


@transaction.atomic
def add_goal(
    actor: Any, case: SupportCase, *, domain: str, text: str, due_on: datetime.date
) -> Goal:
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    if domain not in NEED_DOMAINS:
        raise _refuse("domain", _("Choose the area of the goal."))
    if not text.strip():
        raise _refuse("text", _("Write the goal."))
    if due_on < case.opened_on:
        raise _refuse("due_on", _("The date is before the case opened."))
    goal = Goal.objects.create(case=case, domain=domain, text=text.strip()[:300], due_on=due_on)
    audit.record(actor=actor, verb="support_case.goal", obj=case, changes={"domain": domain})
    return goal


@transaction.atomic
def set_goal_status(actor: Any, goal: Goal, *, status: str) -> Goal:
    require(actor, C.SUPPORT_CASES, obj=goal.case)
    if status not in GoalStatus.values:
        raise _refuse("status", _("Choose the status of the goal."))
    goal.status = status
    goal.save(update_fields=["status"])
    audit.record(actor=actor, verb="support_case.goal", obj=goal.case, changes={"status": status})
    return goal


SERVICE_FIELDS = (
    "provider",
    "provider_name",
    "ended_on",
    "cost",
    "outcome",
    "course",
    "loan_amount",
    "lender",
    "loan_term_months",
    "repayment",
    "note",
)


@transaction.atomic
def record_service(
    actor: Any,
    case: SupportCase,
    *,
    type: ServiceType,
    started_on: datetime.date,
    values: Mapping[str, Any] | None = None,
) -> Service:
    """A service delivered; only while the person consents to support services."""
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    if not people_consent.has_support_consent(case.person):
        raise _refuse(
            "type", _("The person has withdrawn consent to support services: no service.")
        )
    _check_day("started_on", started_on, case.opened_on)
    service = Service(case=case, type=type, started_on=started_on)
    for name in SERVICE_FIELDS:
        if values and name in values:
            setattr(service, name, values[name])
    errors: dict[str, Any] = {}
    if service.ended_on is not None and service.ended_on < started_on:
        errors["ended_on"] = ValidationError(_("The service cannot end before it began."))
    if type.kind == "loan" and not (service.loan_amount and service.lender):
        errors["loan_amount"] = ValidationError(_("A loan needs its amount and its lender."))
    for name in ("cost", "loan_amount"):
        value = getattr(service, name)
        if value is not None and value < 0:
            errors[name] = ValidationError(_("The amount cannot be negative."))
    if service.outcome not in ServiceOutcome.values:
        errors["outcome"] = ValidationError(_("Choose the outcome of the service."))
    if errors:
        raise ValidationError(errors)
    service.full_clean(exclude=["case"])
    service.save()
    _contact(case, started_on)
    audit.record(actor=actor, verb="support_case.service", obj=case, changes={"type": type.code})
    return service


# --- referrals --------------------------------------------------------------------------------


@transaction.atomic
def refer(
    actor: Any,
    case: SupportCase,
    *,
    type: ServiceType,
    to_name: str,
    sent_on: datetime.date,
    to_agency: Any = None,
    override_reason: str = "",
) -> ServiceReferral:
    """Refer the case for ``type`` to an organisation: only with the person's consent naming
    it, or with a reason from a holder of ``people.override`` (logged for review)."""
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    to_name = (to_name or (to_agency.name if to_agency is not None else "")).strip()[:200]
    if not to_name:
        raise _refuse("to_name", _("Name the agency or organisation."))
    _check_day("sent_on", sent_on, case.opened_on)
    consent = people_consent.current_consent(case.person, ConsentPurpose.REFERRAL, to_name)
    override = None
    if consent is None or not consent.given:
        reason = override_reason.strip()
        if not reason:
            raise _refuse(
                "to_name",
                _(
                    "The person has not consented to be referred to %(name)s: record the "
                    "consent first, or give a reason to refer without it."
                ),
                name=to_name,
            )
        if not getattr(actor, "is_authenticated", False) or not holds(
            actor, C.OVERRIDE_CONSENT, case.unit
        ):
            raise _refuse(
                "override_reason",
                _("Only an officer allowed to override a missing consent may refer without it."),
            )
        override = AccessException.objects.create(
            kind=ExceptionKind.CONSENT_OVERRIDE,
            user=actor,
            person=case.person,
            reason=reason[:2000],
            expires_at=None,
        )
    row = ServiceReferral.objects.create(
        case=case,
        type=type,
        to_agency=to_agency,
        to_name=to_name,
        sent_on=sent_on,
        due_on=sent_on + datetime.timedelta(days=referral_answer_days()),
        override=override,
        by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        verb="support_case.refer",
        obj=case,
        changes={"to": to_name, "type": type.code, "consent_override": bool(override)},
        reason=override.reason if override is not None else "",
    )
    return row


def may_answer(user: Any, referral: ServiceReferral) -> bool:
    """The receiving agency's officers answer; for an organisation without users in PCMD,
    the case's social workers record its answer."""
    if referral.to_agency_id is not None and any(
        a.agency_id == referral.to_agency_id for a in getattr(user, "active_assignments", [])
    ):
        return True
    from pcmd.accounts.permissions import allows

    return allows(user, C.SUPPORT_CASES, obj=referral.case)


@transaction.atomic
def answer(
    actor: Any,
    referral: ServiceReferral,
    *,
    accepted: bool,
    on: datetime.date,
    feedback: str = "",
) -> ServiceReferral:
    if actor is not None and not may_answer(actor, referral):
        raise PermissionDenied
    if referral.status != ServiceReferralStatus.SENT:
        raise _refuse("status", _("This referral has already been answered."))
    _check_day("on", on, referral.sent_on)
    if not accepted and not feedback.strip():
        raise _refuse("feedback", _("Write why the referral is declined."))
    referral.status = ServiceReferralStatus.ACCEPTED if accepted else ServiceReferralStatus.DECLINED
    referral.answered_on = on
    referral.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    referral.feedback = feedback.strip()[:1000]
    referral.save(update_fields=["status", "answered_on", "answered_by", "feedback"])
    audit.record(
        actor=actor,
        verb="support_case.referral_answer",
        obj=referral.case,
        changes={"status": referral.status},
    )
    return referral


@transaction.atomic
def give_feedback(
    actor: Any, referral: ServiceReferral, *, on: datetime.date, feedback: str
) -> ServiceReferral:
    """The receiving side returns what the service gave."""
    if actor is not None and not may_answer(actor, referral):
        raise PermissionDenied
    if referral.status != ServiceReferralStatus.ACCEPTED:
        raise _refuse("status", _("Only an accepted referral gets feedback."))
    if not feedback.strip():
        raise _refuse("feedback", _("Write the feedback."))
    _check_day("on", on, referral.answered_on)
    referral.status = ServiceReferralStatus.COMPLETED
    referral.feedback = feedback.strip()[:1000]
    referral.save(update_fields=["status", "feedback"])
    audit.record(actor=actor, verb="support_case.referral_feedback", obj=referral.case, changes={})
    return referral


# --- follow-up ----------------------------------------------------------------------------------


def _contact(case: SupportCase, on: datetime.date) -> None:
    if case.last_contact_on is None or on > case.last_contact_on:
        SupportCase.objects.filter(pk=case.pk).update(last_contact_on=on)
        case.last_contact_on = on


@transaction.atomic
def record_followup(
    actor: Any,
    case: SupportCase,
    *,
    done_on: datetime.date,
    kind: str,
    note: str = "",
) -> FollowUp:
    """A contact made: it fulfils the earliest scheduled follow-up due, else adds one."""
    require(actor, C.SUPPORT_CASES, obj=case)
    _open(case)
    if kind not in ("visit", "call", "office"):
        raise _refuse("kind", _("Choose how the contact was made."))
    _check_day("done_on", done_on, case.opened_on)
    row = case.followups.filter(done_on__isnull=True).order_by("due_on").first()
    if row is None or row.due_on > add_months(done_on, 1):
        row = FollowUp(case=case, due_on=done_on)
    row.done_on, row.kind, row.note = done_on, kind, note.strip()[:1000]
    row.by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    _contact(case, done_on)
    audit.record(actor=actor, verb="support_case.followup", obj=case, changes={"kind": kind})
    return row


def overdue_followups(today: datetime.date | None = None) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(
        done_on__isnull=True, due_on__lt=today or _today(), case__status=CaseStatus.OPEN
    )


def overdue_referrals(today: datetime.date | None = None) -> QuerySet[ServiceReferral]:
    return ServiceReferral.objects.filter(
        status=ServiceReferralStatus.SENT,
        due_on__lt=today or _today(),
        case__status=CaseStatus.OPEN,
    )


def without_contact(days: int = 60, today: datetime.date | None = None) -> QuerySet[SupportCase]:
    """Open cases with no contact for ``days`` days (counted from the opening when none)."""
    limit = (today or _today()) - datetime.timedelta(days=days)
    return SupportCase.objects.filter(status=CaseStatus.OPEN).filter(
        Q(last_contact_on__lt=limit) | Q(last_contact_on__isnull=True, opened_on__lt=limit)
    )


def counted_in_statistics(case: SupportCase) -> bool:
    """GBVIMS practice: a case counts in statistics only with the person's consent."""
    consent = people_consent.current_consent(case.person, ConsentPurpose.STATISTICS)
    return consent is not None and consent.given


def load_service_types(model: Any = ServiceType) -> int:
    """Create or correct the catalog from ``data/services.yaml`` (codes kept)."""
    from pathlib import Path

    from pcmd.core import yamldata

    path = Path(__file__).resolve().parent / "data" / "services.yaml"
    with open(path, encoding="utf-8") as fh:
        rows = yamldata.load(fh)["services"]
    for order, row in enumerate(rows, 1):
        model.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "name": row["name"],
                "name_en": row["name_en"],
                "order": order,
            },
        )
    return len(rows)


def on_withdrawal(actor: Any, consent: Any) -> None:
    """A withdrawn consent closes what it covered: consent to support services closes the
    person's open cases (outcome "declined", on the day of the withdrawal); consent to be
    referred to an organisation ends the referrals to it that are still open (declined)."""
    if consent.purpose == ConsentPurpose.SUPPORT:
        for case in SupportCase.objects.filter(person=consent.person, status=CaseStatus.OPEN):
            on = max(consent.on, case.opened_on)
            case.status, case.outcome, case.closed_on = (
                CaseStatus.CLOSED,
                CaseOutcome.DECLINED,
                on,
            )
            save_versioned(case, None, ["status", "outcome", "closed_on"])
            Involvement.objects.filter(
                person=case.person,
                module=MODULE_SUPPORT,
                source=source_of(case),
                ended_on__isnull=True,
            ).update(ended_on=on)
            audit.record(
                actor=actor,
                verb="support_case.close",
                obj=case,
                changes={"outcome": CaseOutcome.DECLINED, "consent_withdrawn": True},
            )
    elif consent.purpose == ConsentPurpose.REFERRAL:
        name = consent.organisation.strip().casefold()
        open_rows = ServiceReferral.objects.filter(
            case__person=consent.person,
            status__in=[ServiceReferralStatus.SENT, ServiceReferralStatus.ACCEPTED],
        )
        for row in open_rows:
            if row.to_name.strip().casefold() != name:
                continue
            row.status = ServiceReferralStatus.DECLINED
            row.answered_on = row.answered_on or consent.on
            row.save(update_fields=["status", "answered_on"])
            audit.record(
                actor=actor,
                verb="support_case.referral_answer",
                obj=row.case,
                changes={"status": row.status, "consent_withdrawn": True},
            )
