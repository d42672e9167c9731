"""Inspection pages: list, detail, the phone-sized field form, attachments. Views stay thin:
parse, call an action or a scoped query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.geo.subtree import under_q
from pcmd.registry.models import Establishment
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors, attempt, form_status, paginate, query_without_page

from . import actions, followups
from .forms import (
    AttachmentForm,
    DeleteForm,
    InspectionFilterForm,
    InspectionForm,
    finding_field_name,
)
from .models import Answer, AttachmentKind, FindingItem, Inspection, Team, TeamMember

PAGE_SIZE = 50


def filtered_inspections(user: Any, form: InspectionFilterForm) -> QuerySet[Inspection]:
    qs = Inspection.objects.visible_to(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["team"]:
            qs = qs.filter(team=data["team"])
        if data.get("district"):
            qs = qs.filter(under_q("commune", [data["district"].path]))
        if data.get("commune"):
            qs = qs.filter(commune=data["commune"])
        if data["date_from"]:
            qs = qs.filter(date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(date__lte=data["date_to"])
        if data["result"]:
            qs = qs.filter(result=data["result"])
    return qs


@capability_required("inspections.view")
def inspection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = InspectionFilterForm(request.GET or None, user=user)
    qs = (
        filtered_inspections(user, form)
        .select_related(
            "team", "establishment", "establishment__kind", "commune", "commune__parent"
        )
        .annotate(n_violations=Count("violations", filter=Q(violations__is_deleted=False)))
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "form": form,
            "page": paginate(request, qs, PAGE_SIZE),
            "query": query_without_page(request),
            "can_edit": user.can("inspections.edit"),
        },
    )


def _detail_queryset(user: Any) -> QuerySet[Inspection]:
    return (
        Inspection.objects.visible_to(user)
        .select_related(
            "team",
            "team__unit",
            "establishment",
            "establishment__kind",
            "commune",
            "commune__parent",
            "plan",
            "recorded_by",
        )
        .prefetch_related(
            Prefetch("findings__item"),
            Prefetch("members_present", queryset=TeamMember.objects.select_related("agency")),
            "attachments",
        )
    )


@capability_required("inspections.view")
def inspection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = get_object_or_404(_detail_queryset(user), pk=pk)
    violations: list[Any] = []
    if user.can("enforcement.view"):
        violations = list(
            inspection.violations.visible_to(user)
            .select_related("violation_type")
            .prefetch_related("sanctions")
        )
    editable = Inspection.objects.editable_by(user).filter(pk=pk).exists()
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "violations": violations,
            "editable": editable,
            "attachment_form": AttachmentForm() if editable else None,
            "delete_form": DeleteForm() if editable else None,
            "can_add_violation": user.can("enforcement.edit") and editable,
            "not_ok": [f for f in inspection.findings.all() if f.answer == Answer.NOT_OK],
        },
    )


def _violation_types(user: Any) -> QuerySet[Any] | None:
    if not user.can("enforcement.edit"):
        return None
    return followups.violations().types()


def _default_team(user: Any, establishment: Establishment | None) -> Team | None:
    """The narrowest team that works where the establishment is (commune, then district…);
    without an establishment, the user's own team: the one team at the broadest level they
    record for (a Team 178 member's team, a district officer's district team)."""
    teams = list(
        Team.objects.editable_by(user).select_related("unit").active_on(timezone.localdate())
    )
    if establishment is not None:
        covering = [t for t in teams if t.covers(establishment.commune)]
        return max(covering, key=lambda t: (t.level, -t.pk), default=None)
    if not teams:
        return None
    broadest = min(t.level for t in teams)
    own = [t for t in teams if t.level == broadest]
    return own[0] if len(own) == 1 else None


@capability_required("inspections.edit")
def inspection_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = list(FindingItem.objects.filter(is_active=True))
    initial: dict[str, Any] = {"date": timezone.localdate()}
    establishment = None
    if request.GET.get("establishment", "").isdecimal():
        establishment = (
            Establishment.objects.visible_to(user)
            .select_related("commune")
            .filter(pk=request.GET["establishment"])
            .first()
        )
        if establishment is not None:
            initial["establishment"] = establishment
    initial["team"] = _default_team(user, establishment)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        items=items,
        violation_types=_violation_types(user),
        with_files=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        findings = form.findings()
        if not form.errors:
            data = form.cleaned_data
            try:
                inspection = _record(user, data, findings)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Inspection recorded."))
                return redirect("inspections:detail", pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "is_new": True,
        },
        status=form_status(form),
    )


def _record(user: Any, data: dict[str, Any], findings: dict[Any, Any]) -> Inspection:
    """One inspection with its files and, optionally, the violation found."""
    violation = None
    if data.get("add_violation"):
        violation = actions.FoundViolation(
            violation_type=data["violation_type"],
            subject_kind=data["subject_kind"],
            people_count=data.get("people_count") or 1,
            description=data.get("violation_description") or "",
        )
    return actions.record_inspection_with_findings(
        actor=user,
        team=data["team"],
        establishment=data["establishment"],
        date=data["date"],
        result=data["result"],
        members=data["members_present"],
        findings=findings,
        summary=data["summary"],
        follow_up_needed=data["follow_up_needed"],
        follow_up_note=data["follow_up_note"],
        attachments=data.get("files") or [],
        attachment_kind=data.get("file_kind") or AttachmentKind.PHOTO,
        violation=violation,
    )


@capability_required("inspections.edit")
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = get_object_or_404(
        Inspection.objects.editable_by(user)
        .select_related("establishment", "team")
        .prefetch_related("findings", "members_present"),
        pk=pk,
    )
    items = list(
        FindingItem.objects.filter(
            Q(is_active=True) | Q(findings__inspection=inspection)
        ).distinct()
    )
    initial: dict[str, Any] = {
        "version": inspection.version,
        "date": inspection.date,
        "establishment": inspection.establishment,
        "team": inspection.team,
        "members_present": list(inspection.members_present.all()),
        "result": inspection.result,
        "summary": inspection.summary,
        "follow_up_needed": inspection.follow_up_needed,
        "follow_up_note": inspection.follow_up_note,
    }
    by_item = {f.item_id: f for f in inspection.findings.all()}
    for item in items:
        if item.pk in by_item:
            initial[finding_field_name(item)] = by_item[item.pk].answer
            initial[f"{finding_field_name(item)}_note"] = by_item[item.pk].note
    form = InspectionForm(request.POST or None, user=user, items=items, initial=initial)
    outcome = None
    if request.method == "POST" and form.is_valid():
        findings = form.findings()
        if not form.errors:
            data = form.cleaned_data
            fields = [
                "date",
                "team",
                "establishment",
                "result",
                "summary",
                "follow_up_needed",
                "follow_up_note",
            ]
            outcome = attempt(
                form,
                lambda: actions.update_inspection(
                    inspection,
                    actor=user,
                    expected_version=data.get("version"),
                    members=data["members_present"],
                    findings=findings,
                    **{f: data[f] for f in fields},
                ),
            )
            if outcome.ok:
                messages.success(request, _("Changes saved."))
                return redirect("inspections:detail", pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "is_new": False,
            "inspection": inspection,
        },
        status=form_status(form, outcome),
    )


@require_POST
@capability_required("inspections.edit")
def inspection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.editable_by(request.user), pk=pk)
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            actions.delete_inspection(
                inspection, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("inspections:detail", pk=pk)
        messages.success(request, _("Inspection removed."))
        return redirect("inspections:list")
    messages.error(request, _("Give the reason."))
    return redirect("inspections:detail", pk=pk)


# --- attachments ------------------------------------------------------------------------


@require_POST
@capability_required("inspections.edit")
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.editable_by(request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachments(
                inspection,
                form.cleaned_data["files"],
                actor=request.user,
                kind=form.cleaned_data["file_kind"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Files attached."))
            return redirect("inspections:detail", pk=pk)
    inspection = get_object_or_404(_detail_queryset(request.user), pk=pk)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "violations": [],
            "editable": True,
            "attachment_form": form,
            "delete_form": DeleteForm(),
        },
        status=400,
    )


@require_POST
@capability_required("inspections.edit")
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.editable_by(request.user), pk=pk)
    attachment = get_object_or_404(inspection.attachments, pk=attachment_id)
    actions.remove_attachment(attachment, actor=request.user)
    messages.success(request, _("File removed."))
    return redirect("inspections:detail", pk=pk)


@capability_required("inspections.view")
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """Files are never at a public URL: only who may see the inspection gets them."""
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(inspection.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = attachment.content_type.startswith("image/") and "download" not in request.GET
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
