"""Pages naming the persons of a sanction decision, and the export of the register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.people import access, search
from pcmd.people.actions import PersonRefused, candidates
from pcmd.people.models import Person
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors

from . import exports, persons
from .forms_persons import (
    ExportForm,
    NewPersonForm,
    PersonSearchForm,
    PickPersonForm,
    RemovePersonForm,
)
from .models import Sanction


class _Duplicates(Exception):
    """Possible duplicates of a new person: show them before creating one more record."""


def _editable(user: Any, pk: int) -> Sanction:
    return get_object_or_404(
        Sanction.objects.editable_by(user).select_related(
            "violation", "violation__commune", "violation__violation_type"
        ),
        pk=pk,
    )


def _refused(form: Any, exc: PersonRefused) -> None:
    form.add_error(None, f"{exc.texts['vi']} / {exc.texts['en']}")


@capability_required("enforcement.edit")
def sanction_person_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Find the person (blind-index search) and name them, or enter a new person."""
    user = request.user
    sanction = _editable(user, pk)
    search_form = PersonSearchForm(request.GET or None)
    found: list[Person] = []
    if search_form.is_valid():
        found = list(search.find(user, search_form.cleaned_data["q"])[:20])
    pick_form = PickPersonForm(request.POST if request.POST.get("action") == "pick" else None)
    new_form = NewPersonForm(request.POST if request.POST.get("action") == "new" else None)
    possible: list[Person] = []
    if request.method == "POST":
        form = pick_form if request.POST.get("action") == "pick" else new_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is pick_form:
                    person = get_object_or_404(
                        Person.objects.visible_to(user).active(), pk=data["person"]
                    )
                    persons.name_person(
                        actor=user, sanction=sanction, role=data["role"], person=person
                    )
                else:
                    values = new_form.person_values()
                    possible = candidates(values)
                    if possible and not request.POST.get("confirm_new"):
                        raise _Duplicates
                    persons.name_person(
                        actor=user, sanction=sanction, role=data["role"], values=values
                    )
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
                _refused(form, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Person named on the decision."))
                return redirect("enforcement:violation", pk=sanction.violation_id)
    shown = access.reveal_many(user, found, "search", path=request.path)
    return render(
        request,
        "enforcement/sanction_person.html",
        {
            "sanction": sanction,
            "search_form": search_form,
            "found": found,
            "shown": shown,
            "pick_form": pick_form,
            "new_form": new_form,
            "ask_confirm": bool(possible),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@capability_required("enforcement.edit")
def sanction_person_remove(
    request: AuthenticatedHttpRequest, pk: int, person_pk: int
) -> HttpResponse:
    sanction = _editable(request.user, pk)
    person = get_object_or_404(sanction.named_persons.select_related("person"), person_id=person_pk)
    form = RemovePersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    else:
        try:
            persons.unname_person(
                actor=request.user,
                sanction=sanction,
                person=person.person,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Person removed from the decision."))
    return redirect("enforcement:violation", pk=sanction.violation_id)


@capability_required("enforcement.view")
def sanction_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the export form; POST: the file (names only under exports' rule)."""
    user = request.user
    form = ExportForm(request.POST or None)
    may_name = exports.may_export_identities(user)
    if not may_name:
        form.fields.pop("identities")
        form.fields.pop("reason")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fmt = data["format"]
        body = exports.build(
            user,
            identities=bool(data.get("identities")),
            reason=data.get("reason") or "",
            fmt=fmt,
            path=request.path,
        )
        content_type = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(body, content_type=content_type)
        name = f"pcmd-sanctions-{timezone.localdate():%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "enforcement/sanction_export.html",
        {"form": form, "may_name": may_name},
        status=400 if request.method == "POST" else 200,
    )
