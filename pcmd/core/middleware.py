"""Vietnamese by default: the language is the user's explicit choice (cookie), else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an official whose
browser is set to English would land in English; the plan's users expect Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a signed-in user and on every API answer:
    pages, documents and data of the plan must not stay in a browser's or a proxy's cache
    (a shared office computer, the back button after signing out). Static files keep their
    caching (WhiteNoise answers them before this middleware; ``STATIC_URL`` is skipped too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"
        if not self.static_prefix.startswith("/"):
            self.static_prefix = "/" + self.static_prefix

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "private, no-store"
        return response
