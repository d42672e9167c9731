"""The XLSX import pages: template download, upload, problems workbook."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from pcmd.core import import_jobs
from pcmd.core.xlsx_import import Problem, problems_workbook
from pcmd.web.access import capability_required
from pcmd.web.common import xlsx_response

from . import actions, importer
from .forms import ImportForm

SESSION_KEY = "registry_import_problems"
SHOWN = 500  # problems listed on the page; the workbook has them all


@capability_required("registry.edit")
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(importer.template(), "mau-nhap-co-so-kinh-doanh.xlsx")


@capability_required("registry.edit")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if import_jobs.runs_in_background(data):
            job = import_jobs.start(
                "registry.establishments", data, actor=request.user, filename=upload.name
            )
            return redirect("imports:job", pk=job.pk)
        outcome = actions.import_establishments(data, actor=request.user, filename=upload.name)
        if outcome.ok:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                ngettext(
                    "%(n)s establishment imported.",
                    "%(n)s establishments imported.",
                    len(outcome.created),
                )
                % {"n": len(outcome.created)},
            )
            return redirect("registry:list")
        request.session[SESSION_KEY] = [p.as_dict() for p in outcome.problems]
        bad_rows = len({p.row for p in outcome.problems})
        context.update(
            {
                "problems": outcome.problems[:SHOWN],
                "total": len(outcome.problems),
                "bad_rows": bad_rows,
                "rows": outcome.rows,
                "more": max(0, len(outcome.problems) - SHOWN),
            }
        )
        status = 400
    return render(request, "registry/import.html", context, status=status)


@capability_required("registry.edit")
def import_problems(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        raise Http404
    problems = [Problem(p["row"], p["column"], p["message"], p["message_en"]) for p in stored]
    return xlsx_response(problems_workbook(problems), "loi-nhap-co-so-kinh-doanh.xlsx")
