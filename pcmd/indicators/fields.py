"""Counts of people in the API (DESIGN.md §4): ``PeopleCountField(register)``.

A serializer field for a stored count of people (:data:`pcmd.indicators.privacy.PEOPLE_COUNTS`).
It reads and validates a whole number like ``IntegerField``; it writes the value as the
requesting user may see it — ``"<5"`` for 1..4 unless that user sees small cells of
``register`` (:func:`pcmd.indicators.privacy.sees_small_cells`). Without a request in the
serializer's context it suppresses (fail closed). The schema says so: an integer in requests,
an integer or the string ``"<5"`` in responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.text import capfirst
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from pcmd.indicators import privacy

MAX_COUNT = 2_147_483_647  # what a PositiveIntegerField holds on every database


def suppresses(context: Mapping[str, Any], register: str) -> bool:
    """Must small counts of people of ``register`` be hidden from the context's request user?"""
    request = context.get("request")
    return not privacy.sees_small_cells(getattr(request, "user", None), register)


class PeopleCountField(serializers.IntegerField):
    def __init__(self, register: str, **kwargs: Any) -> None:
        if register not in privacy.PERSON_LEVEL_ROLES:
            raise ImproperlyConfigured(f"No person-level roles for the register {register!r}.")
        self.register = register
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        # A declared field loses the model field's label: take it back for forms and schema.
        model = getattr(getattr(parent, "Meta", None), "model", None)
        if self.label is None and model is not None:
            try:
                self.label = capfirst(model._meta.get_field(self.source or field_name).verbose_name)
            except FieldDoesNotExist:
                pass
        super().bind(field_name, parent)

    def to_representation(self, value: Any) -> Any:
        number = super().to_representation(value)
        return privacy.shown(number, suppress=suppresses(self.context, self.register))


class PeopleCountFieldSchema(OpenApiSerializerFieldExtension):
    target_class = PeopleCountField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        number = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            return number
        hidden = f"<{privacy.threshold()}"
        note = (
            f"A count of people: {hidden} when it is below {privacy.threshold()} and the user "
            "does not see small counts of this register (DESIGN.md §4)."
        )
        schema: dict[str, Any] = {"oneOf": [number, {"type": "string", "enum": [hidden]}]}
        for key in ("title", "readOnly"):
            if key in number:
                schema[key] = number.pop(key)
        schema["description"] = (
            f"{number.pop('description')} {note}" if "description" in number else note
        )
        return schema
