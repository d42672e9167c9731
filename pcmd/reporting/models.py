"""Periodic reports (DESIGN.md §5, plan 1842/KH-UBND IV): forms, submissions, rules, reminders.

A :class:`ReportForm` is the lasting identity of a report ("báo cáo công tác PCMD 6 tháng");
its content lives in numbered :class:`FormVersion` rows. Changing a form creates a new version;
a :class:`Submission` keeps the version it was made on, so past reports never change shape.

A version declares its sections and fields (a field is filled from an indicator — *auto* — or
typed by hand), the period type and cut-off rule (Decree 09/2019/NĐ-CP Art. 12 or calendar),
who reports (unit levels, or agencies by kind or by dated role) and who approves (the level
above), a deadline in days after the period's end, and :class:`ValidationRule` rows.
"""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import AgencyKind, AgencyRoleKind
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.core.periods import Cutoff, PeriodKind
from pcmd.geo.models import Unit, UnitLevel


class PeriodType(models.TextChoices):
    MONTH = PeriodKind.MONTH, _("monthly")
    QUARTER = PeriodKind.QUARTER, _("quarterly")
    HALF = PeriodKind.HALF, _("six-monthly")
    YEAR = PeriodKind.YEAR, _("annual")


class ReporterKind(models.TextChoices):
    UNIT = "unit", _("administrative unit (People's Committee)")
    AGENCY = "agency", _("agency")


class FieldKind(models.TextChoices):
    AUTO = "auto", _("from an indicator (automatic)")
    INTEGER = "integer", _("whole number")
    MONEY = "money", _("amount of money (đồng)")
    TEXT = "text", _("text")
    TABLE = "table", _("table rows")
    TASK_REPORTS = "task_reports", _("agency task reports (linked)")


NUMERIC_KINDS = (FieldKind.AUTO, FieldKind.INTEGER, FieldKind.MONEY)
MANUAL_KINDS = (FieldKind.INTEGER, FieldKind.MONEY, FieldKind.TEXT, FieldKind.TABLE)
COLUMN_KINDS = ("text", "integer", "money")


class RuleKind(models.TextChoices):
    COMPARE = "compare", _("compare two figures")
    RANGE = "range", _("figure inside a range")
    MEDIAN = "median", _("figure far from the 12-month median")
    LEGAL_FINE = "legal_fine", _("fine inside the legal range in force")


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("blocking")
    WARNING = "warning", _("warning (needs an explanation)")


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


class ReportFormQuerySet(models.QuerySet["ReportForm"]):
    def visible_to(self, user: Any) -> ReportFormQuerySet:
        """Forms are reference data for everyone who reads reports."""
        if not getattr(user, "is_authenticated", False) or not user.can("reports.view"):
            return self.none()
        return self

    def valid_in(self, start: datetime.date, end: datetime.date) -> ReportFormQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )


class ReportForm(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    # Periods whose end falls inside this span are owed (the plan's year for the seeded forms).
    valid_from = models.DateField(_("owed from"), null=True, blank=True)
    valid_to = models.DateField(_("owed until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    objects = ReportFormQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def current(self) -> FormVersion:
        """The latest version: new submissions are made on it."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if prefetched is not None:
            version = max(prefetched, key=lambda v: v.number, default=None)
        else:
            version = self.versions.order_by("-number").first()
        if version is None:
            raise FormVersion.DoesNotExist(f"form {self.code} has no version")
        return version

    def owes(self, period_end: datetime.date) -> bool:
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= period_end)
            and (self.valid_to is None or period_end <= self.valid_to)
        )


class FormVersion(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(
        _("subject"),
        max_length=300,
        help_text=_("The report's subject under BÁO CÁO; {period} is replaced by the period."),
    )
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    cutoff = models.CharField(_("cut-off rule"), max_length=10, choices=Cutoff.CHOICES)
    reporter_kind = models.CharField(_("who reports"), max_length=10, choices=ReporterKind.choices)
    reporter_levels = models.JSONField(_("reporting unit levels"), default=list, blank=True)
    agency_kinds = models.JSONField(_("reporting agency kinds"), default=list, blank=True)
    agency_role = models.CharField(
        _("reporting agency role"),
        max_length=30,
        blank=True,
        help_text=_("e.g. standing_office: whoever holds the role at the period's end reports."),
    )
    agency_level = models.PositiveSmallIntegerField(
        _("agency level"), null=True, blank=True, choices=UnitLevel.choices
    )
    approver_level = models.PositiveSmallIntegerField(
        _("approved at level"),
        choices=UnitLevel.choices,
        null=True,
        blank=True,
        help_text=_(
            "Officers of this level, over the reporting unit, approve. Empty: the "
            "level just above the reporting unit."
        ),
    )
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days after period end)"))
    level_deadlines = models.JSONField(
        _("deadline by reporting level"),
        default=dict,
        blank=True,
        help_text=_('Days after the period end for a level, e.g. {"3": 2, "2": 5}.'),
    )
    is_synthesis = models.BooleanField(_("synthesis report"), default=False)
    source_form = models.ForeignKey(
        ReportForm,
        verbose_name=_("summarises form"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    doc_suffix = models.CharField(_("number suffix"), max_length=40, default="BC")
    addressee = models.CharField(_("addressed to"), max_length=200, blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=80, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=80, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_once")]

    def __str__(self) -> str:
        return f"{self.form.name} (v{self.number})"

    @cached_property
    def field_list(self) -> list[FormField]:
        return sorted(
            self.fields.select_related("section"), key=lambda f: (f.section.order, f.order)
        )

    @cached_property
    def fields_by_code(self) -> dict[str, FormField]:
        return {f.code: f for f in self.field_list}

    def deadline_for(self, level: int) -> int:
        return int((self.level_deadlines or {}).get(str(level), self.deadline_days))

    def reporter_text(self) -> str:
        if self.reporter_kind == ReporterKind.UNIT:
            return ", ".join(str(UnitLevel(level).label) for level in self.reporter_levels)
        if self.agency_role:
            roles = dict(AgencyRoleKind.choices)
            return str(roles.get(self.agency_role, self.agency_role))
        kinds = dict(AgencyKind.choices)
        return ", ".join(str(kinds.get(k, k)) for k in self.agency_kinds)


class FormSection(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")

    def __str__(self) -> str:
        return self.title


class FormField(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="fields")
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=FieldKind.choices)
    indicator_code = models.CharField(_("indicator"), max_length=60, blank=True)
    publish_code = models.CharField(
        _("publish to indicator"),
        max_length=60,
        blank=True,
        help_text=_("A hand-reported indicator that receives this figure once approved."),
    )
    columns = models.JSONField(_("table columns"), default=list, blank=True)
    unit_label = models.CharField(_("unit of measure"), max_length=40, blank=True)
    required = models.BooleanField(_("required"), default=False)
    help = models.CharField(_("help"), max_length=300, blank=True)
    # A typed count of people: small values show as "<5" outside person-level roles of the
    # register named by ``source`` (DESIGN.md §4; pcmd.indicators.privacy). Automatic fields
    # follow their indicator's flag instead.
    small_cells = models.BooleanField(
        _("suppress small cells"),
        default=False,
        help_text=_(
            "A count of people: values below the threshold show as <5 outside person-level roles."
        ),
    )
    source = models.CharField(
        _("register"),
        max_length=40,
        blank=True,
        help_text=_(
            "The register the people are counted in, for the person-level roles (e.g. sanctions)."
        ),
    )

    class Meta:
        ordering = ["version", "section__order", "order"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="form_field_code_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_auto(self) -> bool:
        return self.kind == FieldKind.AUTO

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def is_manual(self) -> bool:
        return self.kind in MANUAL_KINDS


class ValidationRule(models.Model):
    """A check on a report's figures. Data, editable with the form (a new version).

    - compare: ``field [÷ divisor] <operator> other`` (e.g. people sanctioned ≤ people found);
    - range: ``min ≤ field [÷ divisor] ≤ max`` (e.g. average fine inside the legal range);
    - median: the figure is more than ``factor`` times, or less than 1/``factor`` of, the
      median of the same reporter's figures for periods ending in the 12 months before;
    - legal_fine: ``field [÷ divisor]`` inside the lowest and highest fine of the violation
      catalog in force during the period, capped by the statutory maxima
      (:func:`pcmd.enforcement.legal.fine_bounds`), never a fixed range.
    """

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    field_code = models.CharField(_("field"), max_length=60)
    divisor_code = models.CharField(_("divided by field"), max_length=60, blank=True)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices, blank=True)
    other_code = models.CharField(_("compared with field"), max_length=60, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    factor = models.DecimalField(_("factor"), max_digits=6, decimal_places=2, null=True, blank=True)
    min_history = models.PositiveSmallIntegerField(_("periods needed for a median"), default=3)
    message = models.CharField(_("message"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "order", "code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="validation_rule_code_once")
        ]

    def __str__(self) -> str:
        return self.message


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
DONE_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user: Any) -> SubmissionQuerySet:
        """Reports of units inside the user's scope (agency reports sit at the agency's unit)."""
        if not getattr(user, "is_authenticated", False) or not user.can("reports.view"):
            return self.none()
        return self.filter(user.scope_q("unit"))


class Submission(TimeStampedModel, VersionedModel):
    form = models.ForeignKey(
        ReportForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="submissions"
    )
    form_version = models.ForeignKey(
        FormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("reporting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    period_code = models.CharField(_("period"), max_length=20, db_index=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), db_index=True)
    due_date = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    values = models.JSONField(_("figures entered"), default=dict, blank=True)
    auto_values = models.JSONField(_("automatic figures (snapshot)"), default=dict, blank=True)
    explanations = models.JSONField(_("explanations"), default=dict, blank=True)
    draft_text = models.TextField(_("report text"), blank=True)
    doc_number = models.CharField(_("document number"), max_length=20, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=80, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=80, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "form__order", "unit__code"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period_code"],
                condition=Q(agency__isnull=True),
                name="submission_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["form", "agency", "period_code"],
                condition=Q(agency__isnull=False),
                name="submission_once_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["form", "period_code", "status"])]

    def __str__(self) -> str:
        from pcmd.core.formatting import period_label

        return f"{self.form.name} — {self.reporter_name} — {period_label(self.period_code)}"

    @property
    def reporter_name(self) -> str:
        """The agency, or the unit under its name at the period's end."""
        from pcmd.geo.models import name_on_date

        return (
            self.agency.name
            if self.agency is not None
            else name_on_date(self.unit, self.period_end)
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localtime(self.first_submitted_at).date() <= self.due_date


class SubmissionEvent(models.Model):
    """The history shown on a report: created, saved, submitted, returned, approved."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.verb} {self.at:%d/%m/%Y}"


class RuleHitQuerySet(models.QuerySet["RuleHit"]):
    def visible_to(self, user: Any) -> RuleHitQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("reports.view"):
            return self.none()
        return self.filter(user.scope_q("submission__unit"))


class RuleHit(models.Model):
    """A validation rule that a submission's figures broke (kept for the data-quality table)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rule_hits")
    rule = models.ForeignKey(ValidationRule, on_delete=models.CASCADE, related_name="hits")
    field_code = models.CharField(_("field"), max_length=60)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.CharField(_("message"), max_length=500)
    message_en = models.CharField(_("message (English)"), max_length=500, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True)
    reference = models.DecimalField(_("compared with"), max_digits=18, decimal_places=2, null=True)
    explanation = models.TextField(_("explanation"), blank=True)
    found_at = models.DateTimeField(_("found at"))

    # Set on the hits a submission page shows: the message in the viewer's language.
    shown_text: str

    objects = RuleHitQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "rule__order"]
        verbose_name = _("rule hit")
        verbose_name_plural = _("rule hits")

    def __str__(self) -> str:
        return self.message


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def visible_to(self, user: Any) -> ReminderQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class Reminder(models.Model):
    """A reminder to a late reporter, shown in the app (and e-mailed when mail is set up)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_reminders"
    )
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_code = models.CharField(_("period"), max_length=20)
    due_date = models.DateField(_("deadline"))
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["form", "period_code"]),
        ]

    def __str__(self) -> str:
        return self.message
