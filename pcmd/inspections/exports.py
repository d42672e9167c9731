"""Exports of the inspection register (CSV, XLSX): the list page's scope and filters,
streamed by :mod:`pcmd.core.exports`. No free text (summaries may name people)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from pcmd.core.db_router import read_replica
from pcmd.core.exports import Column, bad_filters, choice_label, export_response, yes_no
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .forms import InspectionFilterForm
from .models import InspectionResult
from .views import filtered_inspections

INSPECTION_COLUMNS = [
    Column(_("Date"), "date"),
    Column(_("Team"), "team__name"),
    Column(_("Establishment"), "establishment__name"),
    Column(_("Commune"), "commune__name"),
    Column(_("District"), "commune__parent__name"),
    Column(_("Result"), "result", choice_label(InspectionResult.choices)),
    Column(_("Violations"), "n_violations"),
    Column(_("Follow-up needed"), "follow_up_needed", yes_no),
]


@capability_required("inspections.view")
@read_replica
def inspection_export(
    request: AuthenticatedHttpRequest, fmt: str
) -> StreamingHttpResponse | FileResponse | HttpResponse:
    form = InspectionFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return bad_filters(form)
    qs = (
        filtered_inspections(request.user, form)
        .annotate(n_violations=Count("violations", filter=Q(violations__is_deleted=False)))
        .order_by("-date", "-pk")
    )
    return export_response(fmt, qs, INSPECTION_COLUMNS, "inspections")
