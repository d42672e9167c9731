"""Pages of one report: start, read, edit, submit, approve, return, import, download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.agencies.models import Agency
from pcmd.core.concurrency import EditConflict
from pcmd.geo.models import Unit
from pcmd.web.access import capability_required
from pcmd.web.common import apply_errors, paginate, query_without_page

from .. import actions, documents
from ..documents import docx as docx_doc
from ..documents import pdf as pdf_doc
from ..documents import xlsx as xlsx_doc
from ..forms import ApproveForm, ReturnForm, StartForm, SubmissionForm, UploadForm
from ..models import FieldKind, ReportForm, Submission, SubmissionStatus
from ..obligations import (
    can_approve,
    can_report_for,
    period_label_vi,
    period_of,
    user_reporters,
)
from ..privacy import NOTHING, Suppression, for_submission, hit_message
from ..values import (
    Change,
    aggregate,
    changes_since_snapshot,
    current_auto,
    display,
    submission_period,
)
from .common import conflict, get_submission, int_param, language

PAGE_SIZE = 50


@capability_required("reports.view")
def submission_list(request: HttpRequest) -> HttpResponse:
    qs = Submission.objects.visible_to(request.user).select_related("form", "unit", "agency")
    form_id = int_param(request.GET.get("form"))
    status = request.GET.get("status", "")
    period = request.GET.get("period", "").strip()
    if form_id:
        qs = qs.filter(form_id=form_id)
    if status in SubmissionStatus.values:
        qs = qs.filter(status=status)
    if period:
        qs = qs.filter(period_code=period)
    page = paginate(request, qs.order_by("-period_end", "form__order", "unit__code"), PAGE_SIZE)
    return render(
        request,
        "reporting/submission_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "forms": ReportForm.objects.visible_to(request.user),
            "statuses": SubmissionStatus.choices,
            "form_id": form_id,
            "status": status,
            "period": period,
        },
    )


def _reporter_choices(
    user: Any,
    form: ReportForm | None,
    period_code: str,
) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    seen: set[str] = set()
    for a in user.active_assignments:
        if a.agency_id and f"a{a.agency_id}" not in seen:
            seen.add(f"a{a.agency_id}")
            choices.append((f"a{a.agency_id}", a.agency.name))
        if f"u{a.unit_id}" not in seen:
            seen.add(f"u{a.unit_id}")
            choices.append((f"u{a.unit_id}", a.unit.name))
    if form is not None and period_code:
        try:
            period = period_of(form.current, period_code)
        except ValueError:
            return choices
        mine = user_reporters(user, form.current, period)
        keys = {(f"a{r.agency.pk}" if r.agency else f"u{r.unit.pk}") for r in mine}
        choices = [c for c in choices if c[0] in keys] or choices
    return choices


@capability_required("reports.submit")
def start(request: HttpRequest) -> HttpResponse:
    """Open a report: from the inbox (form, period, reporter in the query) or this form."""
    user = request.user
    data = request.POST if request.method == "POST" else (request.GET or None)
    forms_qs = ReportForm.objects.visible_to(user).filter(is_active=True)
    form_pk = int_param(data.get("form")) if data else None
    form_obj = forms_qs.filter(pk=form_pk).first() if form_pk is not None else None
    start_form = StartForm(
        data,
        forms_choices=[(str(f.pk), f.name) for f in forms_qs],
        reporter_choices=_reporter_choices(user, form_obj, data.get("period", "") if data else ""),
    )
    if request.method == "POST" and start_form.is_valid():
        reporter = start_form.cleaned_data["reporter"]
        unit = agency = None
        if reporter.startswith("a"):
            agency = get_object_or_404(Agency, pk=int_param(reporter[1:]))
        else:
            unit = get_object_or_404(Unit, pk=int_param(reporter[1:]))
        try:
            sub = actions.start_submission(
                form_obj or forms_qs.get(pk=start_form.cleaned_data["form"]),
                start_form.cleaned_data["period"],
                actor=user,
                unit=unit,
                agency=agency,
            )
        except ValidationError as exc:
            apply_errors(start_form, exc)
        else:
            messages.success(request, _("The draft report was created."))
            return redirect("reporting:edit", pk=sub.pk)
    return render(request, "reporting/start.html", {"form": start_form})


def _sections(
    sub: Submission, auto: dict[str, Any], changes: dict[str, Any], hide: Suppression = NOTHING
) -> list[dict[str, Any]]:
    """The report's figures by section, small counts of people as ``hide`` says."""
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for f in sub.form_version.field_list:
        if current is None or current["section"].pk != f.section_id:
            current = {"section": f.section, "fields": []}
            out.append(current)
        value = auto.get(f.code) if f.is_auto else (sub.values or {}).get(f.code)
        value = hide.rows(f.code, hide.value(f.code, value))
        change = changes.get(f.code)
        if change is not None and f.code in hide.fields:
            change = Change(f, hide.value(f.code, change.was), hide.value(f.code, change.now))
        current["fields"].append(
            {
                "field": f,
                "value": value,
                "text": display(f, value) if f.is_numeric or f.kind == FieldKind.TEXT else "",
                "rows": value if f.kind == FieldKind.TABLE else None,
                "change": change,
            }
        )
    return out


def _hits(sub: Submission, hide: Suppression) -> list[Any]:
    hits = list(sub.rule_hits.select_related("rule"))
    for h in hits:
        h.shown_text = hit_message(h, hide, language())
    return hits


def _detail_context(request: HttpRequest, sub: Submission) -> dict[str, Any]:
    user = request.user
    period = submission_period(sub)
    auto = current_auto(sub)
    changes = {c.field.code: c for c in changes_since_snapshot(sub)}
    hide = for_submission(sub, user)
    context: dict[str, Any] = {
        "sub": sub,
        "version": sub.form_version,
        "period": period,
        "period_label": period_label_vi(period),
        "sections": _sections(sub, auto, changes, hide),
        "changes": list(changes.values()),
        "hits": _hits(sub, hide),
        "events": list(sub.events.select_related("actor")),
        "can_edit": sub.is_editable
        and can_report_for(user, sub.form_version, sub.unit, sub.agency),
        "can_review": sub.status == SubmissionStatus.SUBMITTED and can_approve(user, sub),
        "approve_form": ApproveForm(initial={"version": sub.version}),
        "return_form": ReturnForm(initial={"version": sub.version}),
    }
    if sub.form_version.reporter_kind == "unit" and sub.agency_id is None:
        context["below"] = aggregate(sub.form, sub.unit, period, user=user)
    if sub.form_version.is_synthesis:
        from ..synthesis import gather

        context["synthesis"] = gather(sub, user=user)
    if sub.agency_id and any(f.kind == FieldKind.TASK_REPORTS for f in sub.form_version.field_list):
        from ..taskreports_link import rows

        context["task_reports"] = rows(period, [sub.agency_id])
    return context


@capability_required("reports.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    return render(request, "reporting/detail.html", _detail_context(request, sub))


def _editable(request: HttpRequest, pk: int) -> Submission:
    sub = get_submission(request, pk)
    if not can_report_for(request.user, sub.form_version, sub.unit, sub.agency):
        raise PermissionDenied
    return sub


@capability_required("reports.submit")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _editable(request, pk)
    if not sub.is_editable:
        messages.error(
            request,
            _("This report is %(status)s and can no longer be changed.")
            % {"status": sub.get_status_display()},
        )
        return redirect("reporting:detail", pk=sub.pk)
    hits = actions.check(sub)
    warnings = [(h.rule.code, h.text()) for h in hits if not h.is_blocking]
    form = SubmissionForm(
        sub,
        request.POST or None,
        initial={"version": sub.version},
        rule_codes=warnings
        if request.method != "POST"
        else [
            (r.code, r.message)
            for r in sub.form_version.rules.all()
            if f"explanation_{r.code}" in request.POST
        ],
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        what = request.POST.get("action", "save")
        data = form.cleaned_data
        kwargs: dict[str, Any] = {
            "values": form.values(),
            "explanations": form.explanations(),
            "doc_number": data.get("doc_number"),
            "signer_name": data.get("signer_name"),
            "signer_authority": data.get("signer_authority"),
            "signer_title": data.get("signer_title"),
        }
        if sub.form_version.is_synthesis:
            kwargs["draft_text"] = data.get("draft_text")
        try:
            hits = actions.save_draft(
                sub, actor=request.user, expected_version=data["version"], **kwargs
            )
            if what == "submit":
                actions.submit_submission(sub, actor=request.user)
                messages.success(request, _("The report was submitted to the level above."))
                return redirect("reporting:detail", pk=sub.pk)
        except EditConflict as exc:
            form.add_error(None, f"{exc.texts['vi']} / {exc.texts['en']}")
            status = 409
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 400
            if what == "submit":
                # the figures may have been saved before the submission was refused: go on
                # from the saved version, and ask for the explanations the warnings need
                sub.refresh_from_db()
                hits = actions.check(sub)
                data = request.POST.copy()
                data["version"] = str(sub.version)
                form = _with_explanations(sub, form, hits, data)
        else:
            messages.success(request, _("Saved."))
            return redirect("reporting:edit", pk=sub.pk)
    elif request.method == "POST":
        status = 400
    return _render_edit(request, sub, form, hits, status=status)


def _with_explanations(
    sub: Submission, form: SubmissionForm, hits: list[Any], data: Any
) -> SubmissionForm:
    """After a refused submission: the form on the saved version, with explanation fields."""
    missing = [
        (h.rule.code, h.text())
        for h in hits
        if not h.is_blocking and f"explanation_{h.rule.code}" not in form.fields
    ]
    fresh = SubmissionForm(
        sub,
        data,
        initial={"version": sub.version},
        rule_codes=[
            (name.removeprefix("explanation_"), form.fields[name].help_text)
            for name in form.fields
            if name.startswith("explanation_")
        ]
        + missing,
    )
    fresh.is_valid()
    for name, errors in form.errors.items():
        for error in errors:
            if name == "__all__" or name in fresh.fields:
                fresh.add_error(None if name == "__all__" else name, error)
    return fresh


def _render_edit(
    request: HttpRequest,
    sub: Submission,
    form: SubmissionForm,
    hits: list[Any],
    *,
    status: int = 200,
) -> HttpResponse:
    period = submission_period(sub)
    auto = current_auto(sub)
    sections = _sections(sub, auto, {})
    for section in sections:
        for item in section["fields"]:
            f = item["field"]
            if f.code in form.fields:
                item["bound"] = form[f.code]
            if f.kind == FieldKind.TABLE:
                item["grid"] = form.table_grid(f)
    explanation_fields = [form[name] for name in form.fields if name.startswith("explanation_")]
    return render(
        request,
        "reporting/edit.html",
        {
            "sub": sub,
            "form": form,
            "sections": sections,
            "hits": hits,
            "explanations": explanation_fields,
            "period": period,
            "period_label": period_label_vi(period),
            "below": aggregate(sub.form, sub.unit, period, user=request.user)
            if sub.agency_id is None
            else None,
            "upload_form": UploadForm(initial={"version": sub.version}),
        },
        status=status,
    )


@require_POST
@capability_required("reports.submit")
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _editable(request, pk)
    try:
        actions.submit_submission(
            sub, actor=request.user, expected_version=int_param(request.POST.get("version"))
        )
    except EditConflict as exc:
        conflict(request, exc)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("reporting:edit", pk=sub.pk)
    else:
        messages.success(request, _("The report was submitted to the level above."))
    return redirect("reporting:detail", pk=sub.pk)


@require_POST
@capability_required("reports.approve")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        actions.approve_submission(
            sub,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except EditConflict as exc:
        conflict(request, exc)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The report was approved; its figures are locked."))
    return redirect("reporting:detail", pk=sub.pk)


@require_POST
@capability_required("reports.approve")
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    form = ReturnForm(request.POST)
    try:
        actions.return_submission(
            sub,
            actor=request.user,
            comment=request.POST.get("comment", ""),
            expected_version=int_param(request.POST.get("version")),
        )
    except EditConflict as exc:
        conflict(request, exc)
    except ValidationError as exc:
        apply_errors(form, exc)
        context = _detail_context(request, sub)
        context["return_form"] = form
        return render(request, "reporting/detail.html", context, status=400)
    else:
        messages.success(request, _("The report was returned to the reporter."))
    return redirect("reporting:detail", pk=sub.pk)


def _edit_step(request: HttpRequest, sub: Any, step: Any, done: str) -> HttpResponse:
    """Run a one-click action on a draft, report the outcome, and go back to the edit page."""
    try:
        step(sub, actor=request.user, expected_version=int_param(request.POST.get("version")))
    except EditConflict as exc:
        conflict(request, exc)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("reporting:edit", pk=sub.pk)


@require_POST
@capability_required("reports.submit")
def fill_from_below(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_step(
        request,
        _editable(request, pk),
        actions.fill_from_below,
        _("Figures filled in from the approved reports below."),
    )


@require_POST
@capability_required("reports.submit")
def redraft(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_step(
        request,
        _editable(request, pk),
        actions.redraft_synthesis,
        _("The text was drafted again from the current data."),
    )


@capability_required("reports.submit")
def import_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _editable(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"version": sub.version})
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # its size is checked by the form's field
        try:
            problems = actions.import_workbook(
                sub,
                upload.read(),
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as exc:
            conflict(request, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not problems:
                messages.success(
                    request, _("The workbook was read; the figures are saved in the draft.")
                )
                return redirect("reporting:edit", pk=sub.pk)
    return render(
        request,
        "reporting/import.html",
        {"sub": sub, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


FORMATS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx_doc.render,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_doc.render),
}


def document_bytes(sub: Submission, fmt: str, user: Any = None) -> tuple[bytes, str]:
    """``(content, content type)``; raises :class:`PdfUnavailable` for a PDF without soffice.

    ``user``: who downloads; small counts of people are "<5" unless they may see them.
    """
    if fmt == "pdf":
        return pdf_doc.convert(docx_doc.render(sub, user=user)), "application/pdf"
    content_type, render_fn = FORMATS[fmt]
    return render_fn(sub, user=user), content_type


@capability_required("reports.view")
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sub = get_submission(request, pk)
    if fmt not in ("docx", "xlsx", "pdf"):
        raise Http404
    try:
        content, content_type = document_bytes(sub, fmt, request.user)
    except pdf_doc.PdfUnavailable as exc:
        messages.error(request, f"{exc.texts['vi']} / {exc.texts['en']}")
        return redirect(reverse("reporting:detail", args=[sub.pk]))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.file_name(sub, fmt)}"'
    return response
