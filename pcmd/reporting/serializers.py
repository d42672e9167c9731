"""API shapes of report forms, submissions and completeness."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pcmd.indicators.privacy import shown

from .models import FormField, FormVersion, ReportForm, RuleHit, Submission, ValidationRule
from .privacy import NOTHING, Suppression, for_submission, hit_hides, hit_message
from .values import changes_since_snapshot, current_auto


class FieldSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.title")
    indicator = serializers.CharField(source="indicator_code")

    class Meta:
        model = FormField
        fields = [
            "code",
            "section",
            "label",
            "kind",
            "indicator",
            "unit_label",
            "required",
            "columns",
            "help",
        ]


class RuleSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field_code")
    divisor = serializers.CharField(source="divisor_code")
    other = serializers.CharField(source="other_code")

    class Meta:
        model = ValidationRule
        fields = [
            "code",
            "kind",
            "severity",
            "field",
            "divisor",
            "operator",
            "other",
            "min_value",
            "max_value",
            "factor",
            "min_history",
            "message",
            "message_en",
            "legal_basis",
        ]


class VersionSerializer(serializers.ModelSerializer):
    source_form = serializers.CharField(source="source_form.code", default=None, allow_null=True)
    # A declared field, which the serializer metaclass takes off the class: not ``Serializer.fields``.
    fields = FieldSerializer(source="field_list", many=True)  # type: ignore[assignment]
    rules = RuleSerializer(many=True)

    class Meta:
        model = FormVersion
        fields = [
            "number",
            "title",
            "period_type",
            "cutoff",
            "reporter_kind",
            "reporter_levels",
            "agency_kinds",
            "agency_role",
            "agency_level",
            "approver_level",
            "deadline_days",
            "level_deadlines",
            "is_synthesis",
            "source_form",
            "doc_suffix",
            "created_at",
            "change_note",
            "fields",
            "rules",
        ]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = FormVersion
        fields = [
            "number",
            "title",
            "period_type",
            "cutoff",
            "reporter_kind",
            "reporter_levels",
            "agency_kinds",
            "agency_role",
            "deadline_days",
            "is_synthesis",
        ]


class ReportFormSerializer(serializers.ModelSerializer):
    current: serializers.BaseSerializer[Any] = VersionSummarySerializer()

    class Meta:
        model = ReportForm
        fields = [
            "id",
            "code",
            "name",
            "is_active",
            "valid_from",
            "valid_to",
            "legal_basis",
            "current",
        ]


class ReportFormDetailSerializer(ReportFormSerializer):
    current = VersionSerializer()
    versions = serializers.SerializerMethodField()

    class Meta(ReportFormSerializer.Meta):
        fields = [*ReportFormSerializer.Meta.fields, "versions"]

    def get_versions(self, form: ReportForm) -> list[dict[str, Any]]:
        return [
            {"number": v.number, "created_at": v.created_at, "change_note": v.change_note}
            for v in form.versions.all()
        ]


class HitSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    field = serializers.CharField(source="field_code")

    class Meta:
        model = RuleHit
        fields = [
            "rule",
            "field",
            "severity",
            "message",
            "message_en",
            "value",
            "reference",
            "explanation",
        ]


class SubmissionSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code")
    form_name = serializers.CharField(source="form.name")
    form_version = serializers.IntegerField(source="form_version.number")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", default=None, allow_null=True)
    period = serializers.CharField(source="period_code")
    on_time = serializers.BooleanField(source="is_on_time", allow_null=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "form",
            "form_name",
            "form_version",
            "unit",
            "unit_name",
            "agency",
            "agency_name",
            "period",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "version",
            "first_submitted_at",
            "submitted_at",
            "reviewed_at",
            "on_time",
        ]


class SubmissionDetailSerializer(SubmissionSerializer):
    """A report with its figures as the requesting user may see them.

    Small counts of people (DESIGN.md §4, :mod:`pcmd.reporting.privacy`) come out as the
    string ``"<5"`` for users who are not person-level for the register, and ``suppressed``
    lists the codes of the fields (typed, automatic or tables) that were changed so.
    """

    values = serializers.SerializerMethodField()
    auto_values = serializers.SerializerMethodField()
    suppressed = serializers.SerializerMethodField()
    rule_hits = serializers.SerializerMethodField()
    changes_since_approval = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "values",
            "auto_values",
            "suppressed",
            "explanations",
            "draft_text",
            "doc_number",
            "signer_name",
            "signer_authority",
            "signer_title",
            "review_comment",
            "rule_hits",
            "changes_since_approval",
        ]

    def _hide(self, sub: Submission) -> Suppression:
        request = self.context.get("request")
        if request is None:
            return NOTHING
        # The context is the dict the view passed; the stubs type it as a read-only Mapping.
        cache = self.context.setdefault("_suppression", {})  # type: ignore[attr-defined]
        if sub.pk not in cache:
            cache[sub.pk] = for_submission(sub, request.user)
        return cache[sub.pk]

    def _auto(self, sub: Submission) -> dict[str, Any]:
        # The context is the dict the view passed; the stubs type it as a read-only Mapping.
        cache = self.context.setdefault("_auto", {})  # type: ignore[attr-defined]
        if sub.pk not in cache:
            cache[sub.pk] = current_auto(sub)
        return cache[sub.pk]

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_values(self, sub: Submission) -> dict[str, Any]:
        return self._hide(sub).mapping(dict(sub.values or {}))

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_auto_values(self, sub: Submission) -> dict[str, Any]:
        return self._hide(sub).mapping(self._auto(sub))

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_suppressed(self, sub: Submission) -> list[str]:
        hide = self._hide(sub)
        if not hide:
            return []
        return sorted(set(hide.hidden(dict(sub.values or {}))) | set(hide.hidden(self._auto(sub))))

    @extend_schema_field(HitSerializer(many=True))
    def get_rule_hits(self, sub: Submission) -> list[dict[str, Any]]:
        hide = self._hide(sub)
        out = []
        for hit in sub.rule_hits.select_related("rule"):
            data = dict(HitSerializer(hit).data)
            if hit_hides(hit, hide):
                # the figures compared are counts of people: no exact small value anywhere
                data["value"] = shown(data["value"], suppress=True)
                data["reference"] = shown(data["reference"], suppress=True)
                data["message"] = hit_message(hit, hide, "vi")
                data["message_en"] = hit_message(hit, hide, "en")
            out.append(data)
        return out

    def get_changes_since_approval(self, sub: Submission) -> list[dict[str, Any]]:
        hide = self._hide(sub)
        return [
            {
                "field": c.field.code,
                "was": hide.value(c.field.code, c.was),
                "now": hide.value(c.field.code, c.now),
            }
            for c in changes_since_snapshot(sub)
        ]


class CreateSubmissionSerializer(serializers.Serializer):
    form = serializers.CharField(help_text="Form id or code")
    period = serializers.CharField(help_text="2018, 2018-H1, 2018-Q2 or 2018-03")
    unit = serializers.CharField(required=False, help_text="GSO code of the reporting unit")
    agency = serializers.CharField(required=False, help_text="Code of the reporting agency")


class UpdateSubmissionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        help_text="The version the edit is based on (409 if someone saved in between)",
    )
    values = serializers.DictField(required=False)
    explanations = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False
    )
    draft_text = serializers.CharField(required=False, allow_blank=True)
    doc_number = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(required=False, allow_blank=True)
    signer_authority = serializers.CharField(required=False, allow_blank=True)
    signer_title = serializers.CharField(required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


class CompletenessRowSerializer(serializers.Serializer):
    form = serializers.CharField()
    form_name = serializers.CharField()
    period = serializers.CharField()
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    on_time = serializers.IntegerField()
    due = serializers.DateField(allow_null=True)
    submitted_share = serializers.FloatField(allow_null=True)
    on_time_share = serializers.FloatField(allow_null=True)


class CompletenessSerializer(serializers.Serializer):
    period = serializers.CharField()
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    on_time = serializers.IntegerField()
    submitted_share = serializers.FloatField(allow_null=True)
    on_time_share = serializers.FloatField(allow_null=True)
    rows = CompletenessRowSerializer(many=True)
