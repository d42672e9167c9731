"""Pages of a background import: progress (with its JSON), the result, the problems workbook.

Only the official who uploaded the file, and administrators, see a job; anyone else gets
the 404 of a job that does not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from pcmd.core.import_jobs import kind_for
from pcmd.core.models import ImportJob
from pcmd.core.xlsx_import import Problem, problems_workbook

from .auth import AuthenticatedHttpRequest
from .common import xlsx_response

SHOWN = 500  # problems listed on the page; the workbook has them all


def _job(request: AuthenticatedHttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)


def _percent(job: ImportJob) -> int:
    if job.finished:
        return 100
    if not job.rows_total:
        return 0
    return min(100, round(100 * job.rows_done / job.rows_total))


@login_required
def job_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    kind = kind_for(job.kind)
    problems = job.problems[:SHOWN]
    context = {
        "job": job,
        "kind": kind,
        "percent": _percent(job),
        "problems": problems,
        "more": max(0, job.problems_total - len(problems)),
        "bad_rows": len({p["row"] for p in job.problems}),
        "done_url": kind.done_url(job.params),
        "upload_url": kind.upload_url(job.params),
        "status_url": reverse("imports:status", args=[job.pk]),
    }
    return render(request, "core/import_job.html", context)


@login_required
def job_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """What the job page's script polls: the counts, and whether it has finished."""
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_total": job.rows_total,
            "rows_done": job.rows_done,
            "percent": _percent(job),
            "finished": job.finished,
        }
    )


@login_required
def job_problems(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    problems = [Problem(p["row"], p["column"], p["message"], p["message_en"]) for p in job.problems]
    if not problems:
        return HttpResponse(status=404)
    return xlsx_response(problems_workbook(problems), f"loi-nhap-{job.pk}.xlsx")
