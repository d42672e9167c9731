"""Indicator API: definitions, values, and plan target progress."""

from __future__ import annotations

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.api.auth import AuthenticatedRequest
from pcmd.api.common import (
    choice_param,
    choice_query,
)
from pcmd.core.db_router import read_replica
from pcmd.geo.models import Unit

from .engine import BREAKDOWNS, evaluate
from .models import Indicator
from .privacy import must_suppress, shown
from .question import QUESTION_PARAMS, DashboardReader, api_question
from .refusals import note_body
from .sources import may_read


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

    @method_decorator(read_replica)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return Indicator.objects.visible_to(self.request.user).select_related(
            "numerator", "denominator"
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
        parameters=[*QUESTION_PARAMS, choice_query("by", list(BREAKDOWNS))],
        responses=OpenApiTypes.OBJECT,
    )
    @method_decorator(read_replica)
    def get(self, request: AuthenticatedRequest, code: str) -> Response:
        indicator = get_object_or_404(
            Indicator.objects.visible_to(request.user).select_related("numerator", "denominator"),
            code=code,
        )
        if not may_read(indicator, request.user):
            raise PermissionDenied
        q = api_question(request)
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
