"""Who owes which report for which period, by when; who may fill it in and who approves it.

- A form version's period type and cut-off rule turn a code ("2018-H1") into dates
  (:mod:`pcmd.core.periods`, Decree 09/2019/NĐ-CP Art. 12 or calendar).
- The reporters of a period are data: units of the declared levels valid at the period's end,
  or agencies of the declared kinds / holding the declared role at the period's end.
- A unit report is filled in by a user assigned to exactly that unit; an agency report by a
  user assigned for that agency. The level above approves: a district officer approves the
  communes of their district, the province approves districts and provincial agencies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import covers
from pcmd.agencies.models import Agency
from pcmd.core.formatting import period_label_lazy
from pcmd.core.periods import (
    Period,
    PeriodError,
    half_period,
    month_period,
    parse_period,
    quarter_period,
    year_period,
)
from pcmd.geo.models import NAME_LIST, Unit, name_on_date
from pcmd.geo.subtree import paths_q, under_q

from .models import FormVersion, ReporterKind, ReportForm, Submission

PERIOD_NAMES_VI = {"month": "tháng", "quarter": "quý", "half": "6 tháng", "year": "năm"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class ObligationError(ValueError):
    def __init__(self, message: Any, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))


def period_of(version: FormVersion, code: str) -> Period:
    """The period ``code`` under the version's cut-off rule; its kind must match the form's."""
    try:
        period = parse_period(code, version.cutoff)
    except PeriodError:
        raise ObligationError(
            _("'%(code)s' is not a period (2018, 2018-H1, 2018-Q2, 2018-03)."), code=code
        ) from None
    if period.kind != version.period_type:
        raise ObligationError(
            _("This form is %(type)s: %(period)s is not such a period."),
            type=version.get_period_type_display(),
            period=period_label_lazy(code),
        )
    return period


def periods_between(version: FormVersion, start: datetime.date, end: datetime.date) -> list[Period]:
    """The version's periods whose last day lies in [start, end]."""
    out: list[Period] = []
    for year in range(start.year - 1, end.year + 2):
        if version.period_type == "month":
            candidates = [month_period(year, m, version.cutoff) for m in range(1, 13)]
        elif version.period_type == "quarter":
            candidates = [quarter_period(year, q, version.cutoff) for q in range(1, 5)]
        elif version.period_type == "half":
            # Decree 09/2019 Art. 12 has one 6-month report (15/12–14/06); the second half
            # of the year is covered by the annual report.
            candidates = [half_period(year, 1, version.cutoff)]
        else:
            candidates = [year_period(year, version.cutoff)]
        out.extend(p for p in candidates if start <= p.end <= end)
    return out


def owed_periods(
    form: ReportForm,
    version: FormVersion,
    *,
    until: datetime.date,
    since: datetime.date | None = None,
) -> list[Period]:
    """Periods the form is owed for, ending on or before ``until``."""
    start = max(d for d in (form.valid_from, since, datetime.date(2000, 1, 1)) if d)
    end = min(d for d in (form.valid_to, until) if d)
    if end < start:
        return []
    return [p for p in periods_between(version, start, end) if form.owes(p.end)]


def period_label_vi(period: Period) -> str:
    """ "6 tháng đầu năm 2018", "quý II năm 2018", "tháng 3 năm 2018", "năm 2018"."""
    code = period.code
    year = code[:4]
    if period.kind == "year":
        return f"năm {year}"
    if period.kind == "half":
        return f"6 tháng {'đầu' if code.endswith('H1') else 'cuối'} năm {year}"
    if period.kind == "quarter":
        return f"quý {ROMAN[int(code[-1])]} năm {year}"
    if period.kind == "month":
        return f"tháng {int(code[5:7])} năm {year}"
    return period.label()


def due_date(version: FormVersion, period: Period, level: int) -> datetime.date:
    return period.end + datetime.timedelta(days=version.deadline_for(level))


@dataclass(frozen=True)
class Reporter:
    unit: Unit
    agency: Agency | None
    on: datetime.date | None = None  # the period's end: the unit is named as it was then

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.unit.pk, self.agency.pk if self.agency else None)

    @property
    def level(self) -> int:
        return self.agency.level if self.agency else self.unit.level

    @property
    def name(self) -> str:
        return self.agency.name if self.agency else name_on_date(self.unit, self.on)


def _valid(obj: Any, on: datetime.date) -> bool:
    return (obj.valid_from is None or obj.valid_from <= on) and (
        obj.valid_to is None or obj.valid_to >= on
    )


def _candidates(version: FormVersion, paths: list[str] | None) -> list[Any]:
    """Units or agencies that may owe ``version``'s report at some date (validity unchecked)."""
    if version.reporter_kind == ReporterKind.UNIT:
        units = Unit.objects.filter(level__in=version.reporter_levels)
        if paths is not None:
            units = units.filter(paths_q(paths))
        names = Prefetch("names", to_attr=NAME_LIST)
        return list(units.order_by("level", "code").prefetch_related(names))
    # Roles as a plain list (``to_attr``): a related manager per agency costs more than the
    # query itself on a province's hundreds of agencies.
    agencies = Agency.objects.select_related("unit").prefetch_related(
        Prefetch("roles", to_attr="role_list")
    )
    if version.agency_level:
        agencies = agencies.filter(level=version.agency_level)
    if version.agency_role:
        agencies = agencies.filter(roles__role=version.agency_role)
    else:
        agencies = agencies.filter(kind__in=version.agency_kinds)
    if paths is not None:
        agencies = agencies.filter(under_q("unit", paths))
    return list(agencies.distinct().order_by("level", "order", "code"))


def _cached_candidates(
    version: FormVersion, paths: list[str] | None, cache: dict[Any, list[Any]] | None
) -> list[Any]:
    key = (
        version.reporter_kind,
        tuple(version.reporter_levels),
        tuple(version.agency_kinds),
        version.agency_role,
        version.agency_level,
        tuple(paths) if paths is not None else None,
    )
    if cache is not None and key in cache:
        return cache[key]
    candidates = _candidates(version, paths)
    if cache is not None:
        cache[key] = candidates
    return candidates


def _owing(version: FormVersion, on: datetime.date, candidates: list[Any]) -> list[Reporter]:
    """The candidates that owe ``version``'s report for a period ending ``on``."""
    if version.reporter_kind == ReporterKind.UNIT:
        return [Reporter(u, None, on) for u in candidates if _valid(u, on)]
    out = []
    for agency in candidates:
        if not _valid(agency, on):
            continue
        if version.agency_role and not any(
            r.role == version.agency_role and _valid(r, on) for r in agency.role_list
        ):
            continue
        out.append(Reporter(agency.unit, agency))
    return out


def expected_reporters(
    version: FormVersion,
    period: Period,
    within: list[Unit] | None = None,
    *,
    cache: dict[Any, list[Any]] | None = None,
) -> list[Reporter]:
    """Everyone who owes ``version``'s report for ``period`` (inside ``within`` subtrees).

    ``cache`` (a dict kept for one request) saves the query when several periods of the same
    version are asked for: validity on each period's end is then checked in memory.
    """
    paths = [u.path for u in within] if within is not None else None
    return _owing(version, period.end, _cached_candidates(version, paths, cache))


def is_expected(version: FormVersion, period: Period, unit: Unit, agency: Agency | None) -> bool:
    if version.reporter_kind == ReporterKind.UNIT:
        return (
            agency is None
            and unit.level in version.reporter_levels
            and unit.is_valid_on(period.end)
        )
    if agency is None:
        return False
    return any(
        r.agency and r.agency.pk == agency.pk
        for r in expected_reporters(version, period, [agency.unit])
    )


# --- permissions ---------------------------------------------------------------------------
def can_report_for(user: Any, version: FormVersion, unit: Unit, agency: Agency | None) -> bool:
    """The user fills in this reporter's report: assigned to exactly that unit / agency."""
    if not getattr(user, "is_authenticated", False) or not user.can("reports.submit"):
        return False
    if user.is_superuser:
        return True
    if version.reporter_kind == ReporterKind.UNIT:
        return agency is None and any(a.unit_id == unit.pk for a in user.active_assignments)
    return agency is not None and any(a.agency_id == agency.pk for a in user.active_assignments)


def approver_level(submission: Submission) -> int:
    version = submission.form_version
    if version.approver_level:
        return version.approver_level
    level = submission.agency.level if submission.agency is not None else submission.unit.level
    return max(1, level - 1)


def can_approve(user: Any, submission: Submission) -> bool:
    """The level above: an approver assigned at that level, over the reporting unit."""
    if not getattr(user, "is_authenticated", False) or not user.can("reports.approve"):
        return False
    if user.is_superuser:
        return True
    level = approver_level(submission)
    return any(
        a.unit.level == level and covers(a.unit, submission.unit) for a in user.active_assignments
    )


def user_reporters(
    user: Any, version: FormVersion, period: Period, *, cache: dict[Any, list[Any]] | None = None
) -> list[Reporter]:
    """The reporters of ``period`` this user fills in the report for."""
    if not getattr(user, "is_authenticated", False) or not user.can("reports.submit"):
        return []
    assignments = user.active_assignments
    if version.reporter_kind == ReporterKind.UNIT:
        units = {
            a.unit.pk: a.unit
            for a in assignments
            if a.unit.level in version.reporter_levels and a.unit.is_valid_on(period.end)
        }
        return [Reporter(u, None, period.end) for u in units.values()]
    agency_ids = {a.agency_id for a in assignments if a.agency_id}
    if not agency_ids:
        return []
    agency_units = list({a.unit.pk: a.unit for a in assignments}.values())
    # The user's own agencies among the candidates, before the validity checks (a province
    # has dozens of agencies; the home page asks this for every owed period of every form).
    candidates = _cached_candidates(version, [u.path for u in agency_units], cache)
    return _owing(version, period.end, [a for a in candidates if a.pk in agency_ids])
