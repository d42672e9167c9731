"""Writes to the business registry: one transaction, one permission check, one audit row.

Every function takes a keyword-only ``actor``: a user (checked for ``registry.edit`` and for
the commune being inside their scope) or ``None`` for the system (demo, loaders).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.geo.models import Unit, UnitLevel

from .models import (
    Establishment,
    EstablishmentKind,
    EstablishmentStatus,
    Licence,
    LicenceKind,
    StaffCount,
)
from .normalise import dedup_key

EDIT = "registry.edit"
ESTABLISHMENT_FIELDS = [
    "name",
    "kind",
    "address",
    "commune",
    "owner_name",
    "registration_no",
    "status",
    "opened_on",
    "closed_on",
    "lat",
    "lon",
    "notes",
]
LICENCE_FIELDS = ["kind", "number", "issuer", "issued_on", "expires_on"]
# Latitude and longitude of Vietnam, generously: a typo (swapped or missing digits) falls out.
LAT_RANGE = (8.0, 24.0)
LON_RANGE = (102.0, 110.0)


def clean_registration_no(value: str | None) -> str:
    return "".join(str(value or "").split()).upper()


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def check_commune(commune: Unit | None, on: datetime.date | None) -> dict[str, Any]:
    on = on or timezone.localdate()
    if commune is None:
        return {"commune": _("Choose a commune.")}
    if commune.level != UnitLevel.COMMUNE:
        return {"commune": _("%(unit)s is not a commune-level unit.") % {"unit": commune.name}}
    if not commune.is_valid_on(on):
        return {
            "commune": _("%(unit)s did not exist on %(date)s (map date).")
            % {"unit": commune.name, "date": _date(on)}
        }
    return {}


def check_position(lat: float | None, lon: float | None) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if (lat is None) != (lon is None):
        errors["lat" if lat is None else "lon"] = _("Give both latitude and longitude, or neither.")
    if lat is not None and not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        errors["lat"] = _("Latitude %(value)s is outside Vietnam (8 to 24).") % {"value": lat}
    if lon is not None and not LON_RANGE[0] <= lon <= LON_RANGE[1]:
        errors["lon"] = _("Longitude %(value)s is outside Vietnam (102 to 110).") % {"value": lon}
    return errors


def find_duplicate(
    *, registration_no: str, name: str, address: str, commune_id: int, exclude_pk: int | None = None
) -> tuple[str, Establishment] | None:
    """An existing establishment with the same registration number (anywhere), or with the
    same normalised name and address in the same commune ("Thôn 3" exists in many communes).
    """
    qs = Establishment.objects.filter(is_deleted=False).select_related("commune")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if registration_no:
        same = qs.filter(registration_no=registration_no).first()
        if same is not None:
            return "registration_no", same
    same = qs.filter(dedup_key=dedup_key(name, address), commune_id=commune_id).first()
    if same is not None:
        return "name", same
    return None


def _duplicate_error(found: tuple[str, Establishment], actor: Any) -> dict[str, Any]:
    where, other = found
    visible = actor is None or actor.sees_unit(other.commune)
    label = f"{other.name} ({other.commune.name})" if visible else str(_("another commune"))
    if where == "registration_no":
        return {
            "registration_no": _("This registration number is already recorded: %(other)s.")
            % {"other": label}
        }
    return {
        "name": _("An establishment with this name and address is already recorded: %(other)s.")
        % {"other": label}
    }


def _validate(
    est: Establishment, *, on: datetime.date | None, actor: Any, check_commune_date: bool = True
) -> None:
    errors: dict[str, Any] = {}
    if check_commune_date:
        errors.update(check_commune(est.commune if est.commune_id else None, on))
    errors.update(check_position(est.lat, est.lon))
    if est.closed_on and est.opened_on and est.closed_on < est.opened_on:
        errors["closed_on"] = _("The closing date is before the opening date.")
    today = timezone.localdate()
    for name in ("opened_on", "closed_on"):
        value = getattr(est, name)
        if value and value > today:
            errors[name] = _("The date %(date)s is in the future.") % {"date": _date(value)}
    est.dedup_key = dedup_key(est.name, est.address)
    try:
        est.full_clean(
            exclude=["commune", "kind"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages[0])
    if not errors and est.commune_id:
        found = find_duplicate(
            registration_no=est.registration_no,
            name=est.name,
            address=est.address,
            commune_id=est.commune_id,
            exclude_pk=est.pk,
        )
        if found:
            errors.update(_duplicate_error(found, actor))
    if errors:
        raise ValidationError(errors)


# --- establishments ------------------------------------------------------------------------


@transaction.atomic
def create_establishment(
    *,
    actor: Any,
    name: str,
    kind: EstablishmentKind,
    address: str,
    commune: Unit,
    on: datetime.date | None = None,
    owner_name: str = "",
    registration_no: str = "",
    status: str = EstablishmentStatus.OPEN,
    opened_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    lat: float | None = None,
    lon: float | None = None,
    notes: str = "",
) -> Establishment:
    """``on`` is the map date on which ``commune`` must exist (default today)."""
    require(actor, EDIT, unit=commune)
    if not kind.is_active:
        raise ValidationError({"kind": _("This kind is no longer in use.")})
    est = Establishment(
        name=name.strip(),
        kind=kind,
        address=address.strip(),
        commune=commune,
        owner_name=owner_name.strip(),
        registration_no=clean_registration_no(registration_no),
        status=status,
        opened_on=opened_on,
        closed_on=closed_on,
        lat=lat,
        lon=lon,
        notes=notes.strip(),
    )
    _validate(est, on=on, actor=actor)
    est.save()
    audit.record(
        actor=actor,
        verb="establishment.create",
        obj=est,
        changes=audit.diff({}, audit.snapshot(est, ESTABLISHMENT_FIELDS)),
    )
    return est


@transaction.atomic
def update_establishment(
    est: Establishment,
    *,
    actor: Any,
    expected_version: int | None,
    on: datetime.date | None = None,
    **values: Any,
) -> Establishment:
    """Change fields of ``est``; raises EditConflict if someone saved since
    ``expected_version``. A new commune must exist on the map date ``on``."""
    unknown = set(values) - set(ESTABLISHMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    require(actor, EDIT, obj=est)
    if "registration_no" in values:
        values["registration_no"] = clean_registration_no(values["registration_no"])
    for key in ("name", "address", "owner_name", "notes"):
        if key in values and isinstance(values[key], str):
            values[key] = values[key].strip()
    before = audit.snapshot(est, ESTABLISHMENT_FIELDS)
    old_commune = est.commune
    for key, value in values.items():
        setattr(est, key, value)
    moved = est.commune_id != old_commune.pk
    if moved:
        require(actor, EDIT, unit=est.commune)
    if "kind" in values and before["kind"] != est.kind_id and not est.kind.is_active:
        raise ValidationError({"kind": _("This kind is no longer in use.")})
    _validate(est, on=on, actor=actor, check_commune_date=moved)
    changes = audit.diff(before, audit.snapshot(est, ESTABLISHMENT_FIELDS))
    if not changes:
        return est
    save_versioned(est, expected_version, [*changes, "dedup_key"])
    audit.record(actor=actor, verb="establishment.update", obj=est, changes=changes)
    return est


@transaction.atomic
def close_establishment(
    est: Establishment,
    *,
    actor: Any,
    expected_version: int | None,
    on: datetime.date,
    reason: str = "",
) -> Establishment:
    require(actor, EDIT, obj=est)
    if est.status == EstablishmentStatus.CLOSED:
        raise ValidationError({"status": _("This establishment is already closed.")})
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("The date %(date)s is in the future.") % {"date": _date(on)}}
        )
    if est.opened_on and on < est.opened_on:
        raise ValidationError({"on": _("The closing date is before the opening date.")})
    before = audit.snapshot(est, ["status", "closed_on"])
    est.status = EstablishmentStatus.CLOSED
    est.closed_on = on
    save_versioned(est, expected_version, ["status", "closed_on"])
    audit.record(
        actor=actor,
        verb="establishment.close",
        obj=est,
        reason=reason[:500],
        changes=audit.diff(before, audit.snapshot(est, ["status", "closed_on"])),
    )
    return est


@transaction.atomic
def delete_establishment(
    est: Establishment, *, actor: Any, expected_version: int | None, reason: str
) -> None:
    """Soft delete (records people refer to stay; lists and the API no longer show it)."""
    require(actor, EDIT, obj=est)
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": _("Say why this record is deleted.")})
    est.is_deleted = True
    save_versioned(est, expected_version, ["is_deleted"])
    audit.record(
        actor=actor,
        verb="establishment.delete",
        obj=est,
        reason=reason.strip()[:500],
        changes={"is_deleted": [False, True]},
    )


# --- licences and staff counts ---------------------------------------------------------------


def _check_licence(lic: Licence) -> None:
    errors: dict[str, Any] = {}
    if lic.kind not in LicenceKind.values:
        errors["kind"] = _("Choose a kind of licence.")
    if not (lic.number or "").strip():
        errors["number"] = _("The licence number is required.")
    if lic.issued_on and lic.expires_on and lic.expires_on < lic.issued_on:
        errors["expires_on"] = _("The expiry date is before the date of issue.")
    if lic.issued_on and lic.issued_on > timezone.localdate():
        errors["issued_on"] = _("The date %(date)s is in the future.") % {
            "date": _date(lic.issued_on)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_licence(
    est: Establishment,
    *,
    actor: Any,
    kind: str,
    number: str,
    issuer: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Licence:
    require(actor, EDIT, obj=est)
    lic = Licence(
        establishment=est,
        kind=kind,
        number=number.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
    )
    _check_licence(lic)
    lic.save()
    audit.record(
        actor=actor,
        verb="establishment.licence_add",
        obj=est,
        changes=audit.diff(
            {}, {f"licence.{k}": v for k, v in audit.snapshot(lic, LICENCE_FIELDS).items()}
        ),
    )
    return lic


@transaction.atomic
def update_licence(
    lic: Licence, *, actor: Any, expected_version: int | None, **values: Any
) -> Licence:
    unknown = set(values) - set(LICENCE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    est = lic.establishment
    require(actor, EDIT, obj=est)
    before = audit.snapshot(lic, LICENCE_FIELDS)
    for key, value in values.items():
        setattr(lic, key, value.strip() if isinstance(value, str) else value)
    _check_licence(lic)
    changes = audit.diff(before, audit.snapshot(lic, LICENCE_FIELDS))
    if not changes:
        return lic
    save_versioned(lic, expected_version, list(changes))
    audit.record(
        actor=actor,
        verb="establishment.licence_update",
        obj=est,
        changes={f"licence.{k}": v for k, v in changes.items()},
    )
    return lic


def check_staff(staff: int | None, female_staff: int | None) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if staff is None or staff < 0:
        errors["staff"] = _("Give the number of staff (0 or more).")
    if female_staff is None or female_staff < 0:
        errors["female_staff"] = _("Give the number of female staff (0 or more).")
    elif staff is not None and female_staff > staff:
        errors["female_staff"] = _(
            "Female staff (%(female)s) cannot be more than all staff (%(staff)s)."
        ) % {"female": female_staff, "staff": staff}
    return errors


@transaction.atomic
def record_staff_count(
    est: Establishment, *, actor: Any, as_of: datetime.date, staff: int, female_staff: int
) -> StaffCount:
    """The count of staff and female staff on ``as_of`` (plan IV.1); replaces a count
    already recorded for that day."""
    require(actor, EDIT, obj=est)
    errors = check_staff(staff, female_staff)
    if as_of > timezone.localdate():
        errors["as_of"] = _("The date %(date)s is in the future.") % {"date": _date(as_of)}
    if errors:
        raise ValidationError(errors)
    existing = est.staff_counts.filter(as_of=as_of).first()
    before = {"staff": existing.staff, "female_staff": existing.female_staff} if existing else {}
    count, _created = StaffCount.objects.update_or_create(
        establishment=est, as_of=as_of, defaults={"staff": staff, "female_staff": female_staff}
    )
    audit.record(
        actor=actor,
        verb="establishment.staff_count",
        obj=est,
        changes={
            "as_of": [None, as_of.isoformat()],
            **audit.diff(before, {"staff": staff, "female_staff": female_staff}),
        },
    )
    return count


# --- many at once: the import and the demo -------------------------------------------------


@dataclass
class NewEstablishment:
    """One establishment to create in bulk, with its licences and staff counts."""

    values: dict[str, Any]  # ESTABLISHMENT_FIELDS (commune and kind as objects)
    licences: list[dict[str, Any]] = field(default_factory=list)
    staff_counts: list[dict[str, Any]] = field(default_factory=list)
    _key: str = ""

    @property
    def key(self) -> str:
        """The normalised ``name|address`` (computed once: unidecode is the costly part)."""
        if not self._key:
            self._key = dedup_key(self.values["name"], self.values["address"])
        return self._key


@transaction.atomic
def create_establishments_bulk(
    records: Iterable[NewEstablishment],
    *,
    actor: Any,
    verb: str = "establishment.import",
    reason: str = "",
) -> list[Establishment]:
    """Create many establishments in a few statements (bulk inserts) and one audit row.

    Callers validate first (``importer.check_file`` or generated demo data); the database
    still enforces female staff ≤ staff.
    """
    records = list(records)
    communes = {r.values["commune"].pk: r.values["commune"] for r in records}
    for commune in communes.values():
        require(actor, EDIT, unit=commune)
    objs = []
    for record in records:
        est = Establishment(**record.values)
        est.registration_no = clean_registration_no(est.registration_no)
        est.dedup_key = record.key
        objs.append(est)
    Establishment.objects.bulk_create(objs, batch_size=1000)
    licences = [
        Licence(establishment=est, **lic)
        for est, record in zip(objs, records, strict=True)
        for lic in record.licences
    ]
    counts = [
        StaffCount(establishment=est, **count)
        for est, record in zip(objs, records, strict=True)
        for count in record.staff_counts
    ]
    Licence.objects.bulk_create(licences, batch_size=2000)
    StaffCount.objects.bulk_create(counts, batch_size=2000)
    audit.record(
        actor=actor,
        verb=verb,
        object_type="registry.establishment",
        reason=reason,
        changes={
            "created": [None, len(objs)],
            "licences": [None, len(licences)],
            "staff_counts": [None, len(counts)],
            "communes": [None, sorted(u.code for u in communes.values())],
        },
    )
    return objs


@dataclass
class ImportOutcome:
    created: list[Establishment]
    problems: list[Any]  # pcmd.core.xlsx_import.Problem
    rows: int

    @property
    def ok(self) -> bool:
        return not self.problems


def import_establishments(
    data: bytes,
    *,
    actor: Any,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Check every row of an uploaded workbook; save all rows, or none if any has a problem.

    The check runs before the write transaction (it reads only); duplicates against the
    database are checked again inside it, so two simultaneous uploads cannot both pass.
    ``progress(rows checked)`` is told as the check goes (a background import shows it).
    """
    from . import importer

    require(actor, EDIT)
    checked = importer.check_file(data, actor=actor, progress=progress)
    if checked.problems:
        return ImportOutcome([], checked.problems, checked.rows)
    return save_checked_import(checked, actor=actor, filename=filename)


def save_checked_import(checked: Any, *, actor: Any, filename: str = "") -> ImportOutcome:
    """Save the rows of a checked workbook (``importer.Checked``) in one transaction, or
    none when a duplicate was recorded meanwhile."""
    from . import importer

    require(actor, EDIT)
    with transaction.atomic():
        problems = importer.existing_duplicates(checked.records, checked.row_numbers, actor)
        if problems:
            return ImportOutcome([], problems, checked.rows)
        created = create_establishments_bulk(checked.records, actor=actor, reason=filename[:200])
    return ImportOutcome(created, [], checked.rows)
