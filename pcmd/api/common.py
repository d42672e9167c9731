"""What the API endpoints of the apps share: permission by capability, an action's errors as
the project's JSON errors (``pcmd.api.errors``) and the parsing of parameters.

Wrap every action call in ``api_errors()``: a Django ``ValidationError`` becomes a 400 whose
``fields`` name the fields (the first message in Vietnamese and English), an ``EditConflict``
a 409 and a ``PermissionDenied`` a 403. Messages given to the helpers below are lazy gettext
strings; each app passes its own wording where it has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request

from pcmd.accounts.permissions import units_q
from pcmd.api.errors import BadParameter, NotFoundBilingual
from pcmd.core.concurrency import EditConflict
from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit, UnitLevel

M = TypeVar("M", bound=Model)

# --- permissions --------------------------------------------------------------------------


class CapabilityByMethod(permissions.BasePermission):
    """Reads need the view's ``view_capability``, writes its ``edit_capability``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        wanted = (
            view.view_capability
            if request.method in permissions.SAFE_METHODS
            else view.edit_capability
        )
        return bool(user.can(wanted))


def capability(name: str) -> type[permissions.BasePermission]:
    """A permission class that needs the capability ``name`` whatever the method."""

    class Has(permissions.BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated and request.user.can(name))

    Has.__name__ = f"Has_{name.replace('.', '_')}"
    return Has


# --- an action's errors -------------------------------------------------------------------


class Conflict(exceptions.APIException):
    """409: someone saved the record after the version the client sent."""

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
        items = (
            exc.error_dict.items()
            if hasattr(exc, "error_dict")
            else [("non_field_errors", exc.error_list)]
        )
        for field, errors in items:
            for error in errors:
                texts = bilingual(error.message, **(error.params or {}))
                fields.setdefault(field, []).append(texts["vi"])
                first = first or texts
        self.texts = first or bilingual(_("The request is not valid."))
        super().__init__(fields)


class Forbidden(exceptions.PermissionDenied):
    """403 with ``message`` in both languages (none: the API's default message)."""

    def __init__(self, message: Any = None) -> None:
        if message is None:
            super().__init__()
            return
        self.texts = bilingual(message)
        super().__init__(self.texts["vi"])


@contextmanager
def api_errors(forbidden: Any = None) -> Iterator[None]:
    """Run an action; its ValidationError → 400 naming the fields, EditConflict → 409,
    PermissionDenied → 403 (with the message ``forbidden`` when given)."""
    try:
        yield
    except EditConflict as exc:
        raise Conflict(exc) from None
    except DjangoValidationError as exc:
        raise ActionInvalid(exc) from None
    except DjangoPermissionDenied:
        raise Forbidden(forbidden) from None


def get_or_404(queryset: QuerySet[M], pk: int, message: Any) -> M:
    """Row ``pk`` of a scoped ``queryset``, else a 404 with ``message`` (``%(id)s``)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFoundBilingual(message, id=pk)
    return obj


# --- parameters and body fields -----------------------------------------------------------

NOT_A_NUMBER = _("'%(value)s' is not a whole number.")

# Where apps worded the same message differently, each wording stays (the catalog translates
# them all; merging two is a change of the catalog). Inspections and enforcement:
VERSION_MISSING = _(
    "Send the version you read (the field version): it protects against "
    "overwriting another person's edit."
)
VERSION_INVALID = _("The version must be a whole number.")
NO_UNIT_HAS_CODE = _("No unit has the code %(code)s.")
# outreach and support (NO_UNIT also the registry and hotspots):
VERSION_EDITED = _("Send the version you edited (the 'version' of the record you read).")
NO_UNIT = _("No unit with code %(code)s.")
NOT_YOUR_UNIT = _("You may not record data for this unit.")


def require_version(data: Any, message: Any = None) -> int:
    """The ``version`` a PATCH body must carry (a whole number), else a 400 naming it;
    ``message`` replaces both default wordings (missing, not a whole number)."""
    raw = data.get("version") if hasattr(data, "get") else None
    if raw is None or isinstance(raw, bool):
        raise BadParameter("version", VERSION_MISSING if message is None else message)
    if isinstance(raw, int) and raw >= 0:
        return raw
    if isinstance(raw, str) and raw.isdecimal():
        return int(raw)
    raise BadParameter("version", VERSION_INVALID if message is None else message)


def date_param(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(
            name, _("'%(value)s' is not a date: use YYYY-MM-DD."), value=raw
        ) from None


def int_param(request: Request, name: str, message: Any = NOT_A_NUMBER) -> int | None:
    """``?name=`` as a whole number (None when absent); ``message`` may use ``%(value)s``."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not str(raw).isdecimal():
        raise BadParameter(name, message, value=raw)
    return int(raw)


def area_q(code: str, param: str, field: str, message: Any = NO_UNIT) -> tuple[Q, list[Unit]]:
    """Rows whose unit ``field`` lies under any unit that ever had GSO ``code`` (the 2018 map
    and later ones), and those units; ``message`` (``%(code)s``) names ``param`` if none."""
    units = list(Unit.objects.filter(code=code))
    if not units:
        raise BadParameter(param, message, code=code)
    q = Q()
    for unit in units:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q, units


def within_code(request: Request, name: str, field: str, message: Any = NO_UNIT) -> Q | None:
    """``area_q`` for the GSO code in ``?name=``; None when it is absent."""
    code = request.query_params.get(name)
    if not code:
        return None
    return area_q(code, name, field, message)[0]


def unit_param(request: Request, name: str, level: int) -> Unit | None:
    """The unit of ``level`` with the GSO code in ``?name=`` (its latest record)."""
    code = request.query_params.get(name)
    if not code:
        return None
    unit = Unit.objects.filter(code=code.strip(), level=level).order_by("-valid_to").first()
    if unit is None:
        raise BadParameter(name, NO_UNIT, code=code)
    return unit


def resolve_unit(code: Any, on: datetime.date | None, field: str) -> Unit:
    """The unit with GSO ``code`` valid on ``on`` (scope is checked by the action: 403)."""
    rows = list(Unit.objects.filter(code=str(code).strip()))
    if on is not None:
        rows = [u for u in rows if u.is_valid_on(on)]
    else:  # no date: the unit of that code valid today, else the latest one
        today = timezone.localdate()
        rows.sort(key=lambda u: (not u.is_valid_on(today), -(u.valid_to or today).toordinal()))
    if not rows:
        raise BadParameter(
            field,
            _("No unit with code %(code)s existed on %(date)s."),
            code=code,
            date=on.strftime("%d/%m/%Y") if on else "",
        )
    return rows[0]


class UnitCodeField(serializers.CharField):
    """A unit written and read as its GSO code."""

    def to_representation(self, value: Any) -> str:
        return value.code if isinstance(value, Unit) else str(value)


def unit_on(code: Any, on: datetime.date, user: Any, field: str = "commune") -> Unit:
    """The commune-level unit with GSO ``code`` valid on ``on`` inside the user's scope."""
    unit = (
        Unit.objects.filter(units_q(user), level=UnitLevel.COMMUNE, code=str(code).strip())
        .valid_on(on)
        .first()
    )
    if unit is None:
        raise BadParameter(
            field,
            _("No commune with code %(code)s existed on %(date)s in your area."),
            code=code,
            date=on.strftime("%d/%m/%Y"),
        )
    return unit
