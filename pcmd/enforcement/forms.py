"""Forms of the violations and sanctions pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import around_q
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.inspections.models import Inspection
from pcmd.registry.models import Establishment
from pcmd.registry.pickers import EstablishmentChoiceField
from pcmd.web.fields import model_choice
from pcmd.web.forms import DateField, drop_single_unit_filters, scope_units

from .actions import TYPE_FIELDS
from .models import SanctionForm, SanctionStatus, SubjectKind, ViolationType


class VndField(forms.IntegerField):
    """An amount in VND typed as 1500000, 1.500.000 or "1 500 000 đ"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = re.sub(r"[.\s\u00a0đ,]|VND", "", value, flags=re.IGNORECASE)
        return super().to_python(value)


class TypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ViolationType) -> str:
        since = obj.valid_from.strftime("%d/%m/%Y") if obj.valid_from else "…"
        until = obj.valid_to.strftime("%d/%m/%Y") if obj.valid_to else "…"
        return f"{obj.display_name} — {obj.legal_reference} ({since} – {until})"


def type_choices() -> Any:
    return ViolationType.objects.filter(is_active=True).order_by("-valid_from", "order")


class ViolationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    inspection: forms.ModelChoiceField[Inspection] = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )
    violation_type = TypeChoiceField(label=_("Violation type"), queryset=None)
    date = DateField(label=_("Date"))
    establishment = EstablishmentChoiceField(
        label=_("Establishment"),
        queryset=None,
        required=False,
        help_text=_("Empty for a violation outside an establishment."),
    )
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=None,
        required=False,
        help_text=_("Taken from the establishment when one is chosen."),
    )
    subject_kind = forms.ChoiceField(
        label=_("Subject"), choices=SubjectKind.choices, widget=forms.RadioSelect
    )
    people_count = forms.IntegerField(label=_("People involved"), min_value=1, initial=1)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened; never the names of the people."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "inspection").queryset = Inspection.objects.editable_by(user)
        model_choice(self, "violation_type").queryset = type_choices()
        model_choice(self, "establishment").queryset = (
            Establishment.objects.visible_to(user)
            .select_related("commune")
            .order_by("commune__code", "name")
        )
        model_choice(self, "commune").queryset = scope_units(user, UnitLevel.COMMUNE)


class SanctionEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "12/QĐ-XPHC"}),
    )
    date = DateField(label=_("Decision date"))
    received_on = DateField(
        label=_("Received on"),
        required=False,
        help_text=_("The day the decision was handed over; the fine is due 10 days later."),
    )
    authority = forms.CharField(label=_("Issued by"), max_length=200)
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False
    )
    form = forms.ChoiceField(
        label=_("Main sanction"), choices=SanctionForm.choices, widget=forms.RadioSelect
    )
    amount = VndField(label=_("Fine (VND)"), required=False)
    suspension_months = forms.IntegerField(
        label=_("Suspension of activity (months)"), required=False, min_value=1
    )
    licence_withdrawal_months = forms.IntegerField(
        label=_("Licence withdrawn (months)"), required=False, min_value=1
    )
    confiscation = forms.BooleanField(label=_("Confiscation of exhibits"), required=False)
    other_measures = forms.CharField(
        label=_("Other measures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Agencies of the user's units and of the units above them.
        model_choice(self, "agency").queryset = (
            Agency.objects.visible_to(user)
            .filter(around_q(user, "unit"), kind__in=["ubnd", "police", "department", "team"])
            .order_by("level", "order", "code")
        )


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("New status"), choices=SanctionStatus.choices)
    on = DateField(label=_("Since"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ViolationFilterForm(forms.Form):
    violation_type = TypeChoiceField(label=_("Violation type"), queryset=None, required=False)
    district: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("District"), queryset=None, required=False
    )
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)
    status = forms.ChoiceField(
        label=_("Sanction"),
        required=False,
        choices=[("", "—"), ("none", _("no decision yet")), *SanctionStatus.choices],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "violation_type").queryset = ViolationType.objects.order_by(
            "-valid_from", "order"
        )
        model_choice(self, "district").queryset = scope_units(user, UnitLevel.DISTRICT)
        model_choice(self, "commune").queryset = scope_units(user, UnitLevel.COMMUNE)
        drop_single_unit_filters(self)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ViolationTypeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    valid_from = DateField(label=_("In force from"), required=False)
    valid_to = DateField(label=_("In force until"), required=False)
    fine_min_individual = VndField(label=_("Minimum fine, individual (VND)"), required=False)
    fine_max_individual = VndField(label=_("Maximum fine, individual (VND)"), required=False)
    fine_min_organisation = VndField(label=_("Minimum fine, organisation (VND)"), required=False)
    fine_max_organisation = VndField(label=_("Maximum fine, organisation (VND)"), required=False)

    class Meta:
        model = ViolationType
        fields = TYPE_FIELDS  # the fields the catalog action saves

    def clean(self) -> dict[str, Any]:
        """Name the field of a wrong range (before the model's constraint does, vaguely)."""
        data = super().clean() or {}
        for subject in ("individual", "organisation"):
            low, high = data.get(f"fine_min_{subject}"), data.get(f"fine_max_{subject}")
            if (low is None) != (high is None):
                self.add_error(
                    f"fine_max_{subject}" if high is None else f"fine_min_{subject}",
                    _("Give both the minimum and the maximum, or neither."),
                )
            elif low is not None and high is not None and low > high:
                self.add_error(f"fine_max_{subject}", _("The maximum is below the minimum."))
        return data
