"""Case files: the list with its filters, the case page (summary, links, timeline of stages,
persons, the action panel of the stage's owner) and the case form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import allows
from pcmd.geo.subtree import under_q
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, form_status, paginate, query_without_page

from . import actions, legal, rules
from .forms import CaseFilterForm, CaseForm, DecideForm, ExtendForm, ResumeForm, TrialForm
from .identities import reveal_adults
from .models import Case, Decision, PartyRole, Stage, Standing, Step, Trial

PAGE_SIZE = 50


def filtered_cases(user: Any, form: CaseFilterForm) -> QuerySet[Case]:
    today = timezone.localdate()
    open_steps = Step.objects.filter(case=OuterRef("pk"), decided_on__isnull=True).order_by("-pk")
    qs = Case.objects.visible_to(user).annotate(open_due=Subquery(open_steps.values("due_on")[:1]))
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data.get("year"):
        qs = qs.filter(detected_on__year=data["year"])
    if data.get("district"):
        qs = qs.filter(under_q("commune", [data["district"].path]))
    if data.get("commune"):
        qs = qs.filter(commune=data["commune"])
    if data.get("stage"):
        qs = qs.filter(stage=data["stage"])
    if data.get("offence"):
        qs = qs.filter(offences=data["offence"])
    if data.get("handled") == "yes":
        qs = qs.filter(handled_on__isnull=False)
    elif data.get("handled") == "no":
        qs = qs.filter(handled_on__isnull=True)
    if data.get("overdue"):
        qs = qs.filter(open_due__lt=today)
    return qs


@capability_required("cases.view")
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = CaseFilterForm(request.GET or None, user=user)
    rows = (
        filtered_cases(user, form)
        .select_related("commune", "commune__parent", "ring")
        .prefetch_related("offences")
        .distinct()
    )
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": paginate(request, rows, PAGE_SIZE),
            "query": query_without_page(request),
            "today": timezone.localdate(),
            "can_edit": user.can("cases.edit"),
        },
    )


def _visible(user: Any, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(user).select_related(
            "commune", "commune__parent", "detected_by", "ring", "ring__unit"
        ),
        pk=pk,
    )


def case_context(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any]:
    """What the case page shows; the forms of the action panel only to the stage's owner."""
    user = request.user
    today = timezone.localdate()
    steps = list(case.steps.select_related("agency", "decided_by").order_by("started_on", "pk"))
    current = next((s for s in reversed(steps) if s.decided_on is None), None)
    last = steps[-1] if steps else None
    suspended = current is None and last is not None and last.decision == Decision.SUSPEND
    panel_stage = current.stage if current else (last.stage if suspended and last else None)
    owner = panel_stage is not None and allows(user, rules.capability_for(panel_stage), obj=case)
    parties = list(case.parties.select_related("person").order_by("pk"))
    minors = {p.person_id for p in parties if p.is_minor}
    trial = Trial.objects.filter(case=case).select_related("court", "location").first()
    at_trial = case.stage in (Stage.TRIAL, Stage.ENFORCEMENT, Stage.CLOSED)
    may_try = at_trial and allows(user, "cases.try", obj=case)
    may_edit = allows(user, "cases.edit", obj=case)
    may_charge = any(
        allows(user, cap, obj=case) for cap in ("cases.edit", "cases.prosecute", "cases.try")
    )
    limits = legal.stage_limits()
    context: dict[str, Any] = {
        "case": case,
        "steps": steps,
        "current": current,
        "suspended": suspended,
        "source": limits[current.stage].source if current and current.stage in limits else "",
        "today": today,
        "parties": parties,
        "revealed": reveal_adults(user, [p.person for p in parties], minors, path=request.path),
        "trial": trial,
        "offences": list(case.offences.all()),
        "establishments": list(case.establishments.select_related("commune")),
        "hotspots": list(case.hotspots.all()),
        "inspections": list(case.inspections.select_related("establishment")),
        "violations": list(case.violations.select_related("violation_type")),
        "owner": owner,
        "may_edit": may_edit,
        "may_charge": may_charge,
        "may_sentence": allows(user, "cases.try", obj=case),
        "may_try": may_try,
        "role_choices": PartyRole.choices,
        "standing_choices": Standing.choices,
    }
    if owner and current is not None:
        context["decide_form"] = DecideForm(stage=current.stage, initial={"on": today})
        context["extend_form"] = ExtendForm()
    if owner and suspended:
        context["resume_form"] = ResumeForm(initial={"on": today})
    if may_try:
        initial: dict[str, Any] = {"version": trial.version} if trial else {}
        if trial:
            initial.update({n: getattr(trial, n) for n in actions.TRIAL_FIELDS})
        context["trial_form"] = TrialForm(initial=initial, user=user)
    return context


@capability_required("cases.view")
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _visible(request.user, pk)
    return render(request, "cases/detail.html", case_context(request, case))


@capability_required("cases.edit")
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"detected_on": timezone.localdate()}
    ring = request.GET.get("ring", "")
    if ring.isdecimal():
        initial["ring"] = ring
    form = CaseForm(request.POST or None, user=user, initial=initial)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            form, lambda: actions.create_case(user, values=form.values(), links=form.links())
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("Case recorded."))
            return redirect("cases:detail", pk=outcome.value.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": _("Record a case"), "cancel_url": reverse("cases:list")},
        status=form_status(form, outcome),
    )


@capability_required("cases.edit")
def case_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _visible(user, pk)
    if not allows(user, "cases.edit", obj=case):
        raise PermissionDenied
    initial: dict[str, Any] = {
        "version": case.version,
        "title": case.title,
        "commune": case.commune,
        "detected_on": case.detected_on,
        "detected_by": case.detected_by,
        "origin": case.origin,
        "ring": case.ring,
    }
    for name in ("offences", "establishments", "hotspots", "inspections", "violations"):
        initial[name] = list(getattr(case, name).all())
    area = case.commune.parent or case.commune
    form = CaseForm(request.POST or None, user=user, initial=initial, area=area)
    outcome = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        outcome = attempt(
            form,
            lambda: actions.update_case(
                user, case, version=version, values=form.values(), links=form.links()
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("cases:detail", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "case": case,
            "title": _("Edit case %(code)s") % {"code": case.code},
            "cancel_url": reverse("cases:detail", args=[pk]),
        },
        status=form_status(form, outcome),
    )
