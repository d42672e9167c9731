"""REST endpoints for persons: /api/v1/persons (+/{id}).

Everyone who may know a record gets its code; identity fields come filled only where
:func:`pcmd.people.access.reveal` / ``reveal_many`` said yes (surface ``api``, one access-log
row per person shown), else ``null`` with ``identity_shown: false``. A list without ``q``
gives codes only (nothing is revealed, nothing logged); a search (``q``) reveals the page of
results the user may see. POST needs ``people.identity`` (and records the involvement that
lets the creator find the person again, as the page does); PATCH needs the identity grant and
the ``version`` read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.roles import Capability
from pcmd.api.common import api_errors, get_or_404, require_version, resolve_unit
from pcmd.api.errors import BadParameter
from pcmd.geo.models import Unit

from . import access, actions, normalise, search
from .actions_persons import record_person
from .models import IDENTITY_FIELDS, Module, Person, Sex
from .views_persons import may_know_persons

Q_MAX = 200
NOT_FOUND = _("No person record with id %(id)s that you may know of.")
Q_TOO_LONG = _("%(param)s may have at most %(max)s characters.")
NOT_YOUR_UNIT = _("You may not record persons in this unit.")


class UnitCode(serializers.CharField):
    """A unit written and read as its GSO code (null: none)."""

    def to_representation(self, value: Any) -> str:
        return value.code if isinstance(value, Unit) else str(value)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="Pseudonymous code, e.g. ĐL-2026-000123")
    version = serializers.IntegerField(read_only=True)
    unit = UnitCode(read_only=True, help_text="GSO code of the unit where it was recorded")
    merged_into = serializers.SerializerMethodField(
        help_text="Code of the record this one was merged into"
    )
    identity_shown = serializers.SerializerMethodField(
        help_text="Whether the identity fields are filled (shown to you, and logged)"
    )
    sex = serializers.ChoiceField(choices=Sex.choices, allow_null=True, required=False)
    full_name = serializers.CharField(max_length=200, allow_null=True, required=False)
    other_names = serializers.CharField(
        max_length=300, allow_blank=True, allow_null=True, required=False
    )
    birth_date = serializers.DateField(allow_null=True, required=False)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, allow_null=True, required=False
    )
    id_number = serializers.CharField(
        max_length=30,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="CCCD (12 digits) or old CMND (9 digits)",
    )
    phone = serializers.CharField(max_length=30, allow_blank=True, allow_null=True, required=False)
    ethnicity = serializers.CharField(
        max_length=100, allow_blank=True, allow_null=True, required=False
    )
    nationality = serializers.CharField(
        max_length=100, allow_blank=True, allow_null=True, required=False
    )
    permanent_unit = UnitCode(
        max_length=10, allow_null=True, required=False, help_text="GSO code of the commune"
    )
    permanent_address = serializers.CharField(
        max_length=300, allow_blank=True, allow_null=True, required=False
    )
    current_unit = UnitCode(
        max_length=10, allow_null=True, required=False, help_text="GSO code of the commune"
    )
    current_address = serializers.CharField(
        max_length=300, allow_blank=True, allow_null=True, required=False
    )
    created_at = serializers.DateTimeField(read_only=True)

    def _shown(self, obj: Person) -> bool:
        return obj.pk in self.context.get("revealed", ())

    def get_identity_shown(self, obj: Person) -> bool:
        return self._shown(obj)

    def get_merged_into(self, obj: Person) -> str | None:
        return obj.merged_into.code if obj.merged_into_id and obj.merged_into else None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self._shown(instance):
            for name in (*IDENTITY_FIELDS, "sex", "permanent_unit", "current_unit"):
                data[name] = None
        return data

    def validate_id_number(self, value: str | None) -> str:
        number = normalise.id_number(value or "")
        if number and len(number) not in (9, 12):
            raise serializers.ValidationError(
                str(_("The ID number has %(n)d digits: a CCCD has 12 digits, an old CMND 9."))
                % {"n": len(number)}
            )
        return number

    def values(self) -> dict[str, Any]:
        """The validated body as the actions' values (units resolved, null text as "")."""
        values: dict[str, Any] = {}
        for name, value in self.validated_data.items():
            if name in ("module", "unit"):
                continue
            if name in ("permanent_unit", "current_unit"):
                values[name] = resolve_unit(value, None, name) if value else None
            elif name == "sex":
                if value is not None:  # null: unchanged (it reads null when not shown)
                    values[name] = value
            elif name in ("birth_date", "birth_year"):
                values[name] = value
            else:
                values[name] = (value or "").strip()
        if values.get("birth_date") and not values.get("birth_year"):
            values["birth_year"] = values["birth_date"].year
        return values


class PersonCreateSerializer(PersonSerializer):
    full_name = serializers.CharField(max_length=200)
    module = serializers.ChoiceField(
        choices=Module.choices,
        write_only=True,
        help_text="The work the person is recorded for (one you see identities in)",
    )
    unit_code = serializers.CharField(
        max_length=10,
        write_only=True,
        help_text="GSO code of the responsible unit, in your scope",
    )


class KnowsPersons(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        if not may_know_persons(user):
            return False
        if request.method == "POST":
            return bool(user.can(Capability.VIEW_IDENTITY))
        return True


def _q(request: Request) -> str:
    raw = request.query_params.get("q")
    if raw is None:
        return ""
    if len(raw) > Q_MAX:
        raise BadParameter("q", Q_TOO_LONG, param="q", max=Q_MAX)
    return raw.strip()


class PersonList(generics.GenericAPIView[Person]):
    """Persons you may know of. ``q``: an ID number, a phone number, or a name with the year
    of birth (exact match); names are given only where you may see them (logged)."""

    permission_classes = [KnowsPersons]
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return (
            Person.objects.visible_to(self.request.user)
            .active()
            .select_related("unit", "permanent_unit", "current_unit", "merged_into")
            .order_by("code")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": Q_MAX},
                description="ID number, phone, or name and year of birth",
            )
        ],
        responses=PersonSerializer(many=True),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        text = _q(request)
        qs = self.get_queryset()
        if text:
            qs = search.find(request.user, text).select_related(
                "unit", "permanent_unit", "current_unit", "merged_into"
            )
        page = self.paginate_queryset(qs)
        rows = list(page if page is not None else qs)
        revealed = (
            access.reveal_many(request.user, rows, "api", path=request.path) if text else set()
        )
        data = PersonSerializer(rows, many=True, context={"revealed": revealed}).data
        return self.get_paginated_response(data)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = PersonCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = resolve_unit(body.validated_data["unit_code"], None, "unit_code")
        with api_errors(NOT_YOUR_UNIT):
            person = record_person(
                request.user,
                unit=unit,
                module=body.validated_data["module"],
                values=body.values(),
            )
        shown = access.reveal(request.user, person, "api", path=request.path, purpose="create")
        data = PersonSerializer(person, context={"revealed": {person.pk} if shown else set()}).data
        return Response(data, status=status.HTTP_201_CREATED)


class PersonDetail(generics.GenericAPIView[Person]):
    """One person record: the code, and the identity where you may see it (logged). PATCH
    with the ``version`` you read; you need to see the identity to change it."""

    permission_classes = [KnowsPersons]
    serializer_class = PersonSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def _person(self, pk: int) -> Person:
        qs = Person.objects.visible_to(self.request.user).select_related(
            "unit", "permanent_unit", "current_unit", "merged_into"
        )
        return get_or_404(qs, pk, NOT_FOUND)

    def _answer(self, person: Person, purpose: str = "") -> Response:
        shown = access.reveal(
            self.request.user, person, "api", path=self.request.path, purpose=purpose
        )
        context = {"revealed": {person.pk} if shown else set()}
        return Response(PersonSerializer(person, context=context).data)

    def get(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self._person(pk))

    @extend_schema(request=PersonSerializer, responses=PersonSerializer)
    def patch(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        person = self._person(pk)
        version = require_version(request.data)
        body = PersonSerializer(person, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with api_errors():
            person = actions.update_person(
                request.user, person, version=version, values=body.values()
            )
        return self._answer(person, purpose="update")
