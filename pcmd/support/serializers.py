"""API representation of support counts, with small cells suppressed for read-only users."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from pcmd.api.common import UnitCodeField

from .models import COUNT_FIELDS, SupportCount
from .stats import small_cell


class SupportCountSerializer(serializers.ModelSerializer):
    commune = UnitCodeField(help_text="GSO code of the commune, valid during the period")
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    suppressed = serializers.SerializerMethodField(
        help_text="Counts below the small-cell threshold hidden (null) for users who do not "
        "record support counts (DESIGN.md §4)"
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

    def _exact(self) -> bool:
        return bool(self.context.get("exact", True))

    def get_suppressed(self, obj: SupportCount) -> list[str]:
        if self._exact():
            return []
        return [n for n in COUNT_FIELDS if 0 < (getattr(obj, n) or 0) < small_cell()]

    def to_representation(self, instance: SupportCount) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in data.get("suppressed", []):
            data[name] = None
        return data
