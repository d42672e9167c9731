"""Pages of the business registry. Thin: parse, call an action or a scoped query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.core.concurrency import EditConflict
from pcmd.web.access import capability_required

from . import actions
from .filters import licence_states, worst_state
from .forms import (
    CloseForm,
    DeleteForm,
    EstablishmentFilterForm,
    EstablishmentForm,
    LicenceForm,
    StaffCountForm,
    apply_errors,
)
from .models import Establishment, Licence, StaffCount

PAGE_SIZE = 50


def conflict_text(exc: EditConflict) -> str:
    return f"{exc.texts['vi']} — {exc.texts['en']}" if exc.texts["vi"] != exc.texts["en"] \
        else exc.texts["en"]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@capability_required("registry.view")
def establishment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EstablishmentFilterForm(request.GET or None, user=user)
    chosen = form.filter()
    qs = chosen.apply(Establishment.objects.visible_to(user).select_related(
        "kind", "commune", "commune__parent"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    prefetch_related_objects(rows, "licences", Prefetch(
        "staff_counts", queryset=StaffCount.objects.order_by("-as_of")))
    as_of = chosen.as_of or timezone.localdate()
    for est in rows:
        counts = list(est.staff_counts.all())
        est.latest_count = counts[0] if counts else None  # type: ignore[attr-defined]
        est.licence_state = worst_state(  # type: ignore[attr-defined]
            licence_states(est.licences.all(), as_of, chosen.days).values())
    return render(request, "registry/list.html", {
        "form": form, "page": page, "rows": rows, "query": _query_without_page(request),
        "can_edit": user.can("registry.edit"), "as_of": as_of,  # type: ignore[union-attr]
    })


@capability_required("registry.view")
def establishment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    est = get_object_or_404(Establishment.objects.visible_to(request.user).select_related(
        "kind", "commune", "commune__parent"), pk=pk)
    today = timezone.localdate()
    licences = list(est.licences.order_by("kind", "-issued_on", "-pk"))
    states = licence_states(licences, today)
    for lic in licences:
        lic.state = states.get(lic.pk, "")  # type: ignore[attr-defined]
    return render(request, "registry/detail.html", {
        "est": est, "licences": licences, "counts": est.staff_counts.order_by("-as_of"),
        "can_edit": request.user.can("registry.edit"),  # type: ignore[union-attr]
        "today": today,
    })


def _editable(request: HttpRequest, pk: int) -> Establishment:
    return get_object_or_404(Establishment.objects.editable_by(request.user).select_related(
        "kind", "commune", "commune__parent"), pk=pk)


def _refresh(request: HttpRequest) -> bool:
    """The 'Update the list' button: re-show the form with communes of the new map date."""
    return "refresh" in request.POST


@capability_required("registry.edit")
def establishment_create(request: HttpRequest) -> HttpResponse:
    form = EstablishmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and not _refresh(request) and form.is_valid():
        try:
            est = actions.create_establishment(actor=request.user, on=form.cleaned_data["on"]
                                               or form.initial["on"], **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Establishment recorded."))
            return redirect("registry:detail", pk=est.pk)
    return render(request, "registry/form.html", {"form": form, "is_new": True})


@capability_required("registry.edit")
def establishment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = EstablishmentForm(request.POST or None, user=request.user, instance=est)
    status = 200
    if request.method == "POST" and not _refresh(request) and form.is_valid():
        try:
            actions.update_establishment(
                est, actor=request.user, expected_version=form.cleaned_data["version"],
                on=form.cleaned_data["on"] or form.initial["on"], **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        except EditConflict as exc:
            form.add_error(None, conflict_text(exc))
            status = 409
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:detail", pk=est.pk)
    return render(request, "registry/form.html", {"form": form, "est": est}, status=status)


def _simple_post(request: HttpRequest, est: Establishment, form: Any, template: str,
                 run: Any, done: str, **extra: Any) -> HttpResponse:
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except EditConflict as exc:
            form.add_error(None, conflict_text(exc))
            status = 409
        else:
            messages.success(request, done)
            return redirect("registry:detail", pk=est.pk) if not est.is_deleted else \
                redirect("registry:list")
    return render(request, template, {"form": form, "est": est, **extra}, status=status)


@capability_required("registry.edit")
def establishment_close(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = CloseForm(request.POST or None, initial={"version": est.version,
                                                    "on": timezone.localdate()})
    return _simple_post(request, est, form, "registry/close.html", lambda d: (
        actions.close_establishment(est, actor=request.user, expected_version=d["version"],
                                    on=d["on"], reason=d["reason"])),
        _("Establishment recorded as closed."))


@capability_required("registry.edit")
def establishment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = DeleteForm(request.POST or None, initial={"version": est.version})
    return _simple_post(request, est, form, "registry/delete.html", lambda d: (
        actions.delete_establishment(est, actor=request.user, expected_version=d["version"],
                                     reason=d["reason"])),
        _("Record deleted."))


@capability_required("registry.edit")
def licence_add(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = LicenceForm(request.POST or None)

    def run(data: dict[str, Any]) -> None:
        data = {k: v for k, v in data.items() if k != "version"}
        actions.add_licence(est, actor=request.user, **data)

    return _simple_post(request, est, form, "registry/licence_form.html", run,
                        _("Licence recorded."))


@capability_required("registry.edit")
def licence_edit(request: HttpRequest, pk: int, licence_id: int) -> HttpResponse:
    est = _editable(request, pk)
    lic = get_object_or_404(Licence.objects.filter(establishment=est), pk=licence_id)
    form = LicenceForm(request.POST or None, initial={
        name: getattr(lic, name) for name in (*actions.LICENCE_FIELDS, "version")})

    def run(data: dict[str, Any]) -> None:
        version = data.pop("version")
        actions.update_licence(lic, actor=request.user, expected_version=version, **data)

    return _simple_post(request, est, form, "registry/licence_form.html", run,
                        _("Licence updated."), licence=lic)


@capability_required("registry.edit")
def staff_count_add(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = StaffCountForm(request.POST or None, initial={"as_of": timezone.localdate()})
    return _simple_post(request, est, form, "registry/staff_form.html", lambda d: (
        actions.record_staff_count(est, actor=request.user, **d)), _("Staff count recorded."))
