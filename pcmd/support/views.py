"""Pages for livelihood support counts: list with totals, form. Views stay thin."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db.models import Field
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.policy import may_change
from pcmd.core.concurrency import EditConflict
from pcmd.geo.subtree import under_q
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import (
    attempt,
    cleaned,
    conflict_message,
    default_year,
    paginate,
    posted_version,
    query_without_page,
)

from . import actions
from .forms import SupportCountForm, SupportFilterForm
from .models import COUNT_FIELDS, SupportCount
from .stats import by_district, sees_exact, shown, totals

FIELDS = ["commune", "period_start", "period_end", *COUNT_FIELDS, "note"]


@capability_required("support.view")
def support_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = SupportCount.objects.visible_to(user)
    form = SupportFilterForm(request.GET or None, user=user)
    data = cleaned(form)
    year = data.get("year") or default_year(visible, "period_start")
    if not form.is_bound:
        form.initial["year"] = year
    rows = visible.filter(period_start__year=year)
    for key in ("district", "commune"):
        if data.get(key):
            rows = rows.filter(under_q("commune", [data[key].path]))
    exact = sees_exact(user)
    sums = totals(rows)
    districts = by_district(rows)
    page = paginate(request, rows.select_related("commune__parent"), 50)
    labels = [
        capfirst(cast("Field[Any, Any]", SupportCount._meta.get_field(name)).verbose_name)
        for name in COUNT_FIELDS
    ]
    return render(
        request,
        "support/list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "query": query_without_page(request),
            "labels": labels,
            "exact": exact,
            "rows": [
                {
                    "obj": r,
                    "counts": [shown(getattr(r, n), exact) for n in COUNT_FIELDS],
                    "can_edit": exact and may_change(user, r),
                }
                for r in page
            ],
            "totals": [shown(sums[n], exact) for n in COUNT_FIELDS],
            "districts": [
                {
                    "name": d["commune__parent__name"],
                    "counts": [shown(d[n], exact) for n in COUNT_FIELDS],
                }
                for d in districts
            ],
            "can_edit": user.can("support.edit"),
        },
    )


@capability_required("support.edit")
def support_new(request: HttpRequest) -> HttpResponse:
    form = SupportCountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = attempt(
            form,
            lambda: actions.create_support_count(
                actor=request.user, **{k: data[k] for k in FIELDS}
            ),
        )
        if created.ok:
            messages.success(request, _("Support counts recorded."))
            return redirect("support:list")
    return render(
        request,
        "support/form.html",
        {"form": form, "is_new": True},
        status=400 if form.errors else 200,
    )


@capability_required("support.edit")
def support_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        SupportCount.objects.editable_by(request.user).select_related("commune"), pk=pk
    )
    form = SupportCountForm(request.POST or None, user=request.user, instance=row)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: actions.update_support_count(
                row,
                actor=request.user,
                expected_version=data["version"],
                **{k: data[k] for k in FIELDS},
            ),
        )
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect("support:list")
    return render(
        request, "support/form.html", {"form": form, "row": row}, status=400 if form.errors else 200
    )


@require_POST
@capability_required("support.edit")
def support_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(SupportCount.objects.editable_by(request.user), pk=pk)
    try:
        actions.delete_support_count(
            row, actor=request.user, expected_version=posted_version(request)
        )
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
        return redirect("support:edit", pk=pk)
    messages.success(request, _("Support counts deleted."))
    return redirect("support:list")
