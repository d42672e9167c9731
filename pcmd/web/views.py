"""Pages of the UI shell: plans, units, agencies, users, audit log. Views stay thin."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts import actions as account_actions
from pcmd.accounts import two_factor
from pcmd.accounts.models import Assignment, User
from pcmd.agencies.models import Agency, AgencyRole
from pcmd.core.audit_text import actor_label, changes_in_words, record_type_label, verb_label
from pcmd.core.formatting import vi_sort_key
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit, UnitLevel

from .access import capability_required
from .common import query_int
from .forms import AssignmentForm, AuditFilterForm, NewUserForm, UnitDateForm, UserForm


def _map_date(request: HttpRequest) -> tuple[UnitDateForm, datetime.date]:
    form = UnitDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("on"):
        on = form.cleaned_data["on"]
    return form, on


@capability_required("units.view")
def unit_browser(request: HttpRequest) -> HttpResponse:
    form, on = _map_date(request)
    parent = None
    if request.GET.get("parent"):
        parent_id = query_int(request, "parent")
        if parent_id is None:
            raise Http404
        parent = get_object_or_404(Unit.objects.visible_to(request.user), pk=parent_id)
    units = Unit.objects.visible_to(request.user).valid_on(on)
    children = units.filter(parent=parent) if parent else units.filter(level=UnitLevel.PROVINCE)
    children = children.annotate(
        n_children=Count(
            "children",
            filter=(Q(children__valid_from__isnull=True) | Q(children__valid_from__lte=on))
            & (Q(children__valid_to__isnull=True) | Q(children__valid_to__gte=on)),
        ),
    ).prefetch_related("names")
    rows = sorted(children, key=lambda u: (u.level, vi_sort_key(u.name_on(on))))
    totals = {}
    if parent:
        below = units.below(parent)
        totals = {row["level"]: row["n"] for row in below.values("level").annotate(n=Count("id"))}
    return render(
        request,
        "web/unit_browser.html",
        {
            "form": form,
            "on": on,
            "parent": parent,
            "ancestors": parent.ancestors() if parent else [],
            "rows": [{"unit": u, "name": u.name_on(on)} for u in rows],
            "district_total": totals.get(UnitLevel.DISTRICT, 0),
            "commune_total": totals.get(UnitLevel.COMMUNE, 0),
        },
    )


@capability_required("units.view")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user).select_related("parent"), pk=pk)
    return render(
        request,
        "web/unit_detail.html",
        {
            "unit": unit,
            "names": unit.names.all(),
            "successor_links": unit.successor_links.select_related("successor"),
            "predecessor_links": unit.predecessor_links.select_related("predecessor"),
            "ancestors": unit.ancestors(),
        },
    )


@capability_required("agencies.view")
def agency_list(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "1")
    if level not in {"1", "2", "3"}:
        level = "1"
    agencies = (
        Agency.objects.visible_to(request.user)
        .filter(level=int(level))
        .select_related("unit", "parent")
        .prefetch_related(Prefetch("roles", queryset=AgencyRole.objects.all()))
    )
    page = Paginator(agencies, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "web/agency_list.html",
        {
            "page": page,
            "level": level,
            "levels": UnitLevel.choices,
        },
    )


@capability_required("users.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.visible_to(request.user).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "agency"))
    )
    return render(request, "web/user_list.html", {"users": users})


@capability_required("users.manage")
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_actions.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                position=data["position"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            messages.success(request, _("User created."))
            return redirect("user_edit", pk=user.pk)
    return render(request, "web/user_form.html", {"form": form, "is_new": True})


@capability_required("users.manage")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    form = UserForm(request.POST or None, instance=User.objects.get(pk=pk), prefix="u")
    assignment_form = AssignmentForm(prefix="a")
    if request.method == "POST" and form.is_valid():
        account_actions.update_user(
            user, actor=request.user, **{k: form.cleaned_data[k] for k in form.changed_data}
        )
        messages.success(request, _("Changes saved."))
        return redirect("user_edit", pk=user.pk)
    return render(
        request,
        "web/user_form.html",
        {
            "form": form,
            "subject": user,
            "assignment_form": assignment_form,
            "assignments": user.assignments.select_related("unit", "agency"),
            "two_factor": two_factor.status(user),
        },
    )


@require_POST
@capability_required("users.manage")
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    form = AssignmentForm(request.POST, prefix="a")
    if form.is_valid():
        data = form.cleaned_data
        account_actions.add_assignment(
            user,
            actor=request.user,
            role=data["role"],
            unit=data["unit"],
            agency=data.get("agency"),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
        )
        messages.success(request, _("Role added."))
        return redirect("user_edit", pk=user.pk)
    return render(
        request,
        "web/user_form.html",
        {
            "form": UserForm(instance=user, prefix="u"),
            "subject": user,
            "assignment_form": form,
            "assignments": user.assignments.select_related("unit", "agency"),
            "two_factor": two_factor.status(user),
        },
        status=400,
    )


@require_POST
@capability_required("users.manage")
def assignment_remove(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    assignment = get_object_or_404(user.assignments, pk=assignment_id)
    account_actions.remove_assignment(assignment, actor=request.user)
    messages.success(request, _("Role removed."))
    return redirect("user_edit", pk=user.pk)


@capability_required("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.visible_to(request.user)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        if data["user"]:
            events = events.filter(actor_name=data["user"])
        if data["verb"]:
            events = events.filter(verb=data["verb"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
    elif form.is_bound:
        events = events.none()  # a filter that is not one of the choices matches nothing
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "event": e,
            "actor": str(e.actor) if e.actor else actor_label(e.actor_name),
            "verb": verb_label(e.verb),
            "record_type": record_type_label(e.object_type),
            "changes": changes_in_words(e.object_type, e.changes),
            "raw": json.dumps(
                {
                    "verb": e.verb,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "changes": e.changes,
                },
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            ),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
