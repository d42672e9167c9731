"""REST endpoints: /api/v1/activities, trainings, training-participants, officers.

Reads go through ``visible_to`` (404 outside the scope); writes through the actions (403
outside the scope, 400 naming the field, 409 when the ``version`` sent is stale).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.api.common import (
    NOT_YOUR_UNIT,
    VERSION_EDITED,
    CapabilityByMethod,
    api_errors,
    choice_param,
    choice_query,
    date_param,
    date_query,
    int_param,
    int_query,
    require_version,
    resolve_unit,
    text_query,
    within_code,
    year_param,
    year_query,
)
from pcmd.api.errors import BadParameter

from . import actions
from .models import Activity, Attachment, Officer, Training, TrainingLevel, TrainingParticipant
from .serializers import (
    ActivitySerializer,
    OfficerSerializer,
    ParticipantSerializer,
    TrainingSerializer,
)

ACTIVITY_FIELDS = [
    "date",
    "agency",
    "organiser_detail",
    "form",
    "title",
    "participants",
    "copies",
    "notes",
]
TRAINING_FIELDS = ["title", "topic", "level", "agency", "start_date", "end_date", "venue", "notes"]
OFFICER_FIELDS = [
    "full_name",
    "position",
    "valid_from",
    "valid_to",
    "is_social_evils_officer",
    "notes",
]


class _Scoped(generics.GenericAPIView[Any]):
    permission_classes = [CapabilityByMethod]
    view_capability = "outreach.view"
    edit_capability = "outreach.edit"


# --- activities ---------------------------------------------------------------------------------

_ACTIVITY_PARAMS = [
    year_query("year", "Activities dated in this year"),
    date_query("date_from"),
    date_query("date_to"),
    text_query("unit", "GSO code: activities in this unit and below"),
    text_query("form", "Code of the communication form"),
    text_query("agency", "Code of the organising agency"),
]


class ActivityQueryMixin(_Scoped):
    def get_queryset(self) -> QuerySet[Activity]:
        return (
            Activity.objects.visible_to(self.request.user)
            .select_related("unit", "agency", "form")
            .prefetch_related(
                "audiences",
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.filter(is_deleted=False),
                    to_attr="live_attachments",
                ),
            )
        )


class ActivityList(ActivityQueryMixin, generics.ListCreateAPIView):
    """Communication activities in the caller's scope; POST records one."""

    serializer_class = ActivitySerializer

    def get_queryset(self) -> QuerySet[Activity]:
        qs = super().get_queryset()
        request = self.request
        if year := year_param(request):
            qs = qs.filter(date__year=year)
        if day := date_param(request, "date_from"):
            qs = qs.filter(date__gte=day)
        if day := date_param(request, "date_to"):
            qs = qs.filter(date__lte=day)
        if (q := within_code(request, "unit", "unit")) is not None:
            qs = qs.filter(q)
        if request.query_params.get("form"):
            qs = qs.filter(form__code=request.query_params["form"])
        if request.query_params.get("agency"):
            qs = qs.filter(agency__code=request.query_params["agency"])
        return qs

    @extend_schema(parameters=_ACTIVITY_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        with api_errors(NOT_YOUR_UNIT):
            actions.check_not_future(data["date"], "date")
        unit = resolve_unit(data["unit"], data["date"], "unit")
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.create_activity(
                actor=self.request.user,
                unit=unit,
                audiences=data.get("audiences", []),
                **{k: data[k] for k in ACTIVITY_FIELDS if k in data},
            )


class ActivityDetail(ActivityQueryMixin, generics.RetrieveUpdateAPIView):
    """One activity. PATCH with the ``version`` you read; 409 if someone saved since."""

    serializer_class = ActivitySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: Any) -> None:
        version = require_version(self.request.data, VERSION_EDITED)
        activity: Activity = serializer.instance
        data = dict(serializer.validated_data)
        if "date" in data:
            with api_errors(NOT_YOUR_UNIT):
                actions.check_not_future(data["date"], "date")
        if "unit" in data:
            data["unit"] = resolve_unit(data["unit"], data.get("date", activity.date), "unit")
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.update_activity(
                activity, actor=self.request.user, expected_version=version, **data
            )


# --- trainings --------------------------------------------------------------------------------


class TrainingQueryMixin(_Scoped):
    def get_queryset(self) -> QuerySet[Training]:
        return (
            Training.objects.visible_to(self.request.user)
            .select_related("unit", "agency")
            .annotate(n_participants=Count("participants", distinct=True))
            .order_by("-start_date", "-pk")
        )


class TrainingList(TrainingQueryMixin, generics.ListCreateAPIView):
    """Training courses held in the caller's scope or attended by people from it."""

    serializer_class = TrainingSerializer

    def get_queryset(self) -> QuerySet[Training]:
        qs = super().get_queryset()
        if year := year_param(self.request):
            qs = qs.filter(start_date__year=year)
        if level := choice_param(self.request, "level", TrainingLevel.values):
            qs = qs.filter(level=level)
        return qs

    @extend_schema(parameters=[year_query(), choice_query("level", TrainingLevel.values)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        unit = resolve_unit(data["unit"], data["start_date"], "unit")
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.create_training(
                actor=self.request.user,
                unit=unit,
                **{k: data[k] for k in TRAINING_FIELDS if k in data},
            )


class TrainingDetail(TrainingQueryMixin, generics.RetrieveUpdateAPIView):
    serializer_class = TrainingSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: Any) -> None:
        version = require_version(self.request.data, VERSION_EDITED)
        training: Training = serializer.instance
        data = dict(serializer.validated_data)
        if "unit" in data:
            data["unit"] = resolve_unit(
                data["unit"], data.get("start_date", training.start_date), "unit"
            )
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.update_training(
                training, actor=self.request.user, expected_version=version, **data
            )


class ParticipantList(_Scoped, generics.ListCreateAPIView):
    """Participants the caller may see; POST adds one to a course they organise."""

    serializer_class = ParticipantSerializer

    def get_queryset(self) -> QuerySet[TrainingParticipant]:
        qs = (
            TrainingParticipant.objects.visible_to(self.request.user)
            .select_related("unit")
            .order_by("training", "full_name", "pk")
        )
        training = int_param(self.request, "training")
        if training:
            qs = qs.filter(training_id=training)
        return qs

    @extend_schema(parameters=[int_query("training", "Course ID")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        user = self.request.user
        data = serializer.validated_data
        training = Training.objects.visible_to(user).filter(pk=data["training"].pk).first()
        if training is None:
            raise BadParameter("training", _("No course with this ID in your scope."))
        officer = data.get("officer")
        if (
            officer is not None
            and not Officer.objects.visible_to(user).filter(pk=officer.pk).exists()
        ):
            raise BadParameter("officer", _("No officer with this ID on a roster you can see."))
        unit = None
        if officer is None and data.get("unit"):
            unit = resolve_unit(data["unit"], training.start_date, "unit")
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.add_participant(
                training,
                actor=user,
                officer=officer,
                full_name=data.get("full_name", ""),
                position=data.get("position", ""),
                unit=unit,
            )


# --- roster -------------------------------------------------------------------------------------


class OfficerList(_Scoped, generics.ListCreateAPIView):
    """The roster of commune officers working on social-evils prevention."""

    serializer_class = OfficerSerializer

    def get_queryset(self) -> QuerySet[Officer]:
        qs = Officer.objects.visible_to(self.request.user).select_related("commune")
        if (q := within_code(self.request, "unit", "commune")) is not None:
            qs = qs.filter(q)
        return qs

    @extend_schema(parameters=[text_query("unit", "GSO code: officers of this unit and below")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        commune = resolve_unit(data["commune"], data.get("valid_from"), "commune")
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.create_officer(
                actor=self.request.user,
                commune=commune,
                **{k: data[k] for k in OFFICER_FIELDS if k in data},
            )


class OfficerDetail(_Scoped, generics.RetrieveUpdateAPIView):
    serializer_class = OfficerSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Officer]:
        return Officer.objects.visible_to(self.request.user).select_related("commune")

    def perform_update(self, serializer: Any) -> None:
        version = require_version(self.request.data, VERSION_EDITED)
        officer: Officer = serializer.instance
        data = dict(serializer.validated_data)
        if "commune" in data:
            data["commune"] = resolve_unit(
                data["commune"], data.get("valid_from", officer.valid_from), "commune"
            )
        with api_errors(NOT_YOUR_UNIT):
            serializer.instance = actions.update_officer(
                officer, actor=self.request.user, expected_version=version, **data
            )
