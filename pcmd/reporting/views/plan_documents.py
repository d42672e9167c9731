"""Downloads of a plan's documents (issue 14, items 3 and 5):

- ``/plans/<pk>/document.docx`` and ``.pdf``: the plan in the Decree 30 layout
  (:mod:`pcmd.reporting.documents.plan`), for every user who may read the plan
  (``Plan.objects.visible_to``: a draft only for those who draft, comment on or issue plans,
  and marked "DỰ THẢO");
- ``/plans/<pk>/review.docx?year=2018`` (and ``.pdf``): the annual review report
  (:mod:`pcmd.reporting.documents.plan_review`), for holders of ``reports.view`` whose scope covers the
  plan's province.

A request that cannot be served (a year outside the plan, a draft's review, no LibreOffice for
the PDF) gets a page with the reason in Vietnamese and English, never a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from pcmd.accounts.permissions import allows
from pcmd.plans.models import Plan
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from ..documents import plan as document
from ..documents import plan_review as review_report
from ..documents.pdf import PdfUnavailable, convert

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _plan(request: AuthenticatedHttpRequest, pk: int) -> Plan:
    rows = Plan.objects.visible_to(request.user).select_related("unit", "issuer__unit")
    return get_object_or_404(rows, pk=pk)


def _file(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _problem(
    request: AuthenticatedHttpRequest, plan: Plan, texts: dict[str, str], status: int
) -> HttpResponse:
    context = {"plan": plan, "texts": texts}
    return render(request, "reporting/plan_document_problem.html", context, status=status)


@capability_required("plan.view")
def plan_document(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        content = document.render(plan) if fmt == "docx" else document.render_pdf(plan)
    except PdfUnavailable as exc:
        return _problem(request, plan, exc.texts, 503)
    return _file(content, fmt, document.file_name(plan, fmt))


@capability_required("reports.view")
def review(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _plan(request, pk)
    if plan.unit is not None and not allows(request.user, "reports.view", unit=plan.unit):
        raise PermissionDenied  # the province's report: for readers of the whole province
    try:
        year = review_report.check(plan, request.GET.get("year"))
    except review_report.ReviewRefused as exc:
        return _problem(request, plan, exc.texts, 400)
    content = review_report.render(plan, year, request.user)
    if fmt == "pdf":
        try:
            content = convert(content)
        except PdfUnavailable as exc:
            return _problem(request, plan, exc.texts, 503)
    return _file(content, fmt, review_report.file_name(plan, year, fmt))
