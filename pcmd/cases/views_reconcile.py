"""The reconciliation page: each agency's counts over a period and the cases where they
disagree (:mod:`pcmd.cases.reconcile`). Police, procuracy, court and administrator
(``cases.view``), on the cases in their scope."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.core.messages import bilingual
from pcmd.core.periods import PeriodError, parse_period
from pcmd.geo.models import Unit, UnitLevel, valid_on_q
from pcmd.geo.subtree import under_q
from pcmd.indicators.privacy import sees_small_cells, shown
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .models import Case
from .reconcile import reconcile

YEAR_MIN, YEAR_MAX = 2000, 2100
PERIOD_HELP = _("2018, 2018-H1, 2018-Q2, 2018-03 or 2018-01-01..2018-06-30")


class ReconcileForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False, max_length=30)
    district = forms.CharField(label=_("District"), required=False, max_length=10)


def _districts(request: AuthenticatedHttpRequest, on: datetime.date) -> list[Unit]:
    units = Unit.objects.filter(level=UnitLevel.DISTRICT).filter(valid_on_q(on)).order_by("code")
    return [u for u in units if request.user.sees_unit(u)]


def _refusal(field: str, message: Any, **params: Any) -> dict[str, str]:
    texts = bilingual(message, **params)
    return {"field": field, "vi": texts["vi"], "en": texts["en"]}


@capability_required("cases.view")
def reconciliation(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReconcileForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    errors: list[dict[str, str]] = []
    text = (data.get("period") or "").strip() or str(timezone.localdate().year)
    try:
        period = parse_period(text)
        if period.start.year < YEAR_MIN or period.end.year > YEAR_MAX:
            raise PeriodError(text)
    except (PeriodError, ValueError):
        errors.append(_refusal("period", _("Write a period as %(help)s."), help=PERIOD_HELP))
        period = parse_period(str(timezone.localdate().year))
    districts = _districts(request, period.end)
    district = None
    code = (data.get("district") or "").strip()
    if code:
        district = next((u for u in districts if u.code == code), None)
        if district is None:
            errors.append(
                _refusal(
                    "district",
                    _("No district with code %(code)s in your area on %(date)s."),
                    code=code,
                    date=period.end.strftime("%d/%m/%Y"),
                )
            )
    cases = Case.objects.visible_to(request.user)
    if district is not None:
        cases = cases.filter(under_q("commune", [district.path]))
    result = None if errors else reconcile(cases, period)
    # Counts of persons follow the small-cell rule for a reader outside the case roles (the
    # administrator): pcmd.indicators.privacy, as the {% people %} tag does.
    hide = not sees_small_cells(request.user, "case_persons")
    rows = [
        (agency, [(f, shown(f.value, suppress=hide and f.people)) for f in agency.figures])
        for agency in (result.agencies if result else [])
    ]
    context = {
        "form": form,
        "period": period,
        "period_text": text,
        "district": district,
        "districts": districts,
        "errors": errors,
        "result": result,
        "rows": rows,
    }
    return render(request, "cases/reconcile.html", context, status=400 if errors else 200)
