"""How long identities are kept, and their removal (issue 11 item 8; DESIGN.md §4).

Each module that names people says until when it needs a person's identity: a **rule**
``(person) -> date | None`` gives the first day on which that module no longer needs it, or
``None`` while it cannot be known yet (a record still open, a sanction not yet executed).
A module registers its own rule with :func:`register` (the enforcement app: the day the person
is deemed never to have been sanctioned, Law on Handling Administrative Violations 15/2012/QH13
as amended by Law 67/2020/QH14, Art. 7 — ``pcmd.enforcement.legal.deemed_not_sanctioned_from``);
a module without one keeps the identity ``PCMD_RETENTION_YEARS[module]`` years after the last
of the person's involvements in it ended.

A person's identity is removed (**pseudonymised**) only when *every* module they appear in is
past its day: the identity fields are blanked, the blind indexes cleared and
``pseudonymised_at`` set, while the code, sex, units and involvements stay, so that every count
made from the records stays the same. ``manage.py apply_retention`` runs it (dry run unless
``--apply``).

Rules read the person's involvements from ``person.involvements.all()`` (prefetched here);
identity fields are never loaded (nothing is decrypted to decide).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import is_administrator
from pcmd.core import audit

from .models import IDENTITY_FIELDS, Involvement, Module, Person

Rule = Callable[[Person], datetime.date | None]

# module -> the rule a module registered (see :func:`register`), and how it reads.
RETENTION_RULES: dict[str, Rule] = {}
RULE_DESCRIPTIONS: dict[str, Promise | str] = {}

BLIND_INDEXES = ("bi_id_number", "bi_phone", "bi_name_year", "bi_name")


def register(module: str, rule: Rule, description: Promise | str) -> None:
    """Let ``module`` decide until when it needs identities (call from ``AppConfig.ready``)."""
    RETENTION_RULES[module] = rule
    RULE_DESCRIPTIONS[module] = description


def retention_years(module: str) -> int:
    years: dict[str, int] = getattr(settings, "PCMD_RETENTION_YEARS", {})
    return int(years.get(module, 10))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def involvements_in(person: Person, module: str) -> list[Involvement]:
    return [i for i in person.involvements.all() if i.module == module]


def default_rule(module: str) -> Rule:
    """``PCMD_RETENTION_YEARS[module]`` years after the person's last involvement in
    ``module`` ended; ``None`` while one is still current."""

    def rule(person: Person) -> datetime.date | None:
        rows = involvements_in(person, module)
        if not rows or any(i.ended_on is None for i in rows):
            return None
        last = max(i.ended_on for i in rows if i.ended_on is not None)
        return add_years(last, retention_years(module)) + datetime.timedelta(days=1)

    return rule


def rule_for(module: str) -> Rule:
    return RETENTION_RULES.get(module) or default_rule(module)


def describe(module: str) -> str:
    """The retention of identities in ``module``, in words (the processing inventory)."""
    if module in RULE_DESCRIPTIONS:
        return str(RULE_DESCRIPTIONS[module])
    return str(
        _("%(years)d years after the person's last involvement in the module ended")
        % {"years": retention_years(module)}
    )


def descriptions() -> list[tuple[str, str]]:
    """(module label, retention in words) for every module."""
    return [(str(label), describe(value)) for value, label in Module.choices]


def removable_from(person: Person) -> datetime.date | None:
    """The first day on which no module needs ``person``'s identity; ``None`` while one
    cannot say yet, or when the person appears in no record."""
    modules = {i.module for i in person.involvements.all()}
    if not modules:
        return None
    days = []
    for module in sorted(modules):
        day = rule_for(module)(person)
        if day is None:
            return None
        days.append(day)
    return max(days)


@dataclass
class Plan:
    """What a retention run finds: the persons whose identity goes, and why the others stay."""

    today: datetime.date
    due: list[Person] = field(default_factory=list)
    kept_not_yet: int = 0  # every module has a day, the latest is still ahead
    kept_undetermined: int = 0  # a module cannot say yet (record open, no rule day)
    kept_no_record: int = 0  # appears in no record: left for an administrator to decide
    already: int = 0  # pseudonymised earlier

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.due]


def _persons() -> Iterable[Person]:
    # Only the columns the decision needs: identity fields are never loaded nor decrypted.
    return (
        Person.objects.filter(merged_into__isnull=True)
        .only("pk", "code", "pseudonymised_at", "merged_into")
        .prefetch_related(Prefetch("involvements", queryset=Involvement.objects.order_by("pk")))
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def plan(today: datetime.date | None = None) -> Plan:
    today = today or timezone.localdate()
    result = Plan(today=today)
    for person in _persons():
        if person.pseudonymised_at is not None:
            result.already += 1
            continue
        if not person.involvements.all():
            result.kept_no_record += 1
            continue
        day = removable_from(person)
        if day is None:
            result.kept_undetermined += 1
        elif day > today:
            result.kept_not_yet += 1
        else:
            result.due.append(person)
    return result


def _blanks() -> dict[str, Any]:
    blanks: dict[str, Any] = {}
    for name in IDENTITY_FIELDS:
        model_field = Person._meta.get_field(name)
        blanks[name] = None if model_field.null else ""
    return {**blanks, **dict.fromkeys(BLIND_INDEXES, "")}


@transaction.atomic
def pseudonymise(actor: Any, persons: Iterable[Person], *, reason: str = "") -> int:
    """Remove the identity of ``persons`` (and of records merged into them). The code, sex,
    units and involvements stay. One audit row per person, naming fields, never values."""
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied
    now = timezone.now()
    done = 0
    for person in persons:
        merged = list(
            Person.objects.filter(merged_into=person, pseudonymised_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        changed = Person.objects.filter(
            pk__in=[person.pk, *merged], pseudonymised_at__isnull=True
        ).update(pseudonymised_at=now, version=F("version") + 1, **_blanks())
        if not changed:
            continue
        done += 1
        audit.record(
            actor=actor,
            verb="person.pseudonymise",
            obj=person,
            changes={
                "fields": list(IDENTITY_FIELDS),
                "merged_records": len(merged),
                "modules": sorted({i.module for i in person.involvements.all()}),
            },
            reason=reason,
        )
    return done


def apply(actor: Any, *, today: datetime.date | None = None, dry_run: bool = True) -> Plan:
    """Find the persons past retention; unless ``dry_run``, pseudonymise them."""
    result = plan(today)
    if not dry_run and result.due:
        pseudonymise(actor, result.due, reason="retention")
    return result
