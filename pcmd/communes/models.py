"""Yearly assessment of commune-level units ("xã, phường, thị trấn lành mạnh không có tệ nạn
ma túy, mại dâm"): plan 1842/KH-UBND I.2 (174/184 healthy, no key commune) and IV.1.

The scoring template (criteria, points, classes and their thresholds) is data that an
administrator edits, seeded from Joint Resolution 01/2008/NQLT-BLĐTBXH-BCA-BVHTTDL-UBTƯMTTQVN
(see ``data/nqlt-01-2008.yaml`` for what was and was not verified). A commune fills in its
scores, submits; the district confirms or returns with a comment. The total and the class
are computed from the template (:mod:`pcmd.communes.scoring`), never typed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit


class AssessmentTemplateQuerySet(models.QuerySet["AssessmentTemplate"]):
    def visible_to(self, user: Any) -> AssessmentTemplateQuerySet:
        """Templates are reference data for everyone who reads or edits assessments."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.can("assessment.view") or user.can("catalogs.edit"):
            return self
        return self.none()

    def for_year(self, year: int) -> AssessmentTemplate | None:
        """The active template valid in ``year`` (the most recent one when several are)."""
        return (
            self.filter(is_active=True, valid_from_year__lte=year)
            .filter(Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year))
            .order_by("-valid_from_year", "-pk")
            .first()
        )


class AssessmentTemplate(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the criteria come from, and what was checked.")
    )
    unverified = models.TextField(
        _("not verified"),
        blank=True,
        help_text=_("Parts of the template not checked against the legal text."),
    )
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"))
    valid_to_year = models.PositiveSmallIntegerField(_("valid until year"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = AssessmentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from_year", "name"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria.all())


class Criterion(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=12)
    group = models.CharField(_("group"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("criterion"))
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    is_critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_(
            "A critical criterion fails when it scores less than its maximum; "
            "classes can require that no critical criterion failed."
        ),
    )

    class Meta:
        ordering = ["template", "order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="criterion_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:60]}"


class ClassKind(models.TextChoices):
    HEALTHY = "healthy", _("healthy (counts toward the plan target)")
    INTERMEDIATE = "intermediate", _("intermediate")
    KEY = "key", _("key commune (trọng điểm)")


class MatchRule(models.TextChoices):
    ALL = "all", _("all conditions hold")
    ANY = "any", _("any condition holds")


class AssessmentClass(models.Model):
    """A class and its conditions. Classes are tried in ``order``; the first that matches wins.

    A class without any condition matches everything (the fallback).
    """

    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.CASCADE, related_name="classes"
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ClassKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    match = models.CharField(
        _("match"), max_length=5, choices=MatchRule.choices, default=MatchRule.ALL
    )
    min_total = models.PositiveSmallIntegerField(_("total at least"), null=True, blank=True)
    max_total = models.PositiveSmallIntegerField(_("total at most"), null=True, blank=True)
    min_critical_failed = models.PositiveSmallIntegerField(
        _("failed critical criteria at least"), null=True, blank=True
    )
    max_critical_failed = models.PositiveSmallIntegerField(
        _("failed critical criteria at most"), null=True, blank=True
    )

    class Meta:
        ordering = ["template", "order", "code"]
        verbose_name = _("assessment class")
        verbose_name_plural = _("assessment classes")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="assessment_class_code_once")
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CONFIRMED = "confirmed", _("confirmed")
    RETURNED = "returned", _("returned")


EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("assessment.view"):
            return self.none()
        return self.filter(user.scope_q("commune"))


class Assessment(TimeStampedModel, VersionedModel):
    template = models.ForeignKey(
        AssessmentTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
        db_index=True,
    )
    # Computed from the scores and the template on every save (scoring.compute).
    total = models.PositiveSmallIntegerField(_("total points"), default=0)
    critical_failed = models.PositiveSmallIntegerField(_("failed critical criteria"), default=0)
    result_class = models.ForeignKey(
        AssessmentClass,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    is_complete = models.BooleanField(_("every criterion scored"), default=False)
    comment = models.TextField(_("commune's note"), blank=True)
    review_comment = models.TextField(_("district's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "commune__code"]
        verbose_name = _("commune assessment")
        verbose_name_plural = _("commune assessments")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="assessment_once_a_year")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.commune} — {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["assessment", "criterion__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"


class Transition(models.Model):
    """The history of an assessment's workflow (who moved it, when, with what comment)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        _("from"), max_length=20, choices=AssessmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=AssessmentStatus.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status or '∅'} → {self.to_status}"
