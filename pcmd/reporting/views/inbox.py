"""The report inbox (to submit, to approve, reminders), completeness, data quality, the level
below side by side."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.core.periods import PeriodError, year_period
from pcmd.geo.models import Unit
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import paginate, query_without_page

from .. import actions
from ..models import (
    DONE_STATUSES,
    Reminder,
    ReportForm,
    RuleHit,
    Severity,
    Submission,
    SubmissionStatus,
)
from ..obligations import (
    ObligationError,
    due_date,
    owed_periods,
    period_label_vi,
    period_of,
)
from ..privacy import for_submission, hit_message
from ..stats import completeness, late_reporters
from ..values import aggregate
from ..worklist import (
    active_forms,
    default_year,
    obligations_of,
    reports_to_approve,
    unread_reminders,
)
from .common import int_param, language


def year_param(
    request: HttpRequest,
    forms: list[ReportForm],
    today: datetime.date,
    cache: dict[Any, list[Any]] | None = None,
) -> int:
    raw = request.GET.get("year", "")
    if raw.isdecimal() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default_year(forms, today, request.user, cache)


@capability_required("reports.view")
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    forms = active_forms(user)
    cache: dict[Any, list[Any]] = {}
    year = year_param(request, forms, today, cache)
    to_submit = (
        obligations_of(user, forms, year, today, cache) if user.can("reports.submit") else []
    )
    to_approve = reports_to_approve(user)
    reminders = unread_reminders(user)
    summary = completeness(user, year_period(year), today=today, cache=cache)
    return render(
        request,
        "reporting/inbox.html",
        {
            "year": year,
            "years": range(today.year, 2015, -1),
            "today": today,
            "to_submit": to_submit,
            "to_approve": to_approve,
            "reminders": reminders,
            "summary": summary,
            "forms": forms,
            "can_design": user.can("reports.forms"),
            "can_approve": user.can("reports.approve"),
        },
    )


@capability_required("reports.view")
def completeness_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    forms = list(
        ReportForm.objects.visible_to(user).filter(is_active=True).prefetch_related("versions")
    )
    year = year_param(request, forms, today)
    form = next((f for f in forms if f.pk == int_param(request.GET.get("form"))), None)
    within: Any = user
    unit_id = int_param(request.GET.get("unit"))
    if unit_id:
        unit = get_object_or_404(Unit, pk=unit_id)
        if not user.sees_unit(unit):
            raise Http404
        within = unit
    result = completeness(within, year_period(year), form=form, today=today, with_missing=True)
    detail = None
    period_code = request.GET.get("period", "")
    if form is not None and period_code:
        try:
            period = period_of(form.current, period_code)
        except ObligationError:
            raise Http404 from None
        detail = _per_reporter(user, form, period, within, today)
    return render(
        request,
        "reporting/completeness.html",
        {
            "year": year,
            "years": range(today.year, 2015, -1),
            "forms": forms,
            "form": form,
            "result": result,
            "detail": detail,
            "period_code": period_code,
            "can_remind": user.can("reports.approve"),
        },
    )


def _per_reporter(
    user: Any, form: ReportForm, period: Any, within: Any, today: datetime.date
) -> list[dict[str, Any]]:
    from ..obligations import expected_reporters

    scope = (
        [within]
        if isinstance(within, Unit)
        else (None if user.is_superuser else list(user.scope_units))
    )
    reporters = expected_reporters(form.current, period, scope)
    subs = {
        (s.unit_id, s.agency_id): s
        for s in Submission.objects.filter(form=form, period_code=period.code)
    }
    rows = []
    for r in reporters:
        sub = subs.get(r.key)
        due = due_date(form.current, period, r.level)
        rows.append(
            {
                "reporter": r,
                "submission": sub,
                "due": due,
                "late": (sub is None or sub.first_submitted_at is None) and due < today,
                "on_time": sub.is_on_time if sub else None,
            }
        )
    return rows


@require_POST
@capability_required("reports.approve")
def remind(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Remind the late reporters of one form and period inside the user's scope."""
    user = request.user
    form = get_object_or_404(
        ReportForm.objects.visible_to(user), pk=int_param(request.POST.get("form"))
    )
    try:
        period = period_of(form.current, request.POST.get("period", ""))
    except (ObligationError, PeriodError):
        raise Http404 from None
    scope = None if user.is_superuser else list(user.scope_units)
    late = late_reporters(form, period, on=timezone.localdate(), within=scope)
    count = actions.remind(form, period.code, late, actor=user)
    messages.success(request, _("%(n)s reminders sent to late reporters.") % {"n": count})
    return redirect(safe_next(request))


def safe_next(request: HttpRequest, fallback: str = "reporting:completeness") -> str:
    """``next`` from the form when it stays on this site; the fallback page otherwise."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


@capability_required("reports.view")
def quality(request: HttpRequest) -> HttpResponse:
    """Rule hits of sent reports: the province's data-quality table."""
    hits = (
        RuleHit.objects.visible_to(request.user)
        .filter(submission__status__in=[*DONE_STATUSES, SubmissionStatus.RETURNED])
        .select_related(
            "submission__form",
            "submission__form_version",
            "submission__unit",
            "submission__agency",
            "rule",
        )
    )
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        hits = hits.filter(severity=severity)
    form_id = int_param(request.GET.get("form"))
    if form_id:
        hits = hits.filter(submission__form_id=form_id)
    period = request.GET.get("period", "").strip()
    if period:
        hits = hits.filter(submission__period_code=period)
    counts = dict(hits.order_by().values_list("severity").annotate(n=Count("id")))
    page = paginate(request, hits.order_by("-submission__period_end", "submission__unit__code"), 50)
    hides: dict[int, Any] = {}
    lang = language()
    for h in page:
        h.shown_text = hit_message(h, for_submission(h.submission, request.user, hides), lang)
    return render(
        request,
        "reporting/quality.html",
        {
            "page": page,
            "query": query_without_page(request),
            "severities": Severity.choices,
            "severity": severity,
            "forms": ReportForm.objects.visible_to(request.user),
            "form_id": form_id,
            "period": period,
            "counts": counts,
        },
    )


@capability_required("reports.view")
def reminders(request: HttpRequest) -> HttpResponse:
    items = (
        Reminder.objects.visible_to(request.user)
        .select_related("form", "unit", "agency")
        .prefetch_related("form__versions")
    )
    page = paginate(request, items, 50)
    return render(request, "reporting/reminders.html", {"page": page})


@require_POST
@capability_required("reports.view")
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder.objects.visible_to(request.user), pk=pk)
    try:
        actions.mark_reminder_read(reminder, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    return redirect("reporting:reminders")


@capability_required("reports.view")
def below(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One form and period: the units one level down, approved figures beside live ones."""
    user = request.user
    forms = [
        f
        for f in ReportForm.objects.visible_to(user)
        .filter(is_active=True)
        .prefetch_related("versions")
        if f.current.reporter_kind == "unit"
    ]
    form = next(
        (f for f in forms if f.pk == int_param(request.GET.get("form"))),
        forms[0] if forms else None,
    )
    if form is None:
        raise Http404
    units = (
        sorted(user.scope_units, key=lambda u: u.level)
        if not user.is_superuser
        else list(Unit.objects.filter(level=1, valid_from__isnull=True)[:1])
    )
    unit_id = int_param(request.GET.get("unit"))
    unit = units[0] if units else None
    if unit_id:
        unit = get_object_or_404(Unit, pk=unit_id)
        if not user.sees_unit(unit):
            raise Http404
    period_code = request.GET.get("period") or ""
    periods = owed_periods(form, form.current, until=timezone.localdate())
    if not period_code and periods:
        period_code = periods[-1].code
    try:
        period = period_of(form.current, period_code)
    except ObligationError:
        raise Http404 from None
    agg = aggregate(form, unit, period, user=user) if unit is not None else None
    return render(
        request,
        "reporting/below.html",
        {
            "forms": forms,
            "form": form,
            "unit": unit,
            "period": period,
            "period_label": period_label_vi(period),
            "periods": periods,
            "agg": agg,
            "parents": Unit.objects.filter(
                Q(pk__in=[u.pk for u in units]) | Q(parent__in=units, level=2)
            )
            .filter(level__lt=3)
            .order_by("level", "code"),
        },
    )
