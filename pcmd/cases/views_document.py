"""The standing office's case document: ``/cases/summary/`` (a form) and
``/cases/summary/?year=2018&period=H1`` (the DOCX, :mod:`pcmd.cases.document`).

Open to the holders of ``cases.summary`` (standing office, leadership, police, procuracy,
court, administrator): figures only, for the area of their scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import units_in_scope
from pcmd.core.periods import (
    Cutoff,
    Period,
    half_period,
    month_period,
    quarter_period,
    year_period,
)
from pcmd.geo.models import Unit, UnitLevel
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.fields import choice

from . import document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR = 2000

PERIODS: list[tuple[str, Any]] = [
    ("year", _("whole year")),
    ("H1", _("first six months")),
    ("H2", _("last six months")),
    *[(f"Q{q}", format_lazy("{} {}", _("quarter"), q)) for q in range(1, 5)],
    *[(f"{m:02d}", format_lazy("{} {}", _("month"), m)) for m in range(1, 13)],
]


def _area_label(unit: Unit) -> str:
    if unit.valid_from is None:
        return unit.name
    return str(_("%(name)s (from %(date)s)")) % {
        "name": unit.name,
        "date": unit.valid_from.strftime("%d/%m/%Y"),
    }


def period_for(year: int, kind: str, cutoff: str) -> Period:
    """The period of ``year`` named by a choice of :data:`PERIODS` ("H1", "Q2", "03"…)."""
    if kind == "year":
        return year_period(year, cutoff)
    if kind.startswith("H"):
        return half_period(year, int(kind[1]), cutoff)
    if kind.startswith("Q"):
        return quarter_period(year, int(kind[1]), cutoff)
    return month_period(year, int(kind), cutoff)


class SummaryForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    period = forms.ChoiceField(
        label=_("Reporting period"), choices=PERIODS, initial="year", required=False
    )
    cutoff = forms.ChoiceField(
        label=_("Data cut-off"),
        choices=Cutoff.CHOICES,
        initial=Cutoff.DECREE09,
        required=False,
        help_text=_("Periodic administrative reports use the Decree 09/2019 cut-off."),
    )
    unit = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=self.today.year)
        self.fields["year"].initial = self.today.year - 1
        areas = units_in_scope(user, levels=(UnitLevel.PROVINCE, UnitLevel.DISTRICT))
        # the units as they were first (where past cases lie), then those of the 2025 reform
        order = (F("valid_from").asc(nulls_first=True), "level", "code")
        self.areas = {str(u.pk): u for u in areas.order_by(*order)}
        choice(self, "unit").choices = [(pk, _area_label(u)) for pk, u in self.areas.items()]
        own = [str(a.unit_id) for a in getattr(user, "active_assignments", [])]
        self.fields["unit"].initial = next(
            (pk for pk in own if pk in self.areas), next(iter(self.areas), "")
        )
        if self.is_bound:  # a choice left out takes its default, shown as chosen on errors
            data: dict[str, Any] = {name: self.data.get(name) for name in self.data}
            for name in ("period", "cutoff", "unit"):
                data[name] = data.get(name) or self.fields[name].initial
            self.data = data

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= self.today.year:
            raise forms.ValidationError(
                _("Enter a year between %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": self.today.year},
            )
        return int(year)

    def clean_unit(self) -> Unit:
        pk = self.cleaned_data.get("unit")
        if pk not in self.areas:
            raise forms.ValidationError(_("Choose an area in your scope."))
        return self.areas[pk]

    def chosen_period(self) -> Period:
        data = self.cleaned_data
        return period_for(data["year"], data["period"], data["cutoff"])


def _problems(form: SummaryForm) -> list[dict[str, str]]:
    """Each error in both languages, naming its field."""
    out = []
    for name, errors in form.errors.as_data().items():
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            texts = {}
            for lang in ("vi", "en"):
                with translation.override(lang):
                    message = str(error.message)
                    if error.params:
                        message %= error.params
                    texts[lang] = f"{label}: {message}"
            out.append({"field": name, **texts})
    return out


@capability_required("cases.summary")
def summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    if "year" not in request.GET:
        form = SummaryForm(user=request.user)
        return render(request, "cases/document.html", {"form": form})
    form = SummaryForm(request.GET, user=request.user)
    if not form.is_valid():
        context = {"form": form, "problems": _problems(form)}
        return render(request, "cases/document.html", context, status=400)
    root, period = form.cleaned_data["unit"], form.chosen_period()
    response = HttpResponse(document.render(request.user, root, period), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{document.file_name(root, period)}"'
    return response
