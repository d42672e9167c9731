"""Shapes of the national API (approved figures only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.ANY)
class NationalFigureValueField(serializers.Field):
    """A number, "<5" (a small count of people), or null (no single value)."""

    def to_representation(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        number = float(value)
        return int(number) if number.is_integer() else round(number, 2)


class NationalPartSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = NationalFigureValueField()


class NationalFigureSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = NationalFigureValueField()
    text = serializers.CharField()
    parts = NationalPartSerializer(many=True)


class NationalProvinceFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    approved_reports = serializers.IntegerField()
    figures = NationalFigureSerializer(many=True)


class NationalFigureFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit_label = serializers.CharField()
    indicator = serializers.CharField(allow_null=True)
    share = serializers.BooleanField()


class NationalFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField()
    form = serializers.CharField(allow_null=True)
    fields = NationalFigureFieldSerializer(many=True)  # type: ignore[assignment]
    provinces = NationalProvinceFiguresSerializer(many=True)


class NationalCellSerializer(serializers.Serializer):
    form = serializers.CharField()
    period = serializers.CharField()
    due = serializers.DateField()
    state = serializers.ChoiceField(choices=["approved", "awaiting", "missing", "not_due"])
    late = serializers.BooleanField()


class NationalProvinceCompletenessSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reports = NationalCellSerializer(many=True)


class NationalCompletenessSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    provinces = NationalProvinceCompletenessSerializer(many=True)
