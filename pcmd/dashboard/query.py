"""Parsing the dashboard's question: which unit subtree, which period, which map."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.core.periods import Cutoff, Period, PeriodError, parse_period
from pcmd.geo.models import Unit
from pcmd.indicators.engine import AS_IS, AS_WAS
from pcmd.plans.models import Plan
from pcmd.plans.selectors import counterpart, in_force, latest
from pcmd.web.auth import AuthenticatedHttpRequest


class DashboardForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=30,
        help_text=_("2018, 2018-H1, 2018-Q2, 2018-03 or 2018-01-01..2018-06-30"),
    )
    cutoff = forms.ChoiceField(label=_("Cut-off"), choices=Cutoff.CHOICES, required=False)
    map = forms.ChoiceField(
        label=_("Map"),
        required=False,
        choices=[(AS_WAS, _("as it was in the period")), (AS_IS, _("mapped onto today's units"))],
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_period(self) -> str:
        text = self.cleaned_data.get("period") or ""
        if text:
            try:
                parse_period(text)
            except PeriodError:
                raise forms.ValidationError(
                    _(
                        "Write a period as 2018, 2018-H1, 2018-Q2, 2018-03 or "
                        "2018-01-01..2018-06-30."
                    )
                ) from None
        return text


@dataclass
class Question:
    root: Unit
    period: Period
    mapping: str
    as_is_on: datetime.date
    plan: Plan | None
    form: DashboardForm

    def params(self, **override: Any) -> str:
        from urllib.parse import urlencode

        values = {
            "period": self.period.code,
            "cutoff": self.period.cutoff,
            "map": self.mapping,
            "unit": self.root.pk,
        }
        values.update(override)
        return urlencode(values)


def default_root(user: Any) -> Unit:
    units = sorted(user.scope_units, key=lambda u: u.depth)
    if not units:
        if user.is_superuser:
            first = (
                Unit.objects.filter(level=1)
                .order_by(F("valid_from").asc(nulls_first=True), "code")
                .first()
            )
            if first:
                return first
        raise Http404
    return units[0]


def parse_question(request: AuthenticatedHttpRequest) -> Question:
    user = request.user
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    root = default_root(user)
    if data.get("unit"):
        root = Unit.objects.filter(pk=data["unit"]).first() or root
        if not user.sees_unit(root):
            raise Http404
    # The year of the plan in force today (else the latest), then the plan in force for the
    # period asked: the dashboard switches plans with the period.
    recent = latest(root, user=user)
    default_year = recent.period_start.year if recent else timezone.localdate().year
    cutoff = data.get("cutoff") or Cutoff.CALENDAR
    period = parse_period(data.get("period") or str(default_year), cutoff)
    if not data.get("unit") and (data.get("map") or AS_WAS) == AS_WAS:
        # a province that did not exist in the period is read as the one of that period it
        # came from or became (the new Đắk Lắk's standing office asking about 2018)
        other = counterpart(root, period.end)
        if other != root and user.sees_unit(other):
            root = other
    plan = in_force(root, period.start, period.end, user=user)
    mapping = data.get("map") or AS_WAS
    resolved = {"period": period.code, "cutoff": cutoff, "map": mapping, "unit": root.pk}
    if form.is_bound and not form.is_valid():
        # Shown with its messages; the figures use the defaults.
        form = DashboardForm({**resolved, "period": request.GET.get("period", "")})
        form.is_valid()
    else:
        form = DashboardForm(resolved)
        form.is_valid()
    return Question(root, period, mapping, timezone.localdate(), plan, form)
