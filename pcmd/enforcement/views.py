"""Pages for violations, sanction decisions and the catalog of violation types."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.core.concurrency import EditConflict
from pcmd.geo.subtree import under_q
from pcmd.inspections.models import Inspection
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import (
    apply_errors,
    attempt,
    conflict_message,
    form_status,
    paginate,
    query_without_page,
)

from . import actions, persons
from .catalog import legal_maxima
from .forms import (
    DeleteForm,
    SanctionEditForm,
    StatusForm,
    ViolationFilterForm,
    ViolationForm,
    ViolationTypeForm,
)
from .models import (
    Sanction,
    SanctionedPerson,
    SanctionForm,
    SanctionStatus,
    Violation,
    ViolationType,
)

PAGE_SIZE = 50
# The persons named on decisions, with their records (codes; names after reveal_many).
_NAMED = Prefetch(
    "named_persons", queryset=SanctionedPerson.objects.select_related("person").order_by("pk")
)
_VIOLATION_FIELDS = [
    "violation_type",
    "date",
    "establishment",
    "commune",
    "subject_kind",
    "people_count",
    "description",
]


def filtered_violations(user: Any, form: ViolationFilterForm) -> QuerySet[Violation]:
    qs = Violation.objects.visible_to(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["violation_type"]:
            qs = qs.filter(violation_type=data["violation_type"])
        if data.get("district"):
            qs = qs.filter(under_q("commune", [data["district"].path]))
        if data.get("commune"):
            qs = qs.filter(commune=data["commune"])
        if data["date_from"]:
            qs = qs.filter(date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(date__lte=data["date_to"])
        if data["status"] == "none":
            qs = qs.filter(sanctions__isnull=True)
        elif data["status"]:
            qs = qs.filter(sanctions__status=data["status"]).distinct()
    return qs


@capability_required("enforcement.view")
def violation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ViolationFilterForm(request.GET or None, user=user)
    qs = filtered_violations(user, form)
    totals = qs.order_by().aggregate(n=Count("pk", distinct=True), people=Sum("people_count"))
    fines = (
        Sanction.objects.filter(violation__in=qs.order_by().values("pk"), form=SanctionForm.FINE)
        .exclude(status=SanctionStatus.CANCELLED)
        .aggregate(
            n=Count("pk"),
            total=Sum("amount"),
            paid=Sum("amount", filter=Q(status=SanctionStatus.PAID)),
        )
    )
    rows = qs.select_related(
        "violation_type", "commune", "commune__parent", "establishment"
    ).prefetch_related(Prefetch("sanctions", queryset=Sanction.objects.order_by("date")))
    return render(
        request,
        "enforcement/violation_list.html",
        {
            "form": form,
            "page": paginate(request, rows, PAGE_SIZE),
            "query": query_without_page(request),
            "totals": totals,
            "fines": fines,
            "can_edit": user.can("enforcement.edit"),
        },
    )


@capability_required("enforcement.view")
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    violation = get_object_or_404(
        Violation.objects.visible_to(user)
        .select_related(
            "violation_type",
            "commune",
            "commune__parent",
            "establishment",
            "inspection",
            "recorded_by",
        )
        .prefetch_related(
            Prefetch(
                "sanctions",
                queryset=Sanction.objects.select_related("agency")
                .prefetch_related("history", _NAMED)
                .order_by("date", "pk"),
            )
        ),
        pk=pk,
    )
    editable = Violation.objects.editable_by(user).filter(pk=pk).exists()
    inspection_visible = (
        violation.inspection_id
        and Inspection.objects.visible_to(user).filter(pk=violation.inspection_id).exists()
    )
    sanctions = list(violation.sanctions.all())
    for sanction in sanctions:
        sanction.status_form = (
            StatusForm(initial={"version": sanction.version, "on": timezone.localdate()})
            if editable
            else None
        )
    return render(
        request,
        "enforcement/violation_detail.html",
        {
            "violation": violation,
            "sanctions": sanctions,
            "revealed": persons.revealed(user, sanctions, "page", path=request.path),
            "editable": editable,
            "inspection_visible": inspection_visible,
            "range_individual": violation.violation_type.allowed_fine_range("individual"),
            "range_organisation": violation.violation_type.allowed_fine_range("organisation"),
            "delete_form": DeleteForm() if editable and not sanctions else None,
        },
    )


@capability_required("enforcement.edit")
def violation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"date": timezone.localdate(), "people_count": 1}
    inspection = None
    if request.GET.get("inspection", "").isdecimal():
        inspection = (
            Inspection.objects.editable_by(user)
            .select_related("establishment", "commune")
            .filter(pk=request.GET["inspection"])
            .first()
        )
        if inspection is not None:
            initial.update(
                inspection=inspection,
                date=inspection.date,
                establishment=inspection.establishment,
                commune=inspection.commune,
                subject_kind="organisation",
            )
    form = ViolationForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = actions.record_violation(
                actor=user, inspection=data["inspection"], **{k: data[k] for k in _VIOLATION_FIELDS}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Violation recorded."))
            return redirect("enforcement:violation", pk=violation.pk)
    return render(
        request,
        "enforcement/form.html",
        {
            "form": form,
            "title": _("Record a violation"),
            "inspection": inspection,
            "cancel_url": reverse("enforcement:list"),
        },
        status=form_status(form),
    )


@capability_required("enforcement.edit")
def violation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    violation = get_object_or_404(Violation.objects.editable_by(user), pk=pk)
    initial = {k: getattr(violation, k) for k in _VIOLATION_FIELDS}
    form = ViolationForm(
        request.POST or None,
        user=user,
        initial={**initial, "version": violation.version, "inspection": violation.inspection},
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.update_violation(
                violation,
                actor=user,
                expected_version=data.get("version"),
                **{k: data[k] for k in _VIOLATION_FIELDS},
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("enforcement:violation", pk=pk)
    return render(
        request,
        "enforcement/form.html",
        {
            "form": form,
            "title": _("Edit violation"),
            "cancel_url": reverse("enforcement:violation", args=[pk]),
        },
        status=form_status(form, outcome),
    )


@require_POST
@capability_required("enforcement.edit")
def violation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_object_or_404(Violation.objects.editable_by(request.user), pk=pk)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("enforcement:violation", pk=pk)
    try:
        actions.delete_violation(violation, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("enforcement:violation", pk=pk)
    messages.success(request, _("Violation removed."))
    return redirect("enforcement:list")


# --- sanctions --------------------------------------------------------------------------


def _range_hint(violation: Violation) -> dict[str, Any]:
    vtype = violation.violation_type
    return {
        "range": vtype.allowed_fine_range(violation.subject_kind),
        "vtype": vtype,
        "violation": violation,
    }


@capability_required("enforcement.edit")
def sanction_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    violation = get_object_or_404(
        Violation.objects.editable_by(user).select_related("violation_type", "commune"), pk=pk
    )
    form = SanctionEditForm(
        request.POST or None,
        user=user,
        initial={"date": timezone.localdate(), "form": SanctionForm.FINE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_sanction(
                actor=user, violation=violation, **{k: data[k] for k in actions.SANCTION_FIELDS}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Sanction decision recorded."))
            return redirect("enforcement:violation", pk=pk)
    return render(
        request,
        "enforcement/form.html",
        {
            "form": form,
            "title": _("Sanction decision"),
            **_range_hint(violation),
            "cancel_url": reverse("enforcement:violation", args=[pk]),
        },
        status=form_status(form),
    )


@capability_required("enforcement.edit")
def sanction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    sanction = get_object_or_404(
        Sanction.objects.editable_by(user).select_related("violation", "violation__violation_type"),
        pk=pk,
    )
    initial = {k: getattr(sanction, k) for k in actions.SANCTION_FIELDS}
    form = SanctionEditForm(
        request.POST or None, user=user, initial={**initial, "version": sanction.version}
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: actions.update_sanction(
                sanction,
                actor=user,
                expected_version=data.get("version"),
                **{k: data[k] for k in actions.SANCTION_FIELDS},
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("enforcement:violation", pk=sanction.violation_id)
    return render(
        request,
        "enforcement/form.html",
        {
            "form": form,
            "title": _("Sanction decision %(number)s") % {"number": sanction.number},
            **_range_hint(sanction.violation),
            "cancel_url": reverse("enforcement:violation", args=[sanction.violation_id]),
        },
        status=form_status(form, outcome),
    )


@require_POST
@capability_required("enforcement.edit")
def sanction_status(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(
        Sanction.objects.editable_by(request.user).select_related("violation"), pk=pk
    )
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_sanction_status(
                sanction,
                actor=request.user,
                status=data["status"],
                on=data["on"],
                note=data["note"],
                expected_version=data.get("version"),
            )
        except EditConflict as exc:
            messages.error(request, conflict_message(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status updated."))
    else:
        messages.error(request, " ".join(" ".join(str(m) for m in e) for e in form.errors.values()))
    return redirect("enforcement:violation", pk=sanction.violation_id)


@capability_required("enforcement.view")
def sanction_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = (
        Sanction.objects.visible_to(request.user)
        .select_related(
            "violation",
            "violation__violation_type",
            "violation__commune",
            "violation__establishment",
        )
        .prefetch_related(_NAMED)
    )
    if status in SanctionStatus.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs, PAGE_SIZE)
    return render(
        request,
        "enforcement/sanction_list.html",
        {
            "page": page,
            "revealed": persons.revealed(request.user, page, "page", path=request.path),
            "status": status,
            "statuses": SanctionStatus.choices,
            "query": f"status={status}" if status else "",
        },
    )


# --- catalog ----------------------------------------------------------------------------


@capability_required("enforcement.view")
def type_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "enforcement/type_list.html",
        {
            "types": ViolationType.objects.order_by("-valid_from", "order"),
            "maxima": list(legal_maxima().values()),
            "can_edit": request.user.can("catalogs.edit"),
        },
    )


@capability_required("catalogs.edit")
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    vtype = get_object_or_404(ViolationType, pk=pk) if pk else None
    form = ViolationTypeForm(
        request.POST or None,
        instance=ViolationType.objects.get(pk=pk) if pk else None,
        initial={"version": vtype.version} if vtype else None,
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {k: data[k] for k in ViolationTypeForm.Meta.fields}
        outcome = attempt(
            form,
            lambda: actions.save_violation_type(
                vtype, actor=request.user, expected_version=data.get("version"), **values
            ),
        )
        if outcome.ok:
            messages.success(request, _("Changes saved."))
            return redirect("enforcement:types")
    return render(
        request,
        "enforcement/form.html",
        {
            "form": form,
            "title": vtype.name if vtype else _("New violation type"),
            "cancel_url": reverse("enforcement:types"),
        },
        status=form_status(form, outcome),
    )
