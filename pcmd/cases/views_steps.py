"""The action panel of the case page: decide, extend, suspend, resume (the owner of the open
stage only) and the trial (the court). A refused input shows the case page again with the
errors on their fields (400); an edit conflict on the trial is a 409."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import allows
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, form_status

from . import actions, rules
from .forms import DecideForm, ExtendForm, ResumeForm, TrialForm
from .models import Case, Decision
from .views_cases import case_context


def _case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def _panel_stage(case: Case) -> str | None:
    """The stage whose owner acts now: the open one, or the one suspended."""
    current = case.current_step()
    if current is not None:
        return current.stage
    last = case.steps.order_by("-pk").first()
    return last.stage if last is not None and last.decision == Decision.SUSPEND else None


def _own_agency(user: Any, stage: str) -> Any:
    """The decider's agency of the stage owner's kind (police, procuracy, court), if any."""
    kind = rules.OWNERS.get(stage)
    return next((a for a in user.agencies if a.kind == kind), None)


def _require_owner(request: AuthenticatedHttpRequest, case: Case) -> str:
    stage = _panel_stage(case)
    if stage is None or not allows(request.user, rules.capability_for(stage), obj=case):
        raise PermissionDenied
    return stage


def _run(
    request: AuthenticatedHttpRequest,
    case: Case,
    form: forms.Form,
    name: str,
    write: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Validate ``form``, run ``write``; on success back to the case, else the case page with
    ``form`` (as ``name``) showing its errors."""
    outcome = None
    if form.is_valid():
        data = form.cleaned_data
        outcome = attempt(form, lambda: write(data))
        if outcome.ok:
            messages.success(request, done)
            return redirect("cases:detail", pk=case.pk)
    case.refresh_from_db()
    context = case_context(request, case)
    context[name] = form
    context["panel_error"] = name
    return render(request, "cases/detail.html", context, status=form_status(form, outcome))


@require_POST
@capability_required("cases.view")
def case_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, pk)
    stage = _require_owner(request, case)
    form = DecideForm(request.POST, stage=stage)
    return _run(
        request,
        case,
        form,
        "decide_form",
        lambda d: actions.decide(
            user,
            case,
            decision=d["decision"],
            on=d["on"],
            document=d["document"],
            reason=d["reason"],
            agency=_own_agency(user, stage),
        ),
        _("Decision recorded."),
    )


@require_POST
@capability_required("cases.view")
def case_extend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, pk)
    _require_owner(request, case)
    form = ExtendForm(request.POST)
    return _run(
        request,
        case,
        form,
        "extend_form",
        lambda d: actions.extend(user, case, reason=d["reason"]),
        _("Time limit extended."),
    )


@require_POST
@capability_required("cases.view")
def case_resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, pk)
    _require_owner(request, case)
    form = ResumeForm(request.POST)
    return _run(
        request,
        case,
        form,
        "resume_form",
        lambda d: actions.resume(user, case, on=d["on"]),
        _("Case resumed."),
    )


@require_POST
@capability_required("cases.try")
def case_trial(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, pk)
    if not allows(user, "cases.try", obj=case):
        raise PermissionDenied
    form = TrialForm(request.POST, user=user)
    return _run(
        request,
        case,
        form,
        "trial_form",
        lambda d: actions.record_trial(
            user, case, values=TrialForm.values_of(d), version=d.get("version")
        ),
        _("Trial recorded."),
    )
