"""The question an indicator API call asks (unit, period, cut-off, map) read from its query
parameters, shared by the indicator API and the plan progress API (pcmd.plans.api_progress)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from pcmd.api.auth import AuthenticatedRequest
from pcmd.api.common import (
    DATE_MAX,
    DATE_MIN,
    choice_param,
    choice_query,
    date_param,
    date_query,
    text_query,
)
from pcmd.api.errors import BadParameter
from pcmd.core.periods import Cutoff, PeriodError, parse_period
from pcmd.geo.models import Unit

from .engine import AS_IS, AS_WAS


def api_question(request: AuthenticatedRequest) -> dict[str, Any]:
    params = request.query_params
    cutoff = choice_param(request, "cutoff", _CUTOFFS) or Cutoff.CALENDAR
    try:
        period = parse_period(params.get("period", ""), cutoff)
    except (PeriodError, ValueError):  # ValueError: a date no calendar has
        period = None
    if period is None or period.start < DATE_MIN or period.end > DATE_MAX:
        raise BadParameter(
            "period",
            _("Write a period as 2018, 2018-H1, 2018-Q2, 2018-03 or 2018-01-01..2018-06-30."),
        )
    if params.get("map") not in (None, AS_WAS, AS_IS):
        raise BadParameter("map", _("Map must be as_was or as_is."))
    mapping = params.get("map", AS_WAS)
    as_is_on = date_param(request, "on") or datetime.date.today()
    code = params.get("unit")
    if not code:
        raise BadParameter("unit", _("Give the GSO code of a unit."))
    unit = (
        Unit.objects.valid_on(period.end).filter(code=code).first()
        or Unit.objects.filter(code=code).order_by(F("valid_from").desc(nulls_last=True)).first()
    )
    if unit is None:
        raise BadParameter(
            "unit",
            _("No unit with code %(code)s existed on %(date)s."),
            code=code,
            date=period.end.strftime("%d/%m/%Y"),
        )
    if not request.user.sees_unit(unit):
        raise PermissionDenied
    return {"period": period, "mapping": mapping, "as_is_on": as_is_on, "unit": unit}


_CUTOFFS = [Cutoff.CALENDAR, Cutoff.DECREE09]
_PERIOD = "2018, 2018-H1, 2018-Q2, 2018-03 or YYYY-MM-DD..YYYY-MM-DD (years 2000–2100)"
_COMMON_PARAMS = [
    text_query("unit", "GSO code of the root unit", required=True),
    choice_query("cutoff", _CUTOFFS),
    choice_query("map", [AS_WAS, AS_IS]),
    date_query("on", "Date of today's map for as_is"),
]
QUESTION_PARAMS = [*_COMMON_PARAMS, text_query("period", _PERIOD, required=True)]
PROGRESS_PARAMS = [
    *_COMMON_PARAMS,
    text_query("period", _PERIOD + "; default: the plan's first year"),
]


class DashboardReader(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.can("dashboard.view")
        )
