"""Pages of the hotspots app. Thin: parse, call an action or a scoped query, render."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.geo.subtree import under_q
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import form_page, paginate, query_without_page

from . import actions
from .forms import (
    DeleteForm,
    HotspotFilterForm,
    HotspotForm,
    PatrolFilterForm,
    PatrolForm,
    StatusForm,
)
from .models import Hotspot, Patrol

PAGE_SIZE = 50


def _with_patrol_stats(qs: QuerySet[Hotspot]) -> QuerySet[Hotspot]:
    return qs.select_related("commune", "commune__parent").annotate(
        patrol_count=Count("patrols"), last_patrol=Max("patrols__on")
    )


@capability_required("hotspots.view")
def hotspot_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = HotspotFilterForm(request.GET or None, user=user)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_of = data.get("as_of") or timezone.localdate()
    qs = Hotspot.objects.visible_to(user)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("district"):
        qs = qs.filter(under_q("commune", [data["district"].path]))
    if data.get("overdue"):
        qs = qs.overdue(as_of)
    page = paginate(request, _with_patrol_stats(qs).order_by("name", "pk"), PAGE_SIZE)
    return render(
        request,
        "hotspots/list.html",
        {
            "form": form,
            "page": page,
            "as_of": as_of,
            "query": query_without_page(request),
            "can_edit": user.can("hotspots.edit"),
            "overdue_count": Hotspot.objects.visible_to(user).overdue(as_of).count(),
        },
    )


@capability_required("hotspots.view")
def overdue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Hotspots whose re-check is overdue, most overdue first."""
    user = request.user
    form = HotspotFilterForm(request.GET or None, user=user)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_of = data.get("as_of") or timezone.localdate()
    qs = Hotspot.objects.visible_to(user).overdue(as_of)
    if data.get("district"):
        qs = qs.filter(under_q("commune", [data["district"].path]))
    rows = list(_with_patrol_stats(qs).order_by("next_check_due", "name")[:500])
    for h in rows:
        assert h.next_check_due is not None  # overdue() keeps the hotspots with a due date
        h.days_overdue = (as_of - h.next_check_due).days
    return render(
        request,
        "hotspots/overdue.html",
        {
            "form": form,
            "rows": rows,
            "as_of": as_of,
            "can_edit": user.can("hotspots.edit"),
            "days": actions.recheck_days(),
        },
    )


@capability_required("hotspots.view")
def hotspot_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    h = get_object_or_404(
        Hotspot.objects.visible_to(request.user).select_related("commune", "commune__parent"), pk=pk
    )
    today = timezone.localdate()
    return render(
        request,
        "hotspots/detail.html",
        {
            "h": h,
            "history": h.history.select_related("recorded_by", "patrol").order_by("-on", "-pk"),
            "patrols": h.patrols.select_related("agency").order_by("-on", "-pk")[:200],
            "totals": h.patrols.aggregate(
                n=Count("id"),
                found=Sum("people_found"),
                sanctioned=Sum("people_sanctioned"),
                referred=Sum("people_referred"),
            ),
            "overdue": h.next_check_due is not None and h.next_check_due < today,
            "can_edit": request.user.can("hotspots.edit"),
            "days": actions.recheck_days(),
        },
    )


@capability_required("hotspots.edit")
def hotspot_create(request: HttpRequest) -> HttpResponse:
    form = HotspotForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: actions.create_hotspot(
            actor=request.user, on=d["on"] or form.initial["on"], **form.values()
        ),
        done=_("Hotspot recorded."),
        then=lambda h: h.get_absolute_url(),
        template="hotspots/form.html",
        context={"is_new": True},
    )


def _editable(request: HttpRequest, pk: int) -> Hotspot:
    return get_object_or_404(
        Hotspot.objects.editable_by(request.user).select_related("commune", "commune__parent"),
        pk=pk,
    )


@capability_required("hotspots.edit")
def hotspot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    h = _editable(request, pk)
    form = HotspotForm(request.POST or None, user=request.user, instance=h)
    return form_page(
        request,
        form,
        lambda d: actions.update_hotspot(
            h,
            actor=request.user,
            expected_version=d["version"],
            on=d["on"] or form.initial["on"],
            **form.values(),
        ),
        done=_("Changes saved."),
        then=lambda _r: h.get_absolute_url(),
        template="hotspots/form.html",
        context={"h": h},
    )


@capability_required("hotspots.edit")
def hotspot_status(request: HttpRequest, pk: int) -> HttpResponse:
    h = _editable(request, pk)
    form = StatusForm(
        request.POST or None,
        initial={"version": h.version, "on": timezone.localdate(), "status": h.status},
    )
    return form_page(
        request,
        form,
        lambda d: actions.change_hotspot_status(
            h,
            actor=request.user,
            expected_version=d["version"],
            status=d["status"],
            on=d["on"],
            note=d["note"],
        ),
        done=_("Status recorded."),
        then=lambda _r: h.get_absolute_url(),
        template="hotspots/status_form.html",
        context={"h": h, "days": actions.recheck_days()},
    )


@capability_required("hotspots.edit")
def hotspot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    h = _editable(request, pk)
    form = DeleteForm(request.POST or None, initial={"version": h.version})
    return form_page(
        request,
        form,
        lambda d: actions.delete_hotspot(
            h, actor=request.user, expected_version=d["version"], reason=d["reason"]
        ),
        done=_("Record deleted."),
        then=lambda _r: "hotspots:list",
        template="hotspots/delete.html",
        context={"h": h},
    )


def filtered_patrols(user: Any, form: PatrolFilterForm) -> QuerySet[Patrol]:
    """The patrols ``user`` sees, narrowed by the list's filters (the page and its exports)."""
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = Patrol.objects.visible_to(user)
    if data.get("district"):
        qs = qs.filter(under_q("commune", [data["district"].path]))
    if data.get("date_from"):
        qs = qs.filter(on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(on__lte=data["date_to"])
    return qs


@capability_required("hotspots.view")
def patrol_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PatrolFilterForm(request.GET or None, user=user)
    qs = filtered_patrols(user, form)
    # a hotspot deleted later keeps its patrols; they are listed without the link
    totals = qs.aggregate(
        n=Count("id"),
        found=Sum("people_found"),
        sanctioned=Sum("people_sanctioned"),
        referred=Sum("people_referred"),
    )
    page = paginate(
        request, qs.select_related("hotspot", "commune", "commune__parent", "agency"), PAGE_SIZE
    )
    return render(
        request,
        "hotspots/patrol_list.html",
        {
            "form": form,
            "page": page,
            "totals": totals,
            "query": query_without_page(request),
            "can_edit": user.can("hotspots.edit"),
        },
    )


@capability_required("hotspots.edit")
def patrol_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    chosen = request.GET.get("hotspot")
    if chosen and chosen.isdecimal():
        hotspot = Hotspot.objects.editable_by(request.user).filter(pk=chosen).first()
        if hotspot is not None:
            initial["hotspot"] = hotspot
    form = PatrolForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.record_patrol(actor=request.user, **form.values()),
        done=_("Patrol recorded."),
        then=lambda p: (
            p.hotspot.get_absolute_url() if p.hotspot is not None else "hotspots:patrols"
        ),
        template="hotspots/patrol_form.html",
        context={"is_new": True},
    )


@capability_required("hotspots.edit")
def patrol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(
        Patrol.objects.editable_by(request.user).select_related("hotspot", "commune"), pk=pk
    )
    form = PatrolForm(request.POST or None, user=request.user, instance=p)
    return form_page(
        request,
        form,
        lambda d: actions.update_patrol(
            p, actor=request.user, expected_version=d["version"], **form.values()
        ),
        done=_("Changes saved."),
        then=lambda _r: "hotspots:patrols",
        template="hotspots/patrol_form.html",
        context={"patrol": p},
    )
