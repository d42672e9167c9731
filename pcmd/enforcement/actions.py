"""Writes to violations, sanction decisions and the catalog of violation types.

One transaction, one permission and scope check, one audit row per action. The fine-range
rule: a fine must lie within the range the violation type sets for the subject kind
(individual or organisation), the type being the catalog row in force on the violation date,
and never above the statutory maximum of its decree (Law on Handling Administrative
Violations Art. 24; :mod:`pcmd.enforcement.catalog`); the message names the field and the range.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.core.formatting import format_date, format_vnd
from pcmd.geo.models import Unit, UnitLevel
from pcmd.inspections.models import Inspection
from pcmd.registry.models import Establishment

from . import persons
from .models import (
    Sanction,
    SanctionForm,
    SanctionStatus,
    SanctionStatusChange,
    SubjectKind,
    Violation,
    ViolationType,
)

VIOLATION_FIELDS = [
    "violation_type",
    "date",
    "commune",
    "establishment",
    "inspection",
    "subject_kind",
    "people_count",
    "description",
]
SANCTION_FIELDS = [
    "number",
    "date",
    "authority",
    "agency",
    "form",
    "amount",
    "suspension_months",
    "licence_withdrawal_months",
    "confiscation",
    "other_measures",
    "received_on",
]
TYPE_FIELDS = [
    "code",
    "name",
    "name_en",
    "document",
    "article",
    "clause",
    "point",
    "valid_from",
    "valid_to",
    "warning_allowed",
    "fine_min_individual",
    "fine_max_individual",
    "fine_min_organisation",
    "fine_max_organisation",
    "additional_measures",
    "source",
    "verified",
    "order",
    "is_active",
]


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _subject_label(subject_kind: str) -> Any:
    return _("an organisation") if subject_kind == SubjectKind.ORGANISATION else _("an individual")


# --- violations -------------------------------------------------------------------------


def _validate_violation(values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    vtype: ViolationType = values["violation_type"]
    on: datetime.date = values["date"]
    commune: Unit | None = values.get("commune")
    establishment: Establishment | None = values.get("establishment")
    inspection: Inspection | None = values.get("inspection")
    if on > timezone.localdate():
        errors["date"] = ValidationError(
            _("The date %(date)s is in the future."), params={"date": format_date(on)}
        )
    if not vtype.is_active:
        errors["violation_type"] = ValidationError(_("This violation type is no longer in use."))
    elif not vtype.is_valid_on(on):
        errors["violation_type"] = ValidationError(
            _(
                "“%(type)s” (%(ref)s) was not in force on %(date)s: it applies from %(start)s "
                "to %(end)s."
            ),
            params={
                "type": vtype.name,
                "ref": vtype.legal_reference,
                "date": format_date(on),
                "start": format_date(vtype.valid_from) or "…",
                "end": format_date(vtype.valid_to) or "…",
            },
        )
    if values["subject_kind"] not in SubjectKind.values:
        errors["subject_kind"] = ValidationError(_("Choose individual or organisation."))
    elif not vtype.applies_to(values["subject_kind"]):
        errors["subject_kind"] = ValidationError(
            _("“%(type)s” has no sanction for %(subject)s."),
            params={"type": vtype.name, "subject": _subject_label(values["subject_kind"])},
        )
    if (values.get("people_count") or 0) < 1:
        errors["people_count"] = ValidationError(_("At least one person."))
    if (
        inspection is not None
        and establishment is not None
        and inspection.establishment_id != establishment.pk
    ):
        errors["establishment"] = ValidationError(
            _("The inspection was of another establishment (%(name)s)."),
            params={"name": inspection.establishment.name},
        )
    if commune is None:
        errors["commune"] = ValidationError(_("Choose the commune where it happened."))
    elif commune.level != UnitLevel.COMMUNE:
        errors["commune"] = ValidationError(_("Choose a commune-level unit."))
    elif establishment is not None and establishment.commune_id != commune.pk:
        errors["commune"] = ValidationError(
            _("%(name)s is in %(commune)s, not in the commune chosen."),
            params={"name": establishment.name, "commune": establishment.commune.name},
        )
    _raise(errors)


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the commune and establishment from the inspection or the establishment."""
    inspection: Inspection | None = values.get("inspection")
    if inspection is not None:
        values.setdefault("establishment", None)
        values["establishment"] = values["establishment"] or inspection.establishment
    establishment = values.get("establishment")
    if establishment is not None and values.get("commune") is None:
        values["commune"] = establishment.commune
    return values


def _body(values: dict[str, Any]) -> Violation:
    """The violation about to be saved, for the change rule (its team or its commune)."""
    return Violation(commune=values["commune"], inspection=values["inspection"])


@transaction.atomic
def record_violation(
    *,
    actor: Any,
    violation_type: ViolationType,
    date: datetime.date,
    subject_kind: str,
    people_count: int = 1,
    description: str = "",
    commune: Unit | None = None,
    establishment: Establishment | None = None,
    inspection: Inspection | None = None,
) -> Violation:
    require(actor, "enforcement.edit")
    values = _complete(
        {
            "violation_type": violation_type,
            "date": date,
            "commune": commune,
            "establishment": establishment,
            "inspection": inspection,
            "subject_kind": subject_kind,
            "people_count": people_count,
            "description": description,
        }
    )
    if values["commune"] is not None:
        require(actor, "enforcement.edit", unit=values["commune"], obj=_body(values))
    _validate_violation(values)
    violation = Violation.objects.create(
        **values, recorded_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    audit.record(
        actor=actor,
        verb="violation.create",
        obj=violation,
        changes=audit.diff({}, audit.snapshot(violation, VIOLATION_FIELDS)),
    )
    return violation


@transaction.atomic
def update_violation(
    violation: Violation, *, actor: Any, expected_version: int | None, **values: Any
) -> Violation:
    require(actor, "enforcement.edit", obj=violation)
    unknown = set(values) - set(VIOLATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(violation, VIOLATION_FIELDS)
    merged = _complete({**{f: getattr(violation, f) for f in VIOLATION_FIELDS}, **values})
    if merged["commune"] is not None:
        require(actor, "enforcement.edit", unit=merged["commune"], obj=_body(merged))
    _validate_violation(merged)
    if "people_count" in values:
        persons.check_people_count(violation, merged["people_count"])
    if violation.sanctions.exists() and (
        merged["violation_type"] != violation.violation_type
        or merged["subject_kind"] != violation.subject_kind
    ):
        for sanction in violation.sanctions.all():
            check_sanction(
                merged["violation_type"], merged["subject_kind"], sanction.form, sanction.amount
            )
    changed = [f for f in VIOLATION_FIELDS if merged[f] != getattr(violation, f)]
    for field in changed:
        setattr(violation, field, merged[field])
    save_versioned(violation, expected_version, changed)
    if "date" in changed:  # the never-sanctioned days count re-offences by violation date
        for sanction in violation.sanctions.all():
            persons.refresh_dates(sanction)
    audit.record(
        actor=actor,
        verb="violation.update",
        obj=violation,
        changes=audit.diff(before, audit.snapshot(violation, VIOLATION_FIELDS)),
    )
    return violation


@transaction.atomic
def delete_violation(violation: Violation, *, actor: Any, reason: str) -> None:
    require(actor, "enforcement.edit", obj=violation)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Give the reason."))})
    if violation.sanctions.exists():
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("A sanction decision refers to this violation; it cannot be removed.")
                )
            }
        )
    violation.is_deleted = True
    violation.save(update_fields=["is_deleted", "updated_at"])
    audit.record(actor=actor, verb="violation.delete", obj=violation, reason=reason)


# --- sanctions --------------------------------------------------------------------------


def check_sanction(
    vtype: ViolationType,
    subject_kind: str,
    form: str,
    amount: int | None,
    on: datetime.date | None = None,
) -> None:
    """The fine-range rule. Raises ValidationError naming ``form`` or ``amount``.

    ``on`` is the violation date: the row must be in force that day (its catalog version).
    """
    if on is not None and not vtype.is_valid_on(on):
        raise ValidationError(
            {
                "form": ValidationError(
                    _(
                        "%(ref)s was not in force on %(date)s: it applies from %(start)s to %(end)s."
                    ),
                    params={
                        "ref": vtype.legal_reference,
                        "date": format_date(on),
                        "start": format_date(vtype.valid_from) or "…",
                        "end": format_date(vtype.valid_to) or "…",
                    },
                )
            }
        )
    if form == SanctionForm.WARNING:
        errors: dict[str, Any] = {}
        if not vtype.warning_allowed:
            errors["form"] = ValidationError(
                _("%(ref)s does not allow a warning: choose a fine."),
                params={"ref": vtype.legal_reference},
            )
        if amount:
            errors["amount"] = ValidationError(_("A warning has no amount: leave the fine empty."))
        _raise(errors)
        return
    if form != SanctionForm.FINE:
        raise ValidationError({"form": ValidationError(_("Choose warning or fine."))})
    low, high = vtype.allowed_fine_range(subject_kind)
    if low is None or high is None:
        raise ValidationError(
            {
                "form": ValidationError(
                    _("%(ref)s sets no fine for %(subject)s."),
                    params={"ref": vtype.legal_reference, "subject": _subject_label(subject_kind)},
                )
            }
        )
    if amount is None:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _(
                        "Enter the fine: between %(low)s and %(high)s for %(subject)s under %(ref)s."
                    ),
                    params={
                        "low": format_vnd(low),
                        "high": format_vnd(high),
                        "subject": _subject_label(subject_kind),
                        "ref": vtype.legal_reference,
                    },
                )
            }
        )
    if not low <= amount <= high:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _(
                        "The fine of %(amount)s is outside the range for %(subject)s under %(ref)s: "
                        "it must lie between %(low)s and %(high)s."
                    ),
                    code="fine_range",
                    params={
                        "amount": format_vnd(amount),
                        "low": format_vnd(low),
                        "high": format_vnd(high),
                        "subject": _subject_label(subject_kind),
                        "ref": vtype.legal_reference,
                    },
                )
            }
        )


def _validate_sanction(violation: Violation, values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    if not (values.get("number") or "").strip():
        errors["number"] = ValidationError(_("Enter the decision number."))
    if not (values.get("authority") or "").strip():
        errors["authority"] = ValidationError(_("Enter who issued the decision."))
    on = values["date"]
    if on < violation.date:
        errors["date"] = ValidationError(
            _("The decision (%(date)s) cannot precede the violation (%(violation)s)."),
            params={"date": format_date(on), "violation": format_date(violation.date)},
        )
    elif on > timezone.localdate():
        errors["date"] = ValidationError(
            _("The date %(date)s is in the future."), params={"date": format_date(on)}
        )
    received = values.get("received_on")
    if received is not None and received < on:
        errors["received_on"] = ValidationError(
            _("The decision cannot be received (%(received)s) before its date (%(date)s)."),
            params={"received": format_date(received), "date": format_date(on)},
        )
    elif received is not None and received > timezone.localdate():
        errors["received_on"] = ValidationError(
            _("The date %(date)s is in the future."), params={"date": format_date(received)}
        )
    for field in ("suspension_months", "licence_withdrawal_months"):
        months = values.get(field)
        if months is not None and not 1 <= months <= 24:
            errors[field] = ValidationError(_("Between 1 and 24 months."))
    try:
        check_sanction(
            violation.violation_type,
            violation.subject_kind,
            values["form"],
            values.get("amount"),
            on=violation.date,
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
    _raise(errors)


@transaction.atomic
def record_sanction(
    *,
    actor: Any,
    violation: Violation,
    number: str,
    date: datetime.date,
    authority: str,
    form: str,
    amount: int | None = None,
    agency: Any = None,
    suspension_months: int | None = None,
    licence_withdrawal_months: int | None = None,
    confiscation: bool = False,
    other_measures: str = "",
    received_on: datetime.date | None = None,
) -> Sanction:
    require(actor, "enforcement.edit", obj=violation)
    values = {
        "number": number.strip(),
        "date": date,
        "authority": authority.strip(),
        "agency": agency,
        "form": form,
        "amount": amount if form == SanctionForm.FINE else amount or None,
        "suspension_months": suspension_months,
        "licence_withdrawal_months": licence_withdrawal_months,
        "confiscation": confiscation,
        "other_measures": other_measures,
        "received_on": received_on,
    }
    _validate_sanction(violation, values)
    user = actor if getattr(actor, "is_authenticated", False) else None
    sanction = Sanction.objects.create(
        violation=violation,
        status=SanctionStatus.PENDING,
        status_since=date,
        recorded_by=user,
        **values,
    )
    SanctionStatusChange.objects.create(
        sanction=sanction, status=SanctionStatus.PENDING, on=date, recorded_by=user
    )
    persons.refresh_dates(sanction)
    audit.record(
        actor=actor,
        verb="sanction.create",
        obj=sanction,
        changes=audit.diff({}, audit.snapshot(sanction, SANCTION_FIELDS)),
    )
    return sanction


@transaction.atomic
def update_sanction(
    sanction: Sanction, *, actor: Any, expected_version: int | None, **values: Any
) -> Sanction:
    require(actor, "enforcement.edit", obj=sanction)
    unknown = set(values) - set(SANCTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(sanction, SANCTION_FIELDS)
    merged = {**{f: getattr(sanction, f) for f in SANCTION_FIELDS}, **values}
    _validate_sanction(sanction.violation, merged)
    changed = [f for f in SANCTION_FIELDS if merged[f] != getattr(sanction, f)]
    for field in changed:
        setattr(sanction, field, merged[field])
    save_versioned(sanction, expected_version, changed)
    persons.refresh_dates(sanction)
    audit.record(
        actor=actor,
        verb="sanction.update",
        obj=sanction,
        changes=audit.diff(before, audit.snapshot(sanction, SANCTION_FIELDS)),
    )
    return sanction


@transaction.atomic
def change_sanction_status(
    sanction: Sanction,
    *,
    actor: Any,
    status: str,
    on: datetime.date,
    note: str = "",
    expected_version: int | None = None,
) -> Sanction:
    """Enforcement over time: pending → paid / enforced / appealed / cancelled."""
    require(actor, "enforcement.edit", obj=sanction)
    errors: dict[str, Any] = {}
    if status not in SanctionStatus.values:
        errors["status"] = ValidationError(_("Choose a status."))
    elif status == sanction.status:
        errors["status"] = ValidationError(_("The decision already has this status."))
    elif status == SanctionStatus.PAID and sanction.form != SanctionForm.FINE:
        errors["status"] = ValidationError(_("Only a fine can be paid."))
    if on < sanction.status_since:
        errors["on"] = ValidationError(
            _("The date cannot precede the current status (since %(date)s)."),
            params={"date": format_date(sanction.status_since)},
        )
    elif on > timezone.localdate():
        errors["on"] = ValidationError(
            _("The date %(date)s is in the future."), params={"date": format_date(on)}
        )
    _raise(errors)
    old = sanction.status
    sanction.status, sanction.status_since = status, on
    save_versioned(sanction, expected_version, ["status", "status_since"])
    SanctionStatusChange.objects.create(
        sanction=sanction,
        status=status,
        on=on,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    persons.refresh_dates(sanction)
    audit.record(
        actor=actor,
        verb="sanction.status",
        obj=sanction,
        changes={"status": [old, status], "on": [None, on.isoformat()]},
        reason=note,
    )
    return sanction


# --- the catalog (administrators) -------------------------------------------------------


@transaction.atomic
def save_violation_type(
    vtype: ViolationType | None, *, actor: Any, expected_version: int | None = None, **values: Any
) -> ViolationType:
    require(actor, "catalogs.edit")
    unknown = set(values) - set(TYPE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(vtype, TYPE_FIELDS) if vtype else {}
    target = vtype or ViolationType()
    for key, value in values.items():
        setattr(target, key, value)
    errors: dict[str, Any] = {}
    for subject in ("individual", "organisation"):
        low = getattr(target, f"fine_min_{subject}")
        high = getattr(target, f"fine_max_{subject}")
        if (low is None) != (high is None):
            errors[f"fine_max_{subject}" if high is None else f"fine_min_{subject}"] = (
                ValidationError(_("Give both the minimum and the maximum, or neither."))
            )
        elif low is not None and high is not None and low > high:
            errors[f"fine_max_{subject}"] = ValidationError(
                _("The maximum (%(high)s) is below the minimum (%(low)s)."),
                params={"high": format_vnd(high), "low": format_vnd(low)},
            )
        elif high is not None and (limit := target.legal_maximum(subject)) is not None:
            if high > limit:
                errors[f"fine_max_{subject}"] = ValidationError(
                    _(
                        "The maximum (%(high)s) is above the highest fine the law allows for "
                        "%(subject)s under %(document)s: %(limit)s (%(basis)s)."
                    ),
                    params={
                        "high": format_vnd(high),
                        "subject": _subject_label(subject),
                        "document": target.document,
                        "limit": format_vnd(limit),
                        "basis": target.statutory_maximum.basis if target.statutory_maximum else "",
                    },
                )
    if target.valid_from and target.valid_to and target.valid_to < target.valid_from:
        errors["valid_to"] = ValidationError(_("The end date is before the start date."))
    _raise(errors)
    target.full_clean(exclude=["version"])
    if vtype is None:
        target.save()
    else:
        save_versioned(target, expected_version, list(values))
    audit.record(
        actor=actor,
        verb="violation_type.save",
        obj=target,
        changes=audit.diff(before, audit.snapshot(target, TYPE_FIELDS)),
    )
    return target
