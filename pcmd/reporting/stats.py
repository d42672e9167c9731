"""Completeness and timeliness of periodic reports (DESIGN.md §5), for pages, API, dashboard.

``completeness(user_or_unit, period)`` is the function the dashboard calls::

    from pcmd.reporting.stats import completeness
    c = completeness(request.user, "2018")          # or a Unit, or a Period
    c.expected, c.submitted, c.on_time, c.approved  # numbers over every report owed
    c.submitted_share, c.on_time_share              # percentages (None when nothing owed)
    c.rows                                          # one Row per (form, period)

A report is *owed* by every expected reporter (see :mod:`.obligations`) for each period of a
form whose last day falls inside ``period`` (a year covers its months, quarters, halves and
the year itself). *Submitted* = submitted or approved now; *on time* = first submitted on or
before the deadline. Returned reports count as not submitted until they are sent again.
Queries: a handful per form (reporters, one grouped count of submissions), whatever the size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from pcmd.core.periods import Period, parse_period
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q

from .models import DONE_STATUSES, ReportForm, Submission, SubmissionStatus
from .obligations import Reporter, due_date, expected_reporters, owed_periods


@dataclass
class Row:
    form: ReportForm
    period: Period
    expected: int
    submitted: int
    approved: int
    on_time: int
    due: datetime.date | None
    missing: list[Reporter] = field(default_factory=list)
    #: (level, deadline) of each reporting level in the row, earliest first: a commune owes
    #: the 6-month report on 16/06 and its district on 19/06, and each report shows its own.
    deadlines: list[tuple[int, datetime.date]] = field(default_factory=list)

    @property
    def deadline_items(self) -> list[dict[str, Any]]:
        """The deadlines to show: one date, or each level's date when they differ."""
        if len({d for _level, d in self.deadlines}) <= 1:
            return [{"due": d, "level": None} for _level, d in self.deadlines[:1]]
        return [{"due": d, "level": UnitLevel(level).label} for level, d in self.deadlines]

    @property
    def submitted_share(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


@dataclass
class Completeness:
    period: Period
    rows: list[Row]

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def submitted(self) -> int:
        return sum(r.submitted for r in self.rows)

    @property
    def approved(self) -> int:
        return sum(r.approved for r in self.rows)

    @property
    def on_time(self) -> int:
        return sum(r.on_time for r in self.rows)

    @property
    def submitted_share(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.code,
            "expected": self.expected,
            "submitted": self.submitted,
            "approved": self.approved,
            "on_time": self.on_time,
            "submitted_share": self.submitted_share,
            "on_time_share": self.on_time_share,
            "rows": [
                {
                    "form": r.form.code,
                    "form_name": r.form.name,
                    "period": r.period.code,
                    "expected": r.expected,
                    "submitted": r.submitted,
                    "approved": r.approved,
                    "on_time": r.on_time,
                    "due": r.due.isoformat() if r.due else None,
                    "deadlines": {str(level): d.isoformat() for level, d in r.deadlines},
                    "submitted_share": r.submitted_share,
                    "on_time_share": r.on_time_share,
                }
                for r in self.rows
            ],
        }


def _scope(user_or_unit: Any) -> list[Unit] | None:
    """Unit subtrees to count in: a unit's, or the user's scope (None: everything)."""
    if isinstance(user_or_unit, Unit):
        return [user_or_unit]
    user = user_or_unit
    if not getattr(user, "is_authenticated", False) or not user.can("reports.view"):
        return []
    if user.is_superuser:
        return None
    return list(user.scope_units)


def _period(period: Period | str) -> Period:
    return parse_period(period) if isinstance(period, str) else period


def completeness(
    user_or_unit: Any,
    period: Period | str,
    *,
    form: ReportForm | None = None,
    today: datetime.date | None = None,
    with_missing: bool = False,
    cache: dict[Any, list[Any]] | None = None,
) -> Completeness:
    """Reports owed, submitted, approved and on time inside ``period`` (see module doc).

    ``user_or_unit``: a user (their scope) or a unit (its subtree). ``today`` limits the count
    to periods whose deadline has passed (default: every period ending inside ``period``).
    """
    span = _period(period)
    within = _scope(user_or_unit)
    forms = (
        [form]
        if form is not None
        else list(ReportForm.objects.filter(is_active=True).prefetch_related("versions"))
    )
    rows: list[Row] = []
    cache = {} if cache is None else cache
    if within == []:
        return Completeness(span, rows)
    owed = []
    for f in forms:
        version = f.current
        periods = owed_periods(f, version, since=span.start, until=span.end)
        if periods:
            owed.append((f, version, periods))
    if not owed:
        return Completeness(span, rows)
    # Every form's submissions in one statement (a dashboard asks for all of them).
    subs = Submission.objects.filter(
        form__in=[f.pk for f, _v, _p in owed],
        period_code__in={p.code for _f, _v, periods in owed for p in periods},
    )
    if within is not None:
        subs = subs.filter(under_q("unit", [unit.path for unit in within]))
    found: dict[
        tuple[int, str, int, int | None], tuple[str, datetime.datetime | None, datetime.date]
    ] = {
        (form_id, code, unit_id, agency_id): (status, first, due)
        for form_id, code, unit_id, agency_id, status, first, due in subs.values_list(
            "form_id",
            "period_code",
            "unit_id",
            "agency_id",
            "status",
            "first_submitted_at",
            "due_date",
        )
    }
    for f, version, periods in owed:
        for p in periods:
            reporters = expected_reporters(version, p, within, cache=cache)
            if not reporters:
                continue
            dues = {r.level: due_date(version, p, r.level) for r in reporters}
            if today is not None and min(dues.values()) >= today:
                continue
            row = Row(f, p, len(reporters), 0, 0, 0, max(dues.values()))
            row.deadlines = sorted(dues.items(), key=lambda item: (item[1], -item[0]))
            for r in reporters:
                status, first, due = found.get(
                    (f.pk, p.code, r.unit.pk, r.agency.pk if r.agency else None),
                    ("", None, dues[r.level]),
                )
                if status in DONE_STATUSES:
                    row.submitted += 1
                elif with_missing:
                    row.missing.append(r)
                if status == SubmissionStatus.APPROVED:
                    row.approved += 1
                if first is not None and timezone.localtime(first).date() <= due:
                    row.on_time += 1
            rows.append(row)
    rows.sort(key=lambda r: (r.period.end, r.form.order))
    return Completeness(span, rows)


def late_reporters(
    form: ReportForm, period: Period, *, on: datetime.date, within: list[Unit] | None = None
) -> list[tuple[Reporter, datetime.date]]:
    """Reporters whose deadline for ``period`` passed before ``on`` with nothing submitted."""
    version = form.current
    reporters = expected_reporters(version, period, within)
    done = set(
        Submission.objects.filter(
            form=form, period_code=period.code, status__in=DONE_STATUSES
        ).values_list("unit_id", "agency_id")
    )
    out = []
    for r in reporters:
        due = due_date(version, period, r.level)
        if due < on and r.key not in done:
            out.append((r, due))
    return out
