"""The ministry's pages: thin views over :mod:`.figures` (approved figures only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.core.db_router import read_replica
from pcmd.core.messages import bilingual
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from . import document, nationalmap
from .figures import (
    APPROVED,
    AWAITING,
    CAPABILITY,
    MISSING,
    YEAR_MAX,
    YEAR_MIN,
    NationalRefused,
    approved_figures,
    completeness,
    default_year,
    overview,
    parse_year,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _refused(request: AuthenticatedHttpRequest, exc: NationalRefused) -> HttpResponse:
    """A bad parameter: 400 with the message in Vietnamese and English, naming the field."""
    texts = bilingual(exc.message, **exc.params)
    return render(request, "400.html", {"message": f"{texts['vi']} / {texts['en']}"}, status=400)


def _page(
    request: AuthenticatedHttpRequest, build: Callable[[int], dict[str, Any]], template: str
) -> HttpResponse:
    try:
        year = parse_year(request.GET.get("year"), default_year())
        context = build(year)
    except NationalRefused as exc:
        return _refused(request, exc)
    context.update(year=year, years=range(YEAR_MAX, YEAR_MIN - 1, -1))
    return render(request, template, context)


@capability_required(CAPABILITY)
@read_replica
def overview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(
        request, lambda year: {"ov": overview(request.user, year)}, "national/overview.html"
    )


@capability_required(CAPABILITY)
@read_replica
def map_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    def build(year: int) -> dict[str, Any]:
        figures = approved_figures(request.user, year)
        choices = nationalmap.mappable(figures)
        code = request.GET.get("field") or (choices[0].code if choices else "")
        spec = next((s for s in choices if s.code == code), None)
        if choices and spec is None:
            raise NationalRefused("field", _("Figure: choose one of the figures in the list."))
        return {
            "figures": figures,
            "choices": choices,
            "map": nationalmap.build(figures, spec) if spec is not None else None,
        }

    return _page(request, build, "national/map.html")


@capability_required(CAPABILITY)
@read_replica
def completeness_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    def build(year: int) -> dict[str, Any]:
        table = completeness(request.user, year)
        return {
            "table": table,
            "approved": table.count(APPROVED),
            "awaiting": table.count(AWAITING),
            "missing": table.count(MISSING),
            "late": table.late,
        }

    return _page(request, build, "national/completeness.html")


@capability_required(CAPABILITY)
@read_replica
def report_docx(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        year = parse_year(request.GET.get("year"), default_year())
    except NationalRefused as exc:
        return _refused(request, exc)
    data = document.build(request.user, year, today=timezone.localdate())
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-quoc-gia-{year}.docx"'
    return response
