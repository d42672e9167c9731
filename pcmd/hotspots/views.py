"""Pages of the hotspots app. Thin: parse, call an action or a scoped query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.core.concurrency import EditConflict
from pcmd.registry.forms import apply_errors
from pcmd.registry.views import conflict_text
from pcmd.web.access import capability_required

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


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_patrol_stats(qs: QuerySet[Hotspot]) -> QuerySet[Hotspot]:
    return qs.select_related("commune", "commune__parent").annotate(
        patrol_count=Count("patrols"), last_patrol=Max("patrols__on"))


@capability_required("hotspots.view")
def hotspot_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = HotspotFilterForm(request.GET or None, user=user)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_of = data.get("as_of") or timezone.localdate()
    qs = Hotspot.objects.visible_to(user)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("district"):
        qs = qs.filter(commune__path__startswith=data["district"].path)
    if data.get("overdue"):
        qs = qs.overdue(as_of)
    page = Paginator(_with_patrol_stats(qs).order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "hotspots/list.html", {
        "form": form, "page": page, "as_of": as_of, "query": _query_without_page(request),
        "can_edit": user.can("hotspots.edit"),  # type: ignore[union-attr]
        "overdue_count": Hotspot.objects.visible_to(user).overdue(as_of).count(),
    })


@capability_required("hotspots.view")
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Hotspots whose re-check is overdue, most overdue first."""
    user = request.user
    form = HotspotFilterForm(request.GET or None, user=user)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_of = data.get("as_of") or timezone.localdate()
    qs = Hotspot.objects.visible_to(user).overdue(as_of)
    if data.get("district"):
        qs = qs.filter(commune__path__startswith=data["district"].path)
    rows = list(_with_patrol_stats(qs).order_by("next_check_due", "name")[:500])
    for h in rows:
        h.days_overdue = (as_of - h.next_check_due).days  # type: ignore[attr-defined,operator]
    return render(request, "hotspots/overdue.html", {
        "form": form, "rows": rows, "as_of": as_of,
        "can_edit": user.can("hotspots.edit"),  # type: ignore[union-attr]
        "days": actions.recheck_days(),
    })


@capability_required("hotspots.view")
def hotspot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    h = get_object_or_404(Hotspot.objects.visible_to(request.user).select_related(
        "commune", "commune__parent"), pk=pk)
    today = timezone.localdate()
    return render(request, "hotspots/detail.html", {
        "h": h, "history": h.history.select_related("recorded_by", "patrol").order_by("-on", "-pk"),
        "patrols": h.patrols.select_related("agency").order_by("-on", "-pk")[:200],
        "totals": h.patrols.aggregate(n=Count("id"), found=Sum("people_found"),
                                      sanctioned=Sum("people_sanctioned"),
                                      referred=Sum("people_referred")),
        "overdue": h.next_check_due is not None and h.next_check_due < today,
        "can_edit": request.user.can("hotspots.edit"),  # type: ignore[union-attr]
        "days": actions.recheck_days(),
    })


def _refresh(request: HttpRequest) -> bool:
    return "refresh" in request.POST


def _run(request: HttpRequest, form: Any, run: Any, done: str, target: Any,
         template: str, context: dict[str, Any]) -> HttpResponse:
    status = 200
    if request.method == "POST" and not _refresh(request) and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except EditConflict as exc:
            form.add_error(None, conflict_text(exc))
            status = 409
        else:
            messages.success(request, done)
            return redirect(target(result))
    return render(request, template, {"form": form, **context}, status=status)


@capability_required("hotspots.edit")
def hotspot_create(request: HttpRequest) -> HttpResponse:
    form = HotspotForm(request.POST or None, user=request.user)
    return _run(request, form, lambda d: actions.create_hotspot(
        actor=request.user, on=d["on"] or form.initial["on"], **form.values()),
        _("Hotspot recorded."), lambda h: h.get_absolute_url(), "hotspots/form.html",
        {"is_new": True})


def _editable(request: HttpRequest, pk: int) -> Hotspot:
    return get_object_or_404(Hotspot.objects.editable_by(request.user).select_related(
        "commune", "commune__parent"), pk=pk)


@capability_required("hotspots.edit")
def hotspot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    h = _editable(request, pk)
    form = HotspotForm(request.POST or None, user=request.user, instance=h)
    return _run(request, form, lambda d: actions.update_hotspot(
        h, actor=request.user, expected_version=d["version"],
        on=d["on"] or form.initial["on"], **form.values()),
        _("Changes saved."), lambda _r: h.get_absolute_url(), "hotspots/form.html", {"h": h})


@capability_required("hotspots.edit")
def hotspot_status(request: HttpRequest, pk: int) -> HttpResponse:
    h = _editable(request, pk)
    form = StatusForm(request.POST or None, initial={
        "version": h.version, "on": timezone.localdate(), "status": h.status})
    return _run(request, form, lambda d: actions.change_hotspot_status(
        h, actor=request.user, expected_version=d["version"], status=d["status"], on=d["on"],
        note=d["note"]), _("Status recorded."), lambda _r: h.get_absolute_url(),
        "hotspots/status_form.html", {"h": h, "days": actions.recheck_days()})


@capability_required("hotspots.edit")
def hotspot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    h = _editable(request, pk)
    form = DeleteForm(request.POST or None, initial={"version": h.version})
    return _run(request, form, lambda d: actions.delete_hotspot(
        h, actor=request.user, expected_version=d["version"], reason=d["reason"]),
        _("Record deleted."), lambda _r: "hotspots:list", "hotspots/delete.html", {"h": h})


@capability_required("hotspots.view")
def patrol_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PatrolFilterForm(request.GET or None, user=user)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = Patrol.objects.visible_to(user)
    if data.get("district"):
        qs = qs.filter(commune__path__startswith=data["district"].path)
    if data.get("date_from"):
        qs = qs.filter(on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(on__lte=data["date_to"])
    # a hotspot deleted later keeps its patrols; they are listed without the link
    totals = qs.aggregate(n=Count("id"), found=Sum("people_found"),
                          sanctioned=Sum("people_sanctioned"),
                          referred=Sum("people_referred"))
    page = Paginator(qs.select_related("hotspot", "commune", "commune__parent", "agency"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hotspots/patrol_list.html", {
        "form": form, "page": page, "totals": totals, "query": _query_without_page(request),
        "can_edit": user.can("hotspots.edit"),  # type: ignore[union-attr]
    })


@capability_required("hotspots.edit")
def patrol_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    chosen = request.GET.get("hotspot")
    if chosen and chosen.isdigit():
        hotspot = Hotspot.objects.editable_by(request.user).filter(pk=chosen).first()
        if hotspot is not None:
            initial["hotspot"] = hotspot
    form = PatrolForm(request.POST or None, user=request.user, initial=initial)
    return _run(request, form, lambda d: actions.record_patrol(
        actor=request.user, **form.values()), _("Patrol recorded."),
        lambda p: p.hotspot.get_absolute_url() if p.hotspot_id else "hotspots:patrols",
        "hotspots/patrol_form.html", {"is_new": True})


@capability_required("hotspots.edit")
def patrol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Patrol.objects.editable_by(request.user).select_related(
        "hotspot", "commune"), pk=pk)
    form = PatrolForm(request.POST or None, user=request.user, instance=p)
    return _run(request, form, lambda d: actions.update_patrol(
        p, actor=request.user, expected_version=d["version"], **form.values()),
        _("Changes saved."), lambda _r: "hotspots:patrols", "hotspots/patrol_form.html",
        {"patrol": p})

