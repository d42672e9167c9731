"""Forms naming persons in a case or a ring: find a record, or enter a new one, with the
person's role (and, in a case, standing); change and remove."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.people.models import Sex

from .models import PartyRole, Standing

PERSON_FIELDS = ("full_name", "sex", "birth_year", "id_number", "phone")


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("ID number, phone, or name and year of birth"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "066190012345 · Nguyễn Văn A 1980"}),
    )


class RoleForm(forms.Form):
    """Role (and standing for a case): the part shared by "pick" and "new"."""

    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    standing = forms.ChoiceField(label=_("Standing"), choices=Standing.choices)

    def __init__(self, *args: Any, with_standing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_standing:
            del self.fields["standing"]


class PickPersonForm(RoleForm):
    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NewPersonForm(RoleForm):
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

    field_order = [*PERSON_FIELDS, "role", "standing"]

    def person_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in PERSON_FIELDS if data.get(k) not in (None, "")}


class ChangePartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices, required=False)
    standing = forms.ChoiceField(label=_("Standing"), choices=Standing.choices, required=False)
    sentence = forms.CharField(label=_("Sentence or measure"), max_length=300, required=False)
    prison_months = forms.IntegerField(
        label=_("Prison term (months)"), min_value=0, max_value=600, required=False
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
