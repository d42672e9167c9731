"""Writes to case files and rings: one transaction, one permission check, one audit row each.

Permissions (pcmd/accounts/policy.py rules ``cases.case`` and ``cases.ring``): the police in
scope record cases, persons and rings and decide the police stages; the procuracy decides the
prosecution stage; the court decides trial preparation, trial and enforcement and records the
trial and sentences (:data:`pcmd.cases.rules.OWNER_CAPABILITY`). Each decision closes the open
step, applies :data:`pcmd.cases.rules.MOVES` and opens the next stage with its legal clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.accounts.roles import MODULE_CASES
from pcmd.accounts.roles import Capability as C
from pcmd.core import audit
from pcmd.core.concurrency import EditConflict, save_versioned
from pcmd.people import access
from pcmd.people import actions as people_actions
from pcmd.people.models import Involvement, Person

from . import legal, rules
from .models import (
    Case,
    CaseParty,
    Decision,
    Owner,
    PartyRole,
    Ring,
    RingMember,
    Stage,
    Standing,
    Step,
    Trial,
)

CASE_FIELDS = ("title", "commune", "detected_on", "detected_by", "origin", "ring")
CASE_LINKS = ("offences", "establishments", "hotspots", "inspections", "violations")


def case_source(case: Case) -> str:
    return f"case:{case.pk}"


def ring_source(ring: Ring) -> str:
    return f"ring:{ring.pk}"


def _today() -> datetime.date:
    return timezone.localdate()


# Case files start with the Penal Code 2015 era's records; earlier dates are typing errors.
EARLIEST = datetime.date(2000, 1, 1)


def _check_dates(detected_on: datetime.date | None) -> None:
    if detected_on is not None and detected_on > _today():
        raise ValidationError({"detected_on": ValidationError(_("The date lies in the future."))})
    if detected_on is not None and detected_on < EARLIEST:
        raise ValidationError(
            {"detected_on": ValidationError(_("The date is before 01/01/2000: check it."))}
        )


def _opened(case: Case) -> bool:
    """A decision was taken: the clocks ran from the detection date and the offences."""
    return case.steps.filter(decided_on__isnull=False).exists()


def _set_links(case: Case, links: Mapping[str, Iterable[Any]]) -> None:
    for name in CASE_LINKS:
        if name in links:
            getattr(case, name).set(list(links[name]))


def refresh_category(case: Case) -> None:
    """The case's category is the most severe of its offences; the open step's due date
    follows it (the limits of Art. 172, 240 and 277 depend on it)."""
    category = legal.most_severe(list(case.offences.values_list("category", flat=True))) or ""
    if category != case.category:
        Case.objects.filter(pk=case.pk).update(category=category)
        case.category = category
    step = case.current_step()
    if step is not None:
        limits = legal.stage_limits()[step.stage]
        due = limits.due(step.started_on, category or None, step.extensions)
        if due != step.due_on:
            Step.objects.filter(pk=step.pk).update(due_on=due)


def _open_step(case: Case, stage: str, start: datetime.date) -> Step | None:
    if stage == Stage.CLOSED:
        return None
    limits = legal.stage_limits()[stage]
    return Step.objects.create(
        case=case,
        stage=stage,
        owner=rules.OWNERS[stage],
        started_on=start,
        due_on=limits.due(start, case.category or None),
    )


@transaction.atomic
def create_case(
    actor: Any,
    *,
    values: Mapping[str, Any],
    links: Mapping[str, Iterable[Any]] | None = None,
) -> Case:
    """A report received: the case file and its first stage (verification, Art. 147)."""
    case = Case(**{n: values[n] for n in CASE_FIELDS if n in values})
    require(actor, C.EDIT_CASES, obj=case)
    _check_dates(case.detected_on)
    case.full_clean(exclude=["code"])
    case.code = "?"
    case.created_by = actor if getattr(actor, "is_authenticated", False) else None
    case.save()
    case.code = f"VV-{case.detected_on.year}-{case.pk:05d}"
    Case.objects.filter(pk=case.pk).update(code=case.code)
    _set_links(case, links or {})
    refresh_category(case)
    _open_step(case, Stage.RECEIVED, case.detected_on)
    audit.record(actor=actor, verb="case.create", obj=case, changes={"code": case.code})
    return case


@transaction.atomic
def update_case(
    actor: Any,
    case: Case,
    *,
    version: int | None,
    values: Mapping[str, Any],
    links: Mapping[str, Iterable[Any]] | None = None,
) -> Case:
    require(actor, C.EDIT_CASES, obj=case)
    changed = [n for n in CASE_FIELDS if n in values and values[n] != getattr(case, n)]
    if "detected_on" in changed and _opened(case):
        raise ValidationError(
            {
                "detected_on": ValidationError(
                    _(
                        "Decisions were taken from this date: it can no longer change. "
                        "Correct the decisions' record first if it is wrong."
                    )
                )
            }
        )
    if links is not None and "offences" in links and not list(links["offences"]):
        if case.stage != Stage.RECEIVED or _opened(case):
            raise ValidationError(
                {"offences": ValidationError(_("A case opened for an offence keeps one."))}
            )
    for name in changed:
        setattr(case, name, values[name])
    require(actor, C.EDIT_CASES, obj=case)  # a new commune must be in scope too
    _check_dates(case.detected_on)
    case.full_clean(exclude=["code"])
    save_versioned(case, version, changed)
    _set_links(case, links or {})
    refresh_category(case)
    if "detected_on" in changed or "commune" in changed:
        refresh_minors(case)
        _move_involvements(case)
    audit.record(
        actor=actor,
        verb="case.update",
        obj=case,
        changes={"fields": changed, "links": sorted((links or {}).keys())},
    )
    return case


# --- persons --------------------------------------------------------------------------------


def _person_for(
    actor: Any, unit: Any, person: Person | None, values: Mapping[str, Any] | None
) -> Person:
    if (person is None) == (values is None):
        raise ValidationError(
            {"person": ValidationError(_("Choose a person found, or enter a new person."))}
        )
    if person is None:
        assert values is not None
        return people_actions.create_person(actor, unit=unit, values=values)
    if actor is not None and not access.may_know(actor, person):
        raise PermissionDenied
    if person.merged_into_id is not None:
        raise ValidationError(
            {
                "person": ValidationError(
                    _("Record %(code)s was merged into %(kept)s: choose that one."),
                    params={"code": person.code, "kept": person.merged_into},
                )
            }
        )
    return person


def _check_role(role: str, standing: str | None = None) -> None:
    errors = {}
    if role not in PartyRole.values:
        errors["role"] = ValidationError(_("Choose what the person did."))
    if standing is not None and standing not in Standing.values:
        errors["standing"] = ValidationError(_("Choose the person's standing in the case."))
    if errors:
        raise ValidationError(errors)
    if standing is not None:
        rules.check_standing(role, standing)


def refresh_minors(case: Case) -> None:
    """Whether each person was under 18 when the case was detected (decrypted here, on the
    server, only to compute the flag)."""
    any_minor = False
    for party in case.parties.select_related("person"):
        minor = rules.is_minor(party.person, case.detected_on)
        any_minor |= minor
        if minor != party.is_minor:
            CaseParty.objects.filter(pk=party.pk).update(is_minor=minor)
    if any_minor != case.has_minor:
        Case.objects.filter(pk=case.pk).update(has_minor=any_minor)
        case.has_minor = any_minor
    protect_minors(case.parties.values_list("person_id", flat=True))


def protect_minors(person_ids: Iterable[int]) -> None:
    """A person under 18 in any criminal case is under special protection in the person
    layer (pcmd.people.access.reveal): never in lists, searches or the API."""
    ids = set(person_ids)
    minors = set(
        CaseParty.objects.filter(person_id__in=ids, is_minor=True).values_list(
            "person_id", flat=True
        )
    )
    Person.objects.filter(pk__in=minors, protected=False).update(protected=True)


def _move_involvements(case: Case) -> None:
    Involvement.objects.filter(
        module=MODULE_CASES, source=case_source(case), ended_on__isnull=True
    ).update(unit=case.commune)


@transaction.atomic
def add_party(
    actor: Any,
    case: Case,
    *,
    role: str,
    standing: str,
    person: Person | None = None,
    values: Mapping[str, Any] | None = None,
) -> CaseParty:
    """Name a person in the case (found, or new from ``values``) with role and standing;
    the police do, while the case is with them."""
    require(actor, C.EDIT_CASES, obj=case)
    _police_stage(case)
    _check_role(role, standing)
    born = (values or {}).get("birth_date") or (values or {}).get("birth_year")
    year = born.year if isinstance(born, datetime.date) else born
    if year and int(year) > case.detected_on.year:
        raise ValidationError(
            {"birth_year": ValidationError(_("The person was born after the case was detected."))}
        )
    person = _person_for(actor, case.commune, person, values)
    if CaseParty.objects.filter(case=case, person=person).exists():
        raise ValidationError(
            {
                "person": ValidationError(
                    _("%(code)s is already named in this case."), params={"code": person.code}
                )
            }
        )
    party = CaseParty.objects.create(
        case=case,
        person=person,
        role=role,
        standing=standing,
        is_minor=rules.is_minor(person, case.detected_on),
    )
    people_actions.involve(
        actor,
        person,
        module=MODULE_CASES,
        unit=case.commune,
        source=case_source(case),
        on=case.detected_on,
    )
    refresh_minors(case)
    audit.record(
        actor=actor,
        verb="case.add_party",
        obj=case,
        changes={"person": [None, person.code], "role": [None, role], "standing": [None, standing]},
    )
    return party


@transaction.atomic
def change_party(
    actor: Any,
    party: CaseParty,
    *,
    role: str | None = None,
    standing: str | None = None,
    sentence: str | None = None,
    prison_months: int | None = None,
) -> CaseParty:
    """Role and standing belong to the owner of the case's current stage (the police while
    they verify and investigate, the procuracy while it decides, the court at trial); the
    sentence is the court's, once the case is at trial or after the judgment."""
    case = party.case
    if role is not None or standing is not None:
        if case.stage not in rules.OWNERS:
            raise _stage_refusal(_("The case is closed: its persons no longer change."))
        require(actor, rules.capability_for(case.stage), obj=case)
    if sentence is not None or prison_months is not None:
        require(actor, C.TRY_CASES, obj=case)
        if case.stage not in (Stage.TRIAL, Stage.ENFORCEMENT):
            raise ValidationError(
                {"sentence": ValidationError(_("A sentence is recorded at trial, not before."))}
            )
    new_role = role if role is not None else party.role
    new_standing = standing if standing is not None else party.standing
    _check_role(new_role, new_standing)
    changes: dict[str, Any] = {}
    for name, value in (
        ("role", role),
        ("standing", standing),
        ("sentence", sentence),
        ("prison_months", prison_months),
    ):
        if value is not None and value != getattr(party, name):
            changes[name] = [getattr(party, name), value]
            setattr(party, name, value)
    if changes:
        party.save()
        audit.record(actor=actor, verb="case.change_party", obj=case, changes=changes)
    return party


@transaction.atomic
def remove_party(actor: Any, party: CaseParty, *, reason: str) -> None:
    case = party.case
    require(actor, C.EDIT_CASES, obj=case)
    _police_stage(case)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Write why the person is removed."))})
    person = party.person
    party.delete()
    Involvement.objects.filter(
        person=person, module=MODULE_CASES, source=case_source(case), ended_on__isnull=True
    ).update(ended_on=_today())
    refresh_minors(case)
    audit.record(
        actor=actor,
        verb="case.remove_party",
        obj=case,
        changes={"person": [person.code, None]},
        reason=reason.strip()[:500],
    )


def _check_version(case: Case, version: int | None) -> None:
    """The decision was taken on what the officer read: someone else's since → 409."""
    if version is not None and version != case.version:
        raise EditConflict(case)


def _police_stage(case: Case) -> None:
    if rules.OWNERS.get(case.stage) != Owner.POLICE:
        raise ValidationError(
            {
                "person": ValidationError(
                    _(
                        "The case has left the police: persons are added or removed while it "
                        "is verified or investigated."
                    )
                )
            }
        )


# --- stages ---------------------------------------------------------------------------------


def _stage_refusal(message: Any, **params: Any) -> ValidationError:
    return ValidationError({"decision": ValidationError(message, params=params)})


@transaction.atomic
def decide(
    actor: Any,
    case: Case,
    *,
    decision: str,
    on: datetime.date,
    document: str = "",
    reason: str = "",
    agency: Any = None,
    version: int | None = None,
) -> Step:
    """Take ``decision`` on the case's open stage: only its owner may (police, procuracy,
    court), on a day not before the stage began nor in the future."""
    step = case.current_step()
    if step is None:
        raise _stage_refusal(_("No stage of this case is open: resume it or it is closed."))
    require(actor, rules.capability_for(step.stage), obj=case)
    _check_version(case, version)
    move = rules.move_for(step.stage, decision)
    if move.needs_reason and not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Write the reasons for the decision."))})
    if on > _today():
        raise ValidationError({"on": ValidationError(_("The date lies in the future."))})
    if on < step.started_on:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("The decision cannot be dated before the stage began (%(start)s)."),
                    params={"start": step.started_on.strftime("%d/%m/%Y")},
                )
            }
        )
    if decision == Decision.OPEN and not case.offences.exists():
        raise _stage_refusal(_("Name the offence the case is opened for first (edit the case)."))
    if decision == Decision.JUDGMENT and not Trial.objects.filter(case=case).exists():
        raise _stage_refusal(_("Record the trial before the judgment."))
    step.decision = decision
    step.decided_on = on
    step.document = document.strip()[:60]
    step.reason = reason.strip()[:1000]
    step.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    step.agency = agency or step.agency
    step.save()
    fields = []
    if decision != Decision.SUSPEND:
        case.stage = move.to
        fields.append("stage")
        if move.handled:
            case.outcome = decision
            fields.append("outcome")
            if case.handled_on is None:
                case.handled_on = on
                fields.append("handled_on")
        _open_step(case, move.to, on)
        _advance_standings(case, decision)
    save_versioned(case, version, fields)  # a stale version (someone decided first): 409
    audit.record(
        actor=actor,
        verb="case.decide",
        obj=case,
        changes={"stage": step.stage, "decision": decision, "on": on.isoformat()},
        reason=step.reason,
    )
    return step


def _advance_standings(case: Case, decision: str) -> None:
    """Concluding the investigation charges the persons held (bị can); bringing the case to
    trial makes them defendants (bị cáo). People who sell sex are never among them."""
    if decision == Decision.PROPOSE_PROSECUTION:
        case.parties.filter(standing=Standing.SUSPECT).exclude(role=PartyRole.SELLER).update(
            standing=Standing.ACCUSED
        )
    elif decision == Decision.BRING_TO_TRIAL:
        case.parties.filter(standing__in=[Standing.SUSPECT, Standing.ACCUSED]).exclude(
            role=PartyRole.SELLER
        ).update(standing=Standing.DEFENDANT)


@transaction.atomic
def resume(actor: Any, case: Case, *, on: datetime.date, version: int | None = None) -> Step:
    """Resume a suspended case: the same stage opens again with a fresh clock."""
    last = case.steps.order_by("-pk").first()
    if last is None or last.decision != Decision.SUSPEND or case.current_step() is not None:
        raise _stage_refusal(_("Only a suspended case can be resumed."))
    require(actor, rules.capability_for(last.stage), obj=case)
    if on > _today():
        raise ValidationError({"on": ValidationError(_("The date lies in the future."))})
    if on < (last.decided_on or on):
        raise ValidationError({"on": ValidationError(_("Choose a date after the suspension."))})
    save_versioned(case, version, [])
    step = _open_step(case, last.stage, on)
    assert step is not None
    audit.record(actor=actor, verb="case.resume", obj=case, changes={"stage": last.stage})
    return step


@transaction.atomic
def extend(actor: Any, case: Case, *, reason: str, version: int | None = None) -> Step:
    """Extend the open stage's time limit to the next one the law allows."""
    step = case.current_step()
    if step is None:
        raise _stage_refusal(_("No stage of this case is open."))
    require(actor, rules.capability_for(step.stage), obj=case)
    limits = legal.stage_limits()[step.stage]
    if step.extensions >= limits.extensions_allowed(case.category or None):
        raise _stage_refusal(_("The law allows no further extension at this stage."))
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Write why the time is extended."))})
    save_versioned(case, version, [])
    step.extensions += 1
    step.extension_reason = reason.strip()[:500]
    step.due_on = limits.due(step.started_on, case.category or None, step.extensions)
    step.save(update_fields=["extensions", "extension_reason", "due_on"])
    audit.record(
        actor=actor,
        verb="case.extend",
        obj=case,
        changes={"stage": step.stage, "due_on": step.due_on.isoformat()},
        reason=step.extension_reason,
    )
    return step


def overdue_steps(today: datetime.date | None = None) -> Any:
    """Open steps past their time limit (for the owners' home pages)."""
    return Step.objects.filter(decided_on__isnull=True, due_on__lt=today or _today())


# --- trials ---------------------------------------------------------------------------------

TRIAL_FIELDS = (
    "court",
    "held_on",
    "venue",
    "is_closed",
    "is_mobile",
    "location",
    "audience",
    "judgment_number",
    "judgment_on",
)


def minors_in(case: Case) -> tuple[bool, bool]:
    """(a participant is under 18, a victim is under 18)."""
    parties = list(case.parties.values_list("standing", "is_minor"))
    participant = any(minor for _, minor in parties)
    victim = any(minor and standing == Standing.VICTIM for standing, minor in parties)
    victim = victim or case.offences.filter(minor_victim=True).exists()
    return participant, victim


@transaction.atomic
def record_trial(
    actor: Any, case: Case, *, values: Mapping[str, Any], version: int | None = None
) -> Trial:
    """Record (or correct) the hearing: the court's, once the case reached the trial stage."""
    require(actor, C.TRY_CASES, obj=case)
    if case.stage not in (Stage.TRIAL, Stage.ENFORCEMENT, Stage.CLOSED):
        raise _stage_refusal(_("The case has not been brought to trial."))
    trial = Trial.objects.filter(case=case).first()
    created = trial is None
    if trial is None:
        trial = Trial(case=case)
    for name in TRIAL_FIELDS:
        if name in values:
            setattr(trial, name, values[name])
    participant, victim = minors_in(case)
    rules.check_trial(
        is_mobile=trial.is_mobile,
        is_closed=trial.is_closed,
        minor_participant=participant,
        minor_victim=victim,
    )
    errors = {}
    if trial.is_mobile and trial.location_id is None:
        errors["location"] = ValidationError(_("Name the commune where the mobile trial is held."))
    if not trial.is_mobile:
        trial.location = None
    if trial.held_on and trial.held_on > _today():
        errors["held_on"] = ValidationError(_("The date lies in the future."))
    brought = case.steps.filter(decision=Decision.BRING_TO_TRIAL).order_by("-pk").first()
    if trial.held_on and brought is not None and trial.held_on < (brought.decided_on or EARLIEST):
        errors["held_on"] = ValidationError(
            _("The hearing cannot precede the decision to bring the case to trial (%(date)s)."),
            params={"date": (brought.decided_on or EARLIEST).strftime("%d/%m/%Y")},
        )
    if trial.judgment_on and trial.held_on and trial.judgment_on < trial.held_on:
        errors["judgment_on"] = ValidationError(_("The judgment cannot precede the hearing."))
    if errors:
        raise ValidationError(errors)
    trial.full_clean(exclude=["case"])
    if created:
        trial.save()
    else:
        save_versioned(trial, version, list(TRIAL_FIELDS))
    audit.record(
        actor=actor,
        verb="case.trial",
        obj=case,
        changes={"mobile": trial.is_mobile, "closed": trial.is_closed},
    )
    return trial


# --- rings ----------------------------------------------------------------------------------

RING_FIELDS = ("name", "unit", "detected_on", "notes")


@transaction.atomic
def create_ring(
    actor: Any, *, values: Mapping[str, Any], establishments: Iterable[Any] = ()
) -> Ring:
    ring = Ring(**{n: values[n] for n in RING_FIELDS if n in values})
    require(actor, C.EDIT_CASES, obj=ring)
    _check_dates(ring.detected_on)
    ring.full_clean(exclude=["code"])
    ring.code = "?"
    ring.created_by = actor if getattr(actor, "is_authenticated", False) else None
    ring.save()
    ring.code = f"ĐD-{ring.detected_on.year}-{ring.pk:04d}"
    Ring.objects.filter(pk=ring.pk).update(code=ring.code)
    ring.establishments.set(list(establishments))
    audit.record(actor=actor, verb="ring.create", obj=ring, changes={"code": ring.code})
    return ring


@transaction.atomic
def update_ring(
    actor: Any,
    ring: Ring,
    *,
    version: int | None,
    values: Mapping[str, Any],
    establishments: Iterable[Any] | None = None,
) -> Ring:
    require(actor, C.EDIT_CASES, obj=ring)
    changed = [n for n in RING_FIELDS if n in values and values[n] != getattr(ring, n)]
    for name in changed:
        setattr(ring, name, values[name])
    require(actor, C.EDIT_CASES, obj=ring)
    _check_dates(ring.detected_on)
    ring.full_clean(exclude=["code"])
    save_versioned(ring, version, changed)
    if establishments is not None:
        ring.establishments.set(list(establishments))
    audit.record(actor=actor, verb="ring.update", obj=ring, changes={"fields": changed})
    return ring


@transaction.atomic
def add_member(
    actor: Any,
    ring: Ring,
    *,
    role: str,
    person: Person | None = None,
    values: Mapping[str, Any] | None = None,
) -> RingMember:
    require(actor, C.EDIT_CASES, obj=ring)
    _check_role(role)
    if role == PartyRole.SELLER:
        raise ValidationError(
            {
                "role": ValidationError(
                    _(
                        "People who sell sex are not members of a ring: record them in the "
                        "ring's cases as victims or witnesses."
                    )
                )
            }
        )
    person = _person_for(actor, ring.unit, person, values)
    if RingMember.objects.filter(ring=ring, person=person).exists():
        raise ValidationError(
            {
                "person": ValidationError(
                    _("%(code)s is already a member of this ring."), params={"code": person.code}
                )
            }
        )
    member = RingMember.objects.create(ring=ring, person=person, role=role)
    people_actions.involve(
        actor,
        person,
        module=MODULE_CASES,
        unit=ring.unit,
        source=ring_source(ring),
        on=ring.detected_on,
    )
    audit.record(
        actor=actor,
        verb="ring.add_member",
        obj=ring,
        changes={"person": [None, person.code], "role": [None, role]},
    )
    return member


@transaction.atomic
def remove_member(actor: Any, member: RingMember, *, reason: str) -> None:
    ring = member.ring
    require(actor, C.EDIT_CASES, obj=ring)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Write why the person is removed."))})
    person = member.person
    member.delete()
    Involvement.objects.filter(
        person=person, module=MODULE_CASES, source=ring_source(ring), ended_on__isnull=True
    ).update(ended_on=_today())
    audit.record(
        actor=actor,
        verb="ring.remove_member",
        obj=ring,
        changes={"person": [person.code, None]},
        reason=reason.strip()[:500],
    )


def ring_is_handled(ring: Ring) -> bool:
    """A ring is handled when it has cases and every one of them is."""
    cases = ring.cases.all()
    return cases.exists() and not cases.filter(handled_on__isnull=True).exists()


# --- merges of person records ---------------------------------------------------------------


def move_named(kept: Any, merged: Any) -> list[int]:
    """Rows naming ``merged`` move to ``kept`` (unless ``kept`` is already in that case or
    ring, in which case the row stays and is listed for the undo)."""
    moved = []
    for model, parent in ((CaseParty, "case"), (RingMember, "ring")):
        taken = set(model.objects.filter(person=kept).values_list(f"{parent}_id", flat=True))
        rows = model.objects.filter(person=merged).exclude(**{f"{parent}_id__in": taken})
        ids = list(rows.values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(person=kept)
        moved += [(-pk if model is RingMember else pk) for pk in ids]
    return moved


def restore_named(merged: Any, moved: list[int]) -> None:
    CaseParty.objects.filter(pk__in=[pk for pk in moved if pk > 0]).update(person=merged)
    RingMember.objects.filter(pk__in=[-pk for pk in moved if pk < 0]).update(person=merged)
