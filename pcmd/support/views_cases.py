"""Support case pages (issue 13): the caseload list with its filters and the intake.
The case page and its forms are in views_case_page.py. Views stay thin: writes go through
pcmd.support.cases, identities through pcmd.people.access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.roles import Role
from pcmd.geo.subtree import under_q
from pcmd.people import access, search
from pcmd.people import actions as people_actions
from pcmd.people.actions import PersonRefused
from pcmd.people.models import Person
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import attempt, form_status, paginate, query_without_page

from . import cases
from .forms_cases import CaseFilterForm, IntakeForm, PersonSearchForm
from .models import CaseOrigin, CaseStatus, SupportCase

PAGE_SIZE = 50
NO_CONTACT_DAYS = 60


def is_social_worker(user: Any) -> bool:
    return any(a.role == Role.SOCIAL_WORKER for a in user.active_assignments)


def filtered_cases(user: Any, form: CaseFilterForm, *, mine: bool) -> QuerySet[SupportCase]:
    today = timezone.localdate()
    qs = SupportCase.objects.visible_to(user).annotate(
        next_due=Min("followups__due_on", filter=Q(followups__done_on__isnull=True))
    )
    if mine:
        qs = qs.filter(worker=user)
    if not form.is_bound or not form.is_valid():
        return qs
    data = form.cleaned_data
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("worker"):
        qs = qs.filter(worker=data["worker"])
    if data.get("district"):
        qs = qs.filter(under_q("unit", [data["district"].path]))
    if data.get("commune"):
        qs = qs.filter(under_q("unit", [data["commune"].path]))
    if data.get("year"):
        qs = qs.filter(opened_on__year=data["year"])
    if data.get("overdue"):
        qs = qs.filter(status=CaseStatus.OPEN, next_due__lt=today)
    if data.get("no_contact"):
        qs = qs.filter(pk__in=cases.without_contact(NO_CONTACT_DAYS, today).values("pk"))
    return qs


@capability_required("support.cases")
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = CaseFilterForm(request.GET or None, user=user)
    # A social worker starts from her or his own cases; a filter chosen says it itself.
    mine = (
        bool(form.is_valid() and form.cleaned_data.get("mine"))
        if form.is_bound
        else is_social_worker(user)
    )
    if not form.is_bound:
        form.initial["mine"] = mine
    rows = (
        filtered_cases(user, form, mine=mine)
        .select_related("person", "unit", "unit__parent", "worker")
        .order_by("-opened_on", "-pk")  # an aggregate drops Meta.ordering
    )
    page = paginate(request, rows, PAGE_SIZE)
    revealed = access.reveal_many(user, [c.person for c in page], "page", path=request.path)
    return render(
        request,
        "support/cases/list.html",
        {
            "form": form,
            "page": page,
            "revealed": revealed,
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@transaction.atomic
def _intake(user: Any, form: IntakeForm) -> SupportCase:
    """The person (from the hand-over, found, or new) and the case, in one transaction."""
    data = form.cleaned_data
    referral = data.get("referral") if data["origin"] == CaseOrigin.POLICE else None
    person: Person
    if referral is not None:
        person = referral.person
    elif data.get("person"):
        found = Person.objects.visible_to(user).active().filter(pk=data["person"]).first()
        if found is None:
            raise ValidationError({"full_name": _("Choose a person found above.")})
        person = found
    else:
        person = people_actions.create_person(user, unit=data["unit"], values=form.person_values())
    return cases.open_case(
        user,
        person=person,
        unit=data["unit"],
        origin=data["origin"],
        worker=data["worker"],
        supervisor=data.get("supervisor"),
        opened_on=data["opened_on"],
        origin_note=data.get("origin_note") or "",
        referral=referral,
        statistics_consent=bool(data.get("consent_statistics")),
    )


@capability_required("support.cases")
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"opened_on": timezone.localdate()}
    if is_social_worker(user):
        initial["worker"] = user.pk
        own = [a.unit_id for a in user.active_assignments if a.role == Role.SOCIAL_WORKER]
        initial["unit"] = own[0]
    form = IntakeForm(request.POST or None, user=user, initial=initial)
    search_form = PersonSearchForm(request.GET or None)
    found: list[Person] = []
    if search_form.is_valid():
        found = list(search.find(user, search_form.cleaned_data["q"])[:20])
    shown = access.reveal_many(user, found, "search", path=request.path) if found else set()
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = attempt(form, lambda: _intake(user, form))
        except PersonRefused as exc:
            form.add_error(None, f"{exc.texts['vi']} / {exc.texts['en']}")
        if outcome is not None and outcome.ok and outcome.value is not None:
            messages.success(request, _("Support case opened."))
            return redirect("support:case", pk=outcome.value.pk)
    return render(
        request,
        "support/cases/new.html",
        {
            "form": form,
            "search_form": search_form,
            "found": found,
            "shown": shown,
            "chosen": _chosen(form),
        },
        status=form_status(form, outcome),
    )


def _chosen(form: IntakeForm) -> int | None:
    raw = form.data.get("person") if form.is_bound else None
    return int(raw) if raw and str(raw).isdecimal() else None


def visible_case(user: Any, pk: int) -> SupportCase:
    return get_object_or_404(
        SupportCase.objects.visible_to(user).select_related(
            "person", "unit", "unit__parent", "worker", "supervisor", "referral"
        ),
        pk=pk,
    )
