"""The scope rule and the permission check, written once for every app.

Scope: an assignment gives its holder the unit it names and every unit below it (the
materialised ``Unit.path`` starts with the assignment unit's path).

Permission: ``require(actor, capability, unit=…, obj=…)`` is the one check every action
makes before it writes. It passes when

- ``actor`` is ``None``: the system itself (demo builders, loaders, management commands).
  Views and the API always pass the signed-in user, so ``None`` never comes from a request;
  an anonymous user is refused like any user without the capability;
- the actor holds ``capability`` in an active assignment, ``unit`` (when given) lies in the
  subtree of such an assignment, and ``obj`` (when given) may be changed by the actor under
  the register's rule in :mod:`pcmd.accounts.policy` (who recorded it, the level above).

``allows`` is the same check as a boolean, for templates and views that hide links and
buttons the user may not use (``{% load pcmd_perms %}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from pcmd.geo.models import Unit, UnitQuerySet, path_ids
from pcmd.geo.subtree import ids_q, ids_under, paths_q
from pcmd.geo.tree import generation, province_family

from .roles import CAPABILITIES, Role


def _is_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def scope_paths(user: Any) -> list[str] | None:
    """Paths of the user's unit subtrees; ``None`` means every unit (system, superuser)."""
    if user is None or getattr(user, "is_superuser", False):
        return None
    if not _is_user(user):
        return []
    return sorted({a.unit.path for a in user.active_assignments})


def units_q(user: Any, prefix: str = "") -> Q:
    """A filter on units (``prefix`` e.g. ``"parent__"``) inside the user's scope."""
    paths = scope_paths(user)
    if paths is None:
        return Q()
    return paths_q(paths, prefix)


def scope_unit_ids(user: Any) -> list[int] | None:
    """The ids of the units in the user's scope (``pcmd.geo.subtree.ids_under``), read once
    per user object (a request's) and again after this process writes a unit; ``None`` for
    every unit or a scope too large to list."""
    paths = scope_paths(user)
    return None if paths is None else _ids_kept_on(user, "_scope_unit_ids", paths)


def _ids_kept_on(user: Any, attr: str, paths: list[str]) -> list[int] | None:
    """``ids_under(paths)``, kept on the user object until this process writes a unit."""
    key = (generation(), tuple(paths))
    cached = getattr(user, attr, None)
    if cached is None or cached[0] != key:
        cached = (key, ids_under(paths))
        setattr(user, attr, cached)
    return cached[1]


def scope_q(user: Any, unit_field: str) -> Q:
    """A filter on rows whose foreign key ``unit_field`` points at a unit in the scope (by
    the units' ids: see :mod:`pcmd.geo.subtree`)."""
    paths = scope_paths(user)
    if paths is None:
        return Q()
    return ids_q(unit_field, paths, scope_unit_ids(user))


def around_q(user: Any, unit_field: str) -> Q:
    """Rows whose unit lies in the user's scope or above it (a commune officer sees the
    district and provincial teams that work in the commune)."""
    paths = scope_paths(user)
    if paths is None:
        return Q()
    above = {uid for path in paths for uid in path_ids(path)}
    ids = scope_unit_ids(user)
    if ids is not None:
        return ids_q(unit_field, paths, sorted(above.union(ids)))
    return Q(**{f"{unit_field}__in": sorted(above)}) | ids_q(unit_field, paths, None)


def province_paths(user: Any) -> list[str] | None:
    """Paths of the whole provinces the user's scope lies in, each with the provinces it
    became or came from in the 2025 reform (old Đắk Lắk and Phú Yên ↔ new Đắk Lắk): the
    province's reference data (its agencies). ``None``: every province (system, superuser)."""
    paths = scope_paths(user)
    if paths is None:
        return None
    cached = getattr(user, "_province_paths", None)
    if cached is not None:
        return list(cached)
    ids = {path_ids(p)[0] for p in paths if path_ids(p)}
    if not ids:
        return []
    # From the process's cached unit tree (a single-row check per call), not a join of the
    # unit changes on every request.
    ids = province_family(ids)
    found_paths = [f"/{pk}/" for pk in sorted(ids)]
    user._province_paths = found_paths  # the user object of one request or test
    return list(found_paths)


def province_q(user: Any, unit_field: str) -> Q:
    """Rows whose ``unit_field`` lies in one of the user's provinces (``province_paths``)."""
    paths = province_paths(user)
    if paths is None:
        return Q()
    return ids_q(unit_field, paths, _ids_kept_on(user, "_province_unit_ids", paths))


def covers(scope: Unit, unit: Unit) -> bool:
    """``unit`` is ``scope`` or lies below it."""
    return unit.path.startswith(scope.path)


def sees_unit(user: Any, unit: Unit) -> bool:
    paths = scope_paths(user)
    return paths is None or any(unit.path.startswith(p) for p in paths)


def overlaps_scope(user: Any, unit: Unit) -> bool:
    """``unit`` lies in the user's scope or contains part of it (an area filter)."""
    paths = scope_paths(user)
    return paths is None or any(unit.path.startswith(p) or p.startswith(unit.path) for p in paths)


def units_in_scope(user: Any, *, levels: tuple[int, ...] | None = None) -> UnitQuerySet:
    """Units (any validity) in the user's scope, optionally of the given levels."""
    qs = Unit.objects.filter(units_q(user))
    if levels is not None:
        qs = qs.filter(level__in=levels)
    return qs


# --- the check ------------------------------------------------------------------------


def _role_can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, ())


def holds(user: Any, capability: str, unit: Unit | None = None) -> bool:
    """The user holds ``capability`` in an assignment whose subtree contains ``unit``."""
    if user is None:
        return True
    if not _is_user(user):
        return False
    if user.is_superuser:
        return True
    if any(
        _role_can(a.role, capability) and (unit is None or covers(a.unit, unit))
        for a in user.active_assignments
    ):
        return True
    # A national assignment (no unit) holds its capabilities for the country as a whole,
    # never for a unit: it widens no unit-scoped check.
    return unit is None and any(
        _role_can(a.role, capability) for a in getattr(user, "national_assignments", ())
    )


def allows(actor: Any, capability: str, *, unit: Unit | None = None, obj: Any = None) -> bool:
    """``require`` as a boolean (``actor=None``, the system, is allowed everything)."""
    if actor is None:
        return True
    if not holds(actor, capability, unit):
        return False
    if obj is not None:
        from .policy import may_change

        return may_change(actor, obj, capability)
    return True


def require(actor: Any, capability: str, *, unit: Unit | None = None, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``allows(actor, capability, unit=…, obj=…)``."""
    if not allows(actor, capability, unit=unit, obj=obj):
        raise PermissionDenied


def holding_q(user: Any, capabilities: frozenset[str], unit_field: str) -> Q:
    """Rows whose unit ``unit_field`` lies in the subtree of an assignment whose role holds
    any of ``capabilities`` (everything for a superuser)."""
    return assignments_q(
        user,
        unit_field,
        lambda a: Q() if any(_role_can(a.role, c) for c in capabilities) else None,
    )


def assignments_q(user: Any, unit_field: str, each: Callable[[Any], Q | None]) -> Q:
    """Rows whose unit ``unit_field`` lies in the subtree of one of the user's assignments
    AND match ``each(that assignment)`` (e.g. a level its unit acts at; ``None`` leaves the
    assignment out); everything for a superuser, nothing for anyone else without one."""
    if not _is_user(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for assignment in user.active_assignments:
        extra = each(assignment)
        if extra is not None:
            q |= Q(**{f"{unit_field}__path__startswith": assignment.unit.path}) & extra
    return q


def is_administrator(user: Any) -> bool:
    return _is_user(user) and (
        user.is_superuser or any(a.role == Role.ADMINISTRATOR for a in user.active_assignments)
    )
