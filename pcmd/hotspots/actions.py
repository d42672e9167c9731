"""Writes to hotspots and patrols: one transaction, one permission check, one audit row.

Re-check rule (plan 1842/KH-UBND II.3.b: "tăng cường tuần tra, kiểm tra tại các điểm đã
triệt xóa, không để tái hoạt động trở lại"): a hotspot that is cleared or under watch is due
for a re-check ``PCMD_HOTSPOT_RECHECK_DAYS`` days (default 30) after the status was set or
last confirmed; a patrol there that finds nobody, or a status change, moves the due date on.
A patrol that finds people at a cleared hotspot, or a change back to active after a
clearing, records the hotspot as reappeared.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.geo.models import Unit
from pcmd.registry.actions import check_commune, check_position

from .models import Hotspot, HotspotKind, HotspotStatus, HotspotStatusChange, Patrol

EDIT = "hotspots.edit"
HOTSPOT_FIELDS = ["name", "kind", "location", "commune", "lat", "lon", "first_seen"]
PATROL_FIELDS = [
    "on",
    "force",
    "agency",
    "hotspot",
    "commune",
    "people_found",
    "people_sanctioned",
    "people_referred",
    "action_taken",
]
WATCHED = (HotspotStatus.CLEARED, HotspotStatus.UNDER_WATCH)


def recheck_days() -> int:
    return int(getattr(settings, "PCMD_HOTSPOT_RECHECK_DAYS", 30))


def next_due(status: str, on: datetime.date) -> datetime.date | None:
    if status in WATCHED:
        return on + datetime.timedelta(days=recheck_days())
    return None


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _not_future(name: str, value: datetime.date | None, errors: dict[str, Any]) -> None:
    if value and value > timezone.localdate():
        errors[name] = _("The date %(date)s is in the future.") % {"date": _date(value)}


def _check_hotspot(h: Hotspot, *, on: datetime.date | None, check_date: bool) -> None:
    errors: dict[str, Any] = {}
    if check_date:
        errors.update(check_commune(h.commune if h.commune_id else None, on))
    errors.update(check_position(h.lat, h.lon))
    if h.kind not in HotspotKind.values:
        errors["kind"] = _("Choose a kind of place.")
    _not_future("first_seen", h.first_seen, errors)
    for name in ("name", "location"):
        if not (getattr(h, name) or "").strip():
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)


# --- hotspots ----------------------------------------------------------------------------


@transaction.atomic
def create_hotspot(
    *,
    actor: Any,
    name: str,
    kind: str,
    location: str,
    commune: Unit,
    first_seen: datetime.date,
    on: datetime.date | None = None,
    lat: float | None = None,
    lon: float | None = None,
    status: str = HotspotStatus.ACTIVE,
    note: str = "",
) -> Hotspot:
    """``on`` is the map date on which ``commune`` must exist (default today)."""
    require(actor, EDIT, unit=commune)
    if status not in HotspotStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    h = Hotspot(
        name=name.strip(),
        kind=kind,
        location=location.strip(),
        commune=commune,
        lat=lat,
        lon=lon,
        first_seen=first_seen,
        status=status,
        status_since=first_seen,
        next_check_due=next_due(status, first_seen),
    )
    _check_hotspot(h, on=on, check_date=True)
    h.save()
    HotspotStatusChange.objects.create(
        hotspot=h, status=status, on=first_seen, note=note, recorded_by=_user(actor)
    )
    audit.record(
        actor=actor,
        verb="hotspot.create",
        obj=h,
        changes=audit.diff({}, audit.snapshot(h, [*HOTSPOT_FIELDS, "status", "next_check_due"])),
    )
    return h


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def update_hotspot(
    h: Hotspot,
    *,
    actor: Any,
    expected_version: int | None,
    on: datetime.date | None = None,
    **values: Any,
) -> Hotspot:
    unknown = set(values) - set(HOTSPOT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    require(actor, EDIT, obj=h)
    before = audit.snapshot(h, HOTSPOT_FIELDS)
    for key, value in values.items():
        setattr(h, key, value.strip() if isinstance(value, str) else value)
    moved = h.commune_id != before["commune"]
    if moved:
        require(actor, EDIT, unit=h.commune)
    _check_hotspot(h, on=on, check_date=moved)
    changes = audit.diff(before, audit.snapshot(h, HOTSPOT_FIELDS))
    if not changes:
        return h
    save_versioned(h, expected_version, list(changes))
    audit.record(actor=actor, verb="hotspot.update", obj=h, changes=changes)
    return h


def _has_been_cleared(h: Hotspot) -> bool:
    return (
        h.status == HotspotStatus.CLEARED or h.history.filter(status=HotspotStatus.CLEARED).exists()
    )


@transaction.atomic
def change_hotspot_status(
    h: Hotspot,
    *,
    actor: Any,
    expected_version: int | None,
    status: str,
    on: datetime.date,
    note: str = "",
) -> HotspotStatusChange:
    """Record the status on ``on``. The same status again is a re-check (it confirms the
    status and moves the re-check date on); active after a clearing is a reappearance."""
    require(actor, EDIT, obj=h)
    errors: dict[str, Any] = {}
    if status not in HotspotStatus.values:
        errors["status"] = _("Choose a status.")
    _not_future("on", on, errors)
    if on < h.status_since:
        errors["on"] = _("The date is before the current status began (%(date)s).") % {
            "date": _date(h.status_since)
        }
    if errors:
        raise ValidationError(errors)
    reappeared = (
        status == HotspotStatus.ACTIVE and h.status != HotspotStatus.ACTIVE and _has_been_cleared(h)
    )
    before = audit.snapshot(h, ["status", "status_since", "next_check_due"])
    if status != h.status:
        h.status_since = on
    h.status = status
    h.next_check_due = next_due(status, on)
    save_versioned(h, expected_version, ["status", "status_since", "next_check_due"])
    change = HotspotStatusChange.objects.create(
        hotspot=h,
        status=status,
        on=on,
        reappeared=reappeared,
        note=note.strip(),
        recorded_by=_user(actor),
    )
    verb = (
        "hotspot.reappeared"
        if reappeared
        else ("hotspot.recheck" if before["status"] == status else "hotspot.status")
    )
    audit.record(
        actor=actor,
        verb=verb,
        obj=h,
        reason=note.strip()[:500],
        changes={
            **audit.diff(before, audit.snapshot(h, ["status", "status_since", "next_check_due"])),
            "on": [None, on.isoformat()],
        },
    )
    return change


@transaction.atomic
def delete_hotspot(h: Hotspot, *, actor: Any, expected_version: int | None, reason: str) -> None:
    require(actor, EDIT, obj=h)
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": _("Say why this record is deleted.")})
    h.is_deleted = True
    save_versioned(h, expected_version, ["is_deleted"])
    audit.record(
        actor=actor,
        verb="hotspot.delete",
        obj=h,
        reason=reason.strip()[:500],
        changes={"is_deleted": [False, True]},
    )


# --- patrols -------------------------------------------------------------------------------


def _check_patrol(p: Patrol) -> None:
    errors: dict[str, Any] = {}
    _not_future("on", p.on, errors)
    if not (p.force or "").strip():
        errors["force"] = _("Name the force that patrolled.")
    for name in ("people_found", "people_sanctioned", "people_referred"):
        value = getattr(p, name)
        if value is None or value < 0:
            errors[name] = _("Give a number (0 or more).")
    if not errors:
        if p.people_sanctioned > p.people_found:
            errors["people_sanctioned"] = _(
                "People sanctioned (%(n)s) cannot be more than people found (%(found)s)."
            ) % {"n": p.people_sanctioned, "found": p.people_found}
        if p.people_referred > p.people_found:
            errors["people_referred"] = _(
                "People referred (%(n)s) cannot be more than people found (%(found)s)."
            ) % {"n": p.people_referred, "found": p.people_found}
    if p.commune_id and p.hotspot is not None and p.hotspot.commune_id != p.commune_id:
        errors["commune"] = _("The hotspot is in %(commune)s: record the patrol there.") % {
            "commune": p.hotspot.commune.name
        }
    if p.on and p.hotspot is not None and p.on < p.hotspot.first_seen:
        errors["on"] = _("The hotspot was first identified on %(date)s.") % {
            "date": _date(p.hotspot.first_seen)
        }
    if errors:
        raise ValidationError(errors)


def _patrol_effect(p: Patrol, actor: Any) -> dict[str, Any]:
    """Move the hotspot's re-check date on, or record its reappearance."""
    if p.hotspot_id is None:
        return {}
    h = Hotspot.objects.get(pk=p.hotspot_id)
    if h.status not in WATCHED or p.on < h.status_since:
        return {}
    before = audit.snapshot(h, ["status", "status_since", "next_check_due"])
    if p.people_found > 0:
        reappeared = _has_been_cleared(h)
        h.status, h.status_since, h.next_check_due = HotspotStatus.ACTIVE, p.on, None
        save_versioned(h, h.version, ["status", "status_since", "next_check_due"])
        HotspotStatusChange.objects.create(
            hotspot=h,
            status=HotspotStatus.ACTIVE,
            on=p.on,
            reappeared=reappeared,
            recorded_by=_user(actor),
            patrol=p,
        )
    else:
        due = next_due(h.status, p.on)
        if h.next_check_due is None or (due and due > h.next_check_due):
            h.next_check_due = due
            save_versioned(h, h.version, ["next_check_due"])
    return {
        f"hotspot.{k}": v
        for k, v in audit.diff(
            before, audit.snapshot(h, ["status", "status_since", "next_check_due"])
        ).items()
    }


@transaction.atomic
def record_patrol(
    *,
    actor: Any,
    on: datetime.date,
    force: str,
    commune: Unit | None = None,
    hotspot: Hotspot | None = None,
    agency: Agency | None = None,
    people_found: int = 0,
    people_sanctioned: int = 0,
    people_referred: int = 0,
    action_taken: str = "",
) -> Patrol:
    """A patrol or sweep; people are counts, never names (DESIGN.md §4). At a hotspot the
    commune is the hotspot's; the commune must exist on the patrol date."""
    if hotspot is not None and commune is None:
        commune = hotspot.commune
    if commune is None:
        raise ValidationError({"commune": _("Choose a commune or a hotspot.")})
    require(actor, EDIT, unit=commune)
    p = Patrol(
        on=on,
        force=force.strip(),
        commune=commune,
        hotspot=hotspot,
        agency=agency,
        people_found=people_found,
        people_sanctioned=people_sanctioned,
        people_referred=people_referred,
        action_taken=action_taken.strip(),
    )
    errors = check_commune(commune, on) if hotspot is None else {}
    try:
        _check_patrol(p)
    except ValidationError as exc:
        errors = {**errors, **exc.message_dict}
    if errors:
        raise ValidationError(errors)
    p.save()
    effect = _patrol_effect(p, actor)
    audit.record(
        actor=actor,
        verb="patrol.record",
        obj=p,
        changes={**audit.diff({}, audit.snapshot(p, PATROL_FIELDS)), **effect},
    )
    return p


@transaction.atomic
def update_patrol(p: Patrol, *, actor: Any, expected_version: int | None, **values: Any) -> Patrol:
    """Correct a patrol record. The hotspot's status is not re-judged: change it on the
    hotspot if the correction matters."""
    unknown = set(values) - set(PATROL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    require(actor, EDIT, obj=p)
    before = audit.snapshot(p, PATROL_FIELDS)
    for key, value in values.items():
        setattr(p, key, value.strip() if isinstance(value, str) else value)
    if "hotspot" in values and p.hotspot is not None and "commune" not in values:
        p.commune = p.hotspot.commune
    if p.commune_id != before["commune"]:
        require(actor, EDIT, unit=p.commune)
        errors = check_commune(p.commune, p.on)
        if errors:
            raise ValidationError(errors)
    _check_patrol(p)
    changes = audit.diff(before, audit.snapshot(p, PATROL_FIELDS))
    if not changes:
        return p
    save_versioned(p, expected_version, list(changes))
    audit.record(actor=actor, verb="patrol.update", obj=p, changes=changes)
    return p
