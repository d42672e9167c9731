"""Pages for communication activities (list with commune coverage, form, detail, import)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.policy import may_change
from pcmd.agencies.models import Agency
from pcmd.core import import_jobs
from pcmd.core.concurrency import EditConflict
from pcmd.core.xlsx_import import ImportSpec
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
    xlsx_response,
)

from . import actions
from .forms import ActivityFilterForm, ActivityForm, ImportForm
from .imports import activity_spec
from .models import Activity, Attachment
from .stats import commune_coverage

PAGE_SIZE = 50
FIELDS = [
    "date",
    "unit",
    "agency",
    "organiser_detail",
    "form",
    "title",
    "participants",
    "copies",
    "notes",
]


def import_page(
    request: HttpRequest,
    *,
    title: str,
    spec: Callable[[], ImportSpec],
    template_name: str,
    run: Callable[[bytes], Any],
    done_url: str,
    back_url: str,
    context: dict[str, Any] | None = None,
    job: str = "",
) -> HttpResponse:
    """GET: the upload form and the template link. POST: all rows saved, or the problems;
    a long file becomes the background job ``job`` when the import has one."""
    if request.GET.get("template"):
        return xlsx_response(spec().template(), template_name)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if job and import_jobs.runs_in_background(data):
            started = import_jobs.start(job, data, actor=request.user, filename=upload.name)
            return redirect("imports:job", pk=started.pk)
        outcome = run(data)
        if outcome.ok:
            messages.success(request, _("%(n)s rows imported.") % {"n": outcome.saved})
            return redirect(done_url)
        problems = outcome.problems
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "outreach/import.html",
        {
            "title": title,
            "form": form,
            "problems": problems,
            "back_url": back_url,
            **(context or {}),
        },
        status=status,
    )


@capability_required("outreach.view")
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = Activity.objects.visible_to(user)
    agencies = Agency.objects.filter(pk__in=visible.values("agency")).order_by(
        "level", "order", "code"
    )
    form = ActivityFilterForm(request.GET or None, user=user, agencies=agencies)
    data = cleaned(form)
    year = data.get("year") or default_year(visible)
    if not form.is_bound:
        form.initial["year"] = year
    rows = visible.filter(date__year=year)
    district, commune = data.get("district"), data.get("commune")
    for unit in (district, commune):
        if unit is not None:
            rows = rows.filter(under_q("unit", [unit.path]))
    if data.get("form"):
        rows = rows.filter(form=data["form"])
    if data.get("agency"):
        rows = rows.filter(agency=data["agency"])
    totals = rows.aggregate(n=Count("pk"), participants=Sum("participants"), copies=Sum("copies"))
    listed = (
        rows.select_related("unit__parent", "agency", "form")
        .prefetch_related("audiences")
        .annotate(n_files=Count("attachments", filter=Q(attachments__is_deleted=False)))
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "outreach/activity_list.html",
        {
            "form": form,
            "page": paginate(request, listed, PAGE_SIZE),
            "year": year,
            "totals": totals,
            "coverage": commune_coverage(user, year, district=district, commune=commune),
            "query": query_without_page(request),
            "can_edit": user.can("outreach.edit"),
            "tab": "activities",
        },
    )


@capability_required("outreach.edit")
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = attempt(
            form,
            lambda: actions.create_activity(
                actor=request.user,
                audiences=data["audiences"],
                files=data["attachments"],
                **{k: data[k] for k in FIELDS},
            ),
        ).value
        if activity is not None:
            messages.success(request, _("Activity recorded."))
            return redirect("outreach:activity", pk=activity.pk)
    return render(
        request,
        "outreach/activity_form.html",
        {"form": form, "is_new": True, "tab": "activities"},
        status=400 if form.errors else 200,
    )


def _visible_activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user)
        .select_related("unit__parent", "agency", "form", "created_by")
        .prefetch_related("audiences"),
        pk=pk,
    )


@capability_required("outreach.view")
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(request, pk)
    user = request.user
    can_edit = may_change(user, activity)
    return render(
        request,
        "outreach/activity_detail.html",
        {
            "activity": activity,
            "can_edit": can_edit,
            "tab": "activities",
            "attachments": activity.attachments.filter(is_deleted=False),
        },
    )


@capability_required("outreach.edit")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.editable_by(request.user)
        .select_related("unit", "agency", "form")
        .prefetch_related("audiences"),
        pk=pk,
    )
    form = ActivityForm(request.POST or None, user=request.user, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: actions.update_activity(
                activity,
                actor=request.user,
                expected_version=data["version"],
                audiences=data["audiences"],
                **{k: data[k] for k in FIELDS},
            ),
        )
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:activity", pk=activity.pk)
    return render(
        request,
        "outreach/activity_form.html",
        {"form": form, "activity": activity, "tab": "activities"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required("outreach.edit")
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.editable_by(request.user), pk=pk)
    try:
        actions.delete_activity(
            activity, actor=request.user, expected_version=posted_version(request)
        )
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
        return redirect("outreach:activity", pk=activity.pk)
    messages.success(request, _("Activity deleted."))
    return redirect("outreach:list")


@require_POST
@capability_required("outreach.edit")
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.editable_by(request.user), pk=pk)
    try:
        actions.add_attachments(activity, request.FILES.getlist("attachments"), actor=request.user)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("File attached."))
    return redirect("outreach:activity", pk=activity.pk)


@capability_required("outreach.view")
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@capability_required("outreach.edit")
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related("activity__unit"), pk=pk
    )
    actions.remove_attachment(attachment, actor=request.user)
    messages.success(request, _("File removed."))
    return redirect("outreach:activity", pk=attachment.activity_id)


@capability_required("outreach.edit")
def activity_import(request: HttpRequest) -> HttpResponse:
    return import_page(
        request,
        title=_("Import communication activities"),
        spec=activity_spec,
        template_name="mau-hoat-dong-tuyen-truyen.xlsx",
        run=lambda data: actions.import_activities(data, actor=request.user),
        done_url=reverse("outreach:list"),
        back_url=reverse("outreach:list"),
        context={"tab": "activities"},
        job="outreach.activities",
    )
