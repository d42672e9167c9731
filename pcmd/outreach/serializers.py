"""API representations of activities, trainings, participants and the roster.

Units are written and read as GSO codes (resolved on the record's date); agencies, forms and
audiences as their catalog codes.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pcmd.agencies.models import Agency
from pcmd.api.common import UnitCodeField

from .models import (
    Activity,
    Attachment,
    Audience,
    CommunicationForm,
    Officer,
    Training,
    TrainingParticipant,
)

UNIT_HELP = "GSO code of the administrative unit, valid on the record's date"


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url"]

    def get_url(self, obj: Attachment) -> str:
        return reverse("outreach:attachment", args=[obj.pk])


class ActivitySerializer(serializers.ModelSerializer):
    unit = UnitCodeField(help_text=UNIT_HELP)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), help_text="Agency code, e.g. UBND_X24118"
    )
    form = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CommunicationForm.objects.all(),
        help_text="Code of a communication form",
    )
    audiences = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Audience.objects.all()
    )
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "version",
            "date",
            "unit",
            "unit_name",
            "agency",
            "organiser_detail",
            "form",
            "audiences",
            "title",
            "participants",
            "copies",
            "notes",
            "attachments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj: Activity) -> list[dict[str, Any]]:
        rows = getattr(obj, "live_attachments", None)
        if rows is None:
            rows = obj.attachments.filter(is_deleted=False)
        # many=True builds a ListSerializer (a list); the stubs type it as the item serializer.
        return AttachmentSerializer(rows, many=True).data  # type: ignore[return-value]


class TrainingSerializer(serializers.ModelSerializer):
    unit = UnitCodeField(
        help_text="GSO code of the unit holding the course (province for a "
        "provincial course), valid on the start date"
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), help_text="Code of the organising agency"
    )
    participants_count = serializers.SerializerMethodField()

    class Meta:
        model = Training
        fields = [
            "id",
            "version",
            "title",
            "topic",
            "level",
            "agency",
            "start_date",
            "end_date",
            "unit",
            "unit_name",
            "venue",
            "notes",
            "participants_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    def get_participants_count(self, obj: Training) -> int:
        count = getattr(obj, "n_participants", None)
        return count if count is not None else obj.participants.count()


class ParticipantSerializer(serializers.ModelSerializer):
    training = serializers.PrimaryKeyRelatedField(queryset=Training.objects.all())
    officer = serializers.PrimaryKeyRelatedField(
        queryset=Officer.objects.all(),
        allow_null=True,
        required=False,
        help_text="ID of a roster entry; name, position and unit are then taken from it",
    )
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    unit = UnitCodeField(
        required=False,
        allow_blank=True,
        help_text="GSO code of the participant's unit (when not on the roster)",
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = TrainingParticipant
        fields = ["id", "training", "officer", "full_name", "position", "unit", "unit_name"]
        read_only_fields = ["id"]
        validators: list[Any] = []  # an officer attends a course once: checked by the action


class OfficerSerializer(serializers.ModelSerializer):
    commune = UnitCodeField(help_text="GSO code of the commune")
    commune_name = serializers.CharField(source="commune.name", read_only=True)

    class Meta:
        model = Officer
        fields = [
            "id",
            "version",
            "full_name",
            "position",
            "commune",
            "commune_name",
            "valid_from",
            "valid_to",
            "is_social_evils_officer",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
