from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.core.xlsx_guard import WorkbookField
from pcmd.web.fields import model_choice

from .models import BudgetCategory, BudgetLine, FundingSource


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.short_name or obj.name


class BudgetLineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    agency = AgencyChoice(label=_("Agency"), queryset=Agency.objects.none())
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=BudgetCategory.objects.filter(is_active=True)
    )
    source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    description = forms.CharField(label=_("Activity"), max_length=300)
    planned = forms.IntegerField(
        label=_("Planned (VND)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    spent = forms.IntegerField(
        label=_("Spent (VND)"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when spending exceeds the plan."),
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice(self, "agency")
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by(
            "level", "order", "code"
        )

    @staticmethod
    def initial_for(line: BudgetLine) -> dict[str, Any]:
        return {
            "version": line.version,
            "year": line.year,
            "agency": line.agency_id,
            "category": line.category_id,
            "source": line.source,
            "description": line.description,
            "planned": line.planned,
            "spent": line.spent,
            "note": line.note,
        }


class ImportForm(forms.Form):
    file = WorkbookField(label=_("Excel file (.xlsx)"))
