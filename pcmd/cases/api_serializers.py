"""Serializers of the case-file API (pcmd/cases/api.py).

Reading: a case, its steps (with the clock and the legal source of the stage's time limit),
its persons and trial; a ring with its members and cases. A person is a code; the identity
fields come filled only for the pks in ``context["revealed"]`` (what
:func:`pcmd.people.access.reveal_many` granted and logged), never for a person under 18.

Writing: bodies only, turned into the actions' values by the views. Related rows are given by
code (communes, agencies, offences, persons) or by id (links to other registers), limited to
the rows the caller may see.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pcmd.agencies.models import Agency
from pcmd.api.common import DATE_MAX, DATE_MIN, DATE_OUT_OF_RANGE, UnitCodeField
from pcmd.api.fields import limit_choices
from pcmd.enforcement.models import Violation
from pcmd.hotspots.models import Hotspot
from pcmd.inspections.models import Inspection
from pcmd.people.models import Sex
from pcmd.registry.models import Establishment

from . import legal
from .models import (
    Case,
    CaseParty,
    Decision,
    Offence,
    PartyRole,
    Ring,
    RingMember,
    Standing,
    Step,
    Trial,
)

# --- reading ---------------------------------------------------------------------------------


class OffenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offence
        fields = [
            "code",
            "article",
            "clause",
            "title",
            "prison_min_months",
            "prison_max_months",
            "life",
            "category",
            "minor_victim",
            "source",
        ]


class CaseStepSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    is_open = serializers.SerializerMethodField(help_text="No decision taken yet")
    is_overdue = serializers.SerializerMethodField(help_text="Open and past its due date")
    legal_source = serializers.SerializerMethodField(
        help_text="The provision that sets this stage's time limit"
    )

    class Meta:
        model = Step
        fields = [
            "id",
            "stage",
            "owner",
            "agency",
            "started_on",
            "due_on",
            "extensions",
            "extension_reason",
            "is_open",
            "is_overdue",
            "decision",
            "decided_on",
            "document",
            "reason",
            "legal_source",
        ]

    def get_is_open(self, obj: Step) -> bool:
        return obj.decided_on is None

    def get_is_overdue(self, obj: Step) -> bool:
        return bool(obj.decided_on is None and obj.due_on and obj.due_on < timezone.localdate())

    def get_legal_source(self, obj: Step) -> str:
        limits = legal.stage_limits().get(obj.stage)
        return limits.source if limits else ""


class CaseSerializer(serializers.ModelSerializer):
    commune = UnitCodeField(read_only=True, help_text="GSO code of the commune")
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    detected_by = serializers.CharField(source="detected_by.code", read_only=True)
    offences: serializers.SlugRelatedField[Offence] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    establishments: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    hotspots: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    inspections: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    violations: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    handled = serializers.BooleanField(source="is_handled", read_only=True)
    category = serializers.ChoiceField(
        choices=legal.Category.choices,
        allow_blank=True,
        read_only=True,
        help_text="The most severe of the offences' categories (blank: no offence yet)",
    )
    outcome = serializers.ChoiceField(
        choices=Decision.choices,
        allow_blank=True,
        read_only=True,
        help_text="The first terminal decision (blank: not handled yet)",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "version",
            "title",
            "commune",
            "commune_name",
            "detected_on",
            "detected_by",
            "origin",
            "offences",
            "category",
            "ring",
            "establishments",
            "hotspots",
            "inspections",
            "violations",
            "stage",
            "outcome",
            "handled",
            "handled_on",
            "has_minor",
            "created_at",
            "updated_at",
        ]


class PartyIdentitySerializer(serializers.Serializer):
    """A person's identity as shown to a caller the person layer grants it to (logged)."""

    full_name = serializers.CharField()
    other_names = serializers.CharField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    id_number = serializers.CharField()
    phone = serializers.CharField()


class _NamedPerson(serializers.ModelSerializer):
    """The person of a party or a member: the code, and the identity when revealed."""

    person = serializers.CharField(source="person.code", read_only=True, help_text="Person code")
    identity_shown = serializers.SerializerMethodField(
        help_text="Whether identity is filled (shown to you, and logged); never for minors"
    )
    identity = serializers.SerializerMethodField()

    class Meta:
        model = RingMember
        fields = ["id", "person", "identity_shown", "identity"]

    def _shown(self, obj: Any) -> bool:
        minor = bool(getattr(obj, "is_minor", True))  # unknown: treated as a minor
        return obj.person_id in self.context.get("revealed", ()) and not minor

    def get_identity_shown(self, obj: Any) -> bool:
        return self._shown(obj)

    @extend_schema_field(PartyIdentitySerializer(allow_null=True))
    def get_identity(self, obj: Any) -> dict[str, Any] | None:
        if not self._shown(obj):
            return None
        person = obj.person
        return {
            "full_name": person.full_name or "",
            "other_names": person.other_names or "",
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "birth_year": person.birth_year,
            "id_number": person.id_number or "",
            "phone": person.phone or "",
        }


class CasePartySerializer(_NamedPerson):
    class Meta:
        model = CaseParty
        fields = [
            "id",
            "person",
            "role",
            "standing",
            "is_minor",
            "sentence",
            "prison_months",
            "identity_shown",
            "identity",
        ]


class RingMemberSerializer(_NamedPerson):
    # set on each member by the view (pcmd.cases.api.flag_minors)
    is_minor = serializers.BooleanField(
        read_only=True,
        default=True,
        help_text="Under 18 when the ring was detected, or named as a minor in one of its cases",
    )

    class Meta:
        model = RingMember
        fields = ["id", "person", "role", "is_minor", "identity_shown", "identity"]


class CaseTrialSerializer(serializers.ModelSerializer):
    court = serializers.CharField(source="court.code", read_only=True)
    location = UnitCodeField(read_only=True, allow_null=True, help_text="GSO code")

    class Meta:
        model = Trial
        fields = [
            "id",
            "version",
            "court",
            "held_on",
            "venue",
            "is_closed",
            "is_mobile",
            "location",
            "audience",
            "judgment_number",
            "judgment_on",
        ]


class RingCaseSerializer(serializers.ModelSerializer):
    handled = serializers.BooleanField(source="is_handled", read_only=True)
    outcome = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "code", "stage", "outcome", "handled", "handled_on"]


class RingSerializer(serializers.ModelSerializer):
    unit = UnitCodeField(read_only=True, help_text="GSO code of the unit in charge")
    establishments: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    members = RingMemberSerializer(many=True, read_only=True)
    cases = serializers.SerializerMethodField()
    handled = serializers.SerializerMethodField(help_text="It has cases and all are handled")

    class Meta:
        model = Ring
        fields = [
            "id",
            "code",
            "version",
            "name",
            "unit",
            "detected_on",
            "notes",
            "establishments",
            "members",
            "cases",
            "handled",
            "created_at",
            "updated_at",
        ]

    def _cases(self, obj: Ring) -> list[Case]:
        """The ring's cases the caller may see (the ring's unit may reach further)."""
        visible: set[int] | None = self.context.get("visible_cases")
        return [c for c in obj.cases.all() if visible is None or c.pk in visible]

    @extend_schema_field(RingCaseSerializer(many=True))
    def get_cases(self, obj: Ring) -> Any:
        return RingCaseSerializer(self._cases(obj), many=True).data

    def get_handled(self, obj: Ring) -> bool:
        cases = list(obj.cases.all())  # all of them: handled is a fact about the ring
        return bool(cases) and all(c.handled_on is not None for c in cases)


class StageLimitSerializer(serializers.Serializer):
    category = serializers.CharField(
        allow_null=True, help_text="Category of crime; null: any category"
    )
    limits = serializers.ListField(
        child=serializers.CharField(),
        help_text="Cumulative limits, the first without extension: e.g. 2m, 3m, 4m (months, days)",
    )


class CaseDeadlineSerializer(serializers.Serializer):
    stage = serializers.CharField()
    owner = serializers.CharField()
    legal_source = serializers.CharField()
    limits = StageLimitSerializer(many=True)


# --- writing ---------------------------------------------------------------------------------


class _Scoped(serializers.Serializer):
    """Related fields offered from the rows the caller may see (none without a request)."""

    scoped: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # schema generation
            return
        for name, model in self.scoped.items():
            limit_choices(self, name, model.objects.visible_to(request.user))


class EraDateField(serializers.DateField):
    """A date of the plan's era (2000–2100), like the API's date parameters."""

    def to_internal_value(self, value: Any) -> datetime.date:
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            raise serializers.ValidationError(
                str(DATE_OUT_OF_RANGE)
                % {
                    "param": self.field_name,
                    "min": DATE_MIN.isoformat(),
                    "max": DATE_MAX.isoformat(),
                }
            )
        return day


def _ids(model: Any, help_text: str) -> Any:
    return serializers.PrimaryKeyRelatedField(
        queryset=model.objects.none(), many=True, required=False, help_text=help_text
    )


class CaseWriteSerializer(_Scoped):
    scoped = {
        "ring": Ring,
        "establishments": Establishment,
        "hotspots": Hotspot,
        "inspections": Inspection,
        "violations": Violation,
    }

    version = serializers.IntegerField(min_value=0, required=False, help_text="Required on PATCH.")
    title = serializers.CharField(max_length=300)
    commune = serializers.CharField(max_length=10, help_text="GSO code of the commune")
    detected_on = EraDateField()
    detected_by = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), help_text="Agency code"
    )
    origin = serializers.ChoiceField(
        choices=list(Case._meta.get_field("origin").choices or []), required=False
    )
    offences = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Offence.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="Offence codes (GET /offences), e.g. 327.1",
    )
    ring = serializers.PrimaryKeyRelatedField(
        queryset=Ring.objects.none(), required=False, allow_null=True
    )
    establishments = _ids(Establishment, "Establishment ids")
    hotspots = _ids(Hotspot, "Hotspot ids")
    inspections = _ids(Inspection, "Inspection ids")
    violations = _ids(Violation, "Administrative violation ids")


class CaseDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The version of the case you read; 409 if someone changed it since.",
    )
    decision = serializers.ChoiceField(choices=Decision.choices)
    on = EraDateField()
    document = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text="Agency code of the agency in charge (default: unchanged)",
    )


class CaseExtensionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The version of the case you read; 409 if someone changed it since.",
    )
    reason = serializers.CharField(max_length=500)


class CaseResumeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The version of the case you read; 409 if someone changed it since.",
    )
    on = EraDateField()


class CaseNewPersonSerializer(serializers.Serializer):
    """A person not yet recorded (needs the right to see identities in the case's commune)."""

    full_name = serializers.CharField(max_length=200)
    other_names = serializers.CharField(max_length=300, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    ethnicity = serializers.CharField(max_length=100, required=False, allow_blank=True)
    nationality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    permanent_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    current_address = serializers.CharField(max_length=300, required=False, allow_blank=True)


def person_values(data: dict[str, Any]) -> dict[str, Any]:
    """A validated ``new_person`` as the person layer's values (text stripped)."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, str):
            values[name] = value.strip()
        elif value is not None:
            values[name] = value
    born = values.get("birth_date")
    if isinstance(born, datetime.date) and not values.get("birth_year"):
        values["birth_year"] = born.year
    return values


class CasePartyWriteSerializer(serializers.Serializer):
    person = serializers.CharField(
        max_length=30, required=False, help_text="Code of a person you may know of"
    )
    new_person = CaseNewPersonSerializer(required=False, help_text="Or a person not yet recorded")
    role = serializers.ChoiceField(choices=PartyRole.choices)
    standing = serializers.ChoiceField(choices=Standing.choices)


class CasePartyChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text="The version of the case you read (409 if it changed since)"
    )
    role = serializers.ChoiceField(choices=PartyRole.choices, required=False)
    standing = serializers.ChoiceField(choices=Standing.choices, required=False)
    sentence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    prison_months = serializers.IntegerField(min_value=0, max_value=600, required=False)


class RemovalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CaseTrialWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, required=False, help_text="Required when correcting a recorded trial"
    )
    court = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), help_text="Agency code of the court"
    )
    held_on = EraDateField()
    venue = serializers.CharField(max_length=300)
    is_closed = serializers.BooleanField(required=False, default=False)
    is_mobile = serializers.BooleanField(required=False, default=False)
    location = serializers.CharField(
        max_length=10,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="GSO code of the commune of a mobile trial",
    )
    audience = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, allow_null=True
    )
    judgment_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    judgment_on = EraDateField(required=False, allow_null=True)


class RingWriteSerializer(_Scoped):
    scoped = {"establishments": Establishment}

    version = serializers.IntegerField(min_value=0, required=False, help_text="Required on PATCH.")
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(
        max_length=10, help_text="GSO code of the district or province in charge"
    )
    detected_on = EraDateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    establishments = _ids(Establishment, "Establishment ids")


class RingMemberWriteSerializer(serializers.Serializer):
    person = serializers.CharField(
        max_length=30, required=False, help_text="Code of a person you may know of"
    )
    new_person = CaseNewPersonSerializer(required=False, help_text="Or a person not yet recorded")
    role = serializers.ChoiceField(choices=PartyRole.choices)
