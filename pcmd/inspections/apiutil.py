"""Shared pieces of the inspections and enforcement APIs: permissions by capability, the
translation of action errors into the JSON error body (400 naming the field, 409 on an
edit conflict), and parsing of query parameters."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.request import Request

from pcmd.api.errors import BadParameter
from pcmd.core.concurrency import EditConflict
from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit

SAFE = ("GET", "HEAD", "OPTIONS")


class CapabilityByMethod(permissions.BasePermission):
    """Reads need the view's ``view_capability``, writes its ``edit_capability``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        capability = (view.view_capability if request.method in SAFE
                      else view.edit_capability)
        return bool(user.can(capability))


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"

    def __init__(self, exc: EditConflict) -> None:
        self.texts = exc.texts
        super().__init__(exc.texts["vi"])


class ActionInvalid(exceptions.ValidationError):
    """An action's ValidationError as a 400 whose ``fields`` name the fields."""

    def __init__(self, exc: DjangoValidationError) -> None:
        fields: dict[str, list[str]] = {}
        first: dict[str, str] | None = None
        items = (exc.error_dict.items() if hasattr(exc, "error_dict")
                 else [("non_field_errors", exc.error_list)])
        for field, errors in items:
            for error in errors:
                texts = bilingual(error.message, **(error.params or {}))
                fields.setdefault(field, []).append(texts["vi"])
                first = first or texts
        self.texts = first or bilingual(_("The request is not valid."))
        super().__init__(fields)


def run_action(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action; translate its errors to API errors."""
    try:
        return call(*args, **kwargs)
    except EditConflict as exc:
        raise Conflict(exc) from None
    except DjangoValidationError as exc:
        raise ActionInvalid(exc) from None
    except PermissionDenied:
        raise exceptions.PermissionDenied() from None


def date_param(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, _("'%(value)s' is not a date: use YYYY-MM-DD."),
                           value=raw) from None


def unit_area_q(code: str, param: str, field: str = "commune__") -> tuple[Q, list[Unit]]:
    """Rows under any unit that ever had ``code`` (the 2018 map and later maps)."""
    units = list(Unit.objects.filter(code=code))
    if not units:
        raise BadParameter(param, _("No unit has the code %(code)s."), code=code)
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{field}path__startswith": unit.path})
    return q, units


def require_version(data: Any) -> int:
    raw = data.get("version") if hasattr(data, "get") else None
    if raw is None or isinstance(raw, bool):
        raise BadParameter("version", _("Send the version you read (the field version): it "
                                        "protects against overwriting another person's "
                                        "edit."))
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise BadParameter("version", _("The version must be a whole number.")) from None
