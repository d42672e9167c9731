"""Persons in a case (role, standing, sentence) and members of a ring: find a record by ID
number, phone or "name year" (blind indexes), or enter a new person; change; remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import allows
from pcmd.people import access, search
from pcmd.people.actions import PersonRefused, candidates
from pcmd.people.models import Person
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors

from . import actions, rules
from .forms_persons import (
    ChangePartyForm,
    NewPersonForm,
    PersonSearchForm,
    PickPersonForm,
    RemoveForm,
)
from .models import Case, CaseParty, Ring, RingMember


class _Duplicates(Exception):
    """Possible duplicates of a new person: show them before creating one more record."""


def _name_page(
    request: AuthenticatedHttpRequest,
    *,
    with_standing: bool,
    write: Callable[..., Any],
    back: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The page that names a person: ``write(role=, standing=, person=|values=)``."""
    user = request.user
    search_form = PersonSearchForm(request.GET or None)
    found: list[Person] = []
    if search_form.is_valid():
        found = list(search.find(user, search_form.cleaned_data["q"])[:20])
    action = request.POST.get("action")
    pick_form = PickPersonForm(
        request.POST if action == "pick" else None, with_standing=with_standing
    )
    new_form = NewPersonForm(request.POST if action == "new" else None, with_standing=with_standing)
    possible: list[Person] = []
    if request.method == "POST":
        form = pick_form if action == "pick" else new_form
        if form.is_valid():
            data = form.cleaned_data
            roles = {k: data[k] for k in ("role", "standing") if k in data}
            try:
                if form is pick_form:
                    person = get_object_or_404(
                        Person.objects.visible_to(user).active(), pk=data["person"]
                    )
                    write(person=person, **roles)
                else:
                    values = new_form.person_values()
                    possible = candidates(values)
                    if possible and not request.POST.get("confirm_new"):
                        raise _Duplicates
                    write(values=values, **roles)
            except _Duplicates:
                found = [p for p in possible if access.may_know(user, p)]
                messages.warning(
                    request,
                    _(
                        "Records that may be the same person exist: choose one below, or tick "
                        "“a different person” to create a new record."
                    ),
                )
            except PersonRefused as exc:
                form.add_error(None, f"{exc.texts['vi']} / {exc.texts['en']}")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Person named."))
                return redirect(back)
    # Search results show identities as the person finder does, except a minor's: under 18
    # today or named as a minor in a case, the record shows its code only here.
    minors = set(
        CaseParty.objects.filter(person__in=found, is_minor=True).values_list(
            "person_id", flat=True
        )
    ) | {p.pk for p in found if rules.is_minor(p, timezone.localdate())}
    shown = access.reveal_many(
        user, [p for p in found if p.pk not in minors], "search", path=request.path
    )
    return render(
        request,
        "cases/person_add.html",
        {
            **context,
            "search_form": search_form,
            "found": found,
            "shown": shown,
            "pick_form": pick_form,
            "new_form": new_form,
            "ask_confirm": bool(possible),
            "back": back,
        },
        status=400 if request.method == "POST" else 200,
    )


def _editable_case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    if not allows(request.user, "cases.edit", obj=case):
        raise PermissionDenied
    return case


@capability_required("cases.edit")
def party_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _editable_case(request, pk)

    def write(**kwargs: Any) -> Any:
        return actions.add_party(request.user, case, **kwargs)

    return _name_page(
        request,
        with_standing=True,
        write=write,
        back=reverse("cases:detail", args=[case.pk]),
        context={"title": _("Add a person to case %(code)s") % {"code": case.code}},
    )


def _party(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> CaseParty:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    return get_object_or_404(case.parties.select_related("case", "person"), pk=party_pk)


def _refused(request: AuthenticatedHttpRequest, case: Case, errors: list[str]) -> HttpResponse:
    """The case page again with the refusal on top (400)."""
    from .views_cases import case_context

    context = case_context(request, case)
    context["party_errors"] = errors
    return render(request, "cases/detail.html", context, status=400)


@require_POST
@capability_required("cases.view")
def party_change(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = _party(request, pk, party_pk)
    form = ChangePartyForm(request.POST)
    if not form.is_valid():
        return _refused(request, party.case, [str(m) for e in form.errors.values() for m in e])
    data = form.cleaned_data
    changes: dict[str, Any] = {}
    if "role" in request.POST or "standing" in request.POST:
        changes["role"] = data["role"] or None
        changes["standing"] = data["standing"] or None
    if "sentence" in request.POST or "prison_months" in request.POST:
        changes["sentence"] = data["sentence"]
        changes["prison_months"] = data["prison_months"]
    try:
        actions.change_party(request.user, party, **changes)
    except ValidationError as exc:
        return _refused(request, party.case, exc.messages)
    messages.success(request, _("Changes saved."))
    return redirect("cases:detail", pk=pk)


@require_POST
@capability_required("cases.edit")
def party_remove(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = _party(request, pk, party_pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("cases:detail", pk=pk)
    try:
        actions.remove_party(request.user, party, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Person removed from the case."))
    return redirect("cases:detail", pk=pk)


# --- ring members ---------------------------------------------------------------------------


def _editable_ring(request: AuthenticatedHttpRequest, pk: int) -> Ring:
    ring = get_object_or_404(Ring.objects.visible_to(request.user), pk=pk)
    if not allows(request.user, "cases.edit", obj=ring):
        raise PermissionDenied
    return ring


@capability_required("cases.edit")
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ring = _editable_ring(request, pk)

    def write(**kwargs: Any) -> Any:
        return actions.add_member(request.user, ring, **kwargs)

    return _name_page(
        request,
        with_standing=False,
        write=write,
        back=reverse("cases:ring", args=[ring.pk]),
        context={"title": _("Add a member to ring %(code)s") % {"code": ring.code}},
    )


@require_POST
@capability_required("cases.edit")
def member_remove(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    ring = _editable_ring(request, pk)
    member: RingMember = get_object_or_404(ring.members.select_related("ring"), pk=member_pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("cases:ring", pk=pk)
    try:
        actions.remove_member(request.user, member, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Member removed from the ring."))
    return redirect("cases:ring", pk=pk)
