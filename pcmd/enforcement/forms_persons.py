"""Forms naming the persons of a sanction decision, and the export form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.people.models import Sex

from .models import PersonRole


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("ID number, phone, or name and year of birth"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "066190012345 · Nguyễn Thị A 1990"}),
    )


class PickPersonForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    role = forms.ChoiceField(label=_("Act"), choices=PersonRole.choices)


class NewPersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=20,
        help_text=_("CCCD (12 digits) or old CMND (9 digits)."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    role = forms.ChoiceField(label=_("Act"), choices=PersonRole.choices)

    def person_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in ("full_name", "sex", "birth_year", "id_number", "phone")
            if data.get(k) not in (None, "")
        }


class RemovePersonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ExportForm(forms.Form):
    FORMATS = [("xlsx", "XLSX"), ("csv", "CSV")]

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")
    identities = forms.BooleanField(
        label=_("Include the names of the persons whose identity I may see"), required=False
    )
    reason = forms.CharField(
        label=_("Why the names are needed"),
        required=False,
        max_length=300,
        help_text=_("Required with names; written to the access log of each person exported."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("identities") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for exporting names."))
        return data
