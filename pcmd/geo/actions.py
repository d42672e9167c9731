"""Writes to administrative units."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from pcmd.core import audit

from .loader import LoadResult, load_provinces


@transaction.atomic
def load_units(tokens: list[str], *, actor: Any) -> LoadResult:
    """Load provinces from the unit package; ``actor=None`` is the system."""
    if actor is not None and not actor.is_administrator:
        raise PermissionDenied
    result = load_provinces(tokens)
    audit.record(
        actor=actor,
        verb="units.load",
        object_type="geo.unit",
        changes={
            "provinces": [None, result.provinces],
            "created": [None, result.created],
            "links": [None, result.links],
        },
    )
    return result
