"""One answer to an engine refusal, on every page and endpoint.

A question the indicator engine cannot answer raises :class:`EngineError` wherever it is
asked (dashboard, map, exports, reports, API). The middleware turns it into a 400 that says
why in both languages: the API's JSON error shape under ``/api/``, a page elsewhere (with a
link to the same question on the period's map when the refusal came from the "as is" map).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pcmd.api import errors as api_errors

from .engine import AS_IS, AS_WAS, EngineError, Note

API_PREFIX = "/api/"


def error_body(exc: EngineError) -> dict[str, Any]:
    return api_errors.error_body(exc.status_code, exc.texts)


def note_body(note: Note | None) -> dict[str, str] | None:
    """A note for the API: ``{"message", "message_en"}``, or None."""
    if note is None:
        return None
    texts = note.texts
    return {"message": texts["vi"], "message_en": texts["en"]}


def refusal_response(request: HttpRequest, exc: EngineError) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(exc), status=400)
    as_was_url = None
    if request.GET.get("map") == AS_IS:
        params = request.GET.copy()
        params["map"] = AS_WAS
        as_was_url = f"{request.path}?{params.urlencode()}"
    return render(
        request,
        "indicators/refused.html",
        {"texts": exc.texts, "as_was_url": as_was_url},
        status=400,
    )


class EngineRefusalMiddleware:
    """Answers an :class:`EngineError` that escaped a view (settings.MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, EngineError):
            return refusal_response(request, exception)
        return None
