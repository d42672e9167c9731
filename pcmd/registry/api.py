"""REST endpoints of the registry under /api/v1/: scoped like the pages, writes via actions."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.api.common import (
    CapabilityByMethod,
    api_errors,
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

from . import actions
from .filters import DEFAULT_DAYS, EXPIRED, EXPIRING, EstablishmentFilter
from .models import Establishment, EstablishmentKind, EstablishmentStatus, Licence, StaffCount

# --- serializers ---------------------------------------------------------------------------


class LicenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Licence
        fields = ["id", "kind", "number", "issuer", "issued_on", "expires_on"]


class StaffCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffCount
        fields = ["as_of", "staff", "female_staff"]


class EstablishmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    district_code = serializers.CharField(
        source="commune.parent.code", default=None, allow_null=True
    )
    district_name = serializers.CharField(
        source="commune.parent.name", default=None, allow_null=True
    )
    licences = LicenceSerializer(many=True, read_only=True)
    staff_counts = StaffCountSerializer(many=True, read_only=True)

    class Meta:
        model = Establishment
        fields = [
            "id",
            "name",
            "kind",
            "kind_name",
            "address",
            "commune_code",
            "commune_name",
            "district_code",
            "district_name",
            "owner_name",
            "registration_no",
            "status",
            "opened_on",
            "closed_on",
            "lat",
            "lon",
            "notes",
            "licences",
            "staff_counts",
            "version",
            "updated_at",
        ]


class EstablishmentWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=EstablishmentKind.objects.all())
    address = serializers.CharField(max_length=300)
    commune = serializers.CharField(max_length=10, help_text="GSO code of the commune")
    on = serializers.DateField(
        required=False, help_text=("Map date on which the commune code is read (default today)")
    )
    owner_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    registration_no = serializers.CharField(max_length=50, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=EstablishmentStatus.choices, required=False)
    opened_on = serializers.DateField(required=False, allow_null=True)
    closed_on = serializers.DateField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class EstablishmentPatchSerializer(EstablishmentWriteSerializer):
    version = serializers.IntegerField(min_value=0, help_text="The version the change is based on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


def _values(data: dict[str, Any], user: Any) -> tuple[dict[str, Any], datetime.date]:
    values = dict(data)
    on = values.pop("on", None) or timezone.localdate()
    values.pop("version", None)
    if "commune" in values:
        values["commune"] = unit_on(values["commune"], on, user)
    return values, on


# --- views ---------------------------------------------------------------------------------

MAX_DAYS = 3660  # the 'expiring' window: at most ten years
_LIST_PARAMS = [
    text_query("kind", "Kind code, e.g. karaoke"),
    text_query("commune", "GSO code of the commune"),
    text_query("district", "GSO code of the district"),
    choice_query("status", EstablishmentStatus.values),
    text_query("q", "Text in the name or address (accents optional)"),
    choice_query("licence", [EXPIRING, EXPIRED]),
    int_query("days", f"Window for 'expiring' (default {DEFAULT_DAYS})", maximum=MAX_DAYS),
    date_query("as_of", "Date for licence expiry"),
]


class EstablishmentViewMixin(generics.GenericAPIView[Establishment]):
    view_capability = "registry.view"
    edit_capability = "registry.edit"
    permission_classes = [CapabilityByMethod]

    def base_queryset(self) -> QuerySet[Establishment]:
        return (
            Establishment.objects.visible_to(self.request.user)
            .select_related("kind", "commune", "commune__parent")
            .prefetch_related(
                "licences", Prefetch("staff_counts", queryset=StaffCount.objects.order_by("-as_of"))
            )
        )


class EstablishmentList(EstablishmentViewMixin, generics.ListCreateAPIView):
    """Establishments in your area; POST records a new one."""

    serializer_class = EstablishmentSerializer

    def get_queryset(self) -> QuerySet[Establishment]:
        params = self.request.query_params
        status_value = choice_param(self.request, "status", EstablishmentStatus.values) or ""
        licence = choice_param(self.request, "licence", [EXPIRING, EXPIRED]) or ""
        days = int_param(self.request, "days", maximum=MAX_DAYS)
        days = DEFAULT_DAYS if days is None else days
        as_of = date_param(self.request, "as_of") or timezone.localdate()
        district = unit_param(self.request, "district", UnitLevel.DISTRICT)
        commune_code = params.get("commune")
        qs = EstablishmentFilter(
            q=params.get("q", ""),
            kind=params.get("kind", ""),
            district=district,
            status=status_value,
            licence=licence,
            days=days,
            as_of=as_of,
        ).apply(self.base_queryset())
        if commune_code:
            qs = qs.filter(commune__code=commune_code.strip())
        return qs

    @extend_schema(parameters=_LIST_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=EstablishmentWriteSerializer, responses={201: EstablishmentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EstablishmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values, on = _values(data.validated_data, request.user)
        with api_errors():
            est = actions.create_establishment(actor=request.user, on=on, **values)
        est = self.base_queryset().get(pk=est.pk)
        return Response(EstablishmentSerializer(est).data, status=status.HTTP_201_CREATED)


class EstablishmentDetail(EstablishmentViewMixin, generics.RetrieveAPIView):
    """One establishment; PATCH with the ``version`` you read (409 if it changed since)."""

    serializer_class = EstablishmentSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Establishment]:
        return self.base_queryset()

    @extend_schema(request=EstablishmentPatchSerializer, responses={200: EstablishmentSerializer})
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        est = self.get_object()
        data = EstablishmentPatchSerializer(data=request.data, partial=False)
        data.is_valid(raise_exception=True)
        version = data.validated_data["version"]
        values, on = _values(data.validated_data, request.user)
        with api_errors():
            actions.update_establishment(
                est, actor=request.user, expected_version=version, on=on, **values
            )
        return Response(EstablishmentSerializer(self.base_queryset().get(pk=est.pk)).data)
