"""API plumbing shared by the outreach and support endpoints: permissions by capability,
actions' errors as JSON (400 naming the field, 403, 409 on an edit conflict)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request

from pcmd.api.errors import BadParameter
from pcmd.core.concurrency import EditConflict
from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit

T = TypeVar("T")


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"

    def __init__(self, exc: EditConflict) -> None:
        self.texts = exc.texts
        super().__init__(self.texts["vi"])


class FieldErrors(exceptions.ValidationError):
    """An action's ValidationError: fields named, the first message in both languages."""

    def __init__(self, exc: DjangoValidationError) -> None:
        fields: dict[str, list[str]] = {}
        first = None
        items = exc.error_dict.items() if hasattr(exc, "error_dict") else [
            ("non_field_errors", exc.error_list)]
        for name, errors in items:
            for error in errors:
                texts = bilingual(error.message, **(error.params or {}))
                first = first or texts
                fields.setdefault(name, []).append(texts["vi"])
        self.texts = first or bilingual(_("The request is not valid."))
        super().__init__(fields)


class Forbidden(exceptions.PermissionDenied):
    def __init__(self) -> None:
        self.texts = bilingual(_("You may not record data for this unit."))
        super().__init__(self.texts["vi"])


def run_action(write: Callable[[], T]) -> T:
    try:
        return write()
    except EditConflict as exc:
        raise Conflict(exc) from None
    except DjangoValidationError as exc:
        raise FieldErrors(exc) from None
    except DjangoPermissionDenied:
        raise Forbidden() from None


class CapabilityByMethod(permissions.BasePermission):
    """Reads need ``view.view_capability``; writes need ``view.edit_capability``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        wanted = (view.view_capability if request.method in permissions.SAFE_METHODS
                  else view.edit_capability)
        return bool(user.can(wanted))


def required_version(request: Request) -> int:
    raw = request.data.get("version") if hasattr(request.data, "get") else None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise BadParameter("version", _("Send the version you edited (the 'version' of the "
                                        "record you read)."))
    return int(raw)


def resolve_unit(code: Any, on: datetime.date | None, field: str) -> Unit:
    """The unit with GSO ``code`` valid on ``on`` (scope is checked by the action: 403)."""
    rows = list(Unit.objects.filter(code=str(code).strip()))
    if on is not None:
        rows = [u for u in rows if u.is_valid_on(on)]
    else:  # no date: the unit of that code valid today, else the latest one
        today = timezone.localdate()
        rows.sort(key=lambda u: (not u.is_valid_on(today), -(u.valid_to or today).toordinal()))
    if not rows:
        raise BadParameter(field, _("No unit with code %(code)s existed on %(date)s."),
                           code=code, date=on.strftime("%d/%m/%Y") if on else "")
    return rows[0]


class UnitCodeField(serializers.CharField):
    """A unit written and read as its GSO code."""

    def to_representation(self, value: Any) -> str:
        return value.code if isinstance(value, Unit) else str(value)


def int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise BadParameter(name, _("'%(value)s' is not a whole number."), value=raw)
    return int(raw)


def date_param(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, _("'%(value)s' is not a date: use YYYY-MM-DD."),
                           value=raw) from None


def within_code(request: Request, name: str, field: str) -> Q | None:
    """Rows whose ``field`` lies in the subtree of a unit with GSO code ``?name=``."""
    code = request.query_params.get(name)
    if not code:
        return None
    units = list(Unit.objects.filter(code=code))
    if not units:
        raise BadParameter(name, _("No unit with code %(code)s."), code=code)
    q = Q()
    for unit in units:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q
