"""Small helpers for thin views (outreach and support): errors onto forms, files out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pcmd.core.concurrency import EditConflict
from pcmd.core.xlsx_import import ImportSpec

from .forms import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's ValidationError next to the fields it names (else on top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def conflict_error(form: forms.Form, exc: EditConflict) -> None:
    form.add_error(None, f"{exc.texts['vi']} / {exc.texts['en']}")


def save_or_errors(form: forms.Form, write: Callable[[], Any]) -> Any:
    """Run ``write``; on a rule or conflict put the message on the form and return None."""
    try:
        return write()
    except EditConflict as exc:
        conflict_error(form, exc)
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def import_page(request: HttpRequest, *, title: str, spec: Callable[[], ImportSpec],
                template_name: str, run: Callable[[bytes], Any], done_url: str,
                back_url: str, context: dict[str, Any] | None = None) -> HttpResponse:
    """GET: the upload form and the template link. POST: all rows saved, or the problems."""
    if request.GET.get("template"):
        return xlsx_response(spec().template(), template_name)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = run(form.cleaned_data["file"].read())
        if outcome.ok:
            messages.success(request, _("%(n)s rows imported.") % {"n": outcome.saved})
            return redirect(done_url)
        problems = outcome.problems
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "outreach/import.html", {
        "title": title, "form": form, "problems": problems, "back_url": back_url,
        **(context or {})}, status=status)
