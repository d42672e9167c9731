"""Indicator API: definitions, values, and plan target progress."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

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
from pcmd.plans.models import Plan

from .engine import AS_IS, AS_WAS, BREAKDOWNS, evaluate
from .models import Indicator
from .privacy import must_suppress, shown
from .refusals import note_body
from .sources import may_read
from .targets import plan_progress


class IndicatorSerializer(serializers.ModelSerializer):
    numerator = serializers.CharField(source="numerator.code", default=None, allow_null=True)
    denominator = serializers.CharField(source="denominator.code", default=None, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "unit_label",
            "unit_label_en",
            "kind",
            "source",
            "measure",
            "filters",
            "numerator",
            "denominator",
            "scale",
            "description",
            "description_en",
            "small_cells",
        ]


class IndicatorList(generics.ListAPIView):
    """Indicator definitions."""

    serializer_class = IndicatorSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return Indicator.objects.visible_to(self.request.user).select_related(
            "numerator", "denominator"
        )


def _question(request: AuthenticatedRequest) -> dict[str, Any]:
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
_PARAMS = [*_COMMON_PARAMS, text_query("period", _PERIOD, required=True)]
_PROGRESS_PARAMS = [
    *_COMMON_PARAMS,
    text_query("period", _PERIOD + "; default: the plan's first year"),
]


class DashboardReader(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.can("dashboard.view")
        )


def _key(key: Any, units: dict[int, Unit]) -> Any:
    if isinstance(key, int) and key in units:
        return units[key].code
    if isinstance(key, datetime.date):
        return key.isoformat()
    return key


class IndicatorValues(APIView):
    """Values of one indicator for a unit subtree and a period, optionally broken down."""

    permission_classes = [DashboardReader]

    @extend_schema(
        parameters=[*_PARAMS, choice_query("by", list(BREAKDOWNS))],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: AuthenticatedRequest, code: str) -> Response:
        indicator = get_object_or_404(
            Indicator.objects.visible_to(request.user).select_related("numerator", "denominator"),
            code=code,
        )
        if not may_read(indicator, request.user):
            raise PermissionDenied
        q = _question(request)
        by = choice_param(request, "by", list(BREAKDOWNS))
        # A refusal (EngineError) is answered by pcmd.indicators.refusals, like everywhere.
        result = evaluate(
            indicator,
            q["unit"],
            q["period"],
            by=by,
            mapping=q["mapping"],
            as_is_on=q["as_is_on"],
        )
        suppress = must_suppress(indicator, request.user)
        units = Unit.objects.in_bulk([k for k in result.values if isinstance(k, int)])
        values = [
            {
                "key": _key(k, units),
                "name": units[k].name if isinstance(k, int) and k in units else None,
                "value": shown(v, suppress=suppress),
            }
            for k, v in result.values.items()
        ]
        assert result.root is not None  # the question always names a unit
        return Response(
            {
                "indicator": indicator.code,
                "unit": result.root.code,
                "unit_name": result.root.name,
                "period": {
                    "code": q["period"].code,
                    "start": q["period"].start,
                    "end": q["period"].end,
                    "cutoff": q["period"].cutoff,
                },
                "map": q["mapping"],
                "by": by,
                "total": shown(result.total, suppress=suppress),
                "values": values,
                "note": note_body(result.note),
            }
        )


class PlanProgress(APIView):
    """Every target of a plan: value, goal and status for a unit and period."""

    permission_classes = [DashboardReader]

    @extend_schema(parameters=_PROGRESS_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
        params = request.query_params.copy()
        if not params.get("period"):
            params["period"] = str(plan.period_start.year)
        # The stubs type GET as immutable; this copy of the parameters is the one read from now on.
        request._request.GET = params  # type: ignore[assignment]
        q = _question(request)
        progress = plan_progress(
            plan,
            q["unit"],
            q["period"],
            by_children=True,
            mapping=q["mapping"],
            as_is_on=q["as_is_on"],
        )
        units = Unit.objects.in_bulk({uid for p in progress for uid in p.children})
        out = []
        for p in progress:
            suppress = must_suppress(p.indicator, request.user)
            out.append(
                {
                    "code": p.target.code,
                    "target": p.target.short,
                    "target_en": p.target.short_en,
                    "indicator": p.indicator.code if p.indicator else None,
                    "goal": p.goal_text,
                    "goal_mode": p.goal.mode,
                    "share": p.share,
                    "value": shown(p.value, suppress=suppress),
                    "status": p.status,
                    "status_label": p.status_label,
                    "extra": p.extra,
                    "children": [
                        {
                            "unit": units[uid].code,
                            "name": units[uid].name,
                            "value": shown(v, suppress=suppress),
                            "share": p.child_shares.get(uid),
                            "goal": p.child_goals[uid].text if uid in p.child_goals else "",
                            "status": st,
                        }
                        for uid, (v, st) in p.children.items()
                        if uid in units
                    ],
                }
            )
        return Response(
            {
                "plan": plan.number,
                "unit": q["unit"].code,
                "period": q["period"].code,
                "targets": out,
                "note": note_body(next((p.result.note for p in progress if p.result), None)),
            }
        )
