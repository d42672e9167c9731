"""REST endpoints of commune assessment (scoped like the pages)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

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
from pcmd.geo.models import Unit, UnitLevel

from . import actions
from .models import (
    Assessment,
    AssessmentClass,
    AssessmentStatus,
    AssessmentTemplate,
    Criterion,
    Score,
)

CanView = capability("assessment.view")
CanSubmit = capability("assessment.submit")
CanConfirm = capability("assessment.confirm")


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["code", "group", "order", "text", "max_points", "is_critical"]


class ClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentClass
        fields = [
            "code",
            "name",
            "kind",
            "order",
            "match",
            "min_total",
            "max_total",
            "min_critical_failed",
            "max_critical_failed",
        ]


class TemplateSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    classes = ClassSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentTemplate
        fields = [
            "id",
            "name",
            "legal_basis",
            "source",
            "unverified",
            "valid_from_year",
            "valid_to_year",
            "is_active",
            "version",
            "criteria",
            "classes",
        ]


class ResultClassSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    district_code = serializers.CharField(
        source="commune.parent.code", default=None, allow_null=True
    )
    scores = serializers.SerializerMethodField()
    result_class = ResultClassSerializer(allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "template",
            "commune_code",
            "commune_name",
            "district_code",
            "year",
            "status",
            "scores",
            "total",
            "critical_failed",
            "is_complete",
            "result_class",
            "comment",
            "review_comment",
            "submitted_at",
            "reviewed_at",
            "version",
        ]

    def get_scores(self, obj: Assessment) -> dict[str, int]:
        return {s.criterion.code: s.points for s in obj.scores.all()}


class AssessmentCreateSerializer(serializers.Serializer):
    commune = serializers.CharField(help_text="GSO code of the commune-level unit")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        required=False,
        help_text="criterion code → points",
    )
    comment = serializers.CharField(required=False, allow_blank=True)


class AssessmentUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    scores = serializers.DictField(child=serializers.IntegerField(allow_null=True), required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


class WorkflowSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _queryset(user: Any) -> QuerySet[Assessment]:
    return (
        Assessment.objects.visible_to(user)
        .select_related("commune__parent", "result_class")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )


class TemplateList(generics.ListAPIView):
    """Scoring templates with their criteria and classes."""

    serializer_class = TemplateSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[AssessmentTemplate]:
        return AssessmentTemplate.objects.visible_to(self.request.user).prefetch_related(
            "criteria", "classes"
        )


class TemplateDetail(generics.RetrieveAPIView):
    serializer_class = TemplateSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[AssessmentTemplate]:
        return AssessmentTemplate.objects.visible_to(self.request.user).prefetch_related(
            "criteria", "classes"
        )


class AssessmentList(generics.ListAPIView):
    """Assessments in the caller's scope; POST creates one (the commune's own)."""

    serializer_class = AssessmentSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[Assessment]:
        qs = _queryset(self.request.user)
        params = self.request.query_params
        year = year_param(self.request, "year", _("'%(value)s' is not a year."))
        if year is not None:
            qs = qs.filter(year=year)
        if params.get("commune"):
            qs = qs.filter(commune__code=params["commune"])
        if params.get("district"):
            qs = qs.filter(commune__parent__code=params["district"])
        if status := choice_param(self.request, "status", AssessmentStatus.values):
            qs = qs.filter(status=status)
        return qs.order_by("-year", "commune__code")

    @extend_schema(
        parameters=[
            year_query(),
            text_query("commune", "GSO code of the commune"),
            text_query("district", "GSO code of the district"),
            choice_query("status", AssessmentStatus.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        if not request.user.can("assessment.submit"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        commune = _commune(values["commune"], values["year"])
        if Assessment.objects.filter(commune=commune, year=values["year"]).exists():
            raise BadParameter(
                "year",
                _("%(unit)s already has an assessment for %(year)s: update it instead."),
                unit=commune.name,
                year=values["year"],
            )
        with api_errors():
            assessment = actions.save_assessment(
                commune,
                values["year"],
                actor=request.user,
                points=values.get("scores", {}),
                comment=values.get("comment"),
                create_only_if_new=True,
            )
        return Response(
            AssessmentSerializer(_queryset(request.user).get(pk=assessment.pk)).data, status=201
        )


def _commune(code: str, year: int) -> Unit:
    for on in (datetime.date(year, 12, 31), datetime.date(year, 1, 1)):
        unit = Unit.objects.valid_on(on).filter(code=code, level=UnitLevel.COMMUNE).first()
        if unit is not None:
            return unit
    raise BadParameter(
        "commune",
        _("No commune-level unit with code %(code)s existed in %(year)s."),
        code=code,
        year=year,
    )


class AssessmentDetail(generics.RetrieveAPIView):
    """One assessment; PATCH changes scores or the note (with the version read)."""

    serializer_class = AssessmentSerializer
    permission_classes = [CanView]

    def get_queryset(self) -> QuerySet[Assessment]:
        return _queryset(self.request.user)

    @extend_schema(request=AssessmentUpdateSerializer, responses=AssessmentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        assessment = self.get_object()
        data = AssessmentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with api_errors():
            actions.save_assessment(
                assessment.commune,
                assessment.year,
                actor=request.user,
                points=values.get("scores", {}),
                comment=values.get("comment"),
                expected_version=values["version"],
            )
        return Response(AssessmentSerializer(self.get_queryset().get(pk=pk)).data)


class _Workflow(APIView):
    serializer_class = WorkflowSerializer
    verb = ""

    def _run(self, assessment: Assessment, actor: Any, version: int, comment: str) -> None:
        raise NotImplementedError

    @extend_schema(request=WorkflowSerializer, responses=AssessmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        from django.shortcuts import get_object_or_404

        assessment = get_object_or_404(_queryset(request.user), pk=pk)
        data = WorkflowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with api_errors():
            self._run(
                assessment,
                request.user,
                data.validated_data["version"],
                data.validated_data["comment"],
            )
        return Response(AssessmentSerializer(_queryset(request.user).get(pk=pk)).data)


class AssessmentSubmit(_Workflow):
    """The commune submits its complete assessment to the district."""

    permission_classes = [CanSubmit]

    def _run(self, assessment: Assessment, actor: Any, version: int, comment: str) -> None:
        actions.submit_assessment(assessment, actor=actor, expected_version=version)


class AssessmentConfirm(_Workflow):
    """The district (or the standing office) confirms a submitted assessment."""

    permission_classes = [CanConfirm]

    def _run(self, assessment: Assessment, actor: Any, version: int, comment: str) -> None:
        actions.confirm_assessment(
            assessment, actor=actor, expected_version=version, comment=comment
        )


class AssessmentReturn(_Workflow):
    """The district returns a submitted assessment; ``comment`` is required."""

    permission_classes = [CanConfirm]

    def _run(self, assessment: Assessment, actor: Any, version: int, comment: str) -> None:
        actions.return_assessment(
            assessment, actor=actor, expected_version=version, comment=comment
        )
