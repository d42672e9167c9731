"""Writes of the person pages (issue 11, part "persons") on top of :mod:`pcmd.people.actions`.

A person recorded from the "new person" page has no sanction, case or referral yet; without an
involvement nobody could see the record (the identity rule follows involvements). So creating
a person from the page also records the involvement that the creator chose: a module the
creator sees identities in (``IDENTITY_MODULES``: police → sanctions/cases, standing office and
social workers → support) and a unit of the creator's scope, with source ``manual:<person pk>``.
The action checks that the creator is granted the new record afterwards, else nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.roles import CAPABILITIES, IDENTITY_MODULES, Capability
from pcmd.geo.models import Unit

from . import access, actions
from .models import Module, Person

MANUAL_SOURCE = "manual"


def identity_modules(user: Any) -> list[str]:
    """The modules in which ``user`` sees identities (through any of their roles)."""
    modules: set[str] = set()
    for a in getattr(user, "active_assignments", ()):
        if Capability.VIEW_IDENTITY in CAPABILITIES.get(a.role, ()):
            modules |= IDENTITY_MODULES.get(a.role, frozenset())
    return [m for m in Module.values if m in modules]  # sanctions, cases, support


def identity_unit_paths(user: Any, module: str | None = None) -> list[str]:
    """The unit paths under which ``user`` sees identities (in ``module`` when given)."""
    paths = []
    for a in getattr(user, "active_assignments", ()):
        if Capability.VIEW_IDENTITY not in CAPABILITIES.get(a.role, ()):
            continue
        if module is None or module in IDENTITY_MODULES.get(a.role, frozenset()):
            paths.append(a.unit.path)
    return paths


@transaction.atomic
def record_person(actor: Any, *, unit: Unit, module: str, values: Mapping[str, Any]) -> Person:
    """A new person recorded by hand, involved in ``module`` under ``unit`` so that the
    creator (and the other officers of that module and area) can find it again."""
    if module not in identity_modules(actor):
        raise actions.PersonRefused(
            _("You do not see the persons of this module; choose a module of your role.")
        )
    person = actions.create_person(actor, unit=unit, values=values)
    actions.involve(actor, person, module=module, unit=unit, source=f"{MANUAL_SOURCE}:{person.pk}")
    if access.grant_for(actor, person) is None:
        # e.g. a unit outside the module's scope of the creator: undo everything
        raise actions.PersonRefused(
            _("You would not be able to see this person in this unit and module.")
        )
    return person
