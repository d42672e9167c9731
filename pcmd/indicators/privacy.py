"""Small-cell suppression (DESIGN.md §4): counts of people below the threshold are shown as
"<5" outside person-level roles, on pages, in documents, in exports and in the API.

Who sees exact small counts depends on the register the people were counted in: the
person-level roles that work with those persons' records (support: social-work officers and
the standing office; patrols and sanctions: the police and the standing office), and the
officers who record that register for their own area (they typed the numbers). Everyone
else — the read-only leadership, other agencies — sees "<5".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from pcmd.accounts.roles import Role

PERSON_LEVEL_ROLES: dict[str, frozenset[str]] = {
    "support_counts": frozenset({Role.SOCIAL_WORKER, Role.STANDING_OFFICE}),
    "patrols": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
    "violations": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
    "sanctions": frozenset({Role.POLICE, Role.STANDING_OFFICE}),
}
DEFAULT_ROLES = frozenset({Role.STANDING_OFFICE})
RECORDING_CAPABILITY = {
    "support_counts": "support.edit",
    "patrols": "hotspots.edit",
    "violations": "enforcement.edit",
    "sanctions": "enforcement.edit",
}


def threshold() -> int:
    return int(getattr(settings, "PCMD_SMALL_CELL_THRESHOLD", 5))


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


def must_suppress(indicator: Any, user: Any) -> bool:
    return bool(getattr(indicator, "small_cells", False)) and not sees_small_cells(
        user, getattr(indicator, "source", "")
    )
