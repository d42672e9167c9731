"""Read agency task reports from the ``taskreports`` app (``taskreports.TaskReport``).

The synthesis and the agency task report form show what each agency reported on the headings
of Section IV of plan 1842/KH-UBND. The model is looked up lazily
(``django.apps.apps.get_model``): without it these functions return nothing. Only submitted
task reports count; their periods use the same Decree 09/2019 cut-off dates as the forms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from pcmd.core.periods import Period


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


def model() -> Any:
    try:
        return apps.get_model("taskreports", "TaskReport")
    except LookupError:
        return None


def rows(period: Period, agency_ids: list[int] | None = None) -> list[TaskReportRow]:
    """Submitted task reports whose period is ``period`` (two queries), or []."""
    m = model()
    if m is None:
        return []
    names = {f.name for f in m._meta.get_fields()}
    qs = m._default_manager.filter(period_start=period.start, period_end=period.end)
    if "state" in names:
        qs = qs.filter(state="submitted")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    reports = list(
        qs.select_related("agency", "plan").order_by(
            "agency__order", "agency__code", "group_number"
        )
    )
    headings: dict[tuple[int, str], str] = {}
    if reports and "group_number" in names:
        from pcmd.plans.models import TaskGroup

        for plan_id, number, heading in TaskGroup.objects.filter(
            plan__in={r.plan_id for r in reports}
        ).values_list("plan_id", "number", "heading"):
            headings[(plan_id, number)] = f"{number}. {heading}"
    out = []
    for r in reports:
        figures = [f for f in (getattr(r, "figures", None) or []) if isinstance(f, dict)]
        out.append(
            TaskReportRow(
                agency_id=r.agency_id,
                agency_name=r.agency.name,
                heading=headings.get(
                    (r.plan_id, getattr(r, "group_number", "")), getattr(r, "group_number", "")
                ),
                status=r.get_status_display() if hasattr(r, "get_status_display") else "",
                status_code=str(getattr(r, "status", "")),
                done=str(getattr(r, "done", "") or ""),
                figures=figures,
                obstacles=str(getattr(r, "obstacles", "") or ""),
                proposals=str(getattr(r, "proposals", "") or ""),
                period_end=r.period_end,
            )
        )
    return out
