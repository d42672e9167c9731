"""Who may change a record: one rule per register, as data.

A record belongs to the body that recorded it: a unit (the commune, district or province
level that holds it), an inspection team (whose unit is the team's level), or an agency.
A user may change it (edit, delete, change its status) when one of their active
assignments holds the capability and

1. the body's unit lies in the assignment's subtree: the same unit, or the level above
   (a district over its communes, the provincial standing office over everything);
2. for roles that act only for their own body (``own_unit_roles``: a Team 178 member
   records for the team of their own level, not for the district teams below), the body's
   unit is the assignment's unit itself;
3. for records that belong to an agency (budget lines, task reports, activities), officers
   who act for one agency (``AGENCY_ROLES``) hold an assignment for that same agency;
   territorial roles (standing office, district, commune) act for their whole subtree.

Administrators may change everything. Creating a record is checked the same way on the
record about to be created (or on the body it is booked to, e.g. the team), so a commune or
district officer can never book an inspection to the provincial team.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from pcmd.geo.models import Unit

from .permissions import covers
from .roles import (
    CAPABILITIES,
    IDENTITY_MODULES,
    MODULE_CASES,
    MODULE_ENFORCEMENT,
    MODULE_SUPPORT,
    Role,
)
from .roles import Capability as C

# Roles that act for the agency of their assignment, not for everything in their area.
AGENCY_ROLES = frozenset({Role.AGENCY_OFFICER, Role.POLICE, Role.TEAM_178, Role.SOCIAL_WORKER})
# Roles that record inspections only for the team of their own level.
TEAM_ROLES = frozenset({Role.TEAM_178, Role.POLICE})


@dataclass(frozen=True)
class Rule:
    capability: str  # what a change needs (status changes may ask for another one)
    unit: Callable[[Any], Unit]  # the unit of the body that recorded the record
    agency: Callable[[Any], Any] | None = None  # the agency it belongs to, if any
    # roles that act only for a body of their own unit (may depend on the record)
    own_unit_roles: frozenset[str] | Callable[[Any], frozenset[str]] = frozenset()
    # roles that act only for the record's own agency
    agency_roles: frozenset[str] = AGENCY_ROLES
    # a further grant for one assignment: (assignment, record) → allowed
    also: Callable[[Any, Any], bool] | None = None
    # only these roles may change it (may depend on the record); ``None``: any role
    roles: Callable[[Any], frozenset[str]] | None = None


def _team_unit(team: Any) -> Unit:
    return team.unit


def _violation_unit(violation: Any) -> Unit:
    """A violation found by an inspection belongs to the team; otherwise to the commune."""
    if violation.inspection_id:
        return violation.inspection.team.unit
    return violation.commune


def _violation_roles(violation: Any) -> frozenset[str]:
    return TEAM_ROLES if violation.inspection_id else frozenset()


def _standing_office_for_group(assignment: Any, report: Any) -> bool:
    """The standing office reports for a group of agencies with no officer of its own
    ("các sở, ngành liên quan"), not for the district committees."""
    agency = report.agency
    return (
        assignment.role == Role.STANDING_OFFICE
        and agency.kind == "group"
        and agency.code != "UBND_HUYEN"
        and covers(assignment.unit, agency.unit)
    )


# model label → rule, for every record an action changes with ``require(…, obj=…)``; a model
# without a rule fails loudly. Licences and staff counts follow their establishment; reports
# follow the reporting workflow (pcmd/reporting/obligations.py: who reports, who approves).
RULES: dict[str, Rule] = {
    # registry: the commune's register; the levels above may correct it
    "registry.establishment": Rule(C.EDIT_REGISTRY, lambda o: o.commune),
    # inspections: the team that inspected (booked to), its level and the levels above
    "inspections.team": Rule(C.EDIT_INSPECTIONS, _team_unit, own_unit_roles=TEAM_ROLES),
    "inspections.teammember": Rule(
        C.EDIT_INSPECTIONS, lambda o: o.team.unit, own_unit_roles=TEAM_ROLES
    ),
    "inspections.inspectionplan": Rule(
        C.EDIT_INSPECTIONS, lambda o: o.team.unit, own_unit_roles=TEAM_ROLES
    ),
    "inspections.inspection": Rule(
        C.EDIT_INSPECTIONS, lambda o: o.team.unit, own_unit_roles=TEAM_ROLES
    ),
    "inspections.attachment": Rule(
        C.EDIT_INSPECTIONS, lambda o: o.inspection.team.unit, own_unit_roles=TEAM_ROLES
    ),
    # enforcement: see _violation_unit
    "enforcement.violation": Rule(
        C.EDIT_ENFORCEMENT, _violation_unit, own_unit_roles=_violation_roles
    ),
    "enforcement.sanction": Rule(
        C.EDIT_ENFORCEMENT,
        lambda o: _violation_unit(o.violation),
        own_unit_roles=lambda o: _violation_roles(o.violation),
    ),
    # hotspots and patrols: the commune where they are
    "hotspots.hotspot": Rule(C.EDIT_HOTSPOTS, lambda o: o.commune),
    "hotspots.patrol": Rule(C.EDIT_HOTSPOTS, lambda o: o.commune),
    # outreach: the organising agency at the unit where it took place
    "outreach.activity": Rule(C.EDIT_OUTREACH, lambda o: o.unit, agency=lambda o: o.agency),
    "outreach.attachment": Rule(
        C.EDIT_OUTREACH, lambda o: o.activity.unit, agency=lambda o: o.activity.agency
    ),
    "outreach.training": Rule(C.EDIT_OUTREACH, lambda o: o.unit, agency=lambda o: o.agency),
    "outreach.officer": Rule(C.EDIT_OUTREACH, lambda o: o.commune),
    # communes: the commune fills its assessment, the district confirms it
    "communes.assessment": Rule(C.SUBMIT_ASSESSMENT, lambda o: o.commune),
    # agencies' own records
    "taskreports.taskreport": Rule(
        C.EDIT_TASK_REPORTS,
        lambda o: o.agency.unit,
        agency=lambda o: o.agency,
        agency_roles=frozenset(Role) - {Role.ADMINISTRATOR},
        also=_standing_office_for_group,
    ),
    "budget.budgetline": Rule(C.EDIT_BUDGET, lambda o: o.agency.unit, agency=lambda o: o.agency),
    "support.supportcount": Rule(C.EDIT_SUPPORT, lambda o: o.commune),
    # criminal cases: the commune where it happened, for the police, procuracy and court of
    # that area, each deciding its own stages (pcmd/cases/rules.py: OWNER_CAPABILITY)
    "cases.case": Rule(C.EDIT_CASES, lambda o: o.commune, agency_roles=frozenset()),
    "cases.ring": Rule(C.EDIT_CASES, lambda o: o.unit, agency_roles=frozenset()),
    # support cases: the social workers and standing office of the unit in charge and above
    "support.supportcase": Rule(C.SUPPORT_CASES, lambda o: o.unit, agency_roles=frozenset()),
    # plans: the province's standing office drafts, its People's Committee issues; a national
    # programme (no province) is recorded by the administrator only
    # (the leadership acts for the plan's issuer: a read-only leadership assignment held for
    # another agency — e.g. the standing office's view of the old provinces — issues nothing)
    "plans.plan": Rule(
        C.EDIT_PLAN,
        lambda o: o.unit,
        agency=lambda o: o.issuer,
        agency_roles=frozenset({Role.LEADERSHIP}),
        roles=lambda o: frozenset(Role) if o.unit_id else frozenset({Role.ADMINISTRATOR}),
    ),
}


# A person's identity is changed by those who hold it by the rules in a module the person
# appears in and may change that module's records there: the involvement's unit (and agency)
# under the module's edit capability, for roles shown identities in that module. Emergency
# access (pcmd.people.emergency) reads a record; it never grants a change.
MODULE_EDIT: dict[str, str] = {
    MODULE_ENFORCEMENT: C.EDIT_ENFORCEMENT,
    MODULE_CASES: C.EDIT_CASES,
    MODULE_SUPPORT: C.EDIT_SUPPORT,
}


def _identity_roles(involvement: Any) -> frozenset[str]:
    return frozenset(r for r, modules in IDENTITY_MODULES.items() if involvement.module in modules)


RULES["people.involvement"] = Rule(
    C.EDIT_ENFORCEMENT,
    lambda o: o.unit,
    agency=lambda o: o.agency,
    roles=_identity_roles,
)


def _person_parts(person: Any) -> Iterable[tuple[Any, str]]:
    if person.pk is None or person.pseudonymised_at is not None:
        return []
    involvements = person.involvements.current().select_related("unit", "agency")
    return [(i, MODULE_EDIT[i.module]) for i in involvements if i.module in MODULE_EDIT]


# Records changed through their parts: the record may be changed when one part may be
# (with the part's capability).
THROUGH: dict[str, Callable[[Any], Iterable[tuple[Any, str]]]] = {
    "people.person": _person_parts,
}


def rule_for(obj: Any) -> Rule:
    label = obj._meta.label_lower
    try:
        return RULES[label]
    except KeyError:
        raise ImproperlyConfigured(f"No change rule for {label} in pcmd.accounts.policy") from None


def may_change(user: Any, obj: Any, capability: str | None = None) -> bool:
    """Whether ``user`` may change ``obj`` (saved or about to be created) with ``capability``
    (the register's own capability by default). ``None`` is the system."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    through = THROUGH.get(obj._meta.label_lower)
    if through is not None:
        return any(may_change(user, part, cap) for part, cap in through(obj))
    rule = rule_for(obj)
    capability = capability or rule.capability
    unit = rule.unit(obj)
    agency = rule.agency(obj) if rule.agency else None
    own_roles = rule.own_unit_roles
    if callable(own_roles):
        own_roles = own_roles(obj)
    for a in user.active_assignments:
        if capability not in CAPABILITIES.get(a.role, ()):
            continue
        if rule.roles is not None and a.role not in rule.roles(obj):
            continue
        if a.role == Role.ADMINISTRATOR:
            return True
        if rule.also is not None and rule.also(a, obj):
            return True
        if not covers(a.unit, unit):
            continue
        if a.role in own_roles and unit.pk != a.unit_id:
            continue
        if agency is not None and a.role in rule.agency_roles and a.agency_id != agency.pk:
            continue
        return True
    return False


def changeable_q(user: Any, capability: str, unit_field: str, agency_field: str | None = None) -> Q:
    """The SQL form of the rule for records held by a unit (and an agency): rows under
    ``unit_field`` in the subtree of an assignment with ``capability``; for agency roles, only
    rows whose ``agency_field`` is the assignment's agency. For list pages and
    ``editable_by`` querysets; actions check :func:`may_change` on the record."""
    if getattr(user, "is_superuser", False):
        return Q()
    q = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return q
    for a in user.active_assignments:
        if capability not in CAPABILITIES.get(a.role, ()):
            continue
        if a.role == Role.ADMINISTRATOR:
            return Q()
        cond = Q(**{f"{unit_field}__path__startswith": a.unit.path})
        if agency_field is not None and a.role in AGENCY_ROLES:
            cond &= Q(**{agency_field: a.agency_id})
        q |= cond
    return q
