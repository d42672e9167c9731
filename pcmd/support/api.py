"""REST endpoints: /api/v1/support-counts (+/{id}). Scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.api.common import (
    NOT_YOUR_UNIT,
    VERSION_EDITED,
    CapabilityByMethod,
    api_errors,
    require_version,
    resolve_unit,
    text_query,
    within_code,
    year_param,
    year_query,
)

from . import actions
from .models import COUNT_FIELDS, SupportCount
from .serializers import SupportCountSerializer

FIELDS = ["period_start", "period_end", *COUNT_FIELDS, "note"]


class _Scoped(generics.GenericAPIView[SupportCount]):
    permission_classes = [CapabilityByMethod]
    view_capability = "support.view"
    edit_capability = "support.edit"
    serializer_class = SupportCountSerializer

    def get_queryset(self) -> QuerySet[SupportCount]:
        return SupportCount.objects.visible_to(self.request.user).select_related("commune")


class SupportCountList(_Scoped, generics.ListCreateAPIView):
    """Counts of people supported per commune and period; POST records one."""

    def get_queryset(self) -> QuerySet[SupportCount]:
        qs = super().get_queryset()
        if year := year_param(self.request):
            qs = qs.filter(period_start__year=year)
        if (q := within_code(self.request, "unit", "commune")) is not None:
            qs = qs.filter(q)
        return qs

    @extend_schema(
        parameters=[
            year_query("year", "Periods starting in this year"),
            text_query("unit", "GSO code: this unit and below"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        commune = resolve_unit(data["commune"], data["period_start"], "commune")
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.create_support_count(
                actor=self.request.user,
                commune=commune,
                **{k: data[k] for k in FIELDS if k in data},
            )


class SupportCountDetail(_Scoped, generics.RetrieveUpdateAPIView):
    """One commune's counts for one period. PATCH with the ``version`` you read."""

    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: Any) -> None:
        version = require_version(self.request.data, VERSION_EDITED)
        row: SupportCount = serializer.instance
        data = dict(serializer.validated_data)
        if "commune" in data:
            data["commune"] = resolve_unit(
                data["commune"], data.get("period_start", row.period_start), "commune"
            )
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.update_support_count(
                row, actor=self.request.user, expected_version=version, **data
            )
