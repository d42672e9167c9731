"""API representation of support counts; small counts come out as "<5" (DESIGN.md §4) for
users who do not see small cells of support counts (:mod:`pcmd.indicators.fields`)."""

from __future__ import annotations

from rest_framework import serializers

from pcmd.api.common import UnitCodeField
from pcmd.indicators.fields import PeopleCountField, suppresses
from pcmd.indicators.privacy import is_small

from .models import COUNT_FIELDS, SupportCount
from .stats import SOURCE


class SupportCountSerializer(serializers.ModelSerializer):
    commune = UnitCodeField(help_text="GSO code of the commune, valid during the period")
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    vocational_training = PeopleCountField(SOURCE, required=False)
    employment = PeopleCountField(SOURCE, required=False)
    loans = PeopleCountField(SOURCE, required=False)
    health_services = PeopleCountField(SOURCE, required=False)
    legal_aid = PeopleCountField(SOURCE, required=False)
    other_support = PeopleCountField(SOURCE, required=False)
    suppressed = serializers.SerializerMethodField(
        help_text="The counts shown as <5 (below the small-cell threshold) because the user "
        "does not record support counts (DESIGN.md §4)"
    )

    class Meta:
        model = SupportCount
        fields = [
            "id",
            "version",
            "commune",
            "commune_name",
            "period_start",
            "period_end",
            *COUNT_FIELDS,
            "note",
            "suppressed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    def get_suppressed(self, obj: SupportCount) -> list[str]:
        if not suppresses(self.context, SOURCE):
            return []
        return [n for n in COUNT_FIELDS if is_small(getattr(obj, n))]
