"""Exports of the establishment register (CSV, XLSX): the list page's scope and filters,
streamed by :mod:`pcmd.core.exports`. No owner or manager name (a person's identity)."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from pcmd.core.db_router import read_replica
from pcmd.core.exports import Column, bad_filters, choice_label, export_response
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .forms import EstablishmentFilterForm
from .models import Establishment, EstablishmentStatus

ESTABLISHMENT_COLUMNS = [
    Column(_("Name"), "name"),
    Column(_("Kind"), "kind__name"),
    Column(_("Address"), "address"),
    Column(_("Commune"), "commune__name"),
    Column(_("District"), "commune__parent__name"),
    Column(_("Business registration number"), "registration_no"),
    Column(_("Status"), "status", choice_label(EstablishmentStatus.choices)),
    Column(_("Operating since"), "opened_on"),
    Column(_("Closed on"), "closed_on"),
]


@capability_required("registry.view")
@read_replica
def establishment_export(
    request: AuthenticatedHttpRequest, fmt: str
) -> StreamingHttpResponse | FileResponse | HttpResponse:
    form = EstablishmentFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return bad_filters(form)
    qs = form.filter().apply(Establishment.objects.visible_to(request.user)).order_by("name", "pk")
    return export_response(fmt, qs, ESTABLISHMENT_COLUMNS, "establishments")
