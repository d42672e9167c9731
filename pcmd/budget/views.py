"""Pages of the budget: yearly totals and lines, forms, import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.agencies.models import Agency
from pcmd.core import import_jobs
from pcmd.core.concurrency import EditConflict
from pcmd.core.xlsx_import import problems_workbook
from pcmd.geo.models import UnitLevel
from pcmd.plans.selectors import latest_for
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import (
    apply_errors,
    bounded_int,
    conflict_message,
    paginate,
    posted_version,
    query_without_page,
    xlsx_response,
)

from . import actions, imports
from .forms import BudgetLineForm, ImportForm
from .models import BudgetCategory, BudgetLine, FundingSource

PAGE_SIZE = 50


def _year(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdecimal() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return plan_year(request.user)


def plan_year(user: Any) -> int:
    """The budget year of the user's current plan: this year when a plan of their province is
    in force now, else the nearest year of its latest plan (a plan of 2018 budgets for 2018).
    National programmes and other provinces' plans do not move it."""
    today = timezone.localdate()
    plan = latest_for(user, on=today)
    if plan is None:
        return today.year
    return min(max(today.year, plan.period_start.year), plan.period_end.year)


def _totals(lines: Any, key: str) -> list[dict[str, Any]]:
    """One grouped query: planned, spent, number of lines and lines over plan per ``key``."""
    return list(
        lines.values(key)
        .annotate(
            planned_sum=Sum("planned"),
            spent_sum=Sum("spent"),
            n=Count("id"),
            over=Count("id", filter=Q(spent__gt=F("planned"))),
        )
        .order_by(key)
    )


@capability_required("budget.view")
def line_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request)
    lines = BudgetLine.objects.visible_to(user).filter(year=year)
    by_agency = _totals(lines, "agency")
    by_source = _totals(lines, "source")
    by_category = _totals(lines, "category")
    grand = lines.aggregate(planned_sum=Sum("planned"), spent_sum=Sum("spent"), n=Count("id"))
    agency_names = {
        a.pk: a.short_name or a.name
        for a in Agency.objects.filter(pk__in=[r["agency"] for r in by_agency])
    }
    categories = {c.pk: c.name for c in BudgetCategory.objects.all()}
    sources = dict(FundingSource.choices)
    for r in by_agency:
        r["label"] = agency_names.get(r["agency"], "")
    for r in by_source:
        r["label"] = sources.get(r["source"], r["source"])
    for r in by_category:
        r["label"] = categories.get(r["category"], "")
    shown = lines.select_related("agency__unit", "category")
    filters = {
        "agency": request.GET.get("agency", ""),
        "category": request.GET.get("category", ""),
        "source": request.GET.get("source", ""),
    }
    if (agency_id := bounded_int(filters["agency"])) is not None:
        shown = shown.filter(agency_id=agency_id)
    if (category_id := bounded_int(filters["category"])) is not None:
        shown = shown.filter(category_id=category_id)
    if filters["source"] in FundingSource.values:
        shown = shown.filter(source=filters["source"])
    page = paginate(
        request,
        shown.order_by("agency__level", "agency__order", "category__order", "pk"),
        PAGE_SIZE,
    )
    return render(
        request,
        "budget/list.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, 2007, -1),
            "by_agency": sorted(by_agency, key=lambda r: -(r["planned_sum"] or 0)),
            "by_source": by_source,
            "by_category": by_category,
            "grand": grand,
            "page": page,
            "query": query_without_page(request),
            "filters": filters,
            "agency_choices": sorted(agency_names.items(), key=lambda kv: kv[1]),
            "category_choices": sorted(categories.items()),
            "source_choices": FundingSource.choices,
            "can_edit": user.can("budget.edit"),
        },
    )


def _agencies_for(user: Any) -> list[Agency]:
    """Agencies the user may record for (province-wide users: province and district level;
    agencies of every date, since budgets of past years are recorded too)."""
    candidates = Agency.objects.select_related("unit")
    if any(u.level == UnitLevel.PROVINCE for u in user.scope_units):
        own = [a.pk for a in user.agencies]
        candidates = candidates.filter(Q(level__lte=UnitLevel.DISTRICT) | Q(pk__in=own))
    return [a for a in candidates if actions.can_record(user, a)]


@capability_required("budget.edit")
def line_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    line = (
        get_object_or_404(BudgetLine.objects.visible_to(user).select_related("agency__unit"), pk=pk)
        if pk
        else None
    )
    if line is not None and not actions.can_record(user, line.agency):
        raise PermissionDenied
    agencies = _agencies_for(user)
    if line is not None and line.agency not in agencies:
        agencies.append(line.agency)
    initial = (
        BudgetLineForm.initial_for(line)
        if line
        else {
            "year": _year(request),
            "spent": 0,
            "agency": user.agencies[0].pk if user.agencies else None,
        }
    )
    form = BudgetLineForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            saved = actions.save_budget_line(line, actor=user, expected_version=version, **data)
            messages.success(request, _("Budget line saved."))
            return redirect(f"{reverse('budget:list')}?year={saved.year}")
        except EditConflict as exc:
            form.add_error(None, conflict_message(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request,
        "budget/form.html",
        {"form": form, "line": line},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@capability_required("budget.edit")
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.visible_to(request.user), pk=pk)
    try:
        actions.delete_budget_line(
            line, actor=request.user, expected_version=posted_version(request)
        )
        messages.success(request, _("Budget line deleted."))
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
    return redirect(f"{reverse('budget:list')}?year={line.year}")


@capability_required("budget.edit")
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if import_jobs.runs_in_background(data):
            job = import_jobs.start("budget.lines", data, actor=request.user, filename=upload.name)
            return redirect("imports:job", pk=job.pk)
        result = imports.parse(data, actor=request.user)
        if result.ok:
            count = actions.import_budget_lines(result.rows, actor=request.user)
            messages.success(request, _("%(n)s budget lines imported.") % {"n": count})
            years = sorted({r["year"] for r in result.rows})
            return redirect(f"{reverse('budget:list')}?year={years[-1]}")
        problems = result.problems
        if request.POST.get("as") == "xlsx":
            return xlsx_response(problems_workbook(problems), "loi-nhap-kinh-phi.xlsx")
    return render(request, "budget/import.html", {"form": form, "problems": problems})


@capability_required("budget.edit")
def import_template(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        raise Http404
    return xlsx_response(imports.spec().template(), "mau-kinh-phi.xlsx")
