"""Small-cell suppression (DESIGN.md §4): counts of people below the threshold are shown as
"<5" outside person-level roles, on pages, in exports and in the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from pcmd.accounts.roles import Role

PERSON_LEVEL_ROLES = frozenset({Role.SOCIAL_WORKER, Role.POLICE, Role.STANDING_OFFICE})


def threshold() -> int:
    return int(getattr(settings, "PCMD_SMALL_CELL_THRESHOLD", 5))


def sees_small_cells(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.has_role(*PERSON_LEVEL_ROLES)))


def shown(value: Any, *, suppress: bool) -> Any:
    """``value`` as it may be shown: ``"<5"`` for 1..threshold-1 when suppressing."""
    if suppress and value is not None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return value
        if 0 < number < threshold():
            return f"<{threshold()}"
    return value


def must_suppress(indicator: Any, user: Any) -> bool:
    return bool(getattr(indicator, "small_cells", False)) and not sees_small_cells(user)
