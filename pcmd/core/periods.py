"""Reporting periods: calendar periods and the Decree 09/2019/NĐ-CP cut-off periods.

Decree 09/2019/NĐ-CP Art. 12 (administrative periodic reports) sets the data cut-off:
monthly = from the 15th of the previous month to the 14th of the month; quarterly = from
the 15th of the month before the quarter to the 14th of its last month; 6-month = from
15 December of the previous year to 14 June; annual = from 15 December of the previous year
to 14 December. Statistical reports (Decree 60/2018/NĐ-CP) use calendar periods.

Text form (API, URLs): ``2018`` (year), ``2018-H1`` / ``2018-H2`` (six months),
``2018-Q2`` (quarter), ``2018-03`` (month), ``2018-01-01..2018-06-30`` (range). The cut-off
rule is separate: ``calendar`` or ``decree09``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class PeriodError(ValueError):
    pass


class Cutoff:
    CALENDAR = "calendar"
    DECREE09 = "decree09"
    CHOICES = [(CALENDAR, _("calendar")), (DECREE09, _("Decree 09/2019 cut-off (15th–14th)"))]


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"
    CHOICES = [
        (MONTH, _("month")),
        (QUARTER, _("quarter")),
        (HALF, _("six months")),
        (YEAR, _("year")),
        (RANGE, _("date range")),
    ]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str = PeriodKind.RANGE
    code: str = ""
    cutoff: str = Cutoff.CALENDAR

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("period ends before it starts")

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed_fraction(self, today: datetime.date) -> float:
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days

    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == PeriodKind.RANGE:
            length = datetime.timedelta(days=self.days)
            return Period(self.start - length, self.start - datetime.timedelta(days=1))
        year, rest = self.code.split("-", 1) if "-" in self.code else (self.code, "")
        y = int(year)
        if self.kind == PeriodKind.YEAR:
            return year_period(y - 1, self.cutoff)
        if self.kind == PeriodKind.HALF:
            return (
                half_period(y, 1, self.cutoff)
                if rest == "H2"
                else half_period(y - 1, 2, self.cutoff)
            )
        if self.kind == PeriodKind.QUARTER:
            q = int(rest[1])
            return (
                quarter_period(y, q - 1, self.cutoff)
                if q > 1
                else quarter_period(y - 1, 4, self.cutoff)
            )
        m = int(rest)
        return (
            month_period(y, m - 1, self.cutoff) if m > 1 else month_period(y - 1, 12, self.cutoff)
        )


def _month_end(year: int, month: int) -> datetime.date:
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def _cut(year: int, month: int) -> datetime.date:
    """The 15th of the month before (year, month): start of a cut-off period."""
    return datetime.date(year - (month == 1), (month - 2) % 12 + 1, 15)


def month_period(year: int, month: int, cutoff: str = Cutoff.CALENDAR) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError("month must be 1..12")
    code = f"{year}-{month:02d}"
    if cutoff == Cutoff.DECREE09:
        return Period(
            _cut(year, month), datetime.date(year, month, 14), PeriodKind.MONTH, code, cutoff
        )
    return Period(
        datetime.date(year, month, 1), _month_end(year, month), PeriodKind.MONTH, code, cutoff
    )


def quarter_period(year: int, quarter: int, cutoff: str = Cutoff.CALENDAR) -> Period:
    if not 1 <= quarter <= 4:
        raise PeriodError("quarter must be 1..4")
    first, last = 3 * quarter - 2, 3 * quarter
    code = f"{year}-Q{quarter}"
    if cutoff == Cutoff.DECREE09:
        return Period(
            _cut(year, first), datetime.date(year, last, 14), PeriodKind.QUARTER, code, cutoff
        )
    return Period(
        datetime.date(year, first, 1), _month_end(year, last), PeriodKind.QUARTER, code, cutoff
    )


def half_period(year: int, half: int, cutoff: str = Cutoff.CALENDAR) -> Period:
    if half not in (1, 2):
        raise PeriodError("half must be 1 or 2")
    code = f"{year}-H{half}"
    if cutoff == Cutoff.DECREE09:
        # 6-month report: 15/12 of the previous year to 14/06; the second half is the rest of
        # the annual period (15/06 to 14/12).
        if half == 1:
            return Period(
                datetime.date(year - 1, 12, 15),
                datetime.date(year, 6, 14),
                PeriodKind.HALF,
                code,
                cutoff,
            )
        return Period(
            datetime.date(year, 6, 15), datetime.date(year, 12, 14), PeriodKind.HALF, code, cutoff
        )
    if half == 1:
        return Period(
            datetime.date(year, 1, 1), datetime.date(year, 6, 30), PeriodKind.HALF, code, cutoff
        )
    return Period(
        datetime.date(year, 7, 1), datetime.date(year, 12, 31), PeriodKind.HALF, code, cutoff
    )


def year_period(year: int, cutoff: str = Cutoff.CALENDAR) -> Period:
    code = str(year)
    if cutoff == Cutoff.DECREE09:
        return Period(
            datetime.date(year - 1, 12, 15),
            datetime.date(year, 12, 14),
            PeriodKind.YEAR,
            code,
            cutoff,
        )
    return Period(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), PeriodKind.YEAR, code, cutoff
    )


_PATTERNS = [
    (re.compile(r"^(\d{4})$"), lambda m, c: year_period(int(m[1]), c)),
    (re.compile(r"^(\d{4})-H([12])$", re.I), lambda m, c: half_period(int(m[1]), int(m[2]), c)),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), lambda m, c: quarter_period(int(m[1]), int(m[2]), c)),
    (re.compile(r"^(\d{4})-(\d{2})$"), lambda m, c: month_period(int(m[1]), int(m[2]), c)),
]


def parse_period(text: str, cutoff: str = Cutoff.CALENDAR) -> Period:
    """Parse ``2018``, ``2018-H1``, ``2018-Q2``, ``2018-03`` or ``YYYY-MM-DD..YYYY-MM-DD``."""
    if cutoff not in (Cutoff.CALENDAR, Cutoff.DECREE09):
        raise PeriodError(f"unknown cut-off rule {cutoff!r}")
    text = (text or "").strip()
    for pattern, build in _PATTERNS:
        match = pattern.match(text)
        if match:
            return build(match, cutoff)
    if ".." in text:
        a, b = text.split("..", 1)
        try:
            start, end = datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
        except ValueError as exc:
            raise PeriodError(str(exc)) from None
        return Period(start, end, PeriodKind.RANGE, text, cutoff)
    raise PeriodError(
        f"{text!r} is not a period (2018, 2018-H1, 2018-Q2, 2018-03 or YYYY-MM-DD..YYYY-MM-DD)"
    )


def months_of(period: Period) -> list[Period]:
    """Calendar months overlapping ``period`` (for trends)."""
    out = []
    y, m = period.start.year, period.start.month
    while datetime.date(y, m, 1) <= period.end:
        out.append(month_period(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
