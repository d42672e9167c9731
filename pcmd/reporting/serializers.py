"""API shapes of report forms, submissions and completeness."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import FormField, FormVersion, ReportForm, RuleHit, Submission, ValidationRule
from .values import changes_since_snapshot, current_auto


class FieldSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.title")
    indicator = serializers.CharField(source="indicator_code")

    class Meta:
        model = FormField
        fields = ["code", "section", "label", "kind", "indicator", "unit_label", "required",
                  "columns", "help"]


class RuleSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field_code")
    divisor = serializers.CharField(source="divisor_code")
    other = serializers.CharField(source="other_code")

    class Meta:
        model = ValidationRule
        fields = ["code", "kind", "severity", "field", "divisor", "operator", "other",
                  "min_value", "max_value", "factor", "min_history", "message", "message_en",
                  "legal_basis"]


class VersionSerializer(serializers.ModelSerializer):
    source_form = serializers.CharField(source="source_form.code", default=None)
    fields = FieldSerializer(source="field_list", many=True)
    rules = RuleSerializer(many=True)

    class Meta:
        model = FormVersion
        fields = ["number", "title", "period_type", "cutoff", "reporter_kind",
                  "reporter_levels", "agency_kinds", "agency_role", "agency_level",
                  "approver_level", "deadline_days", "level_deadlines", "is_synthesis",
                  "source_form", "doc_suffix", "created_at", "change_note", "fields", "rules"]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = FormVersion
        fields = ["number", "title", "period_type", "cutoff", "reporter_kind",
                  "reporter_levels", "agency_kinds", "agency_role", "deadline_days",
                  "is_synthesis"]


class ReportFormSerializer(serializers.ModelSerializer):
    current = VersionSummarySerializer()

    class Meta:
        model = ReportForm
        fields = ["id", "code", "name", "is_active", "valid_from", "valid_to", "legal_basis",
                  "current"]


class ReportFormDetailSerializer(ReportFormSerializer):
    current = VersionSerializer()
    versions = serializers.SerializerMethodField()

    class Meta(ReportFormSerializer.Meta):
        fields = [*ReportFormSerializer.Meta.fields, "versions"]

    def get_versions(self, form: ReportForm) -> list[dict[str, Any]]:
        return [{"number": v.number, "created_at": v.created_at, "change_note": v.change_note}
                for v in form.versions.all()]


class HitSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    field = serializers.CharField(source="field_code")

    class Meta:
        model = RuleHit
        fields = ["rule", "field", "severity", "message", "message_en", "value", "reference",
                  "explanation"]


class SubmissionSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code")
    form_name = serializers.CharField(source="form.name")
    form_version = serializers.IntegerField(source="form_version.number")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    agency = serializers.CharField(source="agency.code", default=None)
    agency_name = serializers.CharField(source="agency.name", default=None)
    period = serializers.CharField(source="period_code")
    on_time = serializers.BooleanField(source="is_on_time", allow_null=True)

    class Meta:
        model = Submission
        fields = ["id", "form", "form_name", "form_version", "unit", "unit_name", "agency",
                  "agency_name", "period", "period_start", "period_end", "due_date", "status",
                  "version", "first_submitted_at", "submitted_at", "reviewed_at", "on_time"]


class SubmissionDetailSerializer(SubmissionSerializer):
    auto_values = serializers.SerializerMethodField()
    rule_hits = HitSerializer(many=True)
    changes_since_approval = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "values", "auto_values", "explanations",
                  "draft_text", "doc_number", "signer_name", "signer_authority",
                  "signer_title", "review_comment", "rule_hits", "changes_since_approval"]

    def get_auto_values(self, sub: Submission) -> dict[str, Any]:
        return current_auto(sub)

    def get_changes_since_approval(self, sub: Submission) -> list[dict[str, Any]]:
        return [{"field": c.field.code, "was": c.was, "now": c.now}
                for c in changes_since_snapshot(sub)]


class CreateSubmissionSerializer(serializers.Serializer):
    form = serializers.CharField(help_text="Form id or code")
    period = serializers.CharField(help_text="2018, 2018-H1, 2018-Q2 or 2018-03")
    unit = serializers.CharField(required=False, help_text="GSO code of the reporting unit")
    agency = serializers.CharField(required=False, help_text="Code of the reporting agency")


class UpdateSubmissionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version the edit is based on (409 if "
                                                 "someone saved in between)")
    values = serializers.DictField(required=False)
    explanations = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                         required=False)
    draft_text = serializers.CharField(required=False, allow_blank=True)
    doc_number = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(required=False, allow_blank=True)
    signer_authority = serializers.CharField(required=False, allow_blank=True)
    signer_title = serializers.CharField(required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
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
