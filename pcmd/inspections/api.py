"""REST endpoints: inspections, teams, inspection plans and the risk ranking. Scoped like
the pages (``visible_to``); writes go through the actions."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.accounts.permissions import overlaps_scope
from pcmd.api.auth import AuthenticatedRequest
from pcmd.api.common import (
    NO_UNIT_HAS_CODE,
    CapabilityByMethod,
    api_errors,
    area_q,
    choice_param,
    choice_query,
    date_param,
    date_query,
    get_or_404,
    int_param,
    int_query,
    require_version,
    text_query,
    within_code,
)
from pcmd.api.errors import BadParameter, NotFoundBilingual
from pcmd.api.fields import limit_choices
from pcmd.registry.models import Establishment

from . import actions
from .models import (
    Answer,
    FindingItem,
    Inspection,
    InspectionPlan,
    InspectionResult,
    Team,
    TeamMember,
)
from .risk import active_weights, score_rows
from .views_teams import PlanWithProgress, percent, province_path, with_progress

# --- serializers ------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    item = serializers.SlugRelatedField(
        slug_field="code", queryset=FindingItem.objects.filter(is_active=True)
    )
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class InspectionAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return reverse("inspections:attachment", args=[obj.inspection_id, obj.pk])


class InspectionSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    members_present: serializers.PrimaryKeyRelatedField[TeamMember] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    findings = serializers.SerializerMethodField()
    attachments = InspectionAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "version",
            "date",
            "team",
            "team_name",
            "establishment",
            "establishment_name",
            "commune_code",
            "commune_name",
            "plan",
            "result",
            "summary",
            "follow_up_needed",
            "follow_up_note",
            "members_present",
            "findings",
            "attachments",
            "created_at",
            "updated_at",
        ]

    def get_findings(self, obj: Inspection) -> list[dict[str, str]]:
        return [
            {"item": f.item.code, "answer": f.answer, "note": f.note} for f in obj.findings.all()
        ]


class InspectionWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False, help_text="Required on PATCH.")
    date = serializers.DateField()
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    establishment = serializers.PrimaryKeyRelatedField(queryset=Establishment.objects.none())
    result = serializers.ChoiceField(choices=InspectionResult.choices)
    members_present = serializers.PrimaryKeyRelatedField(
        many=True, queryset=TeamMember.objects.none(), required=False
    )
    findings = FindingSerializer(many=True, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_needed = serializers.BooleanField(required=False, default=False)
    follow_up_note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # schema generation
            return
        user = request.user
        teams = Team.objects.visible_to(user)
        limit_choices(self, "team", teams)
        limit_choices(self, "establishment", Establishment.objects.visible_to(user))
        limit_choices(self, "members_present", TeamMember.objects.filter(team__in=teams))

    def findings_input(self) -> dict[FindingItem, tuple[str, str]] | None:
        rows = self.validated_data.get("findings")
        if rows is None:
            return None
        return {row["item"]: (row["answer"], row.get("note", "")) for row in rows}


class MemberSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "person_name",
            "position",
            "role_in_team",
            "agency",
            "active_from",
            "active_to",
        ]


class TeamSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    lead_agency = serializers.CharField(source="lead_agency.code")
    members = MemberSerializer(many=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "version",
            "name",
            "level",
            "unit_code",
            "unit_name",
            "lead_agency",
            "active_from",
            "active_to",
            "decision",
            "members",
        ]


class InspectionPlanSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name")
    inspected = serializers.IntegerField()
    planned = serializers.IntegerField()
    percent = serializers.SerializerMethodField()
    establishments: serializers.PrimaryKeyRelatedField[Establishment] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "version",
            "team",
            "team_name",
            "title",
            "period_start",
            "period_end",
            "target_count",
            "target_max",
            "inspected",
            "planned",
            "percent",
            "establishments",
            "notes",
        ]

    def get_percent(self, obj: PlanWithProgress) -> int:
        return percent(obj.inspected, obj.target_count)


class RiskPartSerializer(serializers.Serializer):
    key = serializers.CharField()
    # A declared field, which the serializer metaclass takes off the class: not ``Field.label``.
    label = serializers.CharField()  # type: ignore[assignment]
    points = serializers.IntegerField()
    reason = serializers.CharField()


class RiskRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    establishment = serializers.IntegerField(source="establishment.pk")
    name = serializers.CharField(source="establishment.name")
    kind = serializers.CharField(source="establishment.kind.code")
    commune_code = serializers.CharField(source="establishment.commune.code")
    score = serializers.IntegerField()
    last_inspected = serializers.DateField(allow_null=True)
    violations = serializers.IntegerField()
    tips = serializers.IntegerField()
    parts = RiskPartSerializer(many=True)


# --- inspections ------------------------------------------------------------------------

_LIST_PARAMS = [
    int_query("team", "Team id"),
    text_query("commune", "GSO code of the commune"),
    text_query("district", "GSO code of the district"),
    date_query("date_from"),
    date_query("date_to"),
    choice_query("result", InspectionResult.values),
]


_TEAM_ID = _("The team must be a number (its id).")
_NO_INSPECTION = _("No inspection %(id)s in your scope.")


def _inspections(user: Any) -> QuerySet[Inspection]:
    return (
        Inspection.objects.visible_to(user)
        .select_related("team", "establishment", "commune")
        .prefetch_related(Prefetch("findings__item"), "members_present", "attachments")
    )


class InspectionList(generics.ListCreateAPIView):
    """Inspections in the caller's scope; POST records one (capability inspections.edit)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "inspections.view"
    edit_capability = "inspections.edit"
    serializer_class = InspectionSerializer

    def get_queryset(self) -> QuerySet[Inspection]:
        qs = _inspections(self.request.user)
        team = int_param(self.request, "team", _TEAM_ID)
        if team is not None:
            qs = qs.filter(team_id=team)
        for name in ("commune", "district"):
            if (area := within_code(self.request, name, "commune", NO_UNIT_HAS_CODE)) is not None:
                qs = qs.filter(area)
        if day := date_param(self.request, "date_from"):
            qs = qs.filter(date__gte=day)
        if day := date_param(self.request, "date_to"):
            qs = qs.filter(date__lte=day)
        if result := choice_param(self.request, "result", InspectionResult.values):
            qs = qs.filter(result=result)
        return qs

    @extend_schema(parameters=_LIST_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InspectionWriteSerializer, responses={201: InspectionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = InspectionWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with api_errors():
            inspection = actions.record_inspection(
                actor=request.user,
                team=values["team"],
                establishment=values["establishment"],
                date=values["date"],
                result=values["result"],
                members=values.get("members_present", []),
                findings=data.findings_input(),
                summary=values["summary"],
                follow_up_needed=values["follow_up_needed"],
                follow_up_note=values["follow_up_note"],
            )
        inspection = _inspections(request.user).get(pk=inspection.pk)
        return Response(InspectionSerializer(inspection).data, status=201)


class InspectionDetail(APIView):
    """One inspection. PATCH needs the ``version`` read; a stale version gives 409."""

    permission_classes = [CapabilityByMethod]
    view_capability = "inspections.view"
    edit_capability = "inspections.edit"

    def _get(self, pk: int) -> Inspection:
        return get_or_404(_inspections(self.request.user), pk, _NO_INSPECTION)

    @extend_schema(responses=InspectionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(InspectionSerializer(self._get(pk)).data)

    @extend_schema(request=InspectionWriteSerializer, responses=InspectionSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        inspection = self._get(pk)
        get_or_404(Inspection.objects.editable_by(request.user), pk, _NO_INSPECTION)
        version = require_version(request.data)
        data = InspectionWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        members = values.pop("members_present", None)
        values.pop("findings", None)
        with api_errors():
            actions.update_inspection(
                inspection,
                actor=request.user,
                expected_version=version,
                members=members,
                findings=data.findings_input(),
                **values,
            )
        return Response(InspectionSerializer(self._get(pk)).data)


# --- teams and plans --------------------------------------------------------------------


class TeamList(generics.ListAPIView):
    """Teams 178 that work in the caller's scope (their own and those above)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "inspections.view"
    edit_capability = "inspections.edit"
    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        return (
            Team.objects.visible_to(self.request.user)
            .select_related("unit", "lead_agency")
            .prefetch_related(
                Prefetch("members", queryset=TeamMember.objects.select_related("agency"))
            )
        )


class PlanList(generics.ListAPIView):
    """Inspection plans with progress: establishments inspected in the period vs target."""

    permission_classes = [CapabilityByMethod]
    view_capability = "inspections.view"
    edit_capability = "inspections.edit"
    serializer_class = InspectionPlanSerializer

    def get_queryset(self) -> QuerySet[InspectionPlan]:
        qs = (
            with_progress(InspectionPlan.objects.visible_to(self.request.user))
            .select_related("team")
            .prefetch_related("establishments")
            .order_by("-period_start", "team__level", "pk")
        )
        team = int_param(self.request, "team", _TEAM_ID)
        if team is not None:
            qs = qs.filter(team_id=team)
        return qs

    @extend_schema(parameters=[int_query("team", "Team id")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- risk -------------------------------------------------------------------------------


class RiskRanking(generics.ListAPIView):
    """What to inspect next in a unit: establishments of the unit's subtree in the caller's
    scope, highest risk first, each with the parts of its score (paginated)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "inspections.view"
    edit_capability = "inspections.edit"
    serializer_class = RiskRowSerializer

    @extend_schema(
        parameters=[
            text_query("unit", "GSO code of the area", required=True),
            date_query("on", "As of (default today)"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        request = cast(AuthenticatedRequest, self.request)
        code = request.query_params.get("unit")
        if not code:
            raise BadParameter("unit", _("Give the GSO code of the area: ?unit=<code>."))
        on = date_param(request, "on") or timezone.localdate()
        area, units = area_q(code, "unit", "commune", NO_UNIT_HAS_CODE)
        user = request.user
        if not any(overlaps_scope(user, u) for u in units):
            raise NotFoundBilingual(_("The unit %(code)s is outside your scope."), code=code)
        establishments = Establishment.objects.visible_to(user).filter(area)
        # Ranked rows carry their rank; instances are made only for the page served.
        return score_rows(
            establishments,
            on,
            weights=active_weights(),
            province_paths=sorted({province_path(u.path) for u in units}),
            name_hotspots=user.can("hotspots.view"),
        )
