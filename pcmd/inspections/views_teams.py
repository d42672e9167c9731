"""Pages for teams, inspection plans, "what to inspect next", tips and the catalogs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_stubs_ext import WithAnnotations

from pcmd.accounts.permissions import scope_paths
from pcmd.geo.subtree import under_q
from pcmd.registry.models import Establishment
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors, attempt, form_status, paginate, query_without_page

from . import actions
from .forms import (
    FindingItemForm,
    MemberForm,
    PlanForm,
    RiskFilterForm,
    RiskWeightsForm,
    TeamForm,
    TipForm,
)
from .models import FindingItem, Inspection, InspectionPlan, RiskWeights, Team, TeamMember, Tip
from .risk import active_weights, score_rows

RISK_PAGE_SIZE = 50


class Progress(TypedDict):
    inspected: int
    planned: int


if TYPE_CHECKING:
    PlanWithProgress = WithAnnotations[InspectionPlan, Progress]
else:  # read by drf-spectacular at run time, where WithAnnotations takes the model alone
    PlanWithProgress = InspectionPlan


def with_progress(
    plans: QuerySet[InspectionPlan],
) -> QuerySet[PlanWithProgress]:
    """Annotate ``inspected`` (distinct establishments the team inspected in the period) and
    ``planned`` (establishments on the plan's list), in the same query."""
    inspected = (
        Inspection.objects.filter(
            team=OuterRef("team"),
            is_deleted=False,
            date__gte=OuterRef("period_start"),
            date__lte=OuterRef("period_end"),
        )
        .order_by()
        .values("team")
        .annotate(n=Count("establishment", distinct=True))
        .values("n")
    )
    return plans.annotate(
        inspected=Coalesce(Subquery(inspected, output_field=IntegerField()), 0),
        planned=Count("establishments", distinct=True),
    )


def percent(done: int, target: int) -> int:
    return round(100 * done / target) if target else 100


# --- teams ------------------------------------------------------------------------------


@capability_required("inspections.view")
def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    teams = (
        Team.objects.visible_to(user)
        .select_related("unit", "lead_agency")
        .annotate(n_members=Count("members", distinct=True))
        .order_by("level", "unit__code", "name")
    )
    page = paginate(request, teams, 50)
    editable = set(Team.objects.editable_by(user).values_list("pk", flat=True))
    return render(
        request,
        "inspections/team_list.html",
        {
            "page": page,
            "editable": editable,
            "can_create": user.can("inspections.edit"),
        },
    )


@capability_required("inspections.view")
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    team = get_object_or_404(
        Team.objects.visible_to(user)
        .select_related("unit", "lead_agency")
        .prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.select_related("agency"))
        ),
        pk=pk,
    )
    plans = list(
        with_progress(InspectionPlan.objects.visible_to(user).filter(team=team)).order_by(
            "-period_start", "pk"
        )
    )
    for plan in plans:
        plan.percent = percent(plan.inspected, plan.target_count)
    recent = (
        Inspection.objects.visible_to(user)
        .filter(team=team)
        .select_related("establishment", "commune")[:10]
    )
    editable = Team.objects.editable_by(user).filter(pk=pk).exists()
    return render(
        request,
        "inspections/team_detail.html",
        {
            "team": team,
            "plans": plans,
            "recent": recent,
            "editable": editable,
            "member_form": MemberForm(team=team) if editable else None,
            "today": timezone.localdate(),
        },
    )


@capability_required("inspections.edit")
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = actions.create_team(
                actor=request.user,
                **{
                    k: data[k]
                    for k in ["name", "unit", "lead_agency", "active_from", "active_to", "decision"]
                },
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Team created."))
            return redirect("inspections:team", pk=team.pk)
    return render(
        request,
        "inspections/simple_form.html",
        {
            "form": form,
            "title": _("New inspection team"),
            "cancel_url": reverse("inspections:teams"),
        },
        status=form_status(form),
    )


@capability_required("inspections.edit")
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.editable_by(request.user), pk=pk)
    initial = {
        k: getattr(team, k)
        for k in ["name", "unit", "lead_agency", "active_from", "active_to", "decision"]
    }
    form = TeamForm(
        request.POST or None, user=request.user, initial={**initial, "version": team.version}
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = {k: data[k] for k in initial if data[k] != initial[k]}
        outcome = attempt(
            form,
            lambda: actions.update_team(
                team, actor=request.user, expected_version=data.get("version"), **changed
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("inspections:team", pk=team.pk)
    return render(
        request,
        "inspections/simple_form.html",
        {
            "form": form,
            "title": team.name,
            "cancel_url": reverse("inspections:team", args=[team.pk]),
        },
        status=form_status(form, outcome),
    )


@require_POST
@capability_required("inspections.edit")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.editable_by(request.user), pk=pk)
    form = MemberForm(request.POST, team=team)
    if form.is_valid():
        try:
            actions.add_member(team, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Member added."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label}: {' '.join(str(m) for m in e)}"
                for f, e in form.errors.items()
                if f in form.fields
            ),
        )
    return redirect("inspections:team", pk=pk)


@require_POST
@capability_required("inspections.edit")
def member_end(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.editable_by(request.user), pk=pk)
    member = get_object_or_404(team.members, pk=member_id)
    actions.end_member(member, actor=request.user)
    messages.success(request, _("The member has left the team."))
    return redirect("inspections:team", pk=pk)


# --- plans ------------------------------------------------------------------------------


@capability_required("inspections.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan: PlanWithProgress = get_object_or_404(
        with_progress(InspectionPlan.objects.visible_to(user)).select_related("team", "team__unit"),
        pk=pk,
    )
    plan.percent = percent(plan.inspected, plan.target_count)
    visits = Count(
        "inspections",
        filter=Q(
            inspections__team=plan.team,
            inspections__is_deleted=False,
            inspections__date__gte=plan.period_start,
            inspections__date__lte=plan.period_end,
        ),
    )
    planned = (
        Establishment.objects.visible_to(user)
        .filter(inspection_plans=plan)
        .select_related("kind", "commune")
        .annotate(visits=visits)
        .order_by("commune__code", "name", "pk")
    )
    page = paginate(request, planned, 100)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "editable": InspectionPlan.objects.editable_by(user).filter(pk=pk).exists(),
        },
    )


_PLAN_FIELDS = ["title", "period_start", "period_end", "target_count", "target_max", "notes"]


@capability_required("inspections.edit")
def plan_create(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.editable_by(request.user), pk=team_id)
    form = PlanForm(request.POST or None, user=request.user, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.create_plan(
                actor=request.user,
                team=team,
                establishments=data["establishments"],
                **{k: data[k] for k in _PLAN_FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("inspections:plan", pk=plan.pk)
    return render(
        request,
        "inspections/simple_form.html",
        {
            "form": form,
            "title": _("New inspection plan"),
            "subtitle": team.name,
            "cancel_url": reverse("inspections:team", args=[team.pk]),
        },
        status=form_status(form),
    )


@capability_required("inspections.edit")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        InspectionPlan.objects.editable_by(request.user).select_related("team", "team__unit"), pk=pk
    )
    initial: dict[str, Any] = {k: getattr(plan, k) for k in _PLAN_FIELDS}
    form = PlanForm(
        request.POST or None,
        user=request.user,
        team=plan.team,
        initial={
            **initial,
            "version": plan.version,
            "establishments": list(plan.establishments.all()),
        },
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.update_plan(
                plan,
                actor=request.user,
                expected_version=data.get("version"),
                establishments=data["establishments"],
                **{k: data[k] for k in _PLAN_FIELDS},
            ),
        )
        if outcome.ok:
            messages.success(request, _("Plan saved."))
            return redirect("inspections:plan", pk=plan.pk)
    return render(
        request,
        "inspections/simple_form.html",
        {
            "form": form,
            "title": plan.title,
            "subtitle": plan.team.name,
            "cancel_url": reverse("inspections:plan", args=[plan.pk]),
        },
        status=form_status(form, outcome),
    )


# --- what to inspect next ---------------------------------------------------------------


def default_team(user: Any) -> Team | None:
    """The widest team inside the user's scope, else the narrowest one above it."""
    teams = list(Team.objects.visible_to(user).select_related("unit"))
    inside = [t for t in teams if user.sees_unit(t.unit)]
    if inside:
        return min(inside, key=lambda t: (t.level, t.pk))
    return max(teams, key=lambda t: (t.level, -t.pk), default=None)


def province_path(path: str) -> str:
    parts = [p for p in path.strip("/").split("/") if p]
    return f"/{parts[0]}/" if parts else "/"


@capability_required("inspections.view")
def risk_next(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    data = request.GET.copy()
    if not data.get("team"):
        fallback = default_team(user)
        if fallback is not None:
            data["team"] = str(fallback.pk)
    form = RiskFilterForm(data, user=user)
    team, on = None, timezone.localdate()
    if form.is_valid():
        team = form.cleaned_data["team"]
        on = form.cleaned_data["on"] or on
    establishments = Establishment.objects.visible_to(user)
    area_path = "/"
    if team is not None:
        establishments = establishments.filter(under_q("commune", [team.unit.path]))
        area_path = team.unit.path
    elif paths := scope_paths(user):
        area_path = paths[0]
    weights = active_weights()
    rows = score_rows(
        establishments,
        on,
        weights=weights,
        province_paths=[province_path(area_path)],
        name_hotspots=user.can("hotspots.view"),
    )
    return render(
        request,
        "inspections/risk.html",
        {
            "form": form,
            "team": team,
            "on": on,
            "page": paginate(request, rows, RISK_PAGE_SIZE),
            "weights": weights,
            "query": query_without_page(request),
            "can_edit": user.can("inspections.edit"),
            "can_edit_weights": user.can("catalogs.edit"),
        },
    )


# --- tips -------------------------------------------------------------------------------


@capability_required("inspections.view")
def tip_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tips = Tip.objects.visible_to(request.user).select_related("establishment", "commune")
    page = paginate(request, tips, 50)
    return render(
        request,
        "inspections/tip_list.html",
        {"page": page, "can_edit": request.user.can("inspections.edit")},
    )


@capability_required("inspections.edit")
def tip_create(request: HttpRequest) -> HttpResponse:
    form = TipForm(
        request.POST or None, user=request.user, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_tip(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tip recorded."))
            return redirect("inspections:tips")
    return render(
        request,
        "inspections/simple_form.html",
        {"form": form, "title": _("Record a tip"), "cancel_url": reverse("inspections:tips")},
        status=form_status(form),
    )


# --- catalogs (administrators) ----------------------------------------------------------


@capability_required("catalogs.edit")
def finding_items(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/finding_items.html", {"items": FindingItem.objects.all()})


@capability_required("catalogs.edit")
def finding_item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = get_object_or_404(FindingItem, pk=pk) if pk else None
    form = FindingItemForm(
        request.POST or None, instance=FindingItem.objects.get(pk=pk) if pk else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_finding_item(
                item, actor=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("inspections:finding_items")
    return render(
        request,
        "inspections/simple_form.html",
        {
            "form": form,
            "title": item.name if item else _("New checklist item"),
            "cancel_url": reverse("inspections:finding_items"),
        },
        status=form_status(form),
    )


@capability_required("catalogs.edit")
def weights_edit(request: HttpRequest) -> HttpResponse:
    weights = active_weights()  # unsaved defaults until an administrator saves them
    form = RiskWeightsForm(
        request.POST or None,
        instance=RiskWeights.objects.get(pk=weights.pk) if weights.pk else RiskWeights(),
        initial={"version": weights.version},
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.update_risk_weights(
                weights,
                actor=request.user,
                expected_version=data.get("version"),
                **{k: data[k] for k in RiskWeightsForm.Meta.fields},
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("inspections:risk")
    return render(
        request,
        "inspections/simple_form.html",
        {"form": form, "title": _("Risk score weights"), "cancel_url": reverse("inspections:risk")},
        status=form_status(form, outcome),
    )
