"""Pages of the business registry. Thin: parse, call an action or a scoped query, render."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import form_page, paginate, query_without_page

from . import actions
from .filters import licence_states, worst_state
from .forms import (
    CloseForm,
    DeleteForm,
    EstablishmentFilterForm,
    EstablishmentForm,
    LicenceForm,
    StaffCountForm,
)
from .models import Establishment, Licence, StaffCount

PAGE_SIZE = 50


@capability_required("registry.view")
def establishment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = EstablishmentFilterForm(request.GET or None, user=user)
    chosen = form.filter()
    qs = chosen.apply(
        Establishment.objects.visible_to(user).select_related("kind", "commune", "commune__parent")
    )
    page = paginate(request, qs, PAGE_SIZE)
    rows = list(page.object_list)
    prefetch_related_objects(
        rows, "licences", Prefetch("staff_counts", queryset=StaffCount.objects.order_by("-as_of"))
    )
    as_of = chosen.as_of or timezone.localdate()
    for est in rows:
        counts = list(est.staff_counts.all())
        est.latest_count = counts[0] if counts else None
        est.licence_state = worst_state(
            licence_states(est.licences.all(), as_of, chosen.days).values()
        )
    return render(
        request,
        "registry/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "can_edit": user.can("registry.edit"),
            "as_of": as_of,
        },
    )


@capability_required("registry.view")
def establishment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    est = get_object_or_404(
        Establishment.objects.visible_to(request.user).select_related(
            "kind", "commune", "commune__parent"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    licences = list(est.licences.order_by("kind", "-issued_on", "-pk"))
    states = licence_states(licences, today)
    for lic in licences:
        lic.state = states.get(lic.pk, "")
    return render(
        request,
        "registry/detail.html",
        {
            "est": est,
            "licences": licences,
            "counts": est.staff_counts.order_by("-as_of"),
            "can_edit": request.user.can("registry.edit"),
            "today": today,
        },
    )


def _editable(request: HttpRequest, pk: int) -> Establishment:
    return get_object_or_404(
        Establishment.objects.editable_by(request.user).select_related(
            "kind", "commune", "commune__parent"
        ),
        pk=pk,
    )


@capability_required("registry.edit")
def establishment_create(request: HttpRequest) -> HttpResponse:
    form = EstablishmentForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: actions.create_establishment(
            actor=request.user, on=d["on"] or form.initial["on"], **form.values()
        ),
        done=_("Establishment recorded."),
        then=lambda est: est,
        template="registry/form.html",
        context={"is_new": True},
    )


@capability_required("registry.edit")
def establishment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = EstablishmentForm(request.POST or None, user=request.user, instance=est)
    return form_page(
        request,
        form,
        lambda d: actions.update_establishment(
            est,
            actor=request.user,
            expected_version=d["version"],
            on=d["on"] or form.initial["on"],
            **form.values(),
        ),
        done=_("Changes saved."),
        then=lambda _r: est,
        template="registry/form.html",
        context={"est": est},
    )


def _simple_post(
    request: HttpRequest,
    est: Establishment,
    form: Any,
    template: str,
    run: Any,
    done: str,
    **extra: Any,
) -> HttpResponse:
    """A form about ``est``; back to its page after, or to the list once it is deleted."""
    return form_page(
        request,
        form,
        run,
        done=done,
        template=template,
        then=lambda _r: "registry:list" if est.is_deleted else est,
        context={"est": est, **extra},
    )


@capability_required("registry.edit")
def establishment_close(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = CloseForm(
        request.POST or None, initial={"version": est.version, "on": timezone.localdate()}
    )
    return _simple_post(
        request,
        est,
        form,
        "registry/close.html",
        lambda d: actions.close_establishment(
            est, actor=request.user, expected_version=d["version"], on=d["on"], reason=d["reason"]
        ),
        _("Establishment recorded as closed."),
    )


@capability_required("registry.edit")
def establishment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = DeleteForm(request.POST or None, initial={"version": est.version})
    return _simple_post(
        request,
        est,
        form,
        "registry/delete.html",
        lambda d: actions.delete_establishment(
            est, actor=request.user, expected_version=d["version"], reason=d["reason"]
        ),
        _("Record deleted."),
    )


@capability_required("registry.edit")
def licence_add(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = LicenceForm(request.POST or None)

    def run(data: dict[str, Any]) -> None:
        data = {k: v for k, v in data.items() if k != "version"}
        actions.add_licence(est, actor=request.user, **data)

    return _simple_post(
        request, est, form, "registry/licence_form.html", run, _("Licence recorded.")
    )


@capability_required("registry.edit")
def licence_edit(request: HttpRequest, pk: int, licence_id: int) -> HttpResponse:
    est = _editable(request, pk)
    lic = get_object_or_404(Licence.objects.filter(establishment=est), pk=licence_id)
    form = LicenceForm(
        request.POST or None,
        initial={name: getattr(lic, name) for name in (*actions.LICENCE_FIELDS, "version")},
    )

    def run(data: dict[str, Any]) -> None:
        version = data.pop("version")
        actions.update_licence(lic, actor=request.user, expected_version=version, **data)

    return _simple_post(
        request, est, form, "registry/licence_form.html", run, _("Licence updated."), licence=lic
    )


@capability_required("registry.edit")
def staff_count_add(request: HttpRequest, pk: int) -> HttpResponse:
    est = _editable(request, pk)
    form = StaffCountForm(request.POST or None, initial={"as_of": timezone.localdate()})
    return _simple_post(
        request,
        est,
        form,
        "registry/staff_form.html",
        lambda d: actions.record_staff_count(est, actor=request.user, **d),
        _("Staff count recorded."),
    )
