"""The persons a sanction decision names (issue 11, item 11), and the dates the law attaches.

Writes (one transaction, one permission check, one audit row each):

- :func:`name_person` names an existing person (found by ID number or name + year,
  :mod:`pcmd.people.search`) or a new one (:func:`pcmd.people.actions.create_person`, the
  officer as actor) on a decision about an individual, and records the involvement
  (module ``enforcement``, the violation's commune, ``source="sanction:<pk>"``) that lets the
  police of the area see the identity;
- :func:`unname_person` removes a person named by mistake (the involvement ends).

The count of people of a violation follows the persons named: once a person is named on any
of its decisions, ``Violation.people_count`` is the number of distinct persons named (rows
without persons keep the count typed). :func:`refresh_dates` stores the payment deadline
(Law 15/2012 Art. 73(1)) and the day from which the subject counts as never sanctioned
(Art. 7(1), per person: a new violation within the period cancels it); every action that
changes a decision or its status calls it.

Identities are shown only through :func:`revealed` (``pcmd.people.access.reveal_many``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.core import audit
from pcmd.people import access
from pcmd.people import actions as people_actions
from pcmd.people.models import Involvement, Person

from . import legal
from .models import (
    PersonRole,
    Sanction,
    SanctionedPerson,
    SanctionForm,
    SanctionStatus,
    SubjectKind,
    Violation,
)


def source_of(sanction: Sanction) -> str:
    """The involvement source naming this decision."""
    return f"sanction:{sanction.pk}"


# --- dates ----------------------------------------------------------------------------------


def _person_clean_from(row: SanctionedPerson, others: list[datetime.date]) -> datetime.date | None:
    """Art. 7(1) for one person: ``None`` if any later violation falls inside the period."""
    base = legal.deemed_not_sanctioned_from_sanction(row.sanction)
    if base is None:
        return None
    for later in others:
        if legal.deemed_not_sanctioned_from_sanction(row.sanction, reoffended_on=later) is None:
            return None
    return base


def refresh_person_dates(person_ids: Iterable[int]) -> None:
    """Recompute ``SanctionedPerson.clean_from`` for every decision naming these persons."""
    rows = list(
        SanctionedPerson.objects.filter(person_id__in=set(person_ids)).select_related(
            "sanction", "sanction__violation"
        )
    )
    by_person: dict[int, list[SanctionedPerson]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    for own in by_person.values():
        counted = [r for r in own if r.sanction.status != SanctionStatus.CANCELLED]
        for row in own:
            mine = row.sanction.violation.date
            later = [
                r.sanction.violation.date
                for r in counted
                if r.pk != row.pk and r.sanction.violation.date > mine
            ]
            value = _person_clean_from(row, later)
            if value != row.clean_from:
                SanctionedPerson.objects.filter(pk=row.pk).update(clean_from=value)


def refresh_dates(sanction: Sanction) -> None:
    """Store the payment deadline and the never-sanctioned day of ``sanction`` and of the
    persons it names (computed, not edited: no version bump)."""
    deadline = (
        legal.payment_deadline(sanction.received_on or sanction.date)
        if sanction.form == SanctionForm.FINE
        else None
    )
    clean = legal.deemed_not_sanctioned_from_sanction(sanction)
    sanction.payment_deadline, sanction.clean_from = deadline, clean
    Sanction.objects.filter(pk=sanction.pk).update(payment_deadline=deadline, clean_from=clean)
    refresh_person_dates(sanction.named_persons.values_list("person_id", flat=True))


# --- the count of people --------------------------------------------------------------------


def named_count(violation: Violation) -> int:
    return (
        SanctionedPerson.objects.filter(sanction__violation=violation)
        .values("person_id")
        .distinct()
        .count()
    )


def sync_people_count(violation: Violation) -> None:
    """``people_count`` = persons named, when any is (the typed count otherwise stays)."""
    named = named_count(violation)
    if named and named != violation.people_count:
        Violation.objects.filter(pk=violation.pk).update(
            people_count=named, version=F("version") + 1
        )
        violation.people_count = named
        violation.version += 1


def check_people_count(violation: Violation, people_count: int) -> None:
    """Refuse a typed count that contradicts the persons named (``update_violation``)."""
    named = named_count(violation)
    if named and people_count != named:
        raise ValidationError(
            {
                "people_count": ValidationError(
                    _(
                        "%(named)s persons are named on the decisions of this violation: the "
                        "number of people follows them."
                    ),
                    params={"named": named},
                )
            }
        )


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def name_person(
    *,
    actor: Any,
    sanction: Sanction,
    role: str,
    person: Person | None = None,
    values: Mapping[str, Any] | None = None,
) -> SanctionedPerson:
    """Name ``person`` (or a new person made of ``values``) on ``sanction``."""
    require(actor, "enforcement.edit", obj=sanction)
    violation = sanction.violation
    errors: dict[str, Any] = {}
    if violation.subject_kind != SubjectKind.INDIVIDUAL:
        errors["person"] = ValidationError(
            _(
                "This decision sanctions an organisation: the establishment is the subject, "
                "no person is named."
            )
        )
    if role not in PersonRole.values:
        errors["role"] = ValidationError(_("Choose what the person did."))
    if (person is None) == (values is None):
        errors["person"] = ValidationError(_("Choose a person found, or enter a new person."))
    if errors:
        raise ValidationError(errors)
    if person is None:
        assert values is not None
        person = people_actions.create_person(actor, unit=violation.commune, values=values)
    else:
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
        if SanctionedPerson.objects.filter(sanction=sanction, person=person).exists():
            raise ValidationError(
                {
                    "person": ValidationError(
                        _("%(code)s is already named on this decision."),
                        params={"code": person.code},
                    )
                }
            )
    row = SanctionedPerson.objects.create(sanction=sanction, person=person, role=role)
    people_actions.involve(
        actor,
        person,
        module=MODULE_ENFORCEMENT,
        unit=violation.commune,
        source=source_of(sanction),
        on=sanction.date,
    )
    sync_people_count(violation)
    refresh_dates(sanction)
    audit.record(
        actor=actor,
        verb="sanction.name_person",
        obj=sanction,
        changes={"person": [None, person.code], "role": [None, role]},
    )
    return row


@transaction.atomic
def unname_person(*, actor: Any, sanction: Sanction, person: Person, reason: str) -> None:
    """Remove a person named by mistake; the involvement ends today (the trail stays)."""
    require(actor, "enforcement.edit", obj=sanction)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Give the reason."))})
    deleted, _rows = SanctionedPerson.objects.filter(sanction=sanction, person=person).delete()
    if not deleted:
        raise ValidationError(
            {
                "person": ValidationError(
                    _("%(code)s is not named on this decision."), params={"code": person.code}
                )
            }
        )
    Involvement.objects.filter(
        person=person, module=MODULE_ENFORCEMENT, source=source_of(sanction), ended_on=None
    ).update(ended_on=timezone.localdate())
    sync_people_count(sanction.violation)
    refresh_person_dates([person.pk])
    audit.record(
        actor=actor,
        verb="sanction.unname_person",
        obj=sanction,
        changes={"person": [person.code, None]},
        reason=reason.strip()[:500],
    )


# --- showing ------------------------------------------------------------------------------


def persons_of(sanctions: Iterable[Sanction]) -> list[Person]:
    """The persons named on ``sanctions`` (prefetch ``named_persons__person``)."""
    seen: dict[int, Person] = {}
    for sanction in sanctions:
        for row in sanction.named_persons.all():
            seen.setdefault(row.person_id, row.person)
    return list(seen.values())


def revealed(
    user: Any, sanctions: Iterable[Sanction], surface: str, *, path: str = "", purpose: str = ""
) -> set[int]:
    """The pks of the persons named on ``sanctions`` whose identity ``user`` sees here; one
    access-log row per person shown (the only way these pages show a name)."""
    return access.reveal_many(user, persons_of(sanctions), surface, path=path, purpose=purpose)


# --- retention and merging (registered with pcmd.people in apps.ready) ----------------------


def retention_date(person: Any) -> datetime.date | None:
    """Until when the police need ``person``'s identity: the day the person counts as never
    sanctioned (Law on Handling Administrative Violations Art. 7) for the last decision naming
    them; ``None`` while one is pending, appealed or interrupted by a later violation. A
    cancelled decision sanctioned nobody: its identity is needed only until it was cancelled."""
    rows = list(SanctionedPerson.objects.filter(person=person).select_related("sanction"))
    if not rows:  # linked to enforcement otherwise (e.g. by hand): the default period
        from pcmd.accounts.roles import MODULE_ENFORCEMENT
        from pcmd.people import retention

        return retention.default_rule(MODULE_ENFORCEMENT)(person)
    counted = [r for r in rows if r.sanction.status != SanctionStatus.CANCELLED]
    if not counted:
        return max(r.sanction.status_since for r in rows)
    if any(r.clean_from is None for r in counted):
        return None
    return max(r.clean_from for r in counted if r.clean_from is not None)


def move_named(kept: Any, merged: Any) -> list[int]:
    """A merge: the decisions naming ``merged`` now name ``kept`` (a decision naming both
    keeps its row for ``kept``). Returns the rows moved, for undoing."""
    both = set(SanctionedPerson.objects.filter(person=kept).values_list("sanction_id", flat=True))
    moved = list(
        SanctionedPerson.objects.filter(person=merged)
        .exclude(sanction_id__in=both)
        .values_list("pk", flat=True)
    )
    SanctionedPerson.objects.filter(pk__in=moved).update(person=kept)
    refresh_person_dates([kept.pk])
    return moved


def restore_named(merged: Any, moved: list[int]) -> None:
    SanctionedPerson.objects.filter(pk__in=moved).update(person=merged)
    refresh_person_dates(
        [
            merged.pk,
            *SanctionedPerson.objects.filter(pk__in=moved).values_list("person_id", flat=True),
        ]
    )
