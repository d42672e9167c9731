"""Serializers of the plans API (pcmd/plans/api.py).

Reading: a plan with its stored status and the status it reads as today, its type, version,
the higher plan it implements and the plan it was drafted from; its targets and task headings
(withdrawn ones too, flagged), the comments on it and its versions.

Writing: bodies only. They check the types the schema promises; the content itself (agency
codes, kinds of target, percentages, duplicate codes) is checked by ``structure.check``, whose
paths become the error's ``fields``.
"""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pcmd.agencies.models import Agency
from pcmd.api.common import DATE_MAX, DATE_MIN, DATE_OUT_OF_RANGE, ID_MAX

from .models import (
    ALL_LEVELS,
    Objective,
    Plan,
    PlanComment,
    PlanStatus,
    PlanType,
    PlanVersion,
    SolutionArea,
    Target,
    TargetKind,
    TargetScaling,
    Task,
    TaskGroup,
)
from .structure import MAX_ITEMS, MAX_TEXT

NUMBER_MAX = 9_999_999_999
# Statuses a plan is stored under (in force is read from the period: ``status_now``).
STORED = [PlanStatus.DRAFT, PlanStatus.REVIEW, PlanStatus.ISSUED, PlanStatus.CLOSED]
DRAFTABLE = [PlanType.YEARLY, PlanType.PROGRAMME]

# --- reading ---------------------------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    responsible: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a field, not .parent
        source="parent_id",
        allow_null=True,
        read_only=True,
        help_text="Id of the higher plan's target it serves",
    )

    class Meta:
        model = Target
        fields = [
            "code",
            "text",
            "short",
            "short_en",
            "kind",
            "value",
            "value_min",
            "value_max",
            "denominator",
            "unit_label",
            "extra",
            "indicator_code",
            "responsible",
            "applies_at",
            "scaling",
            "allocations",
            "parent",
            "withdrawn",
        ]


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["order", "text", "deadline"]


class TaskGroupSerializer(serializers.ModelSerializer):
    agencies: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    lead = serializers.CharField(
        source="lead.code", default=None, allow_null=True, read_only=True, help_text="Agency code"
    )
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = TaskGroup
        fields = [
            "number",
            "heading",
            "intro",
            "agencies",
            "lead",
            "deadline",
            "deadline_note",
            "tasks",
            "withdrawn",
        ]


class SolutionAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = SolutionArea
        fields = ["number", "title", "items", "subsections"]


class PlanSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(
        source="unit.code",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="GSO code of the province (null: a national programme)",
    )
    issuer = serializers.CharField(source="issuer_label", read_only=True)
    status_now = serializers.SerializerMethodField(
        help_text="The status as it reads today: an issued plan is in force over its period"
    )
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a field, not .parent
        source="parent_id",
        allow_null=True,
        read_only=True,
        help_text="Id of the plan or programme it implements",
    )
    copied_from = serializers.IntegerField(
        source="copied_from_id",
        allow_null=True,
        read_only=True,
        help_text="Id of the plan it was drafted from",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "issued_on",
            "place",
            "unit_code",
            "issuer",
            "signer_name",
            "signer_authority",
            "signer_title",
            "period_start",
            "period_end",
            "plan_type",
            "status",
            "status_now",
            "version",
            "parent",
            "copied_from",
        ]
        extra_kwargs = {"status": {"help_text": "Stored status: draft, review, issued or closed"}}

    @extend_schema_field(serializers.ChoiceField(choices=PlanStatus.choices))
    def get_status_now(self, plan: Plan) -> str:
        return plan.status_on()


class PlanDetailSerializer(PlanSerializer):
    objectives: serializers.SlugRelatedField[Objective] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="text"
    )
    targets = TargetSerializer(many=True, read_only=True)
    solution_areas = SolutionAreaSerializer(many=True, read_only=True)
    tasks = TaskGroupSerializer(many=True, source="task_groups", read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "issuer_name",
            "preamble",
            "legal_bases",
            "objectives",
            "targets",
            "solution_areas",
            "tasks",
            "funding",
            "recipients",
            "closing",
        ]


class PlanCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)
    agency = serializers.CharField(
        source="agency.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = PlanComment
        fields = ["id", "author", "agency", "about", "text", "created_at", "resolved"]


class PlanVersionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.full_name", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = PlanVersion
        fields = ["number", "created_at", "actor", "status", "note"]


class PlanVersionDetailSerializer(PlanVersionSerializer):
    data = serializers.JSONField(  # type: ignore[assignment]  # a field, not .data
        read_only=True, help_text="The whole plan (structure shape)"
    )

    class Meta(PlanVersionSerializer.Meta):
        fields = [*PlanVersionSerializer.Meta.fields, "data"]


class PlanContentSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    data = serializers.DictField(  # type: ignore[assignment]  # a field, not .data
        help_text="The plan's content in the shape of pcmd/plans/structure.py (to_data)"
    )


# --- writing ---------------------------------------------------------------------------------


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=ID_MAX, help_text="The plan's version you read; 409 if stale"
    )


def _text(limit: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=limit, allow_blank=True, required=False, **kwargs)


class _EraDate(serializers.DateField):
    """A date of the plan's era (2000–2100), like the API's date parameters."""

    def to_internal_value(self, value: Any) -> datetime.date:
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            bounds = {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
            raise serializers.ValidationError(
                str(DATE_OUT_OF_RANGE) % {"param": self.field_name, **bounds}
            )
        return day


def _date(**kwargs: Any) -> serializers.DateField:
    return _EraDate(**kwargs)


def _number() -> serializers.FloatField:
    return serializers.FloatField(
        min_value=0, max_value=NUMBER_MAX, allow_null=True, required=False
    )


class VersionSerializer(serializers.Serializer):
    version = _version()


class CopySerializer(serializers.Serializer):
    period_start = _date()
    period_end = _date()
    title = _text(300)
    unit = serializers.CharField(
        max_length=10, required=False, help_text="GSO code of the new plan's province"
    )
    plan_type = serializers.ChoiceField(choices=DRAFTABLE, required=False)


class HeaderSerializer(serializers.Serializer):
    version = _version()
    title = serializers.CharField(max_length=300, required=False)
    place = _text(80)
    kind = _text(10)
    signer_name = _text(120)
    signer_authority = _text(80)
    signer_title = _text(80)
    issuer_name = _text(200)
    preamble = _text(MAX_TEXT)
    closing = _text(MAX_TEXT)
    period_start = _date(required=False)
    period_end = _date(required=False)
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a field, not .parent
        min_value=1,
        max_value=ID_MAX,
        allow_null=True,
        required=False,
        help_text="Id of the issued plan or programme it implements (null: none)",
    )


class TargetWriteSerializer(serializers.Serializer):
    """A target in the structure shape, with the plan's ``version``."""

    version = _version()
    code = serializers.CharField(max_length=10)
    text = serializers.CharField(max_length=MAX_TEXT)
    short = _text(120)
    short_en = _text(120)
    kind = serializers.ChoiceField(choices=TargetKind.choices, required=False)
    value = _number()
    value_min = _number()
    value_max = _number()
    denominator = _number()
    unit_label = _text(120)
    indicator_code = _text(40)
    responsible = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_ITEMS,
        required=False,
        help_text="Agency codes",
    )
    applies_at = serializers.ListField(
        child=serializers.ChoiceField(choices=ALL_LEVELS),
        max_length=3,
        required=False,
    )
    scaling = serializers.ChoiceField(choices=TargetScaling.choices, required=False)
    allocations = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=NUMBER_MAX),
        required=False,
        allow_null=True,
        help_text="Unit code → goal (scaling 'allocation')",
    )
    extra = serializers.DictField(required=False, allow_null=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a field, not .parent
        min_value=1,
        max_value=ID_MAX,
        allow_null=True,
        required=False,
        help_text="Id of the higher plan's target it serves",
    )


class HeadingWriteSerializer(serializers.Serializer):
    """A heading of Section IV (an agency's tasks) in the structure shape, with ``version``."""

    version = _version()
    number = serializers.CharField(max_length=10)
    heading = serializers.CharField(max_length=300)
    intro = _text(MAX_TEXT)
    agencies = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_ITEMS,
        required=False,
        help_text="Agency codes",
    )
    lead = serializers.CharField(
        max_length=40, allow_null=True, required=False, help_text="Agency code"
    )
    deadline = _date(allow_null=True, required=False)
    deadline_note = _text(120)
    items = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TEXT), max_length=MAX_ITEMS, required=False
    )
    item_deadlines = serializers.ListField(
        child=_date(allow_null=True), max_length=MAX_ITEMS, required=False
    )


class CommentWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    about = _text(20, help_text='"" (the whole plan), a target code or a heading number')


class ResolveSerializer(serializers.Serializer):
    resolved = serializers.BooleanField(default=True)


class ReturnSerializer(serializers.Serializer):
    version = _version()
    reason = serializers.CharField(max_length=1000)


class IssueSerializer(serializers.Serializer):
    version = _version()
    # blank ones are refused by the action, which names every missing field at once
    number = serializers.CharField(max_length=40, allow_blank=True)
    issued_on = _date()
    signer_name = serializers.CharField(max_length=120, allow_blank=True)
    signer_title = serializers.CharField(max_length=80, allow_blank=True)
    signer_authority = _text(80)
