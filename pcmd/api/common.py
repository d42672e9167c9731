"""What the API endpoints of the apps share: permission by capability, an action's errors as
the project's JSON errors (``pcmd.api.errors``) and the parsing of parameters.

Wrap every action call in ``api_errors()``: a Django ``ValidationError`` becomes a 400 whose
``fields`` name the fields (the first message in Vietnamese and English), an ``EditConflict``
a 409 and a ``PermissionDenied`` a 403. Messages given to the helpers below are lazy gettext
strings; each app passes its own wording where it has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request

from pcmd.accounts.permissions import units_q
from pcmd.api.errors import BadParameter, NotFoundBilingual
from pcmd.core.concurrency import EditConflict
from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q

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


# An API client sends a typed parameter with a value or not at all: an empty value (?year=)
# is refused like any other value that is not of the type.
# Bounds of every number and date a client may send: years and dates of the plan's era, ids
# that fit the database's integer, whole numbers that fit a query.
YEAR_MIN, YEAR_MAX = 2000, 2100
DATE_MIN, DATE_MAX = datetime.date(YEAR_MIN, 1, 1), datetime.date(YEAR_MAX, 12, 31)
ID_MAX = 2**31 - 1
OUT_OF_RANGE = _("%(param)s must be a whole number from %(min)s to %(max)s.")
NOT_A_DATE = _("'%(value)s' is not a date: use YYYY-MM-DD.")
DATE_OUT_OF_RANGE = _("%(param)s must be a date from %(min)s to %(max)s.")
NOT_A_CHOICE = _("%(param)s must be one of: %(values)s.")
NOT_A_BOOLEAN = _("%(param)s must be true or false.")


def parse_int(
    raw: Any,
    name: str,
    *,
    minimum: int = 0,
    maximum: int = ID_MAX,
    message: Any = NOT_A_NUMBER,
) -> int:
    """``raw`` (a query or path value) as a whole number in ``minimum..maximum``, else a
    400 naming ``name`` (``message`` may use ``%(value)s``)."""
    text = str(raw).strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdecimal() or not digits.isascii() or len(digits) > 12:
        if digits.isdecimal() and digits.isascii():  # a whole number, far out of range
            raise BadParameter(name, OUT_OF_RANGE, param=name, min=minimum, max=maximum)
        raise BadParameter(name, message, value=raw)
    value = int(text)
    if not minimum <= value <= maximum:
        raise BadParameter(name, OUT_OF_RANGE, param=name, min=minimum, max=maximum)
    return value


def int_param(
    request: Request,
    name: str,
    message: Any = NOT_A_NUMBER,
    *,
    minimum: int = 0,
    maximum: int = ID_MAX,
) -> int | None:
    """``?name=`` as a whole number in ``minimum..maximum`` (None when absent); ``message``
    (``%(value)s``) when it is not a whole number."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    return parse_int(raw, name, minimum=minimum, maximum=maximum, message=message)


def year_param(request: Request, name: str = "year", message: Any = NOT_A_NUMBER) -> int | None:
    """``?name=`` as a year of the plan's era (2000–2100)."""
    return int_param(request, name, message, minimum=YEAR_MIN, maximum=YEAR_MAX)


def date_param(
    request: Request,
    name: str,
    *,
    earliest: datetime.date = DATE_MIN,
    latest: datetime.date = DATE_MAX,
) -> datetime.date | None:
    """``?name=`` as a date (YYYY-MM-DD) from ``earliest`` to ``latest`` (None: absent)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = datetime.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(name, NOT_A_DATE, value=raw)
    if not earliest <= value <= latest:
        raise BadParameter(
            name,
            DATE_OUT_OF_RANGE,
            param=name,
            min=earliest.isoformat(),
            max=latest.isoformat(),
        )
    return value


def choice_param(request: Request, name: str, choices: Iterable[str]) -> str | None:
    """``?name=`` as one of ``choices`` (None when absent)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    allowed = list(choices)
    if raw not in allowed:
        raise BadParameter(name, NOT_A_CHOICE, param=name, values=", ".join(allowed))
    return raw


def bool_param(request: Request, name: str) -> bool | None:
    """``?name=`` as true or false (None when absent)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw == "true":
        return True
    if raw == "false":
        return False
    raise BadParameter(name, NOT_A_BOOLEAN, param=name)


# --- the same parameters in the OpenAPI schema --------------------------------------------


def int_query(
    name: str, description: str = "", *, minimum: int = 0, maximum: int = ID_MAX
) -> OpenApiParameter:
    """A whole-number query parameter with its bounds, as ``int_param`` reads it."""
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return OpenApiParameter(name, schema, description=description)


def year_query(name: str = "year", description: str = "") -> OpenApiParameter:
    return int_query(name, description, minimum=YEAR_MIN, maximum=YEAR_MAX)


def date_query(name: str, description: str = "") -> OpenApiParameter:
    schema = {"type": "string", "format": "date"}
    return OpenApiParameter(name, schema, description=description)


def choice_query(name: str, choices: Iterable[str], description: str = "") -> OpenApiParameter:
    schema = {"type": "string", "enum": list(choices)}
    return OpenApiParameter(name, schema, description=description)


def bool_query(name: str, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, {"type": "boolean"}, description=description)


def text_query(name: str, description: str = "", *, required: bool = False) -> OpenApiParameter:
    """A free text or code parameter."""
    schema = {"type": "string"}
    return OpenApiParameter(
        name,
        schema,
        description=description,
        required=required,
    )


def area_q(code: str, param: str, field: str, message: Any = NO_UNIT) -> tuple[Q, list[Unit]]:
    """Rows whose unit ``field`` lies under any unit that ever had GSO ``code`` (the 2018 map
    and later ones), and those units; ``message`` (``%(code)s``) names ``param`` if none."""
    units = list(Unit.objects.filter(code=code))
    if not units:
        raise BadParameter(param, message, code=code)
    return under_q(field, [unit.path for unit in units]), units


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
    unit = (
        Unit.objects.filter(code=code.strip(), level=level)
        .order_by(F("valid_to").desc(nulls_first=True))
        .first()
    )
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
