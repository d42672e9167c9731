from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.core.xlsx_guard import WorkbookField

from .models import AssessmentClass, AssessmentTemplate, Criterion


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def score_field_name(code: str) -> str:
    return f"c_{code}"


class AssessmentForm(forms.Form):
    """One number per criterion (blank = not scored yet), the commune's note, the version."""

    version = VersionField()
    comment = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[score_field_name(c.code)] = forms.IntegerField(
                label=f"{c.code}. {c.text}",
                required=False,
                min_value=0,
                max_value=c.max_points,
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "numeric",
                        "min": 0,
                        "max": c.max_points,
                        "step": 1,
                        "class": "score",
                        "data-max": c.max_points,
                    }
                ),
                error_messages={
                    "min_value": _(
                        "Criterion %(code)s: points must be a whole number from 0 to %(max)s."
                    )
                    % {"code": c.code, "max": c.max_points},
                    "max_value": _(
                        "Criterion %(code)s: points must be a whole number from 0 to %(max)s."
                    )
                    % {"code": c.code, "max": c.max_points},
                    "invalid": _(
                        "Criterion %(code)s: points must be a whole number from 0 to %(max)s."
                    )
                    % {"code": c.code, "max": c.max_points},
                },
            )

    def groups(self) -> list[dict[str, Any]]:
        """The score fields grouped as in the template (for the page)."""
        out: list[dict[str, Any]] = []
        for c in self.criteria:
            if not out or out[-1]["name"] != c.group:
                out.append({"name": c.group, "items": []})
            out[-1]["items"].append({"criterion": c, "field": self[score_field_name(c.code)]})
        return out

    def points(self) -> dict[str, int | None]:
        return {c.code: self.cleaned_data.get(score_field_name(c.code)) for c in self.criteria}


class ReviewForm(forms.Form):
    version = VersionField()
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the assessment is returned."),
    )


class YearImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = WorkbookField(label=_("Excel file (.xlsx)"))


class TemplateForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = AssessmentTemplate
        fields = [
            "name",
            "legal_basis",
            "source",
            "unverified",
            "valid_from_year",
            "valid_to_year",
            "is_active",
        ]
        widgets = {
            "source": forms.Textarea(attrs={"rows": 3}),
            "unverified": forms.Textarea(attrs={"rows": 3}),
        }


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "group", "order", "text", "max_points", "is_critical"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ClassForm(forms.ModelForm):
    class Meta:
        model = AssessmentClass
        fields = [
            "code",
            "name",
            "kind",
            "order",
            "match",
            "min_total",
            "max_total",
            "min_critical_failed",
            "max_critical_failed",
        ]


class CopyTemplateForm(forms.Form):
    valid_from_year = forms.IntegerField(
        label=_("New version valid from year"), min_value=2000, max_value=2100
    )
