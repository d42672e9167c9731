"""Writes to person records: create (with possible duplicates), update, involvements,
merge and its undoing. Audit rows name the fields changed, never their values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import allows, is_administrator, require
from pcmd.accounts.roles import Capability
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit, UnitLevel

from . import access
from .models import IDENTITY_FIELDS, Involvement, Person, PersonCodeCounter, PersonMerge

EDITABLE_FIELDS = (
    *IDENTITY_FIELDS,
    "sex",
    "permanent_unit",
    "current_unit",
)


class PersonRefused(Exception):
    """A write the rules refuse; ``texts`` holds the message in both languages."""

    status_code = 400

    def __init__(self, message: Any, **params: Any) -> None:
        self.texts = bilingual(message, **params)
        super().__init__(self.texts["en"])


def province_of(unit: Unit) -> Unit:
    if unit.level == UnitLevel.PROVINCE:
        return unit
    return next(u for u in unit.ancestors() if u.level == UnitLevel.PROVINCE)


def province_abbreviation(province: Unit) -> str:
    """Initials of the province's name without its type: Đắk Lắk → ĐL."""
    words = (province.short_name or province.name).split()
    for prefix in (["Tỉnh"], ["Thành", "phố"]):
        if words[: len(prefix)] == prefix:
            words = words[len(prefix) :]
    return "".join(w[0].upper() for w in words if w) or "P"


def next_code(unit: Unit, year: int) -> str:
    """``ĐL-2018-000123``: province, year of recording, sequence (inside a transaction)."""
    prefix = f"{province_abbreviation(province_of(unit))}-{year}"
    counter, _created = PersonCodeCounter.objects.select_for_update().get_or_create(prefix=prefix)
    PersonCodeCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{prefix}-{counter.last:06d}"


def _require_identity_scope(actor: Any, unit: Unit) -> None:
    require(actor, Capability.VIEW_IDENTITY, unit=unit)


def candidates(values: Mapping[str, Any], *, exclude: Person | None = None) -> list[Person]:
    """Records that may be the same person: same ID number, same phone, or same name and
    birth year (blind indexes only; nothing is decrypted to search)."""
    probe = Person(
        full_name=values.get("full_name") or "",
        id_number=values.get("id_number") or "",
        phone=values.get("phone") or "",
        birth_year=values.get("birth_year"),
        birth_date=values.get("birth_date"),
    )
    probe.refresh_indexes()
    # One indexed equality per index (an OR of three columns defeats the indexes).
    pks: set[int] = set()
    for field in ("bi_id_number", "bi_phone", "bi_name_year"):
        value = getattr(probe, field)
        if value:
            pks.update(Person.objects.filter(**{field: value}).values_list("pk", flat=True)[:50])
    if exclude is not None:
        pks.discard(exclude.pk)
    return list(Person.objects.filter(pk__in=pks).active().order_by("code")[:20])


def _check_values(values: Mapping[str, Any]) -> None:
    from . import normalise

    if not (values.get("full_name") or "").strip():
        raise PersonRefused(_("Write the person's full name."))
    number = normalise.id_number(values.get("id_number") or "")
    if number and len(number) not in (9, 12):
        raise PersonRefused(
            _("The ID number has %(n)d digits: a CCCD has 12 digits, an old CMND 9."),
            n=len(number),
        )
    year = values.get("birth_year")
    today = timezone.localdate()
    if year is not None and not (today.year - 120 <= int(year) <= today.year):
        raise PersonRefused(_("The year of birth %(year)s is not plausible."), year=year)
    born = values.get("birth_date")
    if born is not None and born > today:
        raise PersonRefused(_("The date of birth lies in the future."))


@transaction.atomic
def create_person(actor: Any, *, unit: Unit, values: Mapping[str, Any]) -> Person:
    """A new person record under ``unit``. The caller links it with :func:`involve`."""
    _require_identity_scope(actor, unit)
    _check_values(values)
    person = Person(unit=unit, created_by=actor if actor is not None else None)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(person, name, values[name])
    if person.birth_date and not person.birth_year:
        person.birth_year = person.birth_date.year
    person.code = next_code(unit, timezone.localdate().year)
    person.save()
    audit.record(
        actor=actor,
        verb="person.create",
        obj=person,
        changes={"fields": sorted(n for n in EDITABLE_FIELDS if values.get(n))},
    )
    return person


def may_change_person(user: Any, person: Person) -> bool:
    """Sees the identity and may change a record of a module the person appears in (the
    rule in pcmd.accounts.policy); emergency access reads but never changes."""
    return access.grant_for(user, person) is not None and allows(
        user, Capability.VIEW_IDENTITY, obj=person
    )


def _require_change(actor: Any, person: Person) -> None:
    if actor is not None and not may_change_person(actor, person):
        raise PermissionDenied


@transaction.atomic
def update_person(
    actor: Any, person: Person, *, version: int | None, values: Mapping[str, Any]
) -> Person:
    _require_change(actor, person)
    if person.pseudonymised_at is not None:
        raise PersonRefused(_("This record's identity has been removed; it cannot be edited."))
    merged = {n: values.get(n, getattr(person, n)) for n in EDITABLE_FIELDS}
    _check_values(merged)
    changed = []
    for name in EDITABLE_FIELDS:
        if name in values and values[name] != getattr(person, name):
            setattr(person, name, values[name])
            changed.append(name)
    if not changed:
        return person
    person.refresh_indexes()
    save_versioned(
        person,
        version,
        [*changed, "bi_id_number", "bi_phone", "bi_name_year", "bi_name"],
    )
    audit.record(actor=actor, verb="person.update", obj=person, changes={"fields": changed})
    return person


def involve(
    actor: Any,
    person: Person,
    *,
    module: str,
    unit: Unit,
    source: str,
    agency: Any = None,
    on: Any = None,
) -> Involvement:
    """Record that ``person`` appears in ``source`` (call inside the module's action)."""
    involvement, created = Involvement.objects.get_or_create(
        person=person,
        module=module,
        unit=unit,
        agency=agency,
        source=source,
        ended_on=None,
        defaults={"started_on": on or timezone.localdate()},
    )
    if created:
        audit.record(
            actor=actor,
            verb="person.involve",
            obj=person,
            changes={"module": module, "unit": unit.pk, "source": source},
        )
        for hook in INVOLVE_HOOKS.values():
            hook(involvement)
    return involvement


# Apps that react when a person appears in a new record (e.g. support: the person's case
# worker learns that the person appeared again in a sanction). Called inside the caller's
# transaction, once per new involvement.
INVOLVE_HOOKS: dict[str, Callable[[Involvement], None]] = {}


def register_involve_hook(name: str, hook: Callable[[Involvement], None]) -> None:
    """Call ``hook(involvement)`` on each new involvement (from ``AppConfig.ready``)."""
    INVOLVE_HOOKS[name] = hook


@dataclass(frozen=True)
class MergeHook:
    """Records of another app that name a person and follow it when it is merged."""

    move: Callable[[Person, Person], list[int]]  # (kept, merged) -> ids moved
    restore: Callable[[Person, list[int]], None]  # (merged, ids moved) -> None


MERGE_HOOKS: dict[str, MergeHook] = {}


def register_merge_hook(
    name: str,
    move: Callable[[Person, Person], list[int]],
    restore: Callable[[Person, list[int]], None],
) -> None:
    """Let an app move its rows naming a person on merge (call from ``AppConfig.ready``)."""
    MERGE_HOOKS[name] = MergeHook(move, restore)


@transaction.atomic
def merge(actor: Any, *, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """``merged`` is the same person as ``kept``: its involvements move to ``kept`` and it
    points at ``kept`` from now on. An administrator can undo it (:func:`undo_merge`)."""
    if kept.pk == merged.pk:
        raise PersonRefused(_("A record cannot be merged with itself."))
    if merged.merged_into_id is not None or kept.merged_into_id is not None:
        raise PersonRefused(_("One of the two records has already been merged."))
    _require_change(actor, kept)
    _require_change(actor, merged)
    if not reason.strip():
        raise PersonRefused(_("Write why the two records are the same person."))
    moved = list(merged.involvements.values_list("pk", flat=True))
    Involvement.objects.filter(pk__in=moved).update(person=kept)
    references = {name: hook.move(kept, merged) for name, hook in MERGE_HOOKS.items()}
    Person.objects.filter(pk=merged.pk).update(merged_into=kept, version=F("version") + 1)
    record = PersonMerge.objects.create(
        kept=kept,
        merged=merged,
        moved_involvements=moved,
        moved_references=references,
        reason=reason.strip()[:500],
        by=actor,
    )
    audit.record(
        actor=actor,
        verb="person.merge",
        obj=kept,
        changes={"merged": merged.code, "involvements": len(moved)},
        reason=reason.strip()[:500],
    )
    return record


@transaction.atomic
def undo_merge(actor: Any, record: PersonMerge) -> None:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied
    if record.undone_at is not None:
        raise PersonRefused(_("This merge has already been undone."))
    Involvement.objects.filter(pk__in=record.moved_involvements).update(person=record.merged)
    for name, ids in (record.moved_references or {}).items():
        if name in MERGE_HOOKS:
            MERGE_HOOKS[name].restore(record.merged, ids)
    Person.objects.filter(pk=record.merged_id).update(merged_into=None, version=F("version") + 1)
    PersonMerge.objects.filter(pk=record.pk).update(undone_at=timezone.now(), undone_by=actor)
    audit.record(
        actor=actor,
        verb="person.unmerge",
        obj=record.kept,
        changes={"merged": record.merged.code},
    )
