"""Person pages (issue 11, part "persons"): find a person, a person's page with who read it,
a user's reads, new and edit forms, merging and the administrators' list of merges.

Identities show only after :func:`pcmd.people.access.reveal` / ``reveal_many`` said yes (each
showing logged); everyone else who may know the record sees its code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.models import User
from pcmd.accounts.permissions import is_administrator
from pcmd.accounts.roles import Capability
from pcmd.accounts.templatetags.pcmd_perms import may_open_path
from pcmd.core.concurrency import EditConflict
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import conflict_message, paginate, query_without_page

from . import access, actions, search, sources
from .actions_persons import MANUAL_SOURCE, identity_modules, record_person
from .forms_persons import MergeForm, NewPersonForm, PersonForm, ReadsFilterForm, SearchForm
from .models import AccessLog, Person, PersonMerge

View = Callable[..., HttpResponse]

# Roles' capabilities that let a user know some persons exist (pcmd.people.access).
_KNOWING = (
    Capability.VIEW_IDENTITY,
    Capability.VIEW_ENFORCEMENT,
    Capability.VIEW_ACCESS_LOG,
    Capability.MANAGE_REQUESTS,
)


# The page of the record an involvement's source names (``sanction:12``), when there is one.
def may_know_persons(user: Any) -> bool:
    """The user may know that some person records exist (the menu entry and the search)."""
    return bool(getattr(user, "is_authenticated", False)) and any(user.can(cap) for cap in _KNOWING)


def may_read_log(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.can(Capability.VIEW_ACCESS_LOG)


def opens_for(predicate: Callable[[Any], bool]) -> Callable[[View], View]:
    """Sign-in required, then 403 unless ``predicate(user)``; the navigation and the
    ``may_open`` tag ask the same predicate (``pcmd_perms.may_open_path``)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.opens_for = predicate  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _refusal(exc: actions.PersonRefused) -> str:
    vi, en = exc.texts["vi"], exc.texts["en"]
    return f"{vi} / {en}" if vi != en else en


def _known(request: AuthenticatedHttpRequest, pk: int) -> Person:
    """The record ``pk`` if the user may know it exists, else 404."""
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related(
            "unit", "permanent_unit__parent", "current_unit__parent", "merged_into"
        ),
        pk=pk,
    )


# --- find ---------------------------------------------------------------------------------


@opens_for(may_know_persons)
def person_find(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"].strip() if form.is_valid() and form.cleaned_data["q"] else ""
    results: list[Person] = []
    revealed: set[int] = set()
    if text:
        results = list(search.find(user, text).select_related("unit")[:50])
        revealed = access.reveal_many(user, results, "search", path=request.path)
    page = paginate(
        request,
        Person.objects.visible_to(user).active().select_related("unit").order_by("code"),
        50,
    )
    return render(
        request,
        "people/persons/find.html",
        {
            "form": form,
            "searched": bool(text),
            "results": results,
            "revealed": revealed,
            "page": page,
            "query": query_without_page(request),
            "can_create": bool(identity_modules(user)),
            "can_see_merges": is_administrator(user),
        },
    )


# --- a person's page ----------------------------------------------------------------------


def _involvements(user: Any, person: Person) -> list[dict[str, Any]]:
    rows = []
    for inv in person.involvements.select_related("unit", "agency").order_by("started_on", "pk"):
        kind, _ref = sources.split(inv.source)
        candidate = sources.link(inv.source)
        url = candidate if candidate and may_open_path(user, candidate) else None
        rows.append(
            {
                "obj": inv,
                "url": url,
                "manual": kind == MANUAL_SOURCE,
                "label": sources.label(inv.source),
            }
        )
    return rows


def _filtered_reads(request: AuthenticatedHttpRequest, rows: QuerySet[AccessLog], form: Any) -> Any:
    if form.is_valid():
        data = form.cleaned_data
        if data.get("user"):
            rows = rows.filter(user=data["user"])
        if data.get("surface"):
            rows = rows.filter(surface=data["surface"])
        if data.get("since"):
            rows = rows.filter(at__date__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(at__date__lte=data["until"])
    return paginate(request, rows, 50)


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = (
        Person.objects.visible_to(user).select_related("unit", "merged_into").filter(pk=pk).first()
    )
    if person is None:
        # a merged record lost its involvements: it redirects for whoever knows the kept one
        person = get_object_or_404(
            Person.objects.select_related("merged_into"),
            pk=pk,
            merged_into__in=Person.objects.visible_to(user),
        )
    if person.merged_into_id is not None:
        kept = person.merged_into
        assert kept is not None
        messages.info(
            request,
            _("Record %(merged)s was merged into %(kept)s; this is the record kept.")
            % {"merged": person.code, "kept": kept.code},
        )
        return redirect("people:detail", pk=kept.pk)
    why = request.POST.get("why", "").strip()[:300] if request.method == "POST" else ""
    shown = access.reveal(user, person, "page", path=request.path, purpose=why)
    context: dict[str, Any] = {
        "person": person,
        "shown": shown,
        "ask_why": person.protected and not shown and access.grant_for(user, person) is not None,
        "why_too_short": bool(why) and not shown,
        "involvements": _involvements(user, person),
        "can_edit": shown and actions.may_change_person(user, person),
        "can_merge": shown and actions.may_change_person(user, person),
        "reads": None,
    }
    if may_read_log(user):
        readers = User.objects.filter(pk__in=person.reads.values("user")).order_by("username")
        form = ReadsFilterForm(request.GET or None)
        form.fields["user"].queryset = readers  # type: ignore[attr-defined]
        context["reads_form"] = form
        context["reads"] = _filtered_reads(
            request, person.reads.select_related("user", "exception"), form
        )
        context["query"] = query_without_page(request)
    return render(request, "people/persons/detail.html", context)


def _may_see_reads_of(user: Any, subject_pk: int) -> bool:
    return may_read_log(user) or user.pk == subject_pk


@login_required
def user_reads(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What one user read (the administrator, the DPO, or the user themselves)."""
    if not _may_see_reads_of(request.user, pk):
        raise PermissionDenied
    subject = get_object_or_404(User, pk=pk)
    form = ReadsFilterForm(request.GET or None, with_user=False)
    rows = AccessLog.objects.filter(user=subject).select_related("person", "exception")
    return render(
        request,
        "people/persons/user_reads.html",
        {
            "subject": subject,
            "form": form,
            "page": _filtered_reads(request, rows, form),
            "query": query_without_page(request),
        },
    )


# --- new and edit -------------------------------------------------------------------------


def _may_record(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(identity_modules(user))


@opens_for(_may_record)
def person_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = NewPersonForm(request.POST or None, user=user)
    matches: list[Person] = []
    revealed: set[int] = set()
    if request.method == "POST" and form.is_valid():
        values = form.values()
        found = actions.candidates(values)
        if found and not form.cleaned_data.get("confirm_new"):
            matches = [p for p in found if access.may_know(user, p)]
            hidden = len(found) - len(matches)
            revealed = access.reveal_many(
                user, matches, "search", path=request.path, purpose="duplicate check"
            )
            data = request.POST.copy()
            data["confirm_new"] = "on"
            form = NewPersonForm(data, user=user)
            form.is_valid()
            return render(
                request,
                "people/persons/form.html",
                {
                    "form": form,
                    "is_new": True,
                    "matches": matches,
                    "hidden_matches": hidden,
                    "revealed": revealed,
                },
            )
        try:
            person = record_person(
                user,
                unit=form.cleaned_data["unit"],
                module=form.cleaned_data["module"],
                values=values,
            )
        except actions.PersonRefused as exc:
            form.add_error(None, _refusal(exc))
        except PermissionDenied:
            form.add_error("unit", _("You may not record persons in this unit."))
        else:
            messages.success(request, _("Person %(code)s recorded.") % {"code": person.code})
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/persons/form.html",
        {"form": form, "is_new": True},
        status=400 if form.errors else 200,
    )


@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = _known(request, pk)
    if person.merged_into_id is not None:
        return redirect("people:detail", pk=person.merged_into_id)
    if not actions.may_change_person(user, person) or person.protected:
        raise PermissionDenied  # a protected person's record is read with a reason, not edited
    status = 200
    form = PersonForm(request.POST or None, user=user, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(
                user, person, version=form.cleaned_data["version"], values=form.values()
            )
        except EditConflict as exc:
            form.add_error(None, conflict_message(exc))
            status = 409
        except actions.PersonRefused as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", pk=person.pk)
    # the form shows the identity: a showing like the page's
    access.reveal(user, person, "page", path=request.path, purpose="edit")
    if form.errors and status == 200:
        status = 400
    return render(
        request, "people/persons/form.html", {"form": form, "person": person}, status=status
    )


# --- merge --------------------------------------------------------------------------------


@login_required
def person_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = _known(request, pk)
    if person.merged_into_id is not None or not actions.may_change_person(user, person):
        raise PermissionDenied
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["other"].strip()
        other = Person.objects.visible_to(user).filter(code=code).first()
        if other is None:
            form.add_error("other", _("No record with the code %(code)s.") % {"code": code})
        else:
            try:
                actions.merge(user, kept=person, merged=other, reason=form.cleaned_data["reason"])
            except actions.PersonRefused as exc:
                form.add_error(None, _refusal(exc))
            except PermissionDenied:
                form.add_error(
                    "other",
                    _("You may merge only records you may change, both of them."),
                )
            else:
                messages.success(
                    request,
                    _("Record %(merged)s merged into %(kept)s.")
                    % {"merged": other.code, "kept": person.code},
                )
                return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/persons/merge.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@opens_for(is_administrator)
def merge_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = PersonMerge.objects.select_related("kept", "merged", "by", "undone_by")
    return render(
        request,
        "people/persons/merges.html",
        {"page": paginate(request, rows, 50), "query": query_without_page(request)},
    )


@require_POST
@opens_for(is_administrator)
def merge_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(PersonMerge, pk=pk)
    try:
        actions.undo_merge(request.user, record)
    except actions.PersonRefused as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(
            request,
            _("Merge undone: %(merged)s is a separate record again.")
            % {"merged": record.merged.code},
        )
    return redirect("people:merges")
