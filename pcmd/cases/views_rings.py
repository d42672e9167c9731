"""Rings: the list, the ring page (members, cases, establishments, the communes it spans,
handled or not) and the ring form. Cases join a ring through the case form's ring field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import allows
from pcmd.geo.models import Unit
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, form_status, paginate

from . import actions
from .forms import RingForm
from .identities import minor_person_ids, reveal_adults
from .models import Case, Ring

PAGE_SIZE = 50


@capability_required("cases.view")
def ring_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = (
        Ring.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            n_cases=Count("cases", distinct=True),
            n_open=Count("cases", filter=Q(cases__handled_on__isnull=True), distinct=True),
        )
        .order_by("-detected_on", "-pk")
    )
    return render(
        request,
        "cases/rings.html",
        {
            "page": paginate(request, rows, PAGE_SIZE),
            "query": "",
            "can_edit": user.can("cases.edit"),
        },
    )


@capability_required("cases.view")
def ring_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ring = get_object_or_404(Ring.objects.visible_to(user).select_related("unit"), pk=pk)
    members = list(ring.members.select_related("person").order_by("pk"))
    minors = minor_person_ids(ring, members)
    cases = list(
        Case.objects.visible_to(user)
        .filter(ring=ring)
        .select_related("commune", "commune__parent")
        .prefetch_related("offences")
    )
    establishments = list(ring.establishments.select_related("commune", "commune__parent"))
    commune_ids = {c.commune_id for c in ring.cases.all()} | {
        e.commune_id for e in ring.establishments.all()
    }
    communes = Unit.objects.filter(pk__in=commune_ids).select_related("parent").order_by("code")
    return render(
        request,
        "cases/ring.html",
        {
            "ring": ring,
            "members": members,
            "minors": minors,
            "revealed": reveal_adults(user, [m.person for m in members], minors, path=request.path),
            "cases": cases,
            "hidden_cases": ring.cases.count() - len(cases),
            "establishments": establishments,
            "communes": communes,
            "handled": actions.ring_is_handled(ring),
            "may_edit": allows(user, "cases.edit", obj=ring),
        },
    )


@capability_required("cases.edit")
def ring_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = RingForm(request.POST or None, user=user, initial={"detected_on": timezone.localdate()})
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.create_ring(
                user, values=form.values(), establishments=data["establishments"]
            ),
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("Ring recorded."))
            return redirect("cases:ring", pk=outcome.value.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": _("Record a ring"), "cancel_url": reverse("cases:rings")},
        status=form_status(form, outcome),
    )


@capability_required("cases.edit")
def ring_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ring = get_object_or_404(Ring.objects.visible_to(user), pk=pk)
    if not allows(user, "cases.edit", obj=ring):
        raise PermissionDenied
    initial: dict[str, Any] = {
        "version": ring.version,
        "name": ring.name,
        "unit": ring.unit,
        "detected_on": ring.detected_on,
        "notes": ring.notes,
        "establishments": list(ring.establishments.all()),
    }
    form = RingForm(request.POST or None, user=user, initial=initial)
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.update_ring(
                user,
                ring,
                version=data.get("version"),
                values=form.values(),
                establishments=data["establishments"],
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("cases:ring", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "title": _("Edit ring %(code)s") % {"code": ring.code},
            "cancel_url": reverse("cases:ring", args=[pk]),
        },
        status=form_status(form, outcome),
    )
