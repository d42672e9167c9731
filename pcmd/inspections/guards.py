"""Permission checks shared by the inspections and enforcement actions.

``actor=None`` is the system (demo, set-up commands) and passes every check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from pcmd.geo.models import Unit


def require(actor: Any, capability: str) -> None:
    if actor is None:
        return
    if not (getattr(actor, "is_authenticated", False) and actor.can(capability)):
        raise PermissionDenied


def require_unit(actor: Any, unit: Unit) -> None:
    if actor is None:
        return
    if not actor.sees_unit(unit):
        raise PermissionDenied
