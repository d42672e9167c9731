"""A plan (kế hoạch), its objectives, targets, solution areas and assigned tasks.

A province runs many plans over time: yearly plans and multi-year programme plans, each
pointing at the higher plan or national programme it implements. A plan is drafted in the app
(usually copied from last year's), reviewed by the agencies, issued by the People's Committee,
in force over its period and closed after it. Every change keeps a version (``PlanVersion``:
the whole plan as it stood), and a target or task heading that data refers to is never
deleted: it is withdrawn and stays attached to its plan.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pcmd.accounts.permissions import holding_q, province_q
from pcmd.agencies.models import Agency
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit


class PlanType(models.TextChoices):
    YEARLY = "yearly", _("yearly plan")
    PROGRAMME = "programme", _("programme plan (several years)")
    NATIONAL = "national", _("national programme")


class PlanStatus(models.TextChoices):
    """Stored statuses. "In force" is not stored: an issued plan is in force while today lies
    in its period, and reads as closed after it (``Plan.status_on``)."""

    DRAFT = "draft", _("draft")
    REVIEW = "review", _("under review")
    ISSUED = "issued", _("issued")
    IN_FORCE = "in_force", _("in force")
    CLOSED = "closed", pgettext_lazy("plan status", "closed")


# Statuses under which a plan binds: targets judged, reports against it.
BINDING = (PlanStatus.ISSUED, PlanStatus.IN_FORCE, PlanStatus.CLOSED)
EDITABLE = (PlanStatus.DRAFT, PlanStatus.REVIEW)


DRAFTING = frozenset({"plan.edit", "plan.comment", "plan.issue"})


def _drafts_q(user: Any) -> Q:
    """Binding plans, and drafts whose unit lies in the subtree of an assignment that edits,
    comments on or issues plans: a province's agencies see its drafts, a commune's officers
    (whose scope lies below the plan's province) do not. A national programme's draft is
    seen by those who draft plans."""
    q = Q(status__in=BINDING) | holding_q(user, DRAFTING, "unit")
    if user.can("plan.edit"):
        q |= Q(unit__isnull=True)
    return q


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: Any) -> PlanQuerySet:
        """A plan is read by users whose scope lies in the plan's province; a
        national programme (no unit) by every user who reads plans. Drafts are read only by
        those who may edit, comment on or issue plans in a scope that contains the plan's
        unit (the agencies consulted), see ``_drafts_q``."""
        if not getattr(user, "is_authenticated", False) or not user.can("plan.view"):
            return self.none()
        # the plans of the user's province, which across the 2025 reform is one history
        # (old Đắk Lắk and Phú Yên ↔ new Đắk Lắk: permissions.province_paths)
        rows = self.filter(province_q(user, "unit") | Q(unit__isnull=True))
        return rows.filter(_drafts_q(user))

    def binding(self) -> PlanQuerySet:
        return self.filter(status__in=BINDING)

    def covering(self, start: datetime.date, end: datetime.date) -> PlanQuerySet:
        """Plans whose period overlaps [start, end]."""
        return self.filter(period_start__lte=end, period_end__gte=start)


class Plan(TimeStampedModel, VersionedModel):
    number = models.CharField(_("number"), max_length=40, blank=True)
    kind = models.CharField(_("document type"), max_length=10, default="KH")
    plan_type = models.CharField(
        _("type of plan"), max_length=12, choices=PlanType.choices, default=PlanType.YEARLY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=80)
    # The province (None: a national programme such as 1629/QĐ-TTg).
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="plans",
        null=True,
        blank=True,
    )
    issuer = models.ForeignKey(
        Agency,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="issued_plans",
        null=True,
        blank=True,
    )
    # The issuer's name when it is not in the agency catalog (the Prime Minister).
    issuer_name = models.CharField(_("issuing body (name)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        on_delete=models.PROTECT,
        related_name="implementing_plans",
        null=True,
        blank=True,
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("drafted from"),
        on_delete=models.SET_NULL,
        related_name="copies",
        null=True,
        blank=True,
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
        ordering = ["-period_start", "-issued_on", "number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "unit"], condition=~Q(number=""), name="plan_number_unit"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(draft)')} — {self.title}"

    def status_on(self, on: datetime.date | None = None) -> str:
        """The status as officials read it on ``on``: issued, in force or closed by dates."""
        if self.status != PlanStatus.ISSUED:
            return str(self.status)
        on = on or timezone.localdate()
        if on < self.period_start:
            return PlanStatus.ISSUED
        if on > self.period_end:
            return PlanStatus.CLOSED
        return PlanStatus.IN_FORCE

    def status_label(self, on: datetime.date | None = None) -> str:
        return str(PlanStatus(self.status_on(on)).label)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_binding(self) -> bool:
        return self.status in BINDING

    @property
    def issuer_label(self) -> str:
        return self.issuer.name if self.issuer else self.issuer_name


class PlanVersion(models.Model):
    """The whole plan as it stood after one change (the structure of ``structure.to_data``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    data = models.JSONField(_("content"))

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanComment(models.Model):
    """A comment by an agency consulted on a draft (góp ý dự thảo)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="plan_comments",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="plan_comments",
        null=True,
        blank=True,
    )
    # What the comment is about: "" (the whole plan), a target code ("T3") or a heading
    # of Section IV ("IV.2").
    about = models.CharField(_("about"), max_length=20, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    resolved = models.BooleanField(_("taken into account"), default=False)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("comment on a plan")
        verbose_name_plural = _("comments on plans")

    def __str__(self) -> str:
        return self.text[:80]


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
    # The higher target it serves (a national programme's target, the programme plan's).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("serves the target"),
        on_delete=models.PROTECT,
        related_name="serving_targets",
        null=True,
        blank=True,
    )
    # Kept because data refers to it, but no longer part of the plan's current version.
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

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
    # Every agency of the heading; the lead is one of them, the others support.
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies"), related_name="task_groups"
    )
    lead = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_task_groups",
        null=True,
        blank=True,
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # How the plan words the time ("thường xuyên", "quý II/2019"), when not a date.
    deadline_note = models.CharField(_("time frame"), max_length=120, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

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
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.text[:80]


from .models_proposal import PlanProposal, ProposalSource  # noqa: E402, F401
