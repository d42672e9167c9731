"""Pages of plans: the list, a plan's page with its comments and the workflow buttons (submit,
send back, issue, close, delete a draft). Thin: parse, call an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.models import User
from pcmd.accounts.permissions import allows
from pcmd.agencies.models import AgencyKind
from pcmd.core.concurrency import EditConflict
from pcmd.geo.models import UnitLevel
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, cleaned, conflict_message, form_status, required_version

from . import actions
from .forms import CommentForm, IssueForm, PlanFilterForm, ReturnForm
from .models import BINDING, Plan, PlanComment, PlanStatus, TaskGroup


def related_agency_codes(user: User) -> set[str]:
    """Codes of the plan headings that concern the user's agencies."""
    codes: set[str] = set()
    for agency in user.agencies:
        codes.add(agency.code)
        if agency.parent is not None:
            codes.add(agency.parent.code)
        if agency.level == UnitLevel.DISTRICT and agency.kind == AgencyKind.PEOPLES_COMMITTEE:
            codes.add("UBND_HUYEN")
        if agency.kind == AgencyKind.INTERAGENCY_TEAM:
            codes.add("DOI_178_TINH")
    return codes


def readable_plan(user: Any, pk: int) -> Plan:
    """The plan ``pk`` if the user may read it (404 otherwise: no hint it exists)."""
    return get_object_or_404(
        Plan.objects.visible_to(user).select_related("issuer", "unit", "parent", "copied_from"),
        pk=pk,
    )


def may(user: Any, plan: Plan) -> dict[str, bool]:
    """What the user may do with the plan now (the buttons the page shows)."""
    edit = allows(user, "plan.edit", obj=plan)
    issue = allows(user, "plan.issue", obj=plan)
    return {
        "edit": edit and plan.is_editable,
        "copy": allows(user, "plan.edit"),
        "comment": plan.is_editable and allows(user, "plan.comment", unit=plan.unit),
        "resolve": edit,
        "submit": edit and plan.status == PlanStatus.DRAFT,
        "send_back": (edit or issue) and plan.status == PlanStatus.REVIEW,
        "issue": issue and plan.status == PlanStatus.REVIEW,
        "close": issue and plan.status == PlanStatus.ISSUED,
        "delete": edit and plan.status == PlanStatus.DRAFT,
    }


@capability_required("plan.view")
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PlanFilterForm(request.GET or None)
    data = cleaned(form)
    rows = Plan.objects.visible_to(user).select_related("issuer", "unit")
    if data.get("plan_type"):
        rows = rows.filter(plan_type=data["plan_type"])
    if data.get("year"):
        year = data["year"]
        rows = rows.filter(period_start__year__lte=year, period_end__year__gte=year)
    plans = list(rows.order_by("-period_start", "-period_end", "-issued_on", "pk"))
    if data.get("status"):
        plans = [p for p in plans if p.status_on() == data["status"]]
    return render(
        request,
        "plans/list.html",
        {"plans": plans, "form": form, "may_copy": allows(user, "plan.edit")},
    )


def _detail_context(request: AuthenticatedHttpRequest, plan: Plan) -> dict[str, Any]:
    plan = (
        Plan.objects.filter(pk=plan.pk)
        .select_related("issuer", "unit", "parent", "copied_from")
        .prefetch_related(
            "objectives",
            "solution_areas",
            "targets__responsible",
            "targets__parent__plan",
            Prefetch(
                "task_groups",
                queryset=TaskGroup.objects.select_related("lead").prefetch_related(
                    "agencies", "tasks"
                ),
            ),
        )
        .get()
    )
    mine = related_agency_codes(request.user)
    targets = list(plan.targets.all())
    groups = list(plan.task_groups.all())
    for g in groups:
        g.supporting = [a for a in g.agencies.all() if a.pk != g.lead_id]  # type: ignore[attr-defined]
    current = [g for g in groups if not g.withdrawn]
    own = [g for g in current if {a.code for a in g.agencies.all()} & mine]
    allowed = may(request.user, plan)
    return {
        "plan": plan,
        "targets": [t for t in targets if not t.withdrawn],
        "withdrawn_targets": [t for t in targets if t.withdrawn],
        "own_groups": own,
        "other_groups": [g for g in current if g not in own],
        "withdrawn_groups": [g for g in groups if g.withdrawn],
        "comments": plan.comments.select_related("author", "agency"),
        "may": allowed,
        "comment_form": CommentForm() if allowed["comment"] else None,
        "is_binding": plan.status in BINDING,
        # the annual review report is the province's: for readers of the whole province
        "may_review": plan.unit is not None
        and plan.status in BINDING
        and allows(request.user, "reports.view", unit=plan.unit),
        "first_target": targets[0] if targets else None,
    }


@capability_required("plan.view")
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    return render(request, "plans/detail.html", _detail_context(request, plan))


def _done(request: AuthenticatedHttpRequest, plan_pk: int, run: Any, message: str) -> HttpResponse:
    """Run a button's action; its refusal becomes a message on the plan's page."""
    try:
        run()
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect("plans:detail", plan_pk)


@require_POST
@capability_required("plan.comment")
def add_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.comment(plan, data["text"], actor=request.user, about=data["about"]),
        )
        if outcome.ok:
            messages.success(request, _("Comment saved."))
            return redirect("plans:detail", plan.pk)
    context = _detail_context(request, plan)
    context["comment_form"] = form
    return render(request, "plans/detail.html", context, status=form_status(form))


@require_POST
@capability_required("plan.edit")
def resolve_comment(request: AuthenticatedHttpRequest, pk: int, comment_id: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    note = get_object_or_404(PlanComment, plan=plan, pk=comment_id)
    resolved = request.POST.get("resolved") == "1"
    return _done(
        request,
        plan.pk,
        lambda: actions.resolve_comment(note, actor=request.user, resolved=resolved),
        _("Comment marked as taken into account.") if resolved else _("Comment reopened."),
    )


@require_POST
@capability_required("plan.edit")
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    version = required_version(request)
    return _done(
        request,
        plan.pk,
        lambda: actions.submit(plan, actor=request.user, version=version),
        _("The draft was submitted for issue."),
    )


@require_POST
@capability_required("plan.issue")
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    version = required_version(request)
    return _done(
        request,
        plan.pk,
        lambda: actions.close(plan, actor=request.user, version=version),
        _("The plan was closed."),
    )


@require_POST
@capability_required("plan.edit")
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    version = required_version(request)
    try:
        actions.delete_draft(plan, actor=request.user, version=version)
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The draft was deleted."))
        return redirect("plans:list")
    return redirect("plans:detail", plan.pk)


def _workflow_page(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    form_class: type[ReturnForm] | type[IssueForm],
    allowed: str,
    run: Any,
    done: str,
    title: str,
) -> HttpResponse:
    """A page with one workflow form (send back, issue)."""
    plan = readable_plan(request.user, pk)
    if not may(request.user, plan)[allowed]:
        raise PermissionDenied
    initial = {
        "version": plan.version,
        "signer_title": plan.signer_title,
        "signer_authority": plan.signer_authority,
    }
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(form, lambda: run(plan, data))
            if outcome.ok:
                messages.success(request, done)
                return redirect("plans:detail", plan.pk)
            status = form_status(form, outcome)
        else:
            status = 400
    return render(
        request,
        "plans/workflow_form.html",
        {"plan": plan, "form": form, "title": title},
        status=status,
    )


@capability_required("plan.view")
def send_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _workflow_page(
        request,
        pk,
        form_class=ReturnForm,
        allowed="send_back",
        run=lambda plan, d: actions.return_to_draft(
            plan, actor=request.user, reason=d["reason"], version=d["version"]
        ),
        done=_("The draft was sent back."),
        title=_("Send the draft back"),
    )


@capability_required("plan.issue")
def issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _workflow_page(
        request,
        pk,
        form_class=IssueForm,
        allowed="issue",
        run=lambda plan, d: actions.issue(
            plan,
            actor=request.user,
            number=d["number"],
            issued_on=d["issued_on"],
            signer_name=d["signer_name"],
            signer_title=d["signer_title"],
            signer_authority=d["signer_authority"],
            version=d["version"],
        ),
        done=_("The plan was issued."),
        title=_("Issue the plan"),
    )
