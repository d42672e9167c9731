from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WorkStatus


class TaskReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Progress"), choices=WorkStatus.choices)
    done = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    obstacles = forms.CharField(
        label=_("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, n_figures: int = 6, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.n_figures = n_figures
        for i in range(n_figures):
            self.fields[f"fig_label_{i}"] = forms.CharField(
                label=_("Figure"), required=False, max_length=200
            )
            self.fields[f"fig_value_{i}"] = forms.DecimalField(
                label=_("Number"),
                required=False,
                max_digits=18,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )

    def figure_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"fig_label_{i}"], self[f"fig_value_{i}"]) for i in range(self.n_figures)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("status", "done", "obstacles", "proposals")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        figures = []
        for i in range(self.n_figures):
            label, value = data.get(f"fig_label_{i}"), data.get(f"fig_value_{i}")
            if not label and value is None:
                continue
            if not label:
                self.add_error(f"fig_label_{i}", _("Give the figure a label."))
            elif value is None:
                self.add_error(f"fig_value_{i}", _("Give the figure a number."))
            else:
                figures.append({"label": label, "value": value})
        data["figures"] = figures
        return data

    @staticmethod
    def initial_for(report: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": report.version,
            "status": report.status,
            "done": report.done,
            "obstacles": report.obstacles,
            "proposals": report.proposals,
        }
        for i, fig in enumerate(report.figures):
            initial[f"fig_label_{i}"] = fig["label"]
            initial[f"fig_value_{i}"] = fig["value"]
        return initial
