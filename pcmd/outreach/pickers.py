"""Unit pickers shared by the outreach and support forms (other apps import these, never the
outreach page forms)."""

from __future__ import annotations

from typing import Any

from django import forms

from pcmd.geo.models import Unit, UnitLevel

from .scope import scope_units, unit_label


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj)


def scope_filters(form: forms.Form, user: Any) -> None:
    """District and commune filters limited to the scope; dropped when there is no choice."""
    for name, level in (("district", UnitLevel.DISTRICT), ("commune", UnitLevel.COMMUNE)):
        units = scope_units(user, (level,))
        if len(units) <= 1:
            del form.fields[name]
        else:
            field = form.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units
