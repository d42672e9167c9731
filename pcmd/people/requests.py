"""Data-subject requests (Personal Data Protection Law 91/2025/QH15, in force 01/01/2026;
Decree 356/2025/NĐ-CP): the register's writes, and the "my data" document.

Deadlines: ``PCMD_DSR_DEADLINE_DAYS[kind]`` days from receipt, extendable once by
``PCMD_DSR_EXTENSION_DAYS`` (config/settings.py says which figures are verified).

**Who may produce the "my data" document.** It shows the person's identity, so it is an
identity read: it needs ``people.requests`` (handling requests) *and* a grant to that
person's identity — by the identity rule (e.g. the standing office for a person referred for
support) or an emergency access (written reason, time-limited, reviewed). The data
protection officer and the administrator hold no identity grant: they ask an identity holder
who also handles requests (the standing office), or open an emergency access. Producing it
writes an access-log row (surface "document", purpose "data-subject request").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.accounts.roles import Capability
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.geo.models import UnitLevel

from . import access, inventory, retention
from .actions import PersonRefused
from .documents_privacy import Paper, Table, render
from .models import (
    IDENTITY_FIELDS,
    AccessLog,
    Person,
    RequestKind,
    RequestStatus,
    SubjectRequest,
    Surface,
)

CLOSING = (RequestStatus.DONE, RequestStatus.REFUSED)
PURPOSE = "data-subject request"

# Further sections of the "my data" document, added by other parts (consents, referrals):
# each callable returns a table for the person, or None when it has nothing to show.
DOCUMENT_SECTIONS: list[Callable[[Person], Table | None]] = []


def deadline_days(kind: str) -> int:
    days: dict[str, int] = settings.PCMD_DSR_DEADLINE_DAYS
    return int(days[kind])


def due_date(kind: str, received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(days=deadline_days(kind))


@transaction.atomic
def register_request(
    actor: Any, *, person: Person, kind: str, received_on: datetime.date, outcome: str = ""
) -> SubjectRequest:
    """Record a request received on ``received_on``; its deadline follows from its kind."""
    require(actor, Capability.MANAGE_REQUESTS)
    if kind not in RequestKind.values:
        raise PersonRefused(_("Choose the kind of request."))
    if received_on > timezone.localdate():
        raise PersonRefused(_("The day the request was received lies in the future."))
    if person.merged_into_id is not None:
        raise PersonRefused(
            _("Record %(code)s was merged into %(kept)s: register the request there."),
            code=person.code,
            kept=person.merged_into.code if person.merged_into else "",
        )
    row = SubjectRequest.objects.create(
        person=person,
        kind=kind,
        received_on=received_on,
        deadline=due_date(kind, received_on),
        outcome=outcome.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        verb="subject_request.create",
        obj=row,
        changes={"kind": kind, "person": person.code, "deadline": row.deadline.isoformat()},
    )
    return row


@transaction.atomic
def update_request(
    actor: Any, row: SubjectRequest, *, version: int | None, status: str, outcome: str
) -> SubjectRequest:
    """Change the status and outcome. Closing (done or refused) needs the outcome written
    (for a refusal: why, e.g. another law requires the record to be kept)."""
    require(actor, Capability.MANAGE_REQUESTS)
    if status not in RequestStatus.values:
        raise PersonRefused(_("Choose a status."))
    outcome = outcome.strip()
    if status in CLOSING and not outcome:
        raise PersonRefused(_("Write the outcome before closing the request."))
    before = {"status": row.status, "closed_on": row.closed_on}
    row.status = status
    row.outcome = outcome
    if status in CLOSING:
        row.closed_on = row.closed_on or timezone.localdate()
        row.handled_by = actor if getattr(actor, "is_authenticated", False) else row.handled_by
    else:
        row.closed_on = None
    save_versioned(row, version, ["status", "outcome", "closed_on", "handled_by"])
    changes = audit.diff(before, {"status": row.status, "closed_on": row.closed_on})
    audit.record(
        actor=actor,
        verb="subject_request.update",
        obj=row,
        changes={**changes, "fields": ["outcome"] if outcome else []},
    )
    return row


@transaction.atomic
def extend_request(
    actor: Any, row: SubjectRequest, *, version: int | None, reason: str
) -> SubjectRequest:
    """Extend the deadline once (Decree 356/2025: once, by 15 days), with a reason."""
    require(actor, Capability.MANAGE_REQUESTS)
    if not row.is_open:
        raise PersonRefused(_("This request is closed."))
    if row.extended:
        raise PersonRefused(_("The deadline of a request can be extended only once."))
    if not reason.strip():
        raise PersonRefused(_("Write why the deadline is extended."))
    old = row.deadline
    row.deadline = old + datetime.timedelta(days=int(settings.PCMD_DSR_EXTENSION_DAYS))
    row.extended = True
    save_versioned(row, version, ["deadline", "extended"])
    audit.record(
        actor=actor,
        verb="subject_request.extend",
        obj=row,
        changes={"deadline": [old.isoformat(), row.deadline.isoformat()]},
        reason=reason.strip()[:500],
    )
    return row


@transaction.atomic
def erase_for_request(actor: Any, row: SubjectRequest, *, version: int | None) -> SubjectRequest:
    """Honour a deletion request: remove the person's identity now (as retention would) and
    close the request. An administrator's decision: the law lets the controller refuse while
    another law requires the record (e.g. a sanction not yet past Law 15/2012 Art. 7), so the
    page shows until when the records need the identity before the button."""
    if row.kind != RequestKind.DELETION:
        raise PersonRefused(_("Only a deletion request removes the identity."))
    if not row.is_open:
        raise PersonRefused(_("This request is closed."))
    retention.pseudonymise(actor, [row.person], reason=f"data-subject request {row.pk}")
    return update_request(
        actor,
        row,
        version=version,
        status=RequestStatus.DONE,
        outcome=row.outcome or str(_("The identity was removed; the code and counts remain.")),
    )


# --- the "my data" document -----------------------------------------------------------------


def may_produce_document(actor: Any, person: Person) -> bool:
    """The rule in the module docstring, without logging anything."""
    return (
        bool(getattr(actor, "is_authenticated", False))
        and actor.can(Capability.MANAGE_REQUESTS)
        and access.grant_for(actor, person) is not None
    )


def _value(person: Person, name: str) -> str:
    value = getattr(person, name)
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _reader(entry: AccessLog) -> str:
    """Who read: the role and the agency or unit, not the official's name."""
    user = entry.user
    if user is None:
        return gettext("the system")
    assignments = list(user.assignments.all())
    if not assignments:
        return str(user.position or gettext("user"))
    a = assignments[0]
    where = a.agency.name if a.agency else a.scope_name
    return f"{a.get_role_display()} — {where}"


def _sections(person: Person) -> list[str | Table]:
    labels = {f.name: capfirst(str(f.verbose_name)) for f in Person._meta.fields}
    identity = Table(
        gettext("1. Identity"),
        [gettext("Field"), gettext("Value")],
        [[labels["code"], person.code], [labels["sex"], person.get_sex_display()]]
        + [[labels[n], _value(person, n)] for n in IDENTITY_FIELDS]
        + [
            [labels["permanent_unit"], str(person.permanent_unit or "—")],
            [labels["current_unit"], str(person.current_unit or "—")],
        ],
        [60, 105],
    )
    involvements = Table(
        gettext("2. Records that name you"),
        [
            gettext("Kind of record"),
            gettext("Responsible unit"),
            gettext("Agency"),
            gettext("Since"),
            gettext("Until"),
        ],
        [
            [
                i.get_module_display(),
                i.unit.name,
                i.agency.name if i.agency else "—",
                i.started_on.strftime("%d/%m/%Y"),
                i.ended_on.strftime("%d/%m/%Y") if i.ended_on else "—",
            ]
            for i in person.involvements.select_related("unit", "agency")
        ],
        [40, 40, 40, 22, 23],
    )
    reads = (
        AccessLog.objects.filter(person=person)
        .select_related("user")
        .prefetch_related("user__assignments__unit", "user__assignments__agency")
        .order_by("at", "pk")
    )
    trail = Table(
        gettext("3. Who read your identity"),
        [gettext("Time"), gettext("Reader"), gettext("Shown in"), gettext("Purpose")],
        [
            [
                timezone.localtime(r.at).strftime("%d/%m/%Y %H:%M"),
                _reader(r),
                r.get_surface_display(),
                gettext(r.purpose) if r.purpose else "—",
            ]
            for r in reads
        ],
        [30, 65, 30, 40],
    )
    blocks: list[str | Table] = [identity, involvements]
    for section in DOCUMENT_SECTIONS:
        extra = section(person)
        if extra is not None:
            blocks.append(extra)
    blocks.append(trail)
    printed, bases = inventory.lines()
    purposes = Table(
        gettext("Why your data are processed, on what basis, for how long"),
        [gettext("Data"), gettext("Purpose"), gettext("Legal basis")],
        [
            [capfirst(x.row.label), x.row.purpose, ", ".join(f"[{b}]" for b in x.bases)]
            for x in printed
            if x.row.declaration.model == "people.person"
        ],
        [45, 95, 25],
    )
    blocks.append(purposes)
    blocks.extend(f"[{n}] {b}" for n, b in enumerate(bases, start=1))
    day = retention.removable_from(person)
    blocks.append(
        gettext("Your identity will be removed from the system from %(day)s.")
        % {"day": day.strftime("%d/%m/%Y")}
        if day
        else gettext(
            "Your identity is kept while a record naming you is open; it is removed when every "
            "record is past its retention period."
        )
    )
    blocks.append(
        gettext(
            "You may ask to correct or delete your data, object to or restrict its processing, "
            "or withdraw your consent (Personal Data Protection Law 91/2025/QH15)."
        )
    )
    return blocks


def own_data_document(actor: Any, person: Person, *, path: str = "") -> bytes:
    """The DOCX of ``person``'s own data. Refused without the grant described above; writes
    one access-log row (surface "document")."""
    require(actor, Capability.MANAGE_REQUESTS)
    if person.pseudonymised_at is not None:
        raise PersonRefused(
            _("The identity of %(code)s has been removed: there is no identity to show."),
            code=person.code,
        )
    if not access.reveal(actor, person, Surface.DOCUMENT, path=path, purpose=PURPOSE):
        raise PermissionDenied
    unit = person.unit
    province = unit if unit.level == UnitLevel.PROVINCE else (unit.ancestors() or [unit])[0]
    from django.utils import translation

    with translation.override("vi"):
        paper = Paper(
            issuer_lines=[gettext("PEOPLE'S COMMITTEE"), province.name.upper()],
            number="Số: …/TB-…",
            place=province.short_name or province.name,
            day=timezone.localdate(),
            title=gettext("NOTICE"),
            subject=gettext("Personal data held about the person with record code %(code)s")
            % {"code": person.code},
            body=_sections(person),
            recipients=[gettext("The person concerned"), gettext("Filed")],
            signer_title=gettext("Data controller"),
        )
    return render(paper)
