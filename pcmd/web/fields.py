"""Typed access to a form's fields, for the forms that narrow their choices to the user."""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's (multiple) model choice field ``name``, to set its queryset."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), name
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, to set its choices."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field
