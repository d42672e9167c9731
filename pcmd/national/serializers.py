"""Shapes of the national API (approved figures only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.ANY)
class FigureValueField(serializers.Field):
    """A number, "<5" (a small count of people), or null (no single value)."""

    def to_representation(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        number = float(value)
        return int(number) if number.is_integer() else round(number, 2)


class PartSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = FigureValueField()


class FigureSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = FigureValueField()
    text = serializers.CharField()
    parts = PartSerializer(many=True)


class ProvinceFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    approved_reports = serializers.IntegerField()
    figures = FigureSerializer(many=True)


class FigureFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit_label = serializers.CharField()
    indicator = serializers.CharField(allow_null=True)
    share = serializers.BooleanField()


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField()
    form = serializers.CharField(allow_null=True)
    fields = FigureFieldSerializer(many=True)  # type: ignore[assignment]
    provinces = ProvinceFiguresSerializer(many=True)


class CellSerializer(serializers.Serializer):
    form = serializers.CharField()
    period = serializers.CharField()
    due = serializers.DateField()
    state = serializers.ChoiceField(choices=["approved", "awaiting", "missing", "not_due"])
    late = serializers.BooleanField()


class ProvinceCompletenessSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reports = CellSerializer(many=True)


class CompletenessSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    provinces = ProvinceCompletenessSerializer(many=True)
