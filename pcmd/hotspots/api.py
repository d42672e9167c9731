"""REST endpoints for hotspots and patrols under /api/v1/: scoped like the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.api.common import (
    CapabilityByMethod,
    api_errors,
    bool_param,
    bool_query,
    choice_param,
    choice_query,
    date_param,
    date_query,
    int_param,
    int_query,
    text_query,
    unit_on,
    unit_param,
)
from pcmd.geo.models import UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.indicators.fields import PeopleCountField

from . import actions
from .forms import agencies_for
from .models import (
    Hotspot,
    HotspotKind,
    HotspotQuerySet,
    HotspotStatus,
    HotspotStatusChange,
    Patrol,
)

# --- serializers ---------------------------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HotspotStatusChange
        fields = ["status", "on", "reappeared", "note"]


class HotspotSerializer(serializers.ModelSerializer):
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    district_code = serializers.CharField(
        source="commune.parent.code", default=None, allow_null=True
    )
    district_name = serializers.CharField(
        source="commune.parent.name", default=None, allow_null=True
    )
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Hotspot
        fields = [
            "id",
            "name",
            "kind",
            "location",
            "commune_code",
            "commune_name",
            "district_code",
            "district_name",
            "lat",
            "lon",
            "first_seen",
            "status",
            "status_since",
            "next_check_due",
            "history",
            "version",
            "updated_at",
        ]


class HotspotWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=HotspotKind.choices)
    location = serializers.CharField(max_length=300)
    commune = serializers.CharField(max_length=10, help_text="GSO code of the commune")
    on = serializers.DateField(
        required=False, help_text="Map date for the commune code (default today)"
    )
    first_seen = serializers.DateField()
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=HotspotStatus.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class HotspotPatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, help_text="The version the change is based on")
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=HotspotKind.choices, required=False)
    location = serializers.CharField(max_length=300, required=False)
    commune = serializers.CharField(max_length=10, required=False)
    on = serializers.DateField(required=False)
    first_seen = serializers.DateField(required=False)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)


class StatusWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    status = serializers.ChoiceField(choices=HotspotStatus.choices)
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PatrolSerializer(serializers.ModelSerializer):
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    district_code = serializers.CharField(
        source="commune.parent.code", default=None, allow_null=True
    )
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    hotspot = serializers.IntegerField(source="hotspot_id", allow_null=True)
    people_found = PeopleCountField("patrols")
    people_sanctioned = PeopleCountField("patrols")
    people_referred = PeopleCountField("patrols")

    class Meta:
        model = Patrol
        fields = [
            "id",
            "on",
            "force",
            "agency",
            "hotspot",
            "commune_code",
            "commune_name",
            "district_code",
            "people_found",
            "people_sanctioned",
            "people_referred",
            "action_taken",
            "version",
            "updated_at",
        ]


class PatrolWriteSerializer(serializers.Serializer):
    on = serializers.DateField()
    force = serializers.CharField(max_length=150)
    agency = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="Agency code, e.g. CA_H643"
    )
    hotspot = serializers.IntegerField(required=False, allow_null=True)
    commune = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        help_text="GSO code, read on the patrol date; not needed with a hotspot",
    )
    people_found = serializers.IntegerField(min_value=0, default=0)
    people_sanctioned = serializers.IntegerField(min_value=0, default=0)
    people_referred = serializers.IntegerField(min_value=0, default=0)
    action_taken = serializers.CharField(required=False, allow_blank=True, default="")


class PatrolPatchSerializer(PatrolWriteSerializer):
    version = serializers.IntegerField(min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty


# --- hotspots ------------------------------------------------------------------------------


class HotspotMixin(generics.GenericAPIView[Hotspot]):
    view_capability = "hotspots.view"
    edit_capability = "hotspots.edit"
    permission_classes = [CapabilityByMethod]

    def base_queryset(self) -> HotspotQuerySet:
        return (
            Hotspot.objects.visible_to(self.request.user)
            .select_related("commune", "commune__parent")
            .prefetch_related(
                Prefetch("history", queryset=HotspotStatusChange.objects.order_by("on", "pk"))
            )
        )


class HotspotList(HotspotMixin, generics.ListCreateAPIView):
    """Hotspots in your area; POST records a new one."""

    serializer_class = HotspotSerializer

    def get_queryset(self) -> QuerySet[Hotspot]:
        params = self.request.query_params
        qs = self.base_queryset()
        if status := choice_param(self.request, "status", HotspotStatus.values):
            qs = qs.filter(status=status)
        district = unit_param(self.request, "district", UnitLevel.DISTRICT)
        if district is not None:
            qs = qs.filter(under_q("commune", [district.path]))
        if params.get("commune"):
            qs = qs.filter(commune__code=params["commune"].strip())
        as_of = date_param(self.request, "as_of") or timezone.localdate()
        if bool_param(self.request, "overdue"):
            qs = qs.overdue(as_of)
        return qs.order_by("name", "pk")

    @extend_schema(
        parameters=[
            choice_query("status", HotspotStatus.values),
            text_query("district", "GSO code of the district"),
            text_query("commune", "GSO code of the commune"),
            bool_query("overdue", "Only overdue re-checks"),
            date_query("as_of", "Date for 'overdue'"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=HotspotWriteSerializer, responses={201: HotspotSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = HotspotWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        on = values.pop("on", None) or timezone.localdate()
        values["commune"] = unit_on(values["commune"], on, request.user)
        with api_errors():
            h = actions.create_hotspot(actor=request.user, on=on, **values)
        return Response(
            HotspotSerializer(self.base_queryset().get(pk=h.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class HotspotDetail(HotspotMixin, generics.RetrieveAPIView):
    """One hotspot with its status history; PATCH with the ``version`` you read."""

    serializer_class = HotspotSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Hotspot]:
        return self.base_queryset()

    @extend_schema(request=HotspotPatchSerializer, responses={200: HotspotSerializer})
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        h = self.get_object()
        data = HotspotPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        on = values.pop("on", None) or timezone.localdate()
        if "commune" in values:
            values["commune"] = unit_on(values["commune"], on, request.user)
        with api_errors():
            actions.update_hotspot(h, actor=request.user, expected_version=version, on=on, **values)
        return Response(HotspotSerializer(self.base_queryset().get(pk=h.pk)).data)


class HotspotStatusView(HotspotMixin, generics.GenericAPIView):
    """Record a status (active, under watch, cleared) on a date; kept as history."""

    serializer_class = StatusWriteSerializer

    def get_queryset(self) -> QuerySet[Hotspot]:
        return self.base_queryset()

    @extend_schema(request=StatusWriteSerializer, responses={201: HotspotSerializer})
    def post(self, request: Request, pk: int) -> Response:
        h = get_object_or_404(self.base_queryset(), pk=pk)
        data = StatusWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with api_errors():
            actions.change_hotspot_status(
                h,
                actor=request.user,
                expected_version=values["version"],
                status=values["status"],
                on=values["on"],
                note=values["note"],
            )
        return Response(
            HotspotSerializer(self.base_queryset().get(pk=h.pk)).data,
            status=status.HTTP_201_CREATED,
        )


# --- patrols -------------------------------------------------------------------------------


class PatrolMixin(generics.GenericAPIView[Patrol]):
    view_capability = "hotspots.view"
    edit_capability = "hotspots.edit"
    permission_classes = [CapabilityByMethod]

    def base_queryset(self) -> QuerySet[Patrol]:
        return Patrol.objects.visible_to(self.request.user).select_related(
            "commune", "commune__parent", "agency"
        )

    def resolve(self, values: dict[str, Any], on: datetime.date | None) -> dict[str, Any]:
        user = self.request.user
        if values.get("hotspot") is not None:
            hotspot = (
                Hotspot.objects.editable_by(user)
                .select_related("commune")
                .filter(pk=values["hotspot"])
                .first()
            )
            if hotspot is None:
                raise exceptions.ValidationError(
                    {
                        "hotspot": [
                            str(_("No hotspot %(id)s in your area.") % {"id": values["hotspot"]})
                        ]
                    }
                )
            values["hotspot"] = hotspot
            values["commune"] = hotspot.commune
        elif values.get("commune"):
            values["commune"] = unit_on(values["commune"], on or timezone.localdate(), user)
        else:
            values.pop("commune", None)
        if values.get("agency"):
            agency = agencies_for(user).filter(code=values["agency"]).first()
            if agency is None:
                raise exceptions.ValidationError(
                    {
                        "agency": [
                            str(
                                _("No police unit or team with code %(code)s in your area.")
                                % {"code": values["agency"]}
                            )
                        ]
                    }
                )
            values["agency"] = agency
        elif "agency" in values:
            values["agency"] = None
        return values


class PatrolList(PatrolMixin, generics.ListCreateAPIView):
    """Patrols in your area, newest first; POST records one (counts only, never names)."""

    serializer_class = PatrolSerializer

    def get_queryset(self) -> QuerySet[Patrol]:
        params = self.request.query_params
        qs = self.base_queryset()
        district = unit_param(self.request, "district", UnitLevel.DISTRICT)
        if district is not None:
            qs = qs.filter(under_q("commune", [district.path]))
        if params.get("commune"):
            qs = qs.filter(commune__code=params["commune"].strip())
        hotspot = int_param(self.request, "hotspot")
        if hotspot is not None:
            qs = qs.filter(hotspot_id=hotspot)
        start, end = date_param(self.request, "from"), date_param(self.request, "to")
        if start:
            qs = qs.filter(on__gte=start)
        if end:
            qs = qs.filter(on__lte=end)
        return qs

    @extend_schema(
        parameters=[
            text_query("district", "GSO code of the district"),
            text_query("commune", "GSO code of the commune"),
            int_query("hotspot", "Hotspot id"),
            date_query("from"),
            date_query("to"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PatrolWriteSerializer, responses={201: PatrolSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PatrolWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = self.resolve(dict(data.validated_data), data.validated_data["on"])
        with api_errors():
            p = actions.record_patrol(actor=request.user, **values)
        return Response(
            PatrolSerializer(self.base_queryset().get(pk=p.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PatrolDetail(PatrolMixin, generics.RetrieveAPIView):
    """One patrol; PATCH with the ``version`` you read (409 if it changed since)."""

    serializer_class = PatrolSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Patrol]:
        return self.base_queryset()

    @extend_schema(request=PatrolPatchSerializer, responses={200: PatrolSerializer})
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        p = self.get_object()
        data = PatrolPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        values = self.resolve(values, values.get("on") or p.on)
        with api_errors():
            actions.update_patrol(p, actor=request.user, expected_version=version, **values)
        return Response(
            PatrolSerializer(self.base_queryset().get(pk=p.pk), context={"request": request}).data
        )
