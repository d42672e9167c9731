"""Who must report on which heading of Section IV, and for which periods."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from pcmd.accounts.permissions import allows
from pcmd.agencies.models import Agency, AgencyKind
from pcmd.geo.models import UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.plans.models import Plan, TaskGroup

from .models import PeriodKind, TaskReport, period_bounds

# Heading 10 of plan 1842 is assigned to "UBND các huyện, thị xã, thành phố" (a group agency);
# each district People's Committee reports for itself (same convention as
# pcmd.plans.views_pages.related_agency_codes).
DISTRICT_COMMITTEES = "UBND_HUYEN"


@dataclass(frozen=True)
class Period:
    year: int
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return f"{self.year}-{self.kind}"

    @property
    def label(self) -> str:
        return f"{PeriodKind(self.kind).label} {self.year}"


def plan_periods(plan: Plan) -> list[Period]:
    out = []
    for year in range(plan.period_start.year, plan.period_end.year + 1):
        for kind in (PeriodKind.HALF_YEAR, PeriodKind.YEAR):
            start, end = period_bounds(kind, year)
            out.append(Period(year, kind, start, end))
    return out


def district_committees(plan: Plan) -> list[Agency]:
    return list(
        Agency.objects.valid_on(plan.period_end)
        .filter(
            under_q("unit", [plan.unit.path if plan.unit else "/"]),
            kind=AgencyKind.PEOPLES_COMMITTEE,
            level=UnitLevel.DISTRICT,
        )
        .select_related("unit")
        .order_by("code")
    )


def reporting_agencies(group: TaskGroup, districts: list[Agency]) -> list[Agency]:
    """The agencies that report on ``group`` (its agencies, district committees expanded)."""
    out: list[Agency] = []
    for agency in group.agencies.all():
        if agency.code == DISTRICT_COMMITTEES:
            out.extend(districts)
        else:
            out.append(agency)
    return out


def may_report(user: Any, agency: Agency) -> bool:
    """A user reports for the agencies of their assignments; the standing office also for
    a group of agencies with no officer of its own (``pcmd.accounts.policy``)."""
    return allows(user, "taskreports.edit", obj=TaskReport(agency=agency))


@dataclass
class Duty:
    group: TaskGroup
    agency: Agency


def duties(plan: Plan, groups: list[TaskGroup], user: Any | None = None) -> list[Duty]:
    """Every (heading, agency) pair of the plan, or only those ``user`` reports for."""
    districts = district_committees(plan)
    out = []
    for group in groups:
        for agency in reporting_agencies(group, districts):
            if user is None or may_report(user, agency):
                out.append(Duty(group, agency))
    return out


def group_of(plan: Plan, number: str) -> TaskGroup | None:
    return (
        plan.task_groups.prefetch_related("agencies", "tasks")
        .filter(number=number, withdrawn=False)
        .first()
    )
