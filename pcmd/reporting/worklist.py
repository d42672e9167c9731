"""What a user has to do with periodic reports: the inbox and the home page share it.

- :func:`obligations_of`: the reports the user fills in for a year (missing, draft, returned),
  each with its deadline and whether it is overdue;
- :func:`reports_to_approve`: submitted reports waiting for this user's approval;
- :func:`unread_reminders`: reminders the user has not read.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q

from pcmd.accounts.permissions import assignments_q
from pcmd.core.periods import year_period
from pcmd.geo.models import NAME_LIST

from .models import DONE_STATUSES, Reminder, ReportForm, Submission, SubmissionStatus
from .obligations import can_approve, due_date, owed_periods, period_label_vi, user_reporters

UPCOMING_DAYS = 31
APPROVE_LIMIT = 200
#: What a list of submissions does not show (the figures, texts and the reviewer's comment).
HEAVY_FIELDS = ("values", "auto_values", "explanations", "draft_text", "review_comment")
REMINDER_LIMIT = 20


def active_forms(user: Any) -> list[ReportForm]:
    return list(
        ReportForm.objects.visible_to(user).filter(is_active=True).prefetch_related("versions")
    )


def default_year(
    forms: list[ReportForm],
    today: datetime.date,
    user: Any = None,
    cache: dict[Any, list[Any]] | None = None,
) -> int:
    """The latest year, up to this one, in which ``user`` fills in a report owed by now; for
    a user who fills in none, the latest year of a report they see; else (or no user) the
    latest year with a report owed by now.

    The seeded forms are owed in plan 1842's year (2018) and, for the standing office's
    synthesis, in the 2021–2025 programme's years: a commune still opens on its 2018 reports.
    ``cache`` is :func:`obligations_of`'s (the reporters read here are read once)."""
    years = [min(f.valid_to.year if f.valid_to else today.year, today.year) for f in forms]
    latest = max(years, default=today.year)
    if user is None:
        return latest
    if not user.can("reports.submit"):
        seen = (
            Submission.objects.visible_to(user)
            .filter(period_end__year__lte=latest)
            .order_by("-period_end")
            .values_list("period_end", flat=True)
            .first()
        )
        return seen.year if seen is not None else latest
    first = min((f.valid_from.year if f.valid_from else 2000 for f in forms), default=latest)
    for year in range(latest, first - 1, -1):
        span = year_period(year)
        for form in forms:
            version = form.current
            periods = owed_periods(form, version, since=span.start, until=min(span.end, today))
            if any(user_reporters(user, version, p, cache=cache) for p in periods):
                return year
    return latest


def obligations_of(
    user: Any, forms: list[ReportForm], year: int, today: datetime.date, cache: dict[Any, list[Any]]
) -> list[dict[str, Any]]:
    """The reports this user fills in for ``year``: missing, draft or returned ones."""
    span = year_period(year)
    rows: list[dict[str, Any]] = []
    keys: set[tuple[int, str, int, int | None]] = set()
    for form in forms:
        version = form.current
        until = min(span.end, today + datetime.timedelta(days=UPCOMING_DAYS))
        for period in owed_periods(form, version, since=span.start, until=until):
            for reporter in user_reporters(user, version, period, cache=cache):
                keys.add(
                    (
                        form.pk,
                        period.code,
                        reporter.unit.pk,
                        reporter.agency.pk if reporter.agency else None,
                    )
                )
                rows.append(
                    {
                        "form": form,
                        "period": period,
                        "reporter": reporter,
                        "label": period_label_vi(period),
                        "due": due_date(version, period, reporter.level),
                    }
                )
    if not rows:
        return []
    found = {
        (s.form_id, s.period_code, s.unit_id, s.agency_id): s
        for s in Submission.objects.filter(
            form__in=forms,
            period_code__in={r["period"].code for r in rows},
            unit__in={r["reporter"].unit.pk for r in rows},
        )
    }
    out = []
    for row in rows:
        r = row["reporter"]
        sub = found.get(
            (row["form"].pk, row["period"].code, r.unit.pk, r.agency.pk if r.agency else None)
        )
        if sub is not None and sub.status in DONE_STATUSES:
            continue
        row["submission"] = sub
        row["overdue"] = row["due"] < today
        out.append(row)
    out.sort(key=lambda r: (r["due"], r["form"].order))
    return out


def reports_to_approve(user: Any) -> list[Submission]:
    """Submitted reports this user approves (the level above), earliest deadline first."""
    if not user.can("reports.approve"):
        return []
    pending = (
        Submission.objects.visible_to(user)
        .filter(approvable_q(user), status=SubmissionStatus.SUBMITTED)
        .select_related("form", "form_version", "unit", "agency")
        # Up to 200 rows listed by name: not the figures and texts they carry; each unit's
        # names at once (its name at the period's end), not a query per row.
        .defer(*HEAVY_FIELDS)
        .prefetch_related(Prefetch("unit__names", to_attr=NAME_LIST))
        .order_by("due_date", "unit__code")[:APPROVE_LIMIT]
    )
    # The query finds the user's reports among thousands; the rule itself decides.
    return [s for s in pending if can_approve(user, s)]


def _approved_at_q(level: int) -> Q:
    """Submissions approved at ``level``: their version says so, else the level above the
    reporter's (:func:`pcmd.reporting.obligations.approver_level`, never above 1)."""
    reporter_levels = [1, 2] if level == 1 else [level + 1]
    by_reporter = Q(agency__isnull=False, agency__level__in=reporter_levels) | Q(
        agency__isnull=True, unit__level__in=reporter_levels
    )
    unset = Q(form_version__approver_level__isnull=True) | Q(form_version__approver_level=0)
    return Q(form_version__approver_level=level) | (unset & by_reporter)


def approvable_q(user: Any) -> Q:
    """The submissions ``user`` may approve by :func:`can_approve`'s rule, as a filter: an
    assignment at the approving level over the reporting unit."""
    return assignments_q(user, "unit", lambda a: _approved_at_q(int(a.unit.level)))


def unread_reminders(user: Any, limit: int = REMINDER_LIMIT) -> list[Reminder]:
    return list(
        Reminder.objects.visible_to(user)
        .filter(read_at__isnull=True)
        .select_related("form", "unit", "agency")
        .prefetch_related("form__versions")[:limit]
    )
