"""REST endpoints: violations and sanction decisions, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.agencies.models import Agency
from pcmd.api.common import (
    NO_UNIT_HAS_CODE,
    CapabilityByMethod,
    api_errors,
    choice_param,
    choice_query,
    date_param,
    date_query,
    get_or_404,
    require_version,
    text_query,
    within_code,
)
from pcmd.api.errors import BadParameter
from pcmd.api.fields import limit_choices
from pcmd.core.formatting import format_vnd
from pcmd.geo.models import Unit, UnitLevel
from pcmd.indicators.fields import PeopleCountField
from pcmd.inspections.models import Inspection
from pcmd.registry.models import Establishment

from . import actions, persons
from .models import (
    Sanction,
    SanctionedPerson,
    SanctionForm,
    SanctionStatus,
    SanctionStatusChange,
    SubjectKind,
    Violation,
    ViolationType,
)

# --- serializers ------------------------------------------------------------------------


class ViolationSerializer(serializers.ModelSerializer):
    violation_type = serializers.CharField(source="violation_type.code")
    violation_type_name = serializers.CharField(source="violation_type.name")
    legal_reference = serializers.CharField(source="violation_type.legal_reference")
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    sanctions: serializers.PrimaryKeyRelatedField[Sanction] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    people_count = PeopleCountField("violations")

    class Meta:
        model = Violation
        fields = [
            "id",
            "version",
            "violation_type",
            "violation_type_name",
            "legal_reference",
            "date",
            "commune_code",
            "commune_name",
            "establishment",
            "inspection",
            "subject_kind",
            "people_count",
            "description",
            "sanctions",
            "created_at",
            "updated_at",
        ]


class ViolationWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False, help_text="Required on PATCH.")
    violation_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ViolationType.objects.all()
    )
    date = serializers.DateField()
    establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.none(), required=False, allow_null=True
    )
    inspection = serializers.PrimaryKeyRelatedField(
        queryset=Inspection.objects.none(), required=False, allow_null=True
    )
    commune = serializers.CharField(
        required=False, allow_null=True, help_text="GSO code; default: the establishment's."
    )
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    people_count = serializers.IntegerField(min_value=1, required=False, default=1)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # schema generation
            return
        user = request.user
        limit_choices(self, "establishment", Establishment.objects.visible_to(user))
        limit_choices(self, "inspection", Inspection.objects.visible_to(user))

    def resolve_commune(self, on: Any) -> Unit | None:
        code = self.validated_data.get("commune")
        if not code:
            return None
        unit = (
            Unit.objects.filter(code=code, level=UnitLevel.COMMUNE).valid_on(on).first()
            or Unit.objects.filter(code=code, level=UnitLevel.COMMUNE)
            .order_by(F("valid_from").desc(nulls_last=True))  # the newest record
            .first()
        )
        if unit is None:
            raise BadParameter("commune", _("No commune has the code %(code)s."), code=code)
        return unit


class SanctionStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SanctionStatusChange
        fields = ["status", "on", "note"]


class SanctionedPersonSerializer(serializers.ModelSerializer):
    """A person named on a decision: the code always, the name only once revealed (logged):
    the root serializer's ``context["revealed"]``."""

    code = serializers.CharField(source="person.code")
    full_name = serializers.SerializerMethodField(
        help_text="Null unless the caller may see this person's identity."
    )

    class Meta:
        model = SanctionedPerson
        fields = ["code", "role", "clean_from", "full_name"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_full_name(self, obj: SanctionedPerson) -> str | None:
        shown: set[int] = self.context.get("revealed") or set()
        return obj.person.full_name if obj.person_id in shown else None


class SanctionSerializer(serializers.ModelSerializer):
    """``context["revealed"]``: pks of the persons whose names the caller sees
    (``pcmd.enforcement.persons.revealed`` on the ``api`` surface); empty by default."""

    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    amount_display = serializers.SerializerMethodField()
    history = SanctionStatusChangeSerializer(many=True)
    persons = SanctionedPersonSerializer(source="named_persons", many=True, read_only=True)

    class Meta:
        model = Sanction
        fields = [
            "id",
            "version",
            "violation",
            "number",
            "date",
            "authority",
            "agency",
            "form",
            "amount",
            "amount_display",
            "suspension_months",
            "licence_withdrawal_months",
            "confiscation",
            "other_measures",
            "status",
            "status_since",
            "received_on",
            "payment_deadline",
            "clean_from",
            "persons",
            "history",
        ]

    def get_amount_display(self, obj: Sanction) -> str:
        return format_vnd(obj.amount) if obj.amount is not None else ""


class SanctionWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False, help_text="Required on PATCH.")
    violation = serializers.PrimaryKeyRelatedField(
        queryset=Violation.objects.none(), required=False
    )
    number = serializers.CharField(max_length=60)
    date = serializers.DateField()
    authority = serializers.CharField(max_length=200)
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    form = serializers.ChoiceField(choices=SanctionForm.choices)
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    suspension_months = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    licence_withdrawal_months = serializers.IntegerField(
        min_value=1, required=False, allow_null=True
    )
    confiscation = serializers.BooleanField(required=False, default=False)
    other_measures = serializers.CharField(required=False, allow_blank=True, default="")
    received_on = serializers.DateField(
        required=False, allow_null=True, help_text="Day the decision was received (Art. 73)."
    )
    status = serializers.ChoiceField(
        choices=SanctionStatus.choices,
        required=False,
        help_text="PATCH only: a new enforcement status.",
    )
    status_on = serializers.DateField(required=False, help_text="Date of the new status.")
    status_note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # schema generation
            return
        user = request.user
        limit_choices(self, "violation", Violation.objects.visible_to(user))


_NO_VIOLATION = _("No violation %(id)s in your scope.")
_NO_SANCTION = _("No sanction decision %(id)s in your scope.")


# --- violations -------------------------------------------------------------------------


def _violations(user: Any) -> QuerySet[Violation]:
    return (
        Violation.objects.visible_to(user)
        .select_related("violation_type", "commune")
        .prefetch_related("sanctions")
    )


class ViolationList(generics.ListCreateAPIView):
    """Violations in the caller's scope; POST records one (capability enforcement.edit)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "enforcement.view"
    edit_capability = "enforcement.edit"
    serializer_class = ViolationSerializer

    def get_queryset(self) -> QuerySet[Violation]:
        qs = _violations(self.request.user)
        params = self.request.query_params
        if params.get("type"):
            qs = qs.filter(violation_type__code=params["type"])
        for name in ("commune", "district"):
            if (area := within_code(self.request, name, "commune", NO_UNIT_HAS_CODE)) is not None:
                qs = qs.filter(area)
        if day := date_param(self.request, "date_from"):
            qs = qs.filter(date__gte=day)
        if day := date_param(self.request, "date_to"):
            qs = qs.filter(date__lte=day)
        return qs

    @extend_schema(
        parameters=[
            text_query("type", "Violation type code"),
            text_query("commune", "GSO code of the commune"),
            text_query("district", "GSO code of the district"),
            date_query("date_from"),
            date_query("date_to"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ViolationWriteSerializer, responses={201: ViolationSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ViolationWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        commune = data.resolve_commune(values["date"])
        with api_errors():
            violation = actions.record_violation(
                actor=request.user,
                violation_type=values["violation_type"],
                date=values["date"],
                subject_kind=values["subject_kind"],
                people_count=values["people_count"],
                description=values["description"],
                commune=commune,
                establishment=values.get("establishment"),
                inspection=values.get("inspection"),
            )
        return Response(
            ViolationSerializer(
                _violations(request.user).get(pk=violation.pk), context={"request": request}
            ).data,
            status=201,
        )


class ViolationDetail(APIView):
    """One violation. PATCH needs the ``version`` read; a stale version gives 409."""

    permission_classes = [CapabilityByMethod]
    view_capability = "enforcement.view"
    edit_capability = "enforcement.edit"

    def _get(self, pk: int) -> Violation:
        return get_or_404(_violations(self.request.user), pk, _NO_VIOLATION)

    @extend_schema(responses=ViolationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ViolationSerializer(self._get(pk), context={"request": request}).data)

    @extend_schema(request=ViolationWriteSerializer, responses=ViolationSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        violation = self._get(pk)
        get_or_404(Violation.objects.editable_by(request.user), pk, _NO_VIOLATION)
        version = require_version(request.data)
        data = ViolationWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)
        if "commune" in values:
            values["commune"] = data.resolve_commune(values.get("date", violation.date))
        with api_errors():
            actions.update_violation(
                violation, actor=request.user, expected_version=version, **values
            )
        return Response(ViolationSerializer(self._get(pk), context={"request": request}).data)


# --- sanctions --------------------------------------------------------------------------


def _sanctions(user: Any) -> QuerySet[Sanction]:
    return (
        Sanction.objects.visible_to(user)
        .select_related("agency", "violation")
        .prefetch_related(
            Prefetch("history", queryset=SanctionStatusChange.objects.order_by("on", "pk")),
            Prefetch(
                "named_persons",
                queryset=SanctionedPerson.objects.select_related("person").order_by("pk"),
            ),
        )
    )


def _sanction_data(request: Request, sanction: Sanction) -> Any:
    """One decision as the API shows it, names revealed (and logged) where allowed."""
    shown = persons.revealed(request.user, [sanction], "api", path=request.path)
    return SanctionSerializer(sanction, context={"request": request, "revealed": shown}).data


class SanctionList(generics.ListCreateAPIView):
    """Sanction decisions in the caller's scope; POST records one for a violation."""

    permission_classes = [CapabilityByMethod]
    view_capability = "enforcement.view"
    edit_capability = "enforcement.edit"
    serializer_class = SanctionSerializer

    def get_queryset(self) -> QuerySet[Sanction]:
        qs = _sanctions(self.request.user)
        if status := choice_param(self.request, "status", SanctionStatus.values):
            qs = qs.filter(status=status)
        return qs

    @extend_schema(parameters=[choice_query("status", SanctionStatus.values)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        shown = persons.revealed(request.user, rows, "api", path=request.path)
        context = {**self.get_serializer_context(), "revealed": shown}
        data = SanctionSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=SanctionWriteSerializer, responses={201: SanctionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SanctionWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values.get("violation"):
            raise BadParameter("violation", _("Give the violation (its id)."))
        with api_errors():
            sanction = actions.record_sanction(
                actor=request.user,
                violation=values["violation"],
                **{k: values.get(k) for k in actions.SANCTION_FIELDS},
            )
        return Response(
            _sanction_data(request, _sanctions(request.user).get(pk=sanction.pk)), status=201
        )


class SanctionDetail(APIView):
    """One sanction decision. PATCH edits it and/or moves its enforcement status
    (``status``, ``status_on``, ``status_note``); the ``version`` is required."""

    permission_classes = [CapabilityByMethod]
    view_capability = "enforcement.view"
    edit_capability = "enforcement.edit"

    def _get(self, pk: int) -> Sanction:
        return get_or_404(_sanctions(self.request.user), pk, _NO_SANCTION)

    @extend_schema(responses=SanctionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_sanction_data(request, self._get(pk)))

    @extend_schema(request=SanctionWriteSerializer, responses=SanctionSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        sanction = self._get(pk)
        get_or_404(Sanction.objects.editable_by(request.user), pk, _NO_SANCTION)
        version = require_version(request.data)
        data = SanctionWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in actions.SANCTION_FIELDS}
        status = data.validated_data.get("status")
        with transaction.atomic():
            if values:
                with api_errors():
                    actions.update_sanction(
                        sanction, actor=request.user, expected_version=version, **values
                    )
                version = sanction.version
            if status:
                on = data.validated_data.get("status_on")
                if on is None:
                    raise BadParameter("status_on", _("Give the date of the new status."))
                with api_errors():
                    actions.change_sanction_status(
                        sanction,
                        actor=request.user,
                        status=status,
                        on=on,
                        note=data.validated_data.get("status_note", ""),
                        expected_version=version,
                    )
        return Response(_sanction_data(request, self._get(pk)))
