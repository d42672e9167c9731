"""Pages of consent and referrals: a person's consents, the police's referral form, and the
standing office's inbox of referrals with receive / assign / close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import holds
from pcmd.accounts.roles import Capability
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import paginate, query_without_page

from . import access
from . import consent as actions
from .actions import PersonRefused
from .forms_consent import AssignForm, ConsentForm, ReferForm
from .models import Person, Referral, ReferralStatus

PER_PAGE = 50


def _refusal(exc: PersonRefused) -> str:
    vi, en = exc.texts["vi"], exc.texts["en"]
    return f"{vi} / {en}" if vi != en else en


def _person(request: AuthenticatedHttpRequest, pk: int) -> Person:
    return get_object_or_404(Person.objects.visible_to(request.user).active(), pk=pk)


def _next(request: AuthenticatedHttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@capability_required(Capability.VIEW_IDENTITY)
def consent_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A person's consents: those in force, the history, and the form to record one."""
    person = _person(request, pk)
    if not actions.may_record_consent(request.user, person):
        raise PermissionDenied
    form = ConsentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_consent(
                    request.user,
                    person,
                    purpose=data["purpose"],
                    given=data["given"],
                    on=data["on"],
                    organisation=data["organisation"],
                    note=data["note"],
                )
            except PersonRefused as exc:
                form.add_error(None, _refusal(exc))
            else:
                messages.success(request, _("The consent was recorded."))
                return redirect(_next(request, request.path))
        status = 400
    return render(
        request,
        "people/consent/consent.html",
        {
            "person": person,
            "form": form,
            "current": actions.current_consents(person),
            "history": person.consents.select_related("recorded_by").latest_first(),
        },
        status=status,
    )


@capability_required(Capability.VIEW_IDENTITY)
def referral_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The police refer a sanctioned person to the standing office."""
    person = _person(request, pk)
    if not actions.may_refer(request.user, person):
        raise PermissionDenied
    form = ReferForm(request.POST or None, sources=actions.referable_sources(request.user, person))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = actions.refer_to_standing_office(
                    request.user,
                    person,
                    source=form.cleaned_data["source"],
                    note=form.cleaned_data["note"],
                    on=form.cleaned_data["sent_on"],
                )
            except PersonRefused as exc:
                form.add_error(None, _refusal(exc))
            else:
                messages.success(request, _("The person was referred to the standing office."))
                return redirect("people:referral", referral.pk)
        status = 400
    return render(
        request, "people/consent/refer.html", {"person": person, "form": form}, status=status
    )


@capability_required(Capability.VIEW_IDENTITY)
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Referrals the user sent, receives or was assigned: codes only (the identity shows,
    and is logged, when a referral is opened)."""
    rows = Referral.objects.visible_to(request.user).select_related(
        "person", "to_agency", "from_unit", "assigned_unit"
    )
    wanted = request.GET.get("status", "")
    if wanted in ReferralStatus.values:
        rows = rows.filter(status=wanted)
    page = paginate(request, rows.order_by("-sent_on", "-pk"), PER_PAGE)
    return render(
        request,
        "people/consent/referral_list.html",
        {
            "page": page,
            "statuses": ReferralStatus.choices,
            "status": wanted,
            "query": query_without_page(request),
            "waiting": actions.referrals_waiting(request.user).count(),
        },
    )


def _referral(request: AuthenticatedHttpRequest, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "person", "to_agency", "to_unit", "from_unit", "from_agency", "assigned_unit"
        ),
        pk=pk,
    )


def _assign_form(
    request: AuthenticatedHttpRequest, referral: Referral, data: Any = None
) -> AssignForm:
    allow_override = not actions.has_support_consent(referral.person) and holds(
        request.user, Capability.OVERRIDE_CONSENT, referral.to_unit
    )
    return AssignForm(
        data, districts=actions.districts_for(referral), allow_override=allow_override
    )


def _detail(
    request: AuthenticatedHttpRequest,
    referral: Referral,
    assign: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = referral.person
    shown = access.reveal(
        request.user,
        person,
        "page",
        path=request.path,
        purpose=_("referral to the standing office"),
    )
    handles = actions.may_handle(request.user, referral)
    return render(
        request,
        "people/consent/referral_detail.html",
        {
            "referral": referral,
            "person": person,
            "revealed": shown,
            "handles": handles,
            "assign": assign
            if assign is not None
            else (_assign_form(request, referral) if handles else None),
            "consented": actions.has_support_consent(person),
        },
        status=status,
    )


@capability_required(Capability.VIEW_IDENTITY)
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _referral(request, pk))


@require_POST
@capability_required(Capability.VIEW_IDENTITY)
def referral_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """Receive, assign or close a referral (the standing office)."""
    if step not in ("receive", "assign", "close"):
        raise Http404
    referral = _referral(request, pk)
    if not actions.may_handle(request.user, referral):
        raise PermissionDenied
    try:
        if step == "receive":
            actions.receive_referral(request.user, referral)
            messages.success(request, _("The referral was received."))
        elif step == "close":
            actions.close_referral(request.user, referral)
            messages.success(request, _("The referral was closed."))
        else:
            form = _assign_form(request, referral, request.POST)
            if not form.is_valid():
                return _detail(request, referral, form, status=400)
            try:
                actions.assign_referral(
                    request.user,
                    referral,
                    district=form.cleaned_data["district"],
                    override_reason=form.cleaned_data.get("override_reason") or "",
                )
            except PersonRefused as exc:
                form.add_error(None, _refusal(exc))
                return _detail(request, referral, form, status=400)
            messages.success(
                request,
                _("The case was assigned to %(unit)s.")
                % {"unit": form.cleaned_data["district"].name},
            )
    except PersonRefused as exc:
        messages.error(request, _refusal(exc))
        return _detail(request, referral, status=400)
    return redirect("people:referral", referral.pk)
