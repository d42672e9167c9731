"""Helpers shared by the reporting pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation

from pcmd.core.concurrency import EditConflict

from ..models import Submission


def get_submission(request: HttpRequest, pk: int) -> Submission:
    """A report the user may read (404 otherwise)."""
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "form", "form_version", "form_version__source_form", "unit", "unit__parent",
            "agency", "agency__unit", "submitted_by", "reviewed_by"),
        pk=pk)


def conflict(request: HttpRequest, exc: EditConflict) -> None:
    """The optimistic-lock message, in Vietnamese and English."""
    messages.error(request, f"{exc.texts['vi']} / {exc.texts['en']}")


def error_texts(exc: ValidationError) -> list[str]:
    out = []
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            out.extend(_render(e) for e in errors)
    else:
        out.extend(_render(e) for e in exc.error_list)
    return out


def _render(error: ValidationError) -> str:
    text = str(error.message)
    return text % error.params if error.params else text


def add_errors(form: Any, exc: ValidationError) -> None:
    """An action's errors onto a Django form: known fields by name, the rest on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, _render(error))
    else:
        for error in exc.error_list:
            form.add_error(None, _render(error))


def int_param(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def language() -> str:
    return translation.get_language() or "vi"
