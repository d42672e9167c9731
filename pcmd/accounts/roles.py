"""Roles and what each may do. Scope (which units) comes from the assignment."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("system administrator")
    STANDING_OFFICE = "standing_office", _("standing office officer")
    LEADERSHIP = "leadership", _("provincial leadership (read-only)")
    POLICE = "police", _("police officer")
    TEAM_178 = "team178", _("Team 178 member")
    AGENCY_OFFICER = "agency_officer", _("agency officer")
    DISTRICT_OFFICER = "district_officer", _("district officer")
    COMMUNE_OFFICER = "commune_officer", _("commune officer")
    SOCIAL_WORKER = "social_worker", _("social-work officer")


class Capability(models.TextChoices):
    VIEW_PLAN = "plan.view", _("read plans")
    EDIT_PLAN = "plan.edit", _("edit plans")
    VIEW_UNITS = "units.view", _("browse administrative units")
    VIEW_AGENCIES = "agencies.view", _("read agencies")
    MANAGE_USERS = "users.manage", _("manage users and roles")
    VIEW_AUDIT = "audit.view", _("read the audit log")


_ALL_READ = {Capability.VIEW_PLAN, Capability.VIEW_UNITS, Capability.VIEW_AGENCIES}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        _ALL_READ | {Capability.MANAGE_USERS, Capability.VIEW_AUDIT, Capability.EDIT_PLAN}
    ),
    Role.STANDING_OFFICE: frozenset(_ALL_READ | {Capability.EDIT_PLAN}),
    Role.LEADERSHIP: frozenset(_ALL_READ),
    Role.POLICE: frozenset(_ALL_READ),
    Role.TEAM_178: frozenset(_ALL_READ),
    Role.AGENCY_OFFICER: frozenset(_ALL_READ),
    Role.DISTRICT_OFFICER: frozenset(_ALL_READ),
    Role.COMMUNE_OFFICER: frozenset(_ALL_READ),
    Role.SOCIAL_WORKER: frozenset(_ALL_READ),
}

# Roles that may be shown person-level identities (DESIGN.md §4); they need two-factor login
# once person registers exist.
IDENTITY_ROLES = frozenset({Role.SOCIAL_WORKER, Role.POLICE, Role.STANDING_OFFICE})
