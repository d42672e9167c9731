"""Pages for training courses, their participants and the roster of commune officers."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
from .forms import (
    OfficerFilterForm,
    OfficerForm,
    ParticipantForm,
    TrainingFilterForm,
    TrainingForm,
)
from .imports import officer_spec, participant_spec
from .models import Officer, Training, TrainingParticipant
from .scope import person_sort_key
from .stats import trained_q, trained_share
from .views import import_page

# The fields the actions save (one list, in actions.py).
TRAINING_FIELDS = actions.TRAINING_FIELDS
OFFICER_FIELDS = actions.OFFICER_FIELDS


# --- trainings ---------------------------------------------------------------------------------


@capability_required("outreach.view")
def training_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = Training.objects.visible_to(user)
    form = TrainingFilterForm(request.GET or None)
    data = cleaned(form)
    year = data.get("year") or default_year(visible, "start_date")
    if not form.is_bound:
        form.initial["year"] = year
    rows = visible.filter(start_date__year=year)
    if data.get("level"):
        rows = rows.filter(level=data["level"])
    rows = (
        rows.select_related("agency", "unit")
        .annotate(n_participants=Count("participants", distinct=True))
        .order_by("-start_date", "-pk")
    )
    return render(
        request,
        "outreach/training_list.html",
        {
            "form": form,
            "page": paginate(request, rows, 50),
            "year": year,
            "share": trained_share(user, year),
            "query": query_without_page(request),
            "can_edit": user.can("outreach.edit"),
            "tab": "trainings",
        },
    )


@capability_required("outreach.edit")
def training_new(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        training = attempt(
            form,
            lambda: actions.create_training(
                actor=request.user, **{k: data[k] for k in TRAINING_FIELDS}
            ),
        ).value
        if training is not None:
            messages.success(request, _("Course recorded."))
            return redirect("outreach:training", pk=training.pk)
    return render(
        request,
        "outreach/training_form.html",
        {"form": form, "is_new": True, "tab": "trainings"},
        status=400 if form.errors else 200,
    )


@capability_required("outreach.edit")
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training.objects.editable_by(request.user), pk=pk)
    form = TrainingForm(request.POST or None, user=request.user, instance=training)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: actions.update_training(
                training,
                actor=request.user,
                expected_version=data["version"],
                **{k: data[k] for k in TRAINING_FIELDS},
            ),
        )
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:training", pk=training.pk)
    return render(
        request,
        "outreach/training_form.html",
        {"form": form, "training": training, "tab": "trainings"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required("outreach.edit")
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training.objects.editable_by(request.user), pk=pk)
    try:
        actions.delete_training(
            training, actor=request.user, expected_version=posted_version(request)
        )
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
        return redirect("outreach:training", pk=pk)
    messages.success(request, _("Course deleted."))
    return redirect("outreach:trainings")


def _training_page(
    request: AuthenticatedHttpRequest,
    training: Training,
    participant_form: ParticipantForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_edit = may_change(user, training)
    participants = sorted(
        TrainingParticipant.objects.visible_to(user)
        .filter(training=training)
        .select_related("unit"),
        key=lambda p: person_sort_key(p.full_name),
    )
    if can_edit and participant_form is None:
        participant_form = ParticipantForm(user=user, training=training)
    return render(
        request,
        "outreach/training_detail.html",
        {
            "training": training,
            "participants": participants,
            "can_edit": can_edit,
            "total": training.participants.count(),
            "participant_form": participant_form,
            "tab": "trainings",
        },
        status=status,
    )


@capability_required("outreach.view")
def training_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("agency", "unit"), pk=pk
    )
    return _training_page(request, training)


@require_POST
@capability_required("outreach.edit")
def participant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.editable_by(request.user).select_related("agency", "unit"), pk=pk
    )
    form = ParticipantForm(request.POST, user=request.user, training=training)
    if form.is_valid():
        data = form.cleaned_data
        added = attempt(
            form,
            lambda: actions.add_participant(
                training,
                actor=request.user,
                officer=data["officer"],
                full_name=data["full_name"],
                position=data["position"],
                unit=data["unit"],
            ),
        )
        if added.ok:
            messages.success(request, _("Participant added."))
            return redirect("outreach:training", pk=training.pk)
    return _training_page(request, training, form, status=400)


@require_POST
@capability_required("outreach.edit")
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(
        TrainingParticipant.objects.filter(
            training__in=Training.objects.editable_by(request.user)
        ).select_related("training__unit"),
        pk=pk,
    )
    actions.remove_participant(participant, actor=request.user)
    messages.success(request, _("Participant removed."))
    return redirect("outreach:training", pk=participant.training_id)


@capability_required("outreach.edit")
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training.objects.editable_by(request.user), pk=pk)
    url = reverse("outreach:training", args=[training.pk])
    return import_page(
        request,
        title=_("Import participants"),
        spec=participant_spec,
        template_name="mau-hoc-vien.xlsx",
        run=lambda data: actions.import_participants(training, data, actor=request.user),
        done_url=url,
        back_url=url,
        context={"tab": "trainings", "training": training},
    )


# --- roster ------------------------------------------------------------------------------------


@capability_required("outreach.view")
def officer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = OfficerFilterForm(request.GET or None, user=user)
    data = cleaned(form)
    year = data.get("year") or default_year(Training.objects.visible_to(user), "start_date")
    if not form.is_bound:
        form.initial["year"] = year
    rows = Officer.objects.visible_to(user)
    for key in ("district", "commune"):
        if data.get(key):
            rows = rows.filter(under_q("commune", [data[key].path]))
    rows = rows.annotate(trained=trained_q(year))
    if data.get("trained") == "yes":
        rows = rows.filter(trained=True)
    elif data.get("trained") == "no":
        rows = rows.filter(trained=False)
    rows = rows.select_related("commune__parent").order_by(
        "commune__parent__code", "commune__code", "full_name"
    )
    page = paginate(request, rows, 100)
    page.object_list = sorted(
        page.object_list,
        key=lambda o: (
            o.commune.parent.code if o.commune.parent else "",
            o.commune.code,
            person_sort_key(o.full_name),
        ),
    )
    return render(
        request,
        "outreach/officer_list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "query": query_without_page(request),
            "can_edit": user.can("outreach.edit"),
            "tab": "officers",
            "share": trained_share(user, year, district=data.get("district")),
        },
    )


@capability_required("outreach.edit")
def officer_new(request: HttpRequest) -> HttpResponse:
    form = OfficerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = attempt(
            form,
            lambda: actions.create_officer(
                actor=request.user, **{k: data[k] for k in OFFICER_FIELDS}
            ),
        )
        if created.ok:
            messages.success(request, _("Officer added to the roster."))
            return redirect("outreach:officers")
    return render(
        request,
        "outreach/officer_form.html",
        {"form": form, "is_new": True, "tab": "officers"},
        status=400 if form.errors else 200,
    )


@capability_required("outreach.edit")
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(Officer.objects.editable_by(request.user), pk=pk)
    form = OfficerForm(request.POST or None, user=request.user, instance=officer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: actions.update_officer(
                officer,
                actor=request.user,
                expected_version=data["version"],
                **{k: data[k] for k in OFFICER_FIELDS},
            ),
        )
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:officers")
    trainings = (
        Training.objects.visible_to(request.user)
        .filter(participants__officer=officer)
        .select_related("unit")
    )
    return render(
        request,
        "outreach/officer_form.html",
        {"form": form, "officer": officer, "trainings": trainings, "tab": "officers"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required("outreach.edit")
def officer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(Officer.objects.editable_by(request.user), pk=pk)
    try:
        actions.delete_officer(
            officer, actor=request.user, expected_version=posted_version(request)
        )
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
        return redirect("outreach:officer_edit", pk=pk)
    messages.success(request, _("Officer taken off the roster."))
    return redirect("outreach:officers")


@capability_required("outreach.edit")
def officer_import(request: HttpRequest) -> HttpResponse:
    url = reverse("outreach:officers")
    return import_page(
        request,
        title=_("Import the roster of officers"),
        spec=officer_spec,
        template_name="mau-danh-sach-can-bo.xlsx",
        run=lambda data: actions.import_officers(data, actor=request.user),
        done_url=url,
        back_url=url,
        context={"tab": "officers"},
    )
