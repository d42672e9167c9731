"""What the pages of the apps share: an action's errors onto a form (an edit conflict as the
message in both languages), the form page of the registry and hotspots, pagination with its
query string, the version a delete button posts, list filters and XLSX downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pcmd.core.concurrency import EditConflict

T = TypeVar("T")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- an action's errors on a form ---------------------------------------------------------


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's ValidationError next to the fields it names (the rest on top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def conflict_message(exc: EditConflict) -> str:
    """The edit-conflict message in Vietnamese and English, for a form or a flash message."""
    vi, en = exc.texts["vi"], exc.texts["en"]
    return f"{vi} / {en}" if vi != en else en


@dataclass
class Outcome(Generic[T]):
    """What :func:`attempt` did: ``ok`` with the action's ``value``, or errors put on the
    form (``conflict``: someone saved the record after the form was read)."""

    ok: bool
    value: T | None = None
    conflict: bool = False


def attempt(form: forms.BaseForm, write: Callable[[], T]) -> Outcome[T]:
    """Run ``write``; a ValidationError goes onto the form's fields, an EditConflict onto the
    form in both languages."""
    try:
        return Outcome(ok=True, value=write())
    except EditConflict as exc:
        form.add_error(None, conflict_message(exc))
        return Outcome(ok=False, conflict=True)
    except ValidationError as exc:
        apply_errors(form, exc)
        return Outcome(ok=False)


def form_status(form: forms.BaseForm, outcome: Outcome[Any] | None = None) -> int:
    """409 after an edit conflict, 400 when the form shows errors, else 200."""
    if outcome is not None and outcome.conflict:
        return 409
    return 400 if form.errors else 200


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], T],
    *,
    done: str,
    then: Callable[[T], Any],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A short form page (registry, hotspots): a valid POST runs ``run(cleaned_data)`` and
    redirects to ``then(result)`` with the message ``done``; otherwise the page again, with
    the errors (status 200) or the edit conflict (409). The "refresh" button only re-shows."""
    outcome: Outcome[Any] | None = None
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(form, lambda: then(run(data)))  # the result's redirect target
        if outcome.ok:
            assert outcome.value is not None  # ``then`` gives a redirect target
            messages.success(request, done)
            return redirect(outcome.value)
    status = 409 if outcome is not None and outcome.conflict else 200
    return render(request, template, {"form": form, **context}, status=status)


def posted_version(request: HttpRequest) -> int | None:
    """The ``version`` a button posts (None: absent or not a number, no check)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdecimal() else None


def required_version(request: HttpRequest) -> int:
    """The ``version`` a button must post: a change made without saying which version it was
    made on could overwrite someone else's (400 when it is missing)."""
    version = posted_version(request)
    if version is None:
        raise BadRequest("version")
    return version


# --- lists --------------------------------------------------------------------------------

ID_MAX = 2**31 - 1  # the database's integer: a larger id cannot name a row


def bounded_int(raw: Any, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """``raw`` as a whole number in ``minimum..maximum``; None when it is not one (a page's
    filter that cannot be understood is ignored, never a 500)."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isdecimal() and text.isascii() and len(text) <= 12):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def query_int(
    request: HttpRequest, name: str, minimum: int = 0, maximum: int = ID_MAX
) -> int | None:
    """``?name=`` as a bounded whole number (None: absent or not understood)."""
    return bounded_int(request.GET.get(name), minimum, maximum)


def paginate(request: HttpRequest, rows: Any, per_page: int) -> Page:
    """The page ``?page=`` of ``rows`` (the last one when out of range)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The list's query string without ``page``, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def cleaned(form: forms.BaseForm) -> dict[str, Any]:
    """The filters that are valid (an invalid one is ignored, not the whole form)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


def default_year(rows: QuerySet[Any], field: str = "date") -> int:
    """The latest year with records in scope, else the current year."""
    latest = rows.aggregate(latest=Max(field))["latest"]
    return latest.year if latest else timezone.localdate().year


# --- files --------------------------------------------------------------------------------


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
