"""JSON errors for the API: ``{"error": {"status", "message", "message_en", "fields"}}``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from pcmd.core.messages import bilingual

_DEFAULTS = {
    status.HTTP_400_BAD_REQUEST: _("The request is not valid."),
    status.HTTP_401_UNAUTHORIZED: _("Sign in first: send a valid Bearer token."),
    status.HTTP_403_FORBIDDEN: _("You do not have permission for this."),
    status.HTTP_404_NOT_FOUND: _("Not found."),
    status.HTTP_405_METHOD_NOT_ALLOWED: _("This method is not allowed here."),
    status.HTTP_429_TOO_MANY_REQUESTS: _("Too many requests; try again later."),
}


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


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_handler(exc, context)
    if response is None:
        return None
    texts = getattr(exc, "texts", None) or bilingual(
        _DEFAULTS.get(response.status_code, _("The request failed."))
    )
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = {k: v for k, v in response.data.items()}
    body = {
        "error": {
            "status": response.status_code,
            "message": texts["vi"],
            "message_en": texts["en"],
            "fields": fields,
        }
    }
    response.data = body
    return response
