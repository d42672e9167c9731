"""Agency task reports: for each heading of Section IV of a plan, each responsible agency
reports its progress per period (plan 1842/KH-UBND IV.1: "Định kỳ 6 tháng, 1 năm tổng hợp
báo cáo") — the raw material of the standing office's synthesis.

Periods use the data cut-off of administrative periodic reports, Decree 09/2019/NĐ-CP
Art. 12: 6 months = 15 Dec of the previous year to 14 Jun; year = 15 Dec of the previous
year to 14 Dec (see :func:`period_bounds`). The dates are stored on each report.

A report points at its heading by (plan, heading number) rather than by a foreign key to
``plans.TaskGroup``: re-importing a plan (``plans.actions.import_plan``) deletes and
recreates its task groups, and reports must outlive that.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.plans.models import Plan


class PeriodKind(models.TextChoices):
    HALF_YEAR = "h1", _("6 months")
    YEAR = "year", _("year")


def period_bounds(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """Cut-off dates of Decree 09/2019/NĐ-CP Art. 12 for administrative periodic reports."""
    start = datetime.date(year - 1, 12, 15)
    if kind == PeriodKind.HALF_YEAR:
        return start, datetime.date(year, 6, 14)
    if kind == PeriodKind.YEAR:
        return start, datetime.date(year, 12, 14)
    raise ValueError(f"unknown period kind {kind!r}")


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class TaskReportQuerySet(models.QuerySet["TaskReport"]):
    def visible_to(self, user: Any) -> TaskReportQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("taskreports.view"):
            return self.none()
        return self.filter(user.scope_q("agency__unit"))


class TaskReport(TimeStampedModel, VersionedModel):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="task_reports"
    )
    group_number = models.CharField(_("heading of Section IV"), max_length=10)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="task_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), db_index=True)
    status = models.CharField(
        _("progress"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.IN_PROGRESS
    )
    done = models.TextField(_("what was done"), blank=True)
    figures = models.JSONField(
        _("figures"), default=list, blank=True, help_text=_("A list of {label, value} pairs.")
    )
    obstacles = models.TextField(_("obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ReportState.choices,
        default=ReportState.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TaskReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "year", "period", "group_number", "agency__order"]
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "group_number", "agency", "year", "period"],
                name="task_report_once_a_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.group_number} — {self.get_period_display()} {self.year}"
