"""A plan (kế hoạch), its objectives, targets, solution areas and assigned tasks."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import around_q
from pcmd.agencies.models import Agency
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: Any) -> PlanQuerySet:
        """A plan is read by users whose scope lies in, or contains, the plan's unit."""
        if not getattr(user, "is_authenticated", False) or not user.can("plan.view"):
            return self.none()
        # scope inside the plan's province (path starts with it) or above it
        return self.filter(around_q(user, "unit"))


class Plan(TimeStampedModel):
    number = models.CharField(_("number"), max_length=40)
    kind = models.CharField(_("document type"), max_length=10, default="KH")
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("date issued"))
    place = models.CharField(_("place"), max_length=80)
    unit = models.ForeignKey(
        Unit, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="plans"
    )
    issuer = models.ForeignKey(
        Agency,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="issued_plans",
    )
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_authority = models.CharField(_("signing authority"), max_length=80, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=80)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    preamble = models.TextField(_("preamble"), blank=True)
    legal_bases = models.JSONField(_("legal bases"), default=list, blank=True)
    funding = models.JSONField(_("funding"), default=list, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    closing = models.TextField(_("closing"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.UniqueConstraint(fields=["number", "unit"], name="plan_number_unit")]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text[:80]


class TargetKind(models.TextChoices):
    PERCENT_UNITS = "percent_units", _("share of units")
    COUNT_RANGE = "count_range", _("count within a range")
    COUNT_UNITS = "count_units", _("number of units")
    PERCENT_PEOPLE = "percent_people", _("share of people")
    PERCENT_CASES = "percent_cases", _("share of cases")
    QUALITATIVE = "qualitative", _("qualitative")


class TargetScaling(models.TextChoices):
    """How a target set for the plan's unit (the province) carries down to a lower unit."""

    SHARE = "share", _("as a share (the same percentage at every level)")
    PROVINCE_ONLY = "province_only", _("at the plan's level only (monitoring below)")
    ALLOCATION = "allocation", _("allocated per unit by the plan")


ALL_LEVELS = ["province", "district", "commune"]


def _all_levels() -> list[str]:
    return list(ALL_LEVELS)


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    short = models.CharField(_("short label"), max_length=120)
    short_en = models.CharField(_("short label (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    value_min = models.DecimalField(
        _("minimum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("maximum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("out of"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit_label = models.CharField(_("counted"), max_length=120, blank=True)
    extra = models.JSONField(_("further conditions"), null=True, blank=True)
    indicator_code = models.CharField(_("indicator"), max_length=40, blank=True)
    # Levels ("province", "district", "commune") at which the goal is judged; elsewhere the
    # figure is shown for monitoring only.
    applies_at = models.JSONField(_("applies at levels"), default=_all_levels, blank=True)
    scaling = models.CharField(
        _("scaling to lower levels"),
        max_length=20,
        choices=TargetScaling.choices,
        default=TargetScaling.SHARE,
    )
    # With scaling "allocation": unit code -> goal for that unit (a count).
    allocations = models.JSONField(_("allocations per unit"), default=dict, blank=True)
    responsible = models.ManyToManyField(
        Agency, verbose_name=_("responsible agencies"), related_name="targets", blank=True
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.short}"


class SolutionArea(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="solution_areas")
    number = models.CharField(_("number"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    items = models.JSONField(_("items"), default=list)
    subsections = models.JSONField(_("subsections"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("solution area")
        verbose_name_plural = _("solution areas")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TaskGroup(models.Model):
    """One heading of Section IV: the tasks the plan assigns to one agency (or group)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="task_groups")
    number = models.CharField(_("number"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"))
    heading = models.CharField(_("heading"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies"), related_name="task_groups"
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"


class Task(models.Model):
    group = models.ForeignKey(TaskGroup, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.text[:80]
