"""Helpers shared by the reporting pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation

from pcmd.core.concurrency import EditConflict
from pcmd.web.common import bounded_int, conflict_message

from ..models import Submission


def get_submission(request: HttpRequest, pk: int) -> Submission:
    """A report the user may read (404 otherwise)."""
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "form",
            "form_version",
            "form_version__source_form",
            "unit",
            "unit__parent",
            "agency",
            "agency__unit",
            "submitted_by",
            "reviewed_by",
        ),
        pk=pk,
    )


def conflict(request: HttpRequest, exc: EditConflict) -> None:
    """The optimistic-lock message, in Vietnamese and English."""
    messages.error(request, conflict_message(exc))


def int_param(value: Any) -> int | None:
    """A filter's id (None: absent, not a whole number or beyond any row's id)."""
    return bounded_int(value)


def language() -> str:
    return translation.get_language() or "vi"
