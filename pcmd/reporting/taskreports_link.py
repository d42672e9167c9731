"""Read agency task reports (``taskreports.TaskReport``) for the reporting app.

The synthesis and the agency task report form show what each agency reported on the headings
of Section IV of plan 1842/KH-UBND. Only submitted task reports count; their periods use the
same Decree 09/2019 cut-off dates as the forms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from pcmd.core.periods import Period
from pcmd.plans.models import TaskGroup
from pcmd.taskreports.models import ReportState, TaskReport


@dataclass
class TaskReportRow:
    agency_id: int
    agency_name: str
    heading: str
    status: str
    status_code: str
    done: str
    figures: list[dict[str, Any]] = field(default_factory=list)
    obstacles: str = ""
    proposals: str = ""
    period_end: datetime.date | None = None


def rows(period: Period, agency_ids: list[int] | None = None) -> list[TaskReportRow]:
    """Submitted task reports whose period is ``period`` (two queries)."""
    qs = TaskReport.objects.filter(
        period_start=period.start, period_end=period.end, state=ReportState.SUBMITTED
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    reports = list(
        qs.select_related("agency", "plan").order_by(
            "agency__order", "agency__code", "group_number"
        )
    )
    headings: dict[tuple[int, str], str] = {}
    if reports:
        for plan_id, number, heading in TaskGroup.objects.filter(
            plan__in={r.plan_id for r in reports}
        ).values_list("plan_id", "number", "heading"):
            headings[(plan_id, number)] = f"{number}. {heading}"
    return [
        TaskReportRow(
            agency_id=r.agency_id,
            agency_name=r.agency.name,
            heading=headings.get((r.plan_id, r.group_number), r.group_number),
            status=r.get_status_display(),
            status_code=str(r.status),
            done=r.done,
            figures=[f for f in (r.figures or []) if isinstance(f, dict)],
            obstacles=r.obstacles,
            proposals=r.proposals,
            period_end=r.period_end,
        )
        for r in reports
    ]
