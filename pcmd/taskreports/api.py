"""REST endpoints of agency task reports (scoped like the pages)."""

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
    int_param,
    int_query,
    text_query,
    year_param,
    year_query,
)
from pcmd.api.errors import BadParameter
from pcmd.plans.models import Plan

from . import actions
from .models import PeriodKind, ReportState, TaskReport, WorkStatus

CanView = capability("taskreports.view")


class FigureSerializer(serializers.Serializer):
    # A declared field, which the serializer metaclass takes off the class: not ``Field.label``.
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField()


class TaskReportSerializer(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    group = serializers.CharField(source="group_number")
    figures = FigureSerializer(many=True)

    class Meta:
        model = TaskReport
        fields = [
            "id",
            "plan",
            "group",
            "agency_code",
            "agency_name",
            "year",
            "period",
            "period_start",
            "period_end",
            "status",
            "done",
            "figures",
            "obstacles",
            "proposals",
            "state",
            "submitted_at",
            "version",
        ]


class _Body(serializers.Serializer):
    status = serializers.ChoiceField(choices=WorkStatus.choices, required=False)
    done = serializers.CharField(required=False, allow_blank=True)
    figures = serializers.JSONField(required=False, help_text='[{"label": str, "value": number}]')
    obstacles = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Submit after saving (draft → submitted)."
    )


class TaskReportCreateSerializer(_Body):
    plan = serializers.IntegerField()
    group = serializers.CharField(help_text='Heading number of Section IV, e.g. "3"')
    agency = serializers.CharField(help_text="Agency code, e.g. SO_VHTTDL")
    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=PeriodKind.choices)


class TaskReportUpdateSerializer(_Body):
    version = serializers.IntegerField(min_value=0)


def _queryset(user: Any) -> QuerySet[TaskReport]:
    return TaskReport.objects.visible_to(user).select_related("agency")


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: data[k] for k in ("status", "done", "figures", "obstacles", "proposals") if k in data
    }


class TaskReportList(generics.ListAPIView):
    """Task reports in the caller's scope; POST writes one for an agency of the caller."""

    serializer_class = TaskReportSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[TaskReport]:
        qs = _queryset(self.request.user)
        params = self.request.query_params
        if (plan := int_param(self.request, "plan")) is not None:
            qs = qs.filter(plan_id=plan)
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(year=year)
        if period := choice_param(self.request, "period", PeriodKind.values):
            qs = qs.filter(period=period)
        if state := choice_param(self.request, "state", ReportState.values):
            qs = qs.filter(state=state)
        if params.get("agency"):
            qs = qs.filter(agency__code=params["agency"])
        if params.get("group"):
            qs = qs.filter(group_number=params["group"])
        return qs.order_by("plan", "year", "period", "group_number", "agency__order", "pk")

    @extend_schema(
        parameters=[
            int_query("plan", "Plan id"),
            year_query(),
            choice_query("period", PeriodKind.values),
            choice_query("state", ReportState.values),
            text_query("agency", "Agency code"),
            text_query("group", "Heading of the task group (Section IV)"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=TaskReportCreateSerializer, responses={201: TaskReportSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        if not request.user.can("taskreports.edit"):
            raise PermissionDenied()
        body = TaskReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        plan = (
            Plan.objects.visible_to(request.user)
            .binding()
            .filter(pk=data["plan"], unit__isnull=False)
            .first()
        )
        if plan is None:
            raise BadParameter("plan", _("No plan %(id)s that you can read."), id=data["plan"])
        agency = Agency.objects.filter(code=data["agency"]).first()
        if agency is None:
            raise BadParameter("agency", _("No agency with code %(code)s."), code=data["agency"])
        if TaskReport.objects.filter(
            plan=plan,
            group_number=data["group"],
            agency=agency,
            year=data["year"],
            period=data["period"],
        ).exists():
            raise BadParameter("period", _("This report exists already: update it instead."))
        with api_errors():
            report = actions.save_task_report(
                plan,
                data["group"],
                agency,
                data["year"],
                data["period"],
                actor=request.user,
                is_new=True,
                **_values(data),
            )
            if data.get("submit"):
                actions.submit_task_report(
                    report, actor=request.user, expected_version=report.version
                )
        return Response(
            TaskReportSerializer(_queryset(request.user).get(pk=report.pk)).data, status=201
        )


class TaskReportDetail(generics.RetrieveAPIView):
    """One task report; PATCH with the version read (409 if someone saved meanwhile)."""

    serializer_class = TaskReportSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[TaskReport]:
        return _queryset(self.request.user)

    @extend_schema(request=TaskReportUpdateSerializer, responses=TaskReportSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        report = self.get_object()
        body = TaskReportUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            saved = actions.save_task_report(
                report.plan,
                report.group_number,
                report.agency,
                report.year,
                report.period,
                actor=request.user,
                expected_version=data["version"],
                **_values(data),
            )
            if data.get("submit"):
                actions.submit_task_report(
                    saved, actor=request.user, expected_version=saved.version
                )
        return Response(TaskReportSerializer(self.get_queryset().get(pk=pk)).data)
