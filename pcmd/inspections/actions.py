"""Writes to teams, plans, inspections, attachments, tips and the inspection catalogs.

Each action is one transaction, checks permission and scope, and writes one audit row.
Updates of versioned records go through ``save_versioned`` (optimistic locking).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.core.files import store
from pcmd.core.formatting import format_date
from pcmd.geo.models import Unit, UnitLevel
from pcmd.registry.models import Establishment

from . import followups
from .files import check_upload
from .models import (
    Answer,
    Attachment,
    AttachmentKind,
    Finding,
    FindingItem,
    Inspection,
    InspectionPlan,
    InspectionResult,
    RiskWeights,
    Team,
    TeamMember,
    Tip,
    TipSource,
)

if TYPE_CHECKING:
    from pcmd.enforcement.models import ViolationType

TEAM_FIELDS = ["name", "unit", "level", "lead_agency", "active_from", "active_to", "decision"]
PLAN_FIELDS = ["team", "title", "period_start", "period_end", "target_count", "target_max", "notes"]
INSPECTION_FIELDS = [
    "date",
    "team",
    "establishment",
    "commune",
    "plan",
    "result",
    "summary",
    "follow_up_needed",
    "follow_up_note",
]
TIP_FIELDS = ["establishment", "received_on", "source_kind", "note"]

FindingsInput = Mapping[FindingItem, tuple[str, str]]


def _errors(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_dates(
    start: datetime.date | None, end: datetime.date | None, field: str, errors: dict[str, Any]
) -> None:
    if start and end and end < start:
        errors[field] = ValidationError(
            _("The end date is before the start date."), code="date_order"
        )


# --- teams ------------------------------------------------------------------------------


def _validate_team(values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    unit: Unit = values["unit"]
    if unit.level not in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        errors["unit"] = ValidationError(_("Choose a province, district or commune."))
    _check_dates(values.get("active_from"), values.get("active_to"), "active_to", errors)
    _errors(errors)


@transaction.atomic
def create_team(
    *,
    actor: Any,
    name: str,
    unit: Unit,
    lead_agency: Agency,
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
    decision: str = "",
) -> Team:
    require(actor, "inspections.edit", unit=unit, obj=Team(unit=unit))
    values = {
        "name": name,
        "unit": unit,
        "level": unit.level,
        "lead_agency": lead_agency,
        "active_from": active_from,
        "active_to": active_to,
        "decision": decision,
    }
    _validate_team(values)
    team = Team.objects.create(**values)
    audit.record(
        actor=actor,
        verb="team.create",
        obj=team,
        changes=audit.diff({}, audit.snapshot(team, TEAM_FIELDS)),
    )
    return team


@transaction.atomic
def update_team(team: Team, *, actor: Any, expected_version: int | None, **values: Any) -> Team:
    require(actor, "inspections.edit", obj=team)
    unknown = set(values) - set(TEAM_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if "unit" in values:
        require(actor, "inspections.edit", obj=Team(unit=values["unit"]))
        values["level"] = values["unit"].level
    before = audit.snapshot(team, TEAM_FIELDS)
    for key, value in values.items():
        setattr(team, key, value)
    _validate_team({f: getattr(team, f) for f in TEAM_FIELDS})
    save_versioned(team, expected_version, list(values))
    changes = audit.diff(before, audit.snapshot(team, TEAM_FIELDS))
    audit.record(actor=actor, verb="team.update", obj=team, changes=changes)
    return team


@transaction.atomic
def add_member(
    team: Team,
    *,
    actor: Any,
    agency: Agency,
    person_name: str,
    position: str = "",
    role_in_team: str = "",
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
) -> TeamMember:
    require(actor, "inspections.edit", obj=team)
    errors: dict[str, Any] = {}
    if not person_name.strip():
        errors["person_name"] = ValidationError(_("Enter the member's name."))
    _check_dates(active_from, active_to, "active_to", errors)
    _errors(errors)
    member = TeamMember.objects.create(
        team=team,
        agency=agency,
        person_name=person_name.strip(),
        position=position,
        role_in_team=role_in_team,
        active_from=active_from,
        active_to=active_to,
    )
    audit.record(
        actor=actor,
        verb="team.add_member",
        obj=team,
        changes={"member": [None, member.person_name], "agency": [None, agency.code]},
    )
    return member


@transaction.atomic
def end_member(member: TeamMember, *, actor: Any, on: datetime.date | None = None) -> None:
    """A member leaves the team: the row stays (inspections refer to it) with an end date."""
    require(actor, "inspections.edit", obj=member)
    on = on or timezone.localdate()
    if member.active_from and on < member.active_from:
        raise ValidationError(
            {"active_to": ValidationError(_("The end date is before the start date."))}
        )
    member.active_to = on
    member.save(update_fields=["active_to", "updated_at"])
    audit.record(
        actor=actor,
        verb="team.end_member",
        obj=member.team,
        changes={"member": [member.person_name, None], "active_to": [None, on.isoformat()]},
    )


# --- plans ------------------------------------------------------------------------------


def _validate_plan(
    values: dict[str, Any],
    establishments: Iterable[Establishment] | None,
) -> None:
    errors: dict[str, Any] = {}
    _check_dates(values.get("period_start"), values.get("period_end"), "period_end", errors)
    target_max = values.get("target_max")
    if target_max is not None and target_max < values["target_count"]:
        errors["target_max"] = ValidationError(
            _("The upper bound (%(high)s) is below the target (%(low)s)."),
            params={"high": target_max, "low": values["target_count"]},
        )
    team: Team = values["team"]
    outside = [e for e in establishments or [] if not team.covers(e.commune)]
    if outside:
        errors["establishments"] = ValidationError(
            _("These establishments lie outside the team's area (%(unit)s): %(names)s."),
            params={"unit": team.unit.name, "names": ", ".join(e.name for e in outside[:5])},
        )
    _errors(errors)


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    team: Team,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    target_count: int,
    target_max: int | None = None,
    establishments: Iterable[Establishment] = (),
    notes: str = "",
) -> InspectionPlan:
    require(actor, "inspections.edit", obj=team)
    establishments = list(establishments)
    values = {
        "team": team,
        "title": title,
        "period_start": period_start,
        "period_end": period_end,
        "target_count": target_count,
        "target_max": target_max,
        "notes": notes,
    }
    _validate_plan(values, establishments)
    plan = InspectionPlan.objects.create(**values)
    plan.establishments.set(establishments)
    audit.record(
        actor=actor,
        verb="inspection_plan.create",
        obj=plan,
        changes={
            **audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)),
            "establishments": [None, len(establishments)],
        },
    )
    return plan


@transaction.atomic
def update_plan(
    plan: InspectionPlan,
    *,
    actor: Any,
    expected_version: int | None,
    establishments: Iterable[Establishment] | None = None,
    **values: Any,
) -> InspectionPlan:
    require(actor, "inspections.edit", obj=plan)
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if "team" in values:
        require(actor, "inspections.edit", obj=values["team"])
    before = audit.snapshot(plan, PLAN_FIELDS)
    for key, value in values.items():
        setattr(plan, key, value)
    chosen = list(establishments) if establishments is not None else None
    _validate_plan({f: getattr(plan, f) for f in PLAN_FIELDS}, chosen)
    save_versioned(plan, expected_version, list(values))
    changes = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    if chosen is not None:
        old = set(plan.establishments.values_list("pk", flat=True))
        new = {e.pk for e in chosen}
        if old != new:
            plan.establishments.set(chosen)
            changes["establishments"] = [len(old), len(new)]
    audit.record(actor=actor, verb="inspection_plan.update", obj=plan, changes=changes)
    return plan


# --- inspections ------------------------------------------------------------------------


def _validate_inspection(
    actor: Any,
    values: dict[str, Any],
    members: list[TeamMember] | None,
    findings: FindingsInput | None,
) -> None:
    errors: dict[str, Any] = {}
    team: Team = values["team"]
    establishment: Establishment = values["establishment"]
    on: datetime.date = values["date"]
    if on > timezone.localdate():
        errors["date"] = ValidationError(
            _("The date %(date)s is in the future."), params={"date": format_date(on)}
        )
    if not team.covers(establishment.commune):
        errors["team"] = ValidationError(
            _("%(team)s does not work in %(commune)s: choose the team of this area."),
            params={"team": team.name, "commune": establishment.commune.name},
        )
    elif (team.active_from and on < team.active_from) or (team.active_to and on > team.active_to):
        errors["team"] = ValidationError(
            _("%(team)s was not active on %(date)s."),
            params={"team": team.name, "date": format_date(on)},
        )
    if values["result"] not in InspectionResult.values:
        errors["result"] = ValidationError(_("Choose a result."))
    plan = values.get("plan")
    if plan is not None and (
        plan.team_id != team.pk or not plan.period_start <= on <= plan.period_end
    ):
        errors["plan"] = ValidationError(
            _("The plan belongs to another team or does not cover %(date)s."),
            params={"date": format_date(on)},
        )
    if members:
        strangers = [m for m in members if m.team_id != team.pk]
        if strangers:
            errors["members_present"] = ValidationError(
                _("Not members of %(team)s: %(names)s."),
                params={"team": team.name, "names": ", ".join(m.person_name for m in strangers)},
            )
    for item, (answer, _note) in (findings or {}).items():
        if answer not in Answer.values:
            errors[f"finding_{item.code}"] = ValidationError(
                _("Answer “%(item)s” with compliant, not compliant or not applicable."),
                params={"item": item.name},
            )
    if values.get("follow_up_needed") and not (values.get("follow_up_note") or "").strip():
        errors["follow_up_note"] = ValidationError(_("Say what follow-up is needed."))
    _errors(errors)


def _default_plan(team: Team, on: datetime.date) -> InspectionPlan | None:
    return (
        InspectionPlan.objects.filter(team=team, period_start__lte=on, period_end__gte=on)
        .order_by("-period_start", "pk")
        .first()
    )


def _write_findings(inspection: Inspection, findings: FindingsInput) -> dict[str, Any]:
    existing = {f.item_id: f for f in inspection.findings.all()}
    changes: dict[str, Any] = {}
    new_rows = []
    for item, (answer, note) in findings.items():
        row = existing.get(item.pk)
        if row is None:
            new_rows.append(
                Finding(inspection=inspection, item=item, answer=answer, note=note.strip())
            )
            changes[f"finding:{item.code}"] = [None, answer]
        elif (row.answer, row.note) != (answer, note.strip()):
            changes[f"finding:{item.code}"] = [row.answer, answer]
            row.answer, row.note = answer, note.strip()
            row.save(update_fields=["answer", "note"])
    Finding.objects.bulk_create(new_rows)
    return changes


@transaction.atomic
def record_inspection(
    *,
    actor: Any,
    team: Team,
    establishment: Establishment,
    date: datetime.date,
    result: str,
    members: Iterable[TeamMember] = (),
    findings: FindingsInput | None = None,
    summary: str = "",
    follow_up_needed: bool = False,
    follow_up_note: str = "",
    plan: InspectionPlan | None = None,
) -> Inspection:
    require(actor, "inspections.edit", unit=establishment.commune, obj=team)
    members = list(members)
    values = {
        "date": date,
        "team": team,
        "establishment": establishment,
        "commune": establishment.commune,
        "plan": plan,
        "result": result,
        "summary": summary,
        "follow_up_needed": follow_up_needed,
        "follow_up_note": follow_up_note,
    }
    _validate_inspection(actor, values, members, findings)
    if plan is None:
        values["plan"] = _default_plan(team, date)
    inspection = Inspection.objects.create(
        **values, recorded_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    inspection.members_present.set(members)
    finding_changes = _write_findings(inspection, findings or {})
    audit.record(
        actor=actor,
        verb="inspection.create",
        obj=inspection,
        changes={
            **audit.diff({}, audit.snapshot(inspection, INSPECTION_FIELDS)),
            "members_present": [None, [m.pk for m in members]],
            **finding_changes,
        },
    )
    return inspection


@dataclass(frozen=True)
class FoundViolation:
    """A violation found during an inspection, recorded together with it."""

    violation_type: ViolationType
    subject_kind: str
    people_count: int = 1
    description: str = ""


@transaction.atomic
def record_inspection_with_findings(
    *,
    actor: Any,
    team: Team,
    establishment: Establishment,
    date: datetime.date,
    result: str,
    members: Iterable[TeamMember] = (),
    findings: FindingsInput | None = None,
    summary: str = "",
    follow_up_needed: bool = False,
    follow_up_note: str = "",
    plan: InspectionPlan | None = None,
    attachments: Iterable[Any] = (),
    attachment_kind: str = AttachmentKind.PHOTO,
    violation: FoundViolation | None = None,
) -> Inspection:
    """The field form in one transaction: the inspection, its files and, optionally, the
    violation found. Each step is its own action (permission, scope, audit row); if any
    step fails nothing is saved."""
    inspection = record_inspection(
        actor=actor,
        team=team,
        establishment=establishment,
        date=date,
        result=result,
        members=members,
        findings=findings,
        summary=summary,
        follow_up_needed=follow_up_needed,
        follow_up_note=follow_up_note,
        plan=plan,
    )
    for upload in attachments:
        add_attachment(inspection, actor=actor, upload=upload, kind=attachment_kind)
    if violation is not None:
        followups.violations().record(
            actor=actor,
            violation_type=violation.violation_type,
            date=inspection.date,
            inspection=inspection,
            establishment=inspection.establishment,
            subject_kind=violation.subject_kind,
            people_count=violation.people_count,
            description=violation.description,
        )
    return inspection


@transaction.atomic
def update_inspection(
    inspection: Inspection,
    *,
    actor: Any,
    expected_version: int | None,
    members: Iterable[TeamMember] | None = None,
    findings: FindingsInput | None = None,
    **values: Any,
) -> Inspection:
    require(actor, "inspections.edit", obj=inspection)
    unknown = set(values) - set(INSPECTION_FIELDS) | ({"commune"} & set(values))
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if "establishment" in values:
        require(actor, "inspections.edit", unit=values["establishment"].commune)
    if "team" in values:
        require(actor, "inspections.edit", obj=values["team"])
        values["commune"] = values["establishment"].commune
    before = audit.snapshot(inspection, INSPECTION_FIELDS)
    for key, value in values.items():
        setattr(inspection, key, value)
    chosen = list(members) if members is not None else None
    _validate_inspection(
        actor, {f: getattr(inspection, f) for f in INSPECTION_FIELDS}, chosen, findings
    )
    save_versioned(inspection, expected_version, list(values))
    changes = audit.diff(before, audit.snapshot(inspection, INSPECTION_FIELDS))
    if chosen is not None:
        old = set(inspection.members_present.values_list("pk", flat=True))
        if old != {m.pk for m in chosen}:
            inspection.members_present.set(chosen)
            changes["members_present"] = [sorted(old), sorted(m.pk for m in chosen)]
    if findings:
        changes.update(_write_findings(inspection, findings))
    audit.record(actor=actor, verb="inspection.update", obj=inspection, changes=changes)
    return inspection


@transaction.atomic
def delete_inspection(inspection: Inspection, *, actor: Any, reason: str) -> None:
    """Soft delete, for an inspection recorded by mistake. Refused while violations refer
    to it."""
    require(actor, "inspections.edit", obj=inspection)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Give the reason."))})
    if inspection.violations.filter(is_deleted=False).exists():
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Violations were recorded from this inspection; remove them first.")
                )
            }
        )
    inspection.is_deleted = True
    inspection.save(update_fields=["is_deleted", "updated_at"])
    audit.record(actor=actor, verb="inspection.delete", obj=inspection, reason=reason)


# --- attachments ------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    inspection: Inspection, *, actor: Any, upload: Any, kind: str = AttachmentKind.PHOTO
) -> Attachment:
    require(actor, "inspections.edit", obj=inspection)
    content_type = check_upload(upload)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": ValidationError(_("Choose photo or minutes."))})
    attachment = Attachment(
        inspection=inspection,
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    store(attachment.file, upload.name, upload)  # deleted again if the transaction rolls back
    attachment.save()
    audit.record(
        actor=actor,
        verb="inspection.attach",
        obj=inspection,
        changes={"attachment": [None, attachment.original_name], "size": [None, attachment.size]},
    )
    return attachment


@transaction.atomic
def add_attachments(
    inspection: Inspection, files: Iterable[Any], *, actor: Any, kind: str = AttachmentKind.PHOTO
) -> list[Attachment]:
    """Attach several files at once: all of them, or none when one is refused."""
    return [add_attachment(inspection, actor=actor, upload=upload, kind=kind) for upload in files]


@transaction.atomic
def remove_attachment(attachment: Attachment, *, actor: Any) -> None:
    inspection = attachment.inspection
    require(actor, "inspections.edit", obj=attachment)
    name = attachment.original_name
    storage, stored = attachment.file.storage, attachment.file.name
    assert stored is not None  # an attachment always has its file
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    audit.record(
        actor=actor, verb="inspection.detach", obj=inspection, changes={"attachment": [name, None]}
    )


# --- tips -------------------------------------------------------------------------------


@transaction.atomic
def record_tip(
    *,
    actor: Any,
    establishment: Establishment,
    received_on: datetime.date,
    source_kind: str,
    note: str = "",
) -> Tip:
    require(actor, "inspections.edit", unit=establishment.commune)
    errors: dict[str, Any] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = ValidationError(
            _("The date %(date)s is in the future."), params={"date": format_date(received_on)}
        )
    if source_kind not in TipSource.values:
        errors["source_kind"] = ValidationError(_("Choose where the tip came from."))
    _errors(errors)
    tip = Tip.objects.create(
        establishment=establishment,
        commune=establishment.commune,
        received_on=received_on,
        source_kind=source_kind,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        verb="tip.create",
        obj=tip,
        changes=audit.diff({}, audit.snapshot(tip, TIP_FIELDS)),
    )
    return tip


# --- catalogs (administrators) ----------------------------------------------------------

ITEM_FIELDS = ["code", "name", "name_en", "legal_basis", "order", "is_active"]
WEIGHT_FIELDS = [
    "name",
    "is_active",
    "kind_multiplier",
    "violation_points",
    "violation_window_months",
    "violation_cap",
    "points_per_month_uninspected",
    "months_cap",
    "never_inspected_points",
    "hotspot_points",
    "hotspot_distance_km",
    "tip_points",
    "tip_window_months",
    "tip_cap",
    "source",
]


@transaction.atomic
def save_finding_item(item: FindingItem | None, *, actor: Any, **values: Any) -> FindingItem:
    require(actor, "catalogs.edit")
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(item, ITEM_FIELDS) if item else {}
    item = item or FindingItem()
    for key, value in values.items():
        setattr(item, key, value)
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        verb="finding_item.save",
        obj=item,
        changes=audit.diff(before, audit.snapshot(item, ITEM_FIELDS)),
    )
    return item


@transaction.atomic
def update_risk_weights(
    weights: RiskWeights, *, actor: Any, expected_version: int | None, **values: Any
) -> RiskWeights:
    require(actor, "catalogs.edit")
    unknown = set(values) - set(WEIGHT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(weights, WEIGHT_FIELDS)
    if weights.pk is None:  # the built-in defaults become a stored row on the first save
        weights.save()
        expected_version = weights.version
    for key, value in values.items():
        setattr(weights, key, value)
    if weights.never_inspected_points <= weights.months_cap:
        raise ValidationError(
            {
                "never_inspected_points": ValidationError(
                    _(
                        "Must be above the maximum for time since inspection (%(cap)s), so that a "
                        "never inspected establishment scores highest."
                    ),
                    params={"cap": weights.months_cap},
                )
            }
        )
    save_versioned(weights, expected_version, list(values))
    if weights.is_active:
        RiskWeights.objects.exclude(pk=weights.pk).update(is_active=False)
    audit.record(
        actor=actor,
        verb="risk_weights.update",
        obj=weights,
        changes=audit.diff(before, audit.snapshot(weights, WEIGHT_FIELDS)),
    )
    return weights
