"""The support case page: the person (identity per the rules, consent panel), needs
assessments, the service plan, services, referrals, follow-ups, transfers, closure and
reopening. Each form posts to ``support:case_step``; an error shows the page again with the
form's field messages (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import holds
from pcmd.accounts.roles import Capability as C
from pcmd.people import access
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt

from . import cases
from .forms_cases import (
    AssessForm,
    CloseForm,
    FollowUpForm,
    GoalForm,
    GoalStatusForm,
    ReferForm,
    ReopenForm,
    ServiceForm,
    TransferForm,
    need_label,
)
from .models import NEED_DOMAINS, CaseStatus, SupportCase
from .views_cases import visible_case

# The forms of the case page: step name → (form class, whether it needs an open case).
STEPS: dict[str, tuple[type[forms.Form], bool]] = {
    "assess": (AssessForm, True),
    "goal": (GoalForm, True),
    "goal_status": (GoalStatusForm, False),
    "service": (ServiceForm, True),
    "refer": (ReferForm, True),
    "followup": (FollowUpForm, True),
    "transfer": (TransferForm, True),
    "close": (CloseForm, True),
    "reopen": (ReopenForm, False),
}


def may_override(user: Any, case: SupportCase) -> bool:
    return holds(user, C.OVERRIDE_CONSENT, case.unit)


def _form(step: str, case: SupportCase, user: Any, data: Any = None) -> forms.Form:
    form_class, _open_only = STEPS[step]
    kwargs: dict[str, Any] = {}
    if form_class is TransferForm:
        kwargs["case"] = case
    if form_class is ReferForm:
        kwargs["may_override"] = may_override(user, case)
    if form_class in (ServiceForm, ReferForm):
        kwargs["user"] = user  # their pick lists hold the user's province's agencies
    today = timezone.localdate()
    initial = {
        "on": today,
        "started_on": today,
        "sent_on": today,
        "done_on": today,
    }
    return form_class(data, initial=initial, prefix=step, **kwargs)


def case_context(
    request: AuthenticatedHttpRequest, case: SupportCase, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    is_open = case.status == CaseStatus.OPEN
    shown = [s for s, (_c, open_only) in STEPS.items() if is_open or not open_only]
    if is_open:
        shown.remove("reopen")
    else:
        shown = ["reopen", "goal_status"]
    context_forms = {s: bound.get(s) or _form(s, case, user) for s in shown}
    context_forms |= bound  # a form sent back with its errors shows even when out of turn
    assessments = list(case.assessments.select_related("by"))
    return {
        "case": case,
        "person": case.person,
        "revealed": access.reveal_many(user, [case.person], "page", path=request.path),
        "is_open": is_open,
        "today": today,
        "forms": context_forms,
        "domains": [(d, need_label(d)) for d in NEED_DOMAINS],
        "assessments": [
            {
                "row": a,
                "levels": [(need_label(d), getattr(a, f"get_{d}_display")()) for d in NEED_DOMAINS],
            }
            for a in assessments
        ],
        "goals": list(case.goals.all()),
        "services": list(case.services.select_related("type", "provider")),
        "referrals": list(case.referrals.select_related("type", "to_agency", "override")),
        "followups": list(case.followups.select_related("by")),
        "transfers": list(
            case.transfers.select_related("from_unit", "to_unit", "from_worker", "to_worker")
        ),
        "may_override": may_override(user, case),
    }


@capability_required("support.cases")
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request.user, pk)
    return render(request, "support/cases/detail.html", case_context(request, case, {}))


def _run(step: str, user: Any, case: SupportCase, form: forms.Form) -> Callable[[], Any]:
    data = form.cleaned_data
    if step == "assess":
        assert isinstance(form, AssessForm)
        return lambda: cases.assess(
            user, case, on=data["on"], levels=form.levels(), note=data["note"]
        )
    if step == "goal":
        return lambda: cases.add_goal(
            user, case, domain=data["domain"], text=data["text"], due_on=data["due_on"]
        )
    if step == "goal_status":
        goal = get_object_or_404(case.goals, pk=data["goal"])
        return lambda: cases.set_goal_status(user, goal, status=data["status"])
    if step == "service":
        assert isinstance(form, ServiceForm)
        return lambda: cases.record_service(
            user, case, type=data["type"], started_on=data["started_on"], values=form.values()
        )
    if step == "refer":
        return lambda: cases.refer(
            user,
            case,
            type=data["type"],
            to_name=data["to_name"],
            to_agency=data["to_agency"],
            sent_on=data["sent_on"],
            override_reason=data.get("override_reason") or "",
        )
    if step == "followup":
        return lambda: cases.record_followup(
            user, case, done_on=data["done_on"], kind=data["kind"], note=data["note"]
        )
    if step == "transfer":
        return lambda: cases.transfer(
            user,
            case,
            to_unit=data["to_unit"],
            to_worker=data["to_worker"],
            on=data["on"],
            reason=data["reason"],
        )
    if step == "close":
        return lambda: cases.close_case(user, case, outcome=data["outcome"], on=data["on"])
    return lambda: cases.reopen(user, case, on=data["on"], reason=data["reason"])


DONE = {
    "assess": _("Needs assessment recorded."),
    "goal": _("Goal added."),
    "goal_status": _("Goal updated."),
    "service": _("Service recorded."),
    "refer": _("Referral sent."),
    "followup": _("Contact recorded."),
    "transfer": _("Case transferred."),
    "close": _("Case closed."),
    "reopen": _("Case reopened."),
}


@require_POST
@capability_required("support.cases")
def case_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    user = request.user
    if step not in STEPS:
        raise Http404
    case = visible_case(user, pk)
    form = _form(step, case, user, request.POST)
    if form.is_valid():
        outcome = attempt(form, _run(step, user, case, form))
        if outcome.ok:
            messages.success(request, str(DONE[step]))
            if (
                step == "transfer"
                and not SupportCase.objects.visible_to(user).filter(pk=case.pk).exists()
            ):
                return redirect("support:cases")
            return redirect(f"{case_url(case)}#{step}")
    case.refresh_from_db()
    return render(
        request,
        "support/cases/detail.html",
        case_context(request, case, {step: form}) | {"failed": step},
        status=400,
    )


def case_url(case: SupportCase) -> str:
    return reverse("support:case", args=[case.pk])
