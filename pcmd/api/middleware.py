"""Requests that carry a NUL character are refused before any view reads them.

PostgreSQL text cannot hold NUL (0x00): a lookup or a save with one fails inside the
database (a 500), wherever the value goes (a filter, a related field's lookup, a form).
Django's and DRF's text fields refuse NUL, but lookups by slug, code or choice do not, so
the rule is applied once to every request: the query string, form fields (not file
contents) and JSON bodies. The answer is a 400 in both languages: the API's JSON error under
``/api/``, the site's page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .errors import is_api, json_error

NUL_REFUSED = _("The request contains a NUL character (code 0), which is not allowed.")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
        "QUERY_STRING", ""
    ):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in key or "\x00" in value for key, value in request.POST.items())
    return False


class NulRefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if is_api(request):
                return json_error(400, NUL_REFUSED)
            return render(request, "400.html", {"message": NUL_REFUSED}, status=400)
        return self.get_response(request)
