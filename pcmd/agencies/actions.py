"""Writes to agencies."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pcmd.accounts.permissions import require
from pcmd.core import audit

from .loader import load_agencies as _load


@transaction.atomic
def load_agencies(file_name: str, *, actor: Any) -> int:
    require(actor, "catalogs.edit")
    count = _load(file_name)
    audit.record(
        actor=actor,
        verb="agencies.load",
        object_type="agencies.agency",
        changes={"file": [None, file_name], "count": [None, count]},
    )
    return count
