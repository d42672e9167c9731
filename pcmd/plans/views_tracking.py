"""Pages: a target year by year (/plans/tracking/) and a national programme traced into the
provincial plans (/plans/<pk>/trace/). Thin: parse, call :mod:`pcmd.plans.tracking`, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit
from pcmd.indicators.engine import AS_IS, AS_WAS
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .models import Plan, PlanType, Target
from .selectors import home_unit, latest
from .tracking import MAPS, Tracking, YearRow, find_target, trace, year_by_year


def _warn(request: AuthenticatedHttpRequest, message: Any, **params: Any) -> None:
    """A bad parameter is ignored with a message in Vietnamese and English."""
    texts = bilingual(message, **params)
    messages.warning(request, f"{texts['vi']} / {texts['en']}")


def _unit(request: AuthenticatedHttpRequest) -> Unit:
    """The unit asked (``unit`` = id) if the user sees it; the user's own scope otherwise."""
    user = request.user
    raw = request.GET.get("unit", "").strip()
    if raw:
        unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdecimal() else None
        if unit is None or not user.sees_unit(unit):
            texts = bilingual(gettext_lazy("No such unit in your scope."))
            raise Http404(f"{texts['vi']} / {texts['en']}")
        return unit
    unit = home_unit(user)
    if unit is None:
        texts = bilingual(gettext_lazy("No such unit in your scope."))
        raise Http404(f"{texts['vi']} / {texts['en']}")
    return unit


def unit_choices(user: Any, root: Unit) -> list[Unit]:
    """The units the picker offers: the user's scope units and the units of their province
    down to districts (a commune is reached from the dashboard's drill-down)."""
    scope = sorted(user.scope_units, key=lambda u: (u.depth, u.code))
    units: dict[int, Unit] = {u.pk: u for u in scope}
    for top in scope[:3]:
        for child in top.children.order_by("code")[:200]:
            units.setdefault(child.pk, child)
    units.setdefault(root.pk, root)
    return [u for u in units.values() if user.sees_unit(u)]


def _dashboard_url(row: YearRow, mapping: str, fallback: Unit) -> str:
    unit = row.unit or fallback
    query = {"period": str(row.year), "map": mapping, "unit": unit.pk}
    return f"{reverse('dashboard:home')}?{urlencode(query)}"


def _target_options(user: Any, unit: Unit, chosen: Target | None) -> list[dict[str, Any]]:
    """The targets of the unit's current plan by code, and the chosen one (by id) when it is
    not among them (a target of an earlier plan, a national programme's)."""
    plan = latest(unit, user=user)
    targets = list(plan.targets.filter(withdrawn=False)) if plan else []
    english = get_language() == "en"
    options = [
        {
            "value": t.code,
            "label": f"{t.code}. {t.short_en if english and t.short_en else t.short}",
            "selected": chosen is not None and t.code == chosen.code,
        }
        for t in targets
    ]
    if chosen is not None and not any(o["selected"] for o in options):
        label = chosen.short_en if english and chosen.short_en else chosen.short
        options.append(
            {
                "value": str(chosen.pk),
                "label": f"{chosen.plan.number} — {chosen.code}. {label}",
                "selected": True,
            }
        )
    return options


@capability_required("dashboard.view")
def tracking(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    unit = _unit(request)
    mapping = request.GET.get("map") or AS_WAS
    if mapping not in MAPS:
        _warn(
            request,
            gettext_lazy("Unknown map: use as_was or as_is; showing each year on its own map."),
        )
        mapping = AS_WAS
    raw = request.GET.get("target", "")
    target = find_target(raw, unit, user)
    if raw and target is None:
        _warn(
            request,
            gettext_lazy("No target “%(target)s” in the plans you may read."),
            target=raw[:20],
        )
    result: Tracking | None = None
    if target is not None:
        result = year_by_year(target, unit, user, mapping=mapping, today=timezone.localdate())
        for row in result.rows:
            row.dashboard_url = _dashboard_url(row, mapping, unit)
    return render(
        request,
        "plans/tracking.html",
        {
            "unit": unit,
            "units": unit_choices(user, unit),
            "mapping": mapping,
            "maps": [
                (AS_WAS, _("each year on its own map")),
                (AS_IS, _("every year on today's units")),
            ],
            "target": target,
            "targets": _target_options(user, unit, target),
            "raw_target": raw,
            "result": result,
            "language": get_language(),
        },
    )


@capability_required("dashboard.view")
def trace_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(
        Plan.objects.visible_to(request.user).filter(plan_type=PlanType.NATIONAL), pk=pk
    )
    items = trace(programme, request.user, today=timezone.localdate())
    return render(
        request,
        "plans/trace.html",
        {
            "programme": programme,
            "items": items,
            "implementing": Plan.objects.visible_to(request.user)
            .filter(parent=programme)
            .select_related("unit"),
            "language": get_language(),
        },
    )
