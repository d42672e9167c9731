"""The Python-written drop-down list is the HTML Django's own templates write."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from pcmd.web.renderers import FormRenderer

CHOICES: list[Any] = [
    ("", "---------"),
    ("a&b", 'Phường "Tân Lập" <cũ>'),
    (3, _("Commune")),
    ("Nhóm", [("x", "Một"), ("y", mark_safe("<b>Hai</b>"))]),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flag = forms.NullBooleanField(required=False)
    described = forms.ChoiceField(
        choices=CHOICES,
        help_text="Chọn một",
        widget=forms.Select(attrs={"class": "wide", "data-x": "<q>", "disabled": True}),
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"one": "a&b", "many": ["x", "3"], "flag": "true", "described": "y"},
        {"one": "zz", "described": ""},  # invalid: errors add aria attributes
    ],
)
def test_select_html_matches_django_templates(data: dict[str, Any] | None) -> None:
    def html(renderer: Any) -> dict[str, str]:
        form = Sample(data, renderer=renderer)
        if data is not None:
            form.is_valid()
        return {name: str(form[name]) for name in form.fields}

    ours, django = html(FormRenderer()), html(DjangoTemplates())
    assert ours == django
    assert "&lt;cũ&gt;" in ours["one"] and "<b>Hai</b>" in ours["one"]


def test_option_with_its_own_template_uses_the_templates() -> None:
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    def html(renderer: Any) -> str:
        form = Sample(renderer=renderer)
        form.fields["one"].widget = Marked(choices=CHOICES)
        return str(form["one"])

    ours = html(FormRenderer())
    assert ours == html(DjangoTemplates())
    assert "<option" not in ours  # the options' own template was used
