"""Writes to administrative units."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pcmd.accounts.permissions import require
from pcmd.core import audit

from .loader import LoadResult, load_provinces


@transaction.atomic
def load_units(tokens: list[str], *, actor: Any) -> LoadResult:
    """Load provinces from the unit package; ``actor=None`` is the system."""
    require(actor, "catalogs.edit")
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
