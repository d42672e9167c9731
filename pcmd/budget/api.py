"""REST endpoints of the budget (scoped like the pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.agencies.models import Agency
from pcmd.api.auth import AuthenticatedRequest
from pcmd.api.common import (
    api_errors,
    capability,
    choice_param,
    choice_query,
    text_query,
    year_param,
    year_query,
)
from pcmd.api.errors import BadParameter

from . import actions
from .models import BudgetCategory, BudgetLine, FundingSource

CanView = capability("budget.view")


class BudgetLineSerializer(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    category = serializers.CharField(source="category.code")
    over_plan = serializers.BooleanField()

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "year",
            "agency_code",
            "agency_name",
            "category",
            "source",
            "description",
            "planned",
            "spent",
            "over_plan",
            "note",
            "version",
        ]


class _Body(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    agency = serializers.CharField(required=False, help_text="Agency code, e.g. SO_LDTBXH")
    category = serializers.CharField(required=False, help_text="Category code, e.g. tap-huan")
    # A declared field, which the serializer metaclass takes off the class: not ``Field.source``.
    source = serializers.ChoiceField(choices=FundingSource.choices, required=False)  # type: ignore[assignment]
    description = serializers.CharField(required=False)
    planned = serializers.IntegerField(required=False, help_text="Whole VND, 0 or more")
    spent = serializers.IntegerField(required=False, help_text="Whole VND, 0 or more")
    note = serializers.CharField(required=False, allow_blank=True)


class BudgetLineCreateSerializer(_Body):
    year = serializers.IntegerField()
    agency = serializers.CharField()
    category = serializers.CharField()
    source = serializers.ChoiceField(choices=FundingSource.choices)
    description = serializers.CharField()
    planned = serializers.IntegerField()


class BudgetLineUpdateSerializer(_Body):
    version = serializers.IntegerField(min_value=0)


def _queryset(user: Any) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.visible_to(user).select_related("agency", "category")


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "version"}
    if "agency" in values:
        agency = Agency.objects.select_related("unit").filter(code=values["agency"]).first()
        if agency is None:
            raise BadParameter("agency", _("No agency with code %(code)s."), code=values["agency"])
        values["agency"] = agency
    if "category" in values:
        category = BudgetCategory.objects.filter(code=values["category"]).first()
        if category is None:
            raise BadParameter(
                "category", _("No budget category with code %(code)s."), code=values["category"]
            )
        values["category"] = category
    return values


class BudgetLineList(generics.ListAPIView):
    """Budget lines in the caller's scope; POST records one."""

    serializer_class = BudgetLineSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[BudgetLine]:
        qs = _queryset(self.request.user)
        params = self.request.query_params
        year = year_param(self.request, "year", _("'%(value)s' is not a year."))
        if year is not None:
            qs = qs.filter(year=year)
        if params.get("agency"):
            qs = qs.filter(agency__code=params["agency"])
        if params.get("category"):
            qs = qs.filter(category__code=params["category"])
        if source := choice_param(self.request, "source", FundingSource.values):
            qs = qs.filter(source=source)
        return qs.order_by("-year", "agency__order", "pk")

    @extend_schema(
        parameters=[
            year_query(),
            text_query("agency", "Agency code"),
            text_query("category", "Budget category code"),
            choice_query("source", FundingSource.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=BudgetLineCreateSerializer, responses={201: BudgetLineSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        if not request.user.can("budget.edit"):
            raise PermissionDenied()
        body = BudgetLineCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with api_errors():
            line = actions.save_budget_line(
                None, actor=request.user, **_resolve(body.validated_data)
            )
        return Response(
            BudgetLineSerializer(_queryset(request.user).get(pk=line.pk)).data, status=201
        )


class BudgetLineDetail(generics.RetrieveAPIView):
    """One budget line; PATCH with the version read (409 if someone saved meanwhile)."""

    serializer_class = BudgetLineSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[BudgetLine]:
        return _queryset(self.request.user)

    @extend_schema(request=BudgetLineUpdateSerializer, responses=BudgetLineSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        line = self.get_object()
        body = BudgetLineUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with api_errors():
            actions.save_budget_line(
                line,
                actor=request.user,
                expected_version=body.validated_data["version"],
                **_resolve(body.validated_data),
            )
        return Response(BudgetLineSerializer(self.get_queryset().get(pk=pk)).data)
