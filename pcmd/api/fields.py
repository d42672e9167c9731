"""Typed access to a serializer's fields, for the serializers that narrow their choices to
the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import relations, serializers


def limit_choices(
    serializer: serializers.Serializer[Any], name: str, queryset: QuerySet[Any]
) -> None:
    """Offer ``queryset`` as the choices of the related field ``name`` (``many=True`` too)."""
    field = serializer.fields[name]
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    assert isinstance(field, relations.RelatedField), name
    # The stubs type ``queryset`` with ``Manager``, which mypy then reads as a descriptor.
    field.queryset = queryset  # type: ignore[arg-type]
