"""Every write of the outreach app: one transaction, one permission check, one audit row.

Permission is the capability (``outreach.edit``) plus the scope: the actor must see the
record's unit (``actor.sees_unit``). Edits of versioned records go through
``save_versioned`` and raise ``EditConflict`` when someone saved in between. Rules that
concern the data (a unit valid on the date, dates in order…) raise ``ValidationError``
naming the field, which pages and the API show next to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.core.files import store
from pcmd.core.xlsx_import import Problem
from pcmd.geo.models import Unit, UnitLevel

from .files import CheckedFile, check_uploads
from .models import (
    Activity,
    Attachment,
    Audience,
    CommunicationForm,
    Officer,
    Training,
    TrainingLevel,
    TrainingParticipant,
)

ACTIVITY_FIELDS = [
    "date",
    "unit",
    "agency",
    "organiser_detail",
    "form",
    "title",
    "participants",
    "copies",
    "notes",
]
TRAINING_FIELDS = [
    "title",
    "topic",
    "level",
    "agency",
    "start_date",
    "end_date",
    "unit",
    "venue",
    "notes",
]
OFFICER_FIELDS = [
    "full_name",
    "position",
    "commune",
    "valid_from",
    "valid_to",
    "is_social_evils_officer",
    "notes",
]
LEVEL_OF = {
    TrainingLevel.PROVINCE: UnitLevel.PROVINCE,
    TrainingLevel.DISTRICT: UnitLevel.DISTRICT,
    TrainingLevel.COMMUNE: UnitLevel.COMMUNE,
}


# --- checks -----------------------------------------------------------------------------


def _error(field: str, message: Any, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(message, params=params or None)})


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_unit_on(unit: Unit, on: datetime.date, field: str = "unit") -> None:
    if not unit.is_valid_on(on):
        raise _error(
            field,
            _("%(unit)s did not exist on %(date)s: choose the unit of that date."),
            unit=unit.name,
            date=_fmt(on),
        )


def check_agency_on(agency: Agency, on: datetime.date, field: str = "agency") -> None:
    if (agency.valid_from and agency.valid_from > on) or (agency.valid_to and agency.valid_to < on):
        raise _error(
            field, _("%(agency)s did not exist on %(date)s."), agency=agency.name, date=_fmt(on)
        )


def check_not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise _error(
            field, _("The date %(date)s is in the future: record what took place."), date=_fmt(day)
        )


def _check_activity(obj: Activity, *, new_form: bool) -> None:
    if not obj.title or not obj.title.strip():
        raise _error("title", _("Write what the activity was about."))
    check_not_future(obj.date, "date")
    if obj.unit.level not in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        raise _error("unit", _("Choose a commune, a district or the province."))
    check_unit_on(obj.unit, obj.date)
    check_agency_on(obj.agency, obj.date)
    if new_form and not obj.form.is_active:
        raise _error("form", _("This form of communication is no longer in use."))
    for name in ("participants", "copies"):
        value = getattr(obj, name)
        if value is not None and value < 0:
            raise _error(name, _("Must be at least %(n)s."), n=0)


def _activity_snapshot(obj: Activity) -> dict[str, Any]:
    data = audit.snapshot(obj, ACTIVITY_FIELDS)
    data["audiences"] = sorted(a.code for a in obj.audiences.all()) if obj.pk else []
    return data


# --- communication activities ----------------------------------------------------------------


def _store_files(activity: Activity, files: Iterable[CheckedFile], actor: Any) -> list[str]:
    names = []
    for checked in files:
        attachment = Attachment(
            activity=activity,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        store(attachment.file, checked.name, checked.upload)  # deleted again on rollback
        attachment.save()
        names.append(checked.name)
    return names


@transaction.atomic
def create_activity(
    *,
    actor: Any,
    date: datetime.date,
    unit: Unit,
    agency: Agency,
    form: CommunicationForm,
    title: str,
    audiences: Iterable[Audience] = (),
    organiser_detail: str = "",
    participants: int | None = None,
    copies: int | None = None,
    notes: str = "",
    files: Iterable[Any] = (),
) -> Activity:
    require(actor, "outreach.edit", unit=unit, obj=Activity(unit=unit, agency=agency))
    checked = check_uploads(list(files))
    activity = Activity(
        date=date,
        unit=unit,
        agency=agency,
        form=form,
        title=title.strip(),
        organiser_detail=organiser_detail,
        participants=participants,
        copies=copies,
        notes=notes,
        created_by=actor,
    )
    _check_activity(activity, new_form=True)
    activity.save()
    activity.audiences.set(list(audiences))
    stored = _store_files(activity, checked, actor)
    changes = audit.diff({}, _activity_snapshot(activity))
    if stored:
        changes["attachments"] = [None, stored]
    audit.record(actor=actor, verb="outreach.activity.create", obj=activity, changes=changes)
    return activity


@transaction.atomic
def update_activity(
    activity: Activity, *, actor: Any, expected_version: int | None, **values: Any
) -> Activity:
    """Change the given fields (and ``audiences``); raises EditConflict on a stale version."""
    require(actor, "outreach.edit", obj=activity)
    unknown = set(values) - set(ACTIVITY_FIELDS) - {"audiences"}
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = _activity_snapshot(activity)
    audiences = values.pop("audiences", None)
    old_form = activity.form_id
    for key, value in values.items():
        setattr(activity, key, value.strip() if key == "title" else value)
    if "unit" in values or "agency" in values:
        require(actor, "outreach.edit", obj=activity)
    _check_activity(activity, new_form=activity.form_id != old_form)
    changed = list(
        audit.diff(
            {k: before[k] for k in ACTIVITY_FIELDS}, audit.snapshot(activity, ACTIVITY_FIELDS)
        )
    )
    save_versioned(activity, expected_version, changed)
    if audiences is not None:
        activity.audiences.set(list(audiences))
    changes = audit.diff(before, _activity_snapshot(activity))
    audit.record(actor=actor, verb="outreach.activity.update", obj=activity, changes=changes)
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, actor: Any, expected_version: int | None = None) -> None:
    require(actor, "outreach.edit", obj=activity)
    activity.is_deleted = True
    save_versioned(activity, expected_version, ["is_deleted"])
    audit.record(actor=actor, verb="outreach.activity.delete", obj=activity)


@transaction.atomic
def add_attachments(activity: Activity, files: Iterable[Any], *, actor: Any) -> list[Attachment]:
    require(actor, "outreach.edit", obj=activity)
    checked = check_uploads(list(files))
    if not checked:
        raise _error("attachments", _("Choose a file."))
    before = set(activity.attachments.values_list("pk", flat=True))
    stored = _store_files(activity, checked, actor)
    audit.record(
        actor=actor,
        verb="outreach.attachment.add",
        obj=activity,
        changes={"attachments": [None, stored]},
    )
    return list(activity.attachments.exclude(pk__in=before))


@transaction.atomic
def remove_attachment(attachment: Attachment, *, actor: Any) -> None:
    require(actor, "outreach.edit", obj=attachment)
    attachment.is_deleted = True
    attachment.save(update_fields=["is_deleted", "updated_at"])
    audit.record(
        actor=actor,
        verb="outreach.attachment.remove",
        obj=attachment.activity,
        changes={"attachments": [attachment.name, None]},
    )


# --- trainings -----------------------------------------------------------------------------


def _check_training(obj: Training) -> None:
    if not obj.title or not obj.title.strip():
        raise _error("title", _("Give the course a title."))
    if obj.end_date < obj.start_date:
        raise _error("end_date", _("The end date is before the start date."))
    wanted = LEVEL_OF.get(TrainingLevel(obj.level))
    if obj.unit.level != wanted:
        raise _error(
            "unit",
            _("A course at %(level)s level is held by a unit of that level."),
            level=TrainingLevel(obj.level).label,
        )
    check_unit_on(obj.unit, obj.start_date)
    check_agency_on(obj.agency, obj.start_date)


@transaction.atomic
def create_training(
    *,
    actor: Any,
    title: str,
    level: str,
    agency: Agency,
    start_date: datetime.date,
    end_date: datetime.date,
    unit: Unit,
    topic: str = "",
    venue: str = "",
    notes: str = "",
) -> Training:
    require(actor, "outreach.edit", unit=unit, obj=Training(unit=unit, agency=agency))
    training = Training(
        title=title.strip(),
        level=level,
        agency=agency,
        start_date=start_date,
        end_date=end_date,
        unit=unit,
        topic=topic,
        venue=venue,
        notes=notes,
        created_by=actor,
    )
    _check_training(training)
    training.save()
    audit.record(
        actor=actor,
        verb="outreach.training.create",
        obj=training,
        changes=audit.diff({}, audit.snapshot(training, TRAINING_FIELDS)),
    )
    return training


@transaction.atomic
def update_training(
    training: Training, *, actor: Any, expected_version: int | None, **values: Any
) -> Training:
    require(actor, "outreach.edit", obj=training)
    unknown = set(values) - set(TRAINING_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(training, TRAINING_FIELDS)
    for key, value in values.items():
        setattr(training, key, value)
    if "unit" in values or "agency" in values:
        require(actor, "outreach.edit", obj=training)
    _check_training(training)
    changes = audit.diff(before, audit.snapshot(training, TRAINING_FIELDS))
    save_versioned(training, expected_version, list(changes))
    audit.record(actor=actor, verb="outreach.training.update", obj=training, changes=changes)
    return training


@transaction.atomic
def delete_training(training: Training, *, actor: Any, expected_version: int | None = None) -> None:
    require(actor, "outreach.edit", obj=training)
    training.is_deleted = True
    save_versioned(training, expected_version, ["is_deleted"])
    audit.record(actor=actor, verb="outreach.training.delete", obj=training)


def _participant(
    training: Training,
    actor: Any,
    *,
    officer: Officer | None,
    full_name: str,
    position: str,
    unit: Unit | None,
) -> TrainingParticipant:
    """Build (unsaved) and check one participant."""
    if officer is not None:
        if not actor.sees_unit(officer.commune) or officer.is_deleted:
            raise _error("officer", _("This officer is not on a roster you can see."))
        if (officer.valid_from and officer.valid_from > training.end_date) or (
            officer.valid_to and officer.valid_to < training.start_date
        ):
            raise _error(
                "officer",
                _("%(name)s was not in post at the time of the course."),
                name=officer.full_name,
            )
        if training.participants.filter(officer=officer).exists():
            raise _error("officer", _("%(name)s is already a participant."), name=officer.full_name)
        return TrainingParticipant(
            training=training,
            officer=officer,
            full_name=officer.full_name,
            position=officer.position,
            unit=officer.commune,
        )
    if not full_name or not full_name.strip():
        raise _error("full_name", _("Choose an officer from the roster or write a name."))
    if unit is None:
        raise _error("unit", _("Give the participant's unit."))
    if not actor.sees_unit(unit):
        raise _error("unit", _("%(unit)s is outside your scope."), unit=unit.name)
    check_unit_on(unit, training.start_date)
    return TrainingParticipant(
        training=training, full_name=full_name.strip(), position=position.strip(), unit=unit
    )


@transaction.atomic
def add_participant(
    training: Training,
    *,
    actor: Any,
    officer: Officer | None = None,
    full_name: str = "",
    position: str = "",
    unit: Unit | None = None,
) -> TrainingParticipant:
    require(actor, "outreach.edit", obj=training)
    participant = _participant(
        training, actor, officer=officer, full_name=full_name, position=position, unit=unit
    )
    participant.save()
    audit.record(
        actor=actor,
        verb="outreach.participant.add",
        obj=training,
        changes={
            "participant": [None, participant.full_name],
            "officer": [None, officer.pk if officer else None],
            "unit": [None, participant.unit.code],
        },
    )
    return participant


@transaction.atomic
def remove_participant(participant: TrainingParticipant, *, actor: Any) -> None:
    require(actor, "outreach.edit", obj=participant.training)
    training = participant.training
    name = participant.full_name
    participant.delete()
    audit.record(
        actor=actor,
        verb="outreach.participant.remove",
        obj=training,
        changes={"participant": [name, None]},
    )


# --- roster of officers --------------------------------------------------------------------


def _check_officer(obj: Officer) -> None:
    if not obj.full_name or not obj.full_name.strip():
        raise _error("full_name", _("Write the officer's name."))
    if not obj.position or not obj.position.strip():
        raise _error("position", _("Write the officer's position."))
    if obj.commune.level != UnitLevel.COMMUNE:
        raise _error("commune", _("Choose a commune-level unit."))
    if obj.valid_from and obj.valid_to and obj.valid_to < obj.valid_from:
        raise _error("valid_to", _("The end date is before the start date."))
    if obj.valid_from:
        check_unit_on(obj.commune, obj.valid_from, "commune")


@transaction.atomic
def create_officer(
    *,
    actor: Any,
    full_name: str,
    position: str,
    commune: Unit,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    is_social_evils_officer: bool = True,
    notes: str = "",
) -> Officer:
    require(actor, "outreach.edit", unit=commune)
    officer = Officer(
        full_name=full_name.strip(),
        position=position.strip(),
        commune=commune,
        valid_from=valid_from,
        valid_to=valid_to,
        is_social_evils_officer=is_social_evils_officer,
        notes=notes,
    )
    _check_officer(officer)
    officer.save()
    audit.record(
        actor=actor,
        verb="outreach.officer.create",
        obj=officer,
        changes=audit.diff({}, audit.snapshot(officer, OFFICER_FIELDS)),
    )
    return officer


@transaction.atomic
def update_officer(
    officer: Officer, *, actor: Any, expected_version: int | None, **values: Any
) -> Officer:
    require(actor, "outreach.edit", obj=officer)
    unknown = set(values) - set(OFFICER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(officer, OFFICER_FIELDS)
    for key, value in values.items():
        setattr(officer, key, value)
    if "commune" in values:
        require(actor, "outreach.edit", obj=officer)
    _check_officer(officer)
    changes = audit.diff(before, audit.snapshot(officer, OFFICER_FIELDS))
    save_versioned(officer, expected_version, list(changes))
    if {"full_name", "position"} & set(changes):
        officer.participations.update(full_name=officer.full_name, position=officer.position)
    audit.record(actor=actor, verb="outreach.officer.update", obj=officer, changes=changes)
    return officer


@transaction.atomic
def delete_officer(officer: Officer, *, actor: Any, expected_version: int | None = None) -> None:
    """Take an entry entered by mistake off the roster (an officer who left gets an end date)."""
    require(actor, "outreach.edit", obj=officer)
    officer.is_deleted = True
    save_versioned(officer, expected_version, ["is_deleted"])
    audit.record(actor=actor, verb="outreach.officer.delete", obj=officer)


# --- imports (all rows or nothing) ---------------------------------------------------------


@dataclass
class ImportOutcome:
    saved: int = 0
    problems: list[Problem] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@transaction.atomic
def import_activities(data: bytes, *, actor: Any) -> ImportOutcome:
    """Save every row of an activities workbook, or none if any row has a problem."""
    require(actor, "outreach.edit")
    from .imports import parse_activities

    result = parse_activities(data, actor)
    if not result.ok:
        return ImportOutcome(problems=result.problems)
    return save_activities(result.rows, actor=actor)


@transaction.atomic
def save_activities(rows: list[dict[str, Any]], *, actor: Any) -> ImportOutcome:
    """Save the checked rows of an activities workbook (``imports.parse_activities``)."""
    require(actor, "outreach.edit")
    ids = []
    for row in rows:
        require(actor, "outreach.edit", obj=Activity(unit=row["unit"], agency=row["agency"]))
        activity = Activity.objects.create(
            date=row["date"],
            unit=row["unit"],
            agency=row["agency"],
            form=row["form"],
            title=row["title"].strip(),
            organiser_detail=row.get("organiser_detail") or "",
            participants=row.get("participants"),
            copies=row.get("copies"),
            notes=row.get("notes") or "",
            created_by=actor,
        )
        activity.audiences.set(row["audiences"])
        ids.append(activity.pk)
    audit.record(
        actor=actor,
        verb="outreach.activity.import",
        object_type="outreach.activity",
        changes={"rows": [None, len(ids)], "ids": [None, ids]},
    )
    return ImportOutcome(saved=len(ids))


@transaction.atomic
def import_officers(data: bytes, *, actor: Any) -> ImportOutcome:
    require(actor, "outreach.edit")
    from .imports import parse_officers

    result = parse_officers(data, actor)
    if not result.ok:
        return ImportOutcome(problems=result.problems)
    officers = Officer.objects.bulk_create(
        [
            Officer(
                full_name=row["full_name"].strip(),
                position=row["position"].strip(),
                commune=row["commune"],
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
                is_social_evils_officer=row["is_social_evils_officer"],
                notes=row.get("notes") or "",
            )
            for row in result.rows
        ]
    )
    audit.record(
        actor=actor,
        verb="outreach.officer.import",
        object_type="outreach.officer",
        changes={"rows": [None, len(officers)]},
    )
    return ImportOutcome(saved=len(officers))


@transaction.atomic
def import_participants(training: Training, data: bytes, *, actor: Any) -> ImportOutcome:
    require(actor, "outreach.edit", obj=training)
    from .imports import parse_participants

    result = parse_participants(data, training, actor)
    if not result.ok:
        return ImportOutcome(problems=result.problems)
    rows = []
    for row in result.rows:
        officer: Officer | None = row["officer"]
        rows.append(
            TrainingParticipant(
                training=training,
                officer=officer,
                full_name=officer.full_name if officer else row["full_name"].strip(),
                position=officer.position if officer else (row.get("position") or "").strip(),
                unit=officer.commune if officer else row["unit"],
            )
        )
    TrainingParticipant.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        verb="outreach.participant.import",
        obj=training,
        changes={
            "rows": [None, len(rows)],
            "from_roster": [None, sum(1 for r in rows if r.officer_id)],
        },
    )
    return ImportOutcome(saved=len(rows))
