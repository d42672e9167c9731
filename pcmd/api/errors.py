"""JSON errors for the API: ``{"error": {"status", "message", "message_en", "fields"}}``."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from pcmd.core.messages import bilingual

logger = logging.getLogger("pcmd.api")
API_PREFIX = "/api/"

_DEFAULTS = {
    status.HTTP_400_BAD_REQUEST: _("The request is not valid."),
    status.HTTP_401_UNAUTHORIZED: _("Sign in first: send a valid Bearer token."),
    status.HTTP_403_FORBIDDEN: _("You do not have permission for this."),
    status.HTTP_404_NOT_FOUND: _("Not found."),
    status.HTTP_405_METHOD_NOT_ALLOWED: _("This method is not allowed here."),
    status.HTTP_429_TOO_MANY_REQUESTS: _("Too many requests; try again later."),
    status.HTTP_500_INTERNAL_SERVER_ERROR: _(
        "The server could not answer this request; the error has been logged."
    ),
}
LOCKED_OUT = _("Too many failed sign-in attempts. Try again in 30 minutes or ask an administrator.")


def error_body(
    code: int, texts: dict[str, str] | None = None, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON error: ``{"error": {"status", "message", "message_en", "fields"}}``."""
    texts = texts or bilingual(_DEFAULTS.get(code, _("The request failed.")))
    return {
        "error": {
            "status": code,
            "message": texts["vi"],
            "message_en": texts["en"],
            "fields": fields or {},
        }
    }


def json_error(code: int, message: Any = None) -> JsonResponse:
    """A plain Django response with the JSON error (outside DRF's views)."""
    texts = bilingual(message) if message is not None else None
    return JsonResponse(error_body(code, texts), status=code)


class BadParameter(exceptions.ValidationError):
    """A query parameter that cannot be understood; carries a bilingual message."""

    def __init__(self, name: str, message: Any, **params: Any) -> None:
        self.param = name
        self.texts = bilingual(message, **params)
        super().__init__({name: [self.texts["vi"]]})


class NotFoundBilingual(exceptions.NotFound):
    def __init__(self, message: Any, **params: Any) -> None:
        self.texts = bilingual(message, **params)
        super().__init__(self.texts["vi"])


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Every error of a DRF view as the JSON error; an unexpected exception is logged with
    its traceback and answered as a 500 without one."""
    response = drf_handler(exc, context)
    status = getattr(exc, "status_code", None)
    texts = getattr(exc, "texts", None)
    if response is None and isinstance(status, int) and 400 <= status < 500 and texts:
        # A domain refusal (e.g. the indicator engine's) that says its status and both texts.
        return Response(error_body(status, texts), status=status)
    if response is None:
        request = context.get("request")
        logger.error("Unexpected error in %s", getattr(request, "path", "?"), exc_info=exc)
        return Response(error_body(500), status=500)
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = {k: v for k, v in response.data.items()}
    response.data = error_body(response.status_code, getattr(exc, "texts", None), fields)
    return response


# --- outside DRF's views: Django's error handlers and the sign-in lockout -----------------


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the JSON error under /api/, else the site's page."""
    if is_api(request):
        return json_error(400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the JSON error under /api/, else the site's page."""
    if is_api(request):
        return json_error(403)
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the JSON error under /api/ (also for unknown API addresses), else the site's page."""
    if is_api(request):
        return json_error(404)
    return render(request, "404.html", status=404)


@csrf_exempt  # like DRF's views: a PATCH to an unknown address is a 404, not a CSRF page
def api_not_found(request: HttpRequest) -> HttpResponse:
    """Any address under /api/ that no endpoint has."""
    return json_error(404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 (Django has logged it): the JSON error under /api/, else a page that needs no
    database (no context processors: the failure may be the database)."""
    if is_api(request):
        return json_error(500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer after too many failed sign-ins: the JSON error (429) under /api/,
    else the lockout page."""
    if is_api(request):
        return json_error(429, LOCKED_OUT)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
