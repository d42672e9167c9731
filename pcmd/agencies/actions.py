"""Writes to agencies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from pcmd.core import audit

from .loader import load_agencies as _load


@transaction.atomic
def load_agencies(file_name: str, *, actor: Any) -> int:
    if actor is not None and not actor.is_administrator:
        raise PermissionDenied
    count = _load(file_name)
    audit.record(
        actor=actor,
        verb="agencies.load",
        object_type="agencies.agency",
        changes={"file": [None, file_name], "count": [None, count]},
    )
    return count
