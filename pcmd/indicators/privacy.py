"""Small-cell suppression (DESIGN.md §4): counts of people below the threshold are shown as
"<5" outside person-level roles, on pages, in documents, in exports and in the API.

Who sees exact small counts depends on the register the people were counted in: the
person-level roles that work with those persons' records (support: social-work officers and
the standing office; patrols and sanctions: the police and the standing office), and the
officers who record that register for their own area (they typed the numbers). Everyone
else — the read-only leadership, other agencies — sees "<5".

Which stored numbers count people is declared once, below (:data:`PEOPLE_COUNTS`, and
:data:`NOT_SENSITIVE` for counts of people that are deliberately shown exactly). Each surface
applies the rule through one helper:

- pages: ``{% load pcmd_privacy %}{% people value "violations" %}``
  (:mod:`pcmd.web.templatetags.pcmd_privacy`, the user is the request's);
- the API: ``PeopleCountField("violations")`` (:mod:`pcmd.indicators.fields`);
- indicators, the dashboard, its exports and report documents: :func:`must_suppress`
  (``Indicator.small_cells``, or a measure that sums a field of :data:`PEOPLE_COUNTS`);
- report forms: ``small_cells``/``source`` on a field or column (:mod:`pcmd.reporting.privacy`).

``tests/core/test_privacy_walk.py`` walks every model field and every API serializer field
that looks like a count of people and fails when one is in neither table or is exposed
without the helper.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from pcmd.accounts.roles import Role

from .sources import SOURCES

# Registers of support cases: one case is one person, so every figure over them counts people.
SUPPORT_CASE_REGISTERS = (
    "support_cases",
    "support_closures",
    "support_services",
    "support_service_outcomes",
    "support_counts_uncovered",
)

PERSON_LEVEL_ROLES: dict[str, frozenset[str]] = {
    "support_counts": frozenset({Role.SOCIAL_WORKER, Role.STANDING_OFFICE}),
    # Support cases (issue 13): the case roles (social workers, the standing office) see
    # exact figures; leadership, districts' other officers and other agencies see "<5".
    **dict.fromkeys(SUPPORT_CASE_REGISTERS, frozenset({Role.SOCIAL_WORKER, Role.STANDING_OFFICE})),
    "patrols": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
    "violations": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
    "sanctions": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
    "sanctioned_persons": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
    # Persons in criminal cases: only the roles that work the case files (issue 12); the
    # standing office, leadership, districts and communes get statistics with "<5".
    "case_persons": frozenset({Role.POLICE, Role.PROCURACY, Role.COURT}),
    "case_steps": frozenset({Role.POLICE, Role.PROCURACY, Role.COURT}),
}
DEFAULT_ROLES = frozenset({Role.STANDING_OFFICE})
RECORDING_CAPABILITY = {
    "support_counts": "support.edit",
    "support_counts_uncovered": "support.edit",
    "patrols": "hotspots.edit",
    "violations": "enforcement.edit",
    "sanctions": "enforcement.edit",
    "sanctioned_persons": "enforcement.edit",
}

# Stored counts of people ("app_label.Model.field") → the register whose person-level roles
# (above) see them exactly. Small values are "<5" for everyone else.
PEOPLE_COUNTS: dict[str, str] = {
    # People found committing a violation (selling or buying sex, running a venue): each may
    # be sanctioned; in a small commune "2" points at someone.
    "enforcement.Violation.people_count": "violations",
    # People a patrol found at a hotspot, of them sanctioned, and referred to support.
    "hotspots.Patrol.people_found": "patrols",
    "hotspots.Patrol.people_sanctioned": "patrols",
    "hotspots.Patrol.people_referred": "patrols",
    # People who sold sex and received support (người được hỗ trợ), by kind of support.
    "support.SupportCount.vocational_training": "support_counts",
    "support.SupportCount.employment": "support_counts",
    "support.SupportCount.loans": "support_counts",
    "support.SupportCount.health_services": "support_counts",
    "support.SupportCount.legal_aid": "support_counts",
    "support.SupportCount.other_support": "support_counts",
}

# Registers whose rows are persons: every indicator over them counts people (a distinct count
# of persons sanctioned in a commune is as telling as a stored count), flag or no flag.
PERSON_REGISTERS: dict[str, str] = {
    "sanctioned_persons": "persons named on sanction decisions (pcmd.enforcement.persons)",
    "case_persons": "persons named in criminal cases (pcmd.cases.models.CaseParty)",
    "support_cases": "support cases, one person each (pcmd.support.models.SupportCase)",
    "support_closures": "support cases closed, one person each",
    "support_services": "services given to persons in support cases",
    "support_service_outcomes": "services given to persons in support cases, by outcome",
}

# Counts of people shown exactly on purpose, and why. A new count of people goes in one of
# the two tables; the walk test refuses one that is in neither.
NOT_SENSITIVE: dict[str, str] = {
    "outreach.Activity.participants": (
        "the audience of a public communication event (a talk, a festival): nothing about "
        "anyone's involvement in prostitution, and the organisers announce it"
    ),
    "outreach.Training.participants": (
        "officers trained in their official capacity; the roster already names them to the "
        "same readers (API: participants_count)"
    ),
    "registry.StaffCount.staff": (
        "employees of a licensed business, declared by the business (plan IV.1); employment "
        "in a karaoke or massage venue says nothing about selling sex"
    ),
    "registry.StaffCount.female_staff": (
        "as staff: plan IV.1 asks for it by name and the report forms carry it unsuppressed; "
        "it counts employees, not people found, sanctioned or supported"
    ),
}


def threshold() -> int:
    return int(getattr(settings, "PCMD_SMALL_CELL_THRESHOLD", 5))


def people_register(label: str) -> str | None:
    """The register of the stored count of people ``"app_label.Model.field"``, if it is one."""
    return PEOPLE_COUNTS.get(label)


def sees_small_cells(user: Any, source: str = "") -> bool:
    """May ``user`` see exact small counts of people counted in register ``source``?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.has_role(*PERSON_LEVEL_ROLES.get(source, DEFAULT_ROLES)):
        return True
    capability = RECORDING_CAPABILITY.get(source)
    return bool(capability and user.can(capability))


def shown(value: Any, *, suppress: bool) -> Any:
    """``value`` as it may be shown: ``"<5"`` for 1..threshold-1 when suppressing."""
    if suppress and is_small(value):
        return f"<{threshold()}"
    return value


def is_small(value: Any) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return 0 < number < threshold()


def counts_people(indicator: Any) -> bool:
    """Is ``indicator`` a count of people: flagged ``small_cells``, over a register of
    persons (:data:`PERSON_REGISTERS`), or summing a field of :data:`PEOPLE_COUNTS` (so that
    an indicator defined without the flag cannot leak)?"""
    if getattr(indicator, "small_cells", False):
        return True
    if (getattr(indicator, "source", "") or "") in PERSON_REGISTERS:
        return True
    source = SOURCES.get(getattr(indicator, "source", "") or "")
    measure = getattr(indicator, "measure", "") or ""
    if source is None or not measure:
        return False
    return any(f"{source.model}.{part.strip()}" in PEOPLE_COUNTS for part in measure.split("+"))


def must_suppress(indicator: Any, user: Any) -> bool:
    return counts_people(indicator) and not sees_small_cells(user, getattr(indicator, "source", ""))
