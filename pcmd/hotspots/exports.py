"""Exports of the patrol register (CSV, XLSX): the list page's scope and filters, streamed
by :mod:`pcmd.core.exports`. Counts of people follow the small-cell rule of the page."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from pcmd.core.db_router import read_replica
from pcmd.core.exports import Column, bad_filters, export_response
from pcmd.indicators.privacy import sees_small_cells, shown
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .forms import PatrolFilterForm
from .views import filtered_patrols


def _area(name: str | None) -> str:
    return name or str(_("Area patrol"))


def patrol_columns(user: object) -> list[Column]:
    suppress = not sees_small_cells(user, "patrols")

    def people(value: int) -> object:
        return shown(value, suppress=suppress)

    return [
        Column(_("Date"), "on"),
        Column(_("Hotspot or area"), "hotspot__name", _area),
        Column(_("Commune"), "commune__name"),
        Column(_("District"), "commune__parent__name"),
        Column(_("Force"), "force"),
        Column(_("Agency"), "agency__name"),
        Column(_("People found"), "people_found", people),
        Column(_("People sanctioned"), "people_sanctioned", people),
        Column(_("People referred to support"), "people_referred", people),
    ]


@capability_required("hotspots.view")
@read_replica
def patrol_export(
    request: AuthenticatedHttpRequest, fmt: str
) -> StreamingHttpResponse | FileResponse | HttpResponse:
    form = PatrolFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return bad_filters(form)
    qs = filtered_patrols(request.user, form).order_by("-on", "-pk")
    return export_response(fmt, qs, patrol_columns(request.user), "patrols")
