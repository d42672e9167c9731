"""Pages for communication activities (list with commune coverage, form, detail, import)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.agencies.models import Agency
from pcmd.core.concurrency import EditConflict
from pcmd.web.access import capability_required

from . import actions
from .forms import ActivityFilterForm, ActivityForm
from .imports import activity_spec
from .models import Activity, Attachment
from .stats import commune_coverage
from .viewutils import import_page, save_or_errors

PAGE_SIZE = 50
FIELDS = ["date", "unit", "agency", "organiser_detail", "form", "title", "participants",
          "copies", "notes"]


def default_year(rows: QuerySet[Any], field: str = "date") -> int:
    """The latest year with records in scope, else the current year."""
    latest = rows.aggregate(latest=Max(field))["latest"]
    return latest.year if latest else timezone.localdate().year


def cleaned(form: Any) -> dict[str, Any]:
    """The filters that are valid (an invalid one is ignored, not the whole form)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


def querystring(request: HttpRequest, **overrides: Any) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in overrides.items():
        query[key] = value
    return query.urlencode()


def posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@capability_required("outreach.view")
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = Activity.objects.visible_to(user)
    agencies = Agency.objects.filter(pk__in=visible.values("agency")).order_by(
        "level", "order", "code")
    form = ActivityFilterForm(request.GET or None, user=user, agencies=agencies)
    data = cleaned(form)
    year = data.get("year") or default_year(visible)
    if not form.is_bound:
        form.initial["year"] = year
    rows = visible.filter(date__year=year)
    district, commune = data.get("district"), data.get("commune")
    for unit in (district, commune):
        if unit is not None:
            rows = rows.filter(unit__path__startswith=unit.path)
    if data.get("form"):
        rows = rows.filter(form=data["form"])
    if data.get("agency"):
        rows = rows.filter(agency=data["agency"])
    totals = rows.aggregate(n=Count("pk"), participants=Sum("participants"),
                            copies=Sum("copies"))
    listed = (rows.select_related("unit__parent", "agency", "form")
              .prefetch_related("audiences")
              .annotate(n_files=Count("attachments", filter=Q(attachments__is_deleted=False)))
              .order_by("-date", "-pk"))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/activity_list.html", {
        "form": form, "page": page, "year": year, "totals": totals,
        "coverage": commune_coverage(user, year, district=district, commune=commune),
        "query": querystring(request), "can_edit": user.can("outreach.edit"),
        "tab": "activities",
    })


@capability_required("outreach.edit")
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = save_or_errors(form, lambda: actions.create_activity(
            actor=request.user, audiences=data["audiences"], files=data["attachments"],
            **{k: data[k] for k in FIELDS}))
        if activity is not None:
            messages.success(request, _("Activity recorded."))
            return redirect("outreach:activity", pk=activity.pk)
    return render(request, "outreach/activity_form.html", {
        "form": form, "is_new": True, "tab": "activities"},
        status=400 if form.errors else 200)


def _visible_activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user)
        .select_related("unit__parent", "agency", "form", "created_by")
        .prefetch_related("audiences"), pk=pk)


@capability_required("outreach.view")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(request, pk)
    user = request.user
    can_edit = user.can("outreach.edit") and user.sees_unit(activity.unit)  # type: ignore
    return render(request, "outreach/activity_detail.html", {
        "activity": activity, "can_edit": can_edit, "tab": "activities",
        "attachments": activity.attachments.filter(is_deleted=False),
    })


@capability_required("outreach.edit")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.editable_by(request.user).select_related("unit", "agency", "form")
        .prefetch_related("audiences"), pk=pk)
    form = ActivityForm(request.POST or None, user=request.user, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_or_errors(form, lambda: actions.update_activity(
            activity, actor=request.user, expected_version=data["version"],
            audiences=data["audiences"], **{k: data[k] for k in FIELDS}))
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:activity", pk=activity.pk)
    return render(request, "outreach/activity_form.html", {
        "form": form, "activity": activity, "tab": "activities"},
        status=400 if form.errors else 200)


@require_POST
@capability_required("outreach.edit")
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.editable_by(request.user), pk=pk)
    try:
        actions.delete_activity(activity, actor=request.user,
                                expected_version=posted_version(request))
    except EditConflict as exc:
        messages.error(request, f"{exc.texts['vi']} / {exc.texts['en']}")
        return redirect("outreach:activity", pk=activity.pk)
    messages.success(request, _("Activity deleted."))
    return redirect("outreach:list")


@require_POST
@capability_required("outreach.edit")
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.editable_by(request.user), pk=pk)
    try:
        actions.add_attachments(activity, request.FILES.getlist("attachments"),
                                actor=request.user)
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
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@capability_required("outreach.edit")
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related("activity__unit"), pk=pk)
    actions.remove_attachment(attachment, actor=request.user)
    messages.success(request, _("File removed."))
    return redirect("outreach:activity", pk=attachment.activity_id)


@capability_required("outreach.edit")
def activity_import(request: HttpRequest) -> HttpResponse:
    return import_page(
        request, title=_("Import communication activities"), spec=activity_spec,
        template_name="mau-hoat-dong-tuyen-truyen.xlsx",
        run=lambda data: actions.import_activities(data, actor=request.user),
        done_url=reverse("outreach:list"), back_url=reverse("outreach:list"),
        context={"tab": "activities"})

