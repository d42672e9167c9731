"""Team 178 (Đội kiểm tra liên ngành 178) and its inspections of conditional businesses.

Plan 1842/KH-UBND I.2 (the provincial team inspects 100–150 establishments in 2018), II.4,
IV.1 (the standing office plans the provincial team's inspections) and IV.2–IV.7 (agencies
that take part in the team). Teams exist at province, district and commune level
(Decree 178/2004/NĐ-CP). Inspections carry the establishment's commune and the date so the
indicator engine counts them by commune and period.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import around_q
from pcmd.accounts.policy import may_change
from pcmd.agencies.models import Agency
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit, UnitLevel

# --- teams ------------------------------------------------------------------------------


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user: Any) -> TeamQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("inspections.view"):
            return self.none()
        return self.filter(around_q(user, "unit"), is_deleted=False)

    def editable_by(self, user: Any) -> TeamQuerySet:
        """Teams the user may record for (``pcmd.accounts.policy``): a district officer runs
        the district's team and its communes' teams, not the provincial one; a Team 178
        member the team of their own level."""
        if not getattr(user, "is_authenticated", False) or not user.can("inspections.edit"):
            return self.none()
        teams = self.filter(user.scope_q("unit"), is_deleted=False).select_related("unit")
        return self.filter(pk__in=[t.pk for t in teams if may_change(user, t)])

    def active_on(self, on: datetime.date) -> TeamQuerySet:
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=on),
            Q(active_to__isnull=True) | Q(active_to__gte=on),
        )


class Team(TimeStampedModel, VersionedModel):
    """An interagency inspection team (Đội kiểm tra liên ngành 178) of one unit."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="inspection_teams",
        help_text=_("The team inspects in this unit and the units below it."),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=UnitLevel.choices)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_teams"
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    decision = models.CharField(
        _("establishing decision"),
        max_length=200,
        blank=True,
        help_text=_("Number and date of the decision that set up or renewed the team."),
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["level", "unit__code", "name"]
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")

    def __str__(self) -> str:
        return self.name

    def covers(self, unit: Unit) -> bool:
        return unit.path.startswith(self.unit.path)


class TeamMember(TimeStampedModel):
    """A member of a team: an official named with the agency that delegates them.

    Officials acting in office are not sensitive personal data (DESIGN.md §4 concerns the
    people the work is about)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="team_members"
    )
    person_name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    role_in_team = models.CharField(
        _("role in the team"),
        max_length=100,
        blank=True,
        help_text=_("E.g. team leader, deputy, member."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["team", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.person_name} ({self.agency.short_name or self.agency.name})"

    def is_active_on(self, on: datetime.date) -> bool:
        return (self.active_from is None or self.active_from <= on) and (
            self.active_to is None or self.active_to >= on
        )


# --- plans ------------------------------------------------------------------------------


class InspectionPlanQuerySet(models.QuerySet["InspectionPlan"]):
    def visible_to(self, user: Any) -> InspectionPlanQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("inspections.view"):
            return self.none()
        return self.filter(around_q(user, "team__unit"), team__is_deleted=False)

    def editable_by(self, user: Any) -> InspectionPlanQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("inspections.edit"):
            return self.none()
        return self.filter(team__in=Team.objects.editable_by(user))


class InspectionPlan(TimeStampedModel, VersionedModel):
    """A team's plan for a period: the establishments to visit and how many (the target)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target_count = models.PositiveIntegerField(
        _("target (establishments)"),
        help_text=_(
            "Establishments to inspect in the period (the lower bound when the target is a range)."
        ),
    )
    target_max = models.PositiveIntegerField(
        _("target upper bound"),
        null=True,
        blank=True,
        help_text=_("For a range such as 100–150; empty for a single number."),
    )
    establishments = models.ManyToManyField(
        "registry.Establishment",
        verbose_name=_("establishments to visit"),
        blank=True,
        related_name="inspection_plans",
    )
    notes = models.TextField(_("notes"), blank=True)

    # Set on the plans the team pages show (the share of the target inspected).
    percent: int

    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "team__level", "team__name"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="inspection_plan_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- the findings checklist -------------------------------------------------------------


class FindingItem(models.Model):
    """Catalog of checklist questions (seeded, editable by administrators)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("question"), max_length=300)
    name_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The English name when the page is in English (catalog data is Vietnamese)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


# --- inspections ------------------------------------------------------------------------


class InspectionResult(models.TextChoices):
    NO_VIOLATION = "no_violation", _("no violation")
    VIOLATION = "violation", _("violation found")
    CLOSED = "closed", _("establishment closed or absent")


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def visible_to(self, user: Any) -> InspectionQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("inspections.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> InspectionQuerySet:
        """Visible inspections of the teams the user may record for."""
        return self.visible_to(user).filter(team__in=Team.objects.editable_by(user))


class Inspection(TimeStampedModel, VersionedModel):
    date = models.DateField(_("date"), db_index=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="inspections"
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    # The establishment's commune when inspected: indicators count by commune and period.
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="inspections"
    )
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    members_present = models.ManyToManyField(
        TeamMember, verbose_name=_("members present"), blank=True, related_name="inspections"
    )
    result = models.CharField(_("result"), max_length=20, choices=InspectionResult.choices)
    summary = models.TextField(_("summary"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_note = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["commune", "date"]),
            models.Index(fields=["team", "date"]),
            models.Index(fields=["establishment", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.establishment}"


class Answer(models.TextChoices):
    OK = "ok", _("compliant")
    NOT_OK = "not_ok", _("not compliant")
    NOT_APPLICABLE = "na", _("not applicable")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        FindingItem,
        verbose_name=_("checklist item"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "item__order", "item__code"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="finding_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_answer_display()}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    MINUTES = "minutes", _("scanned minutes")
    OTHER = "other", _("other document")


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never reuses the uploaded name (kept in original_name).
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = datetime.date.today()
    return f"inspections/{today:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A photo or scanned minutes (biên bản). Stored on the default storage, served only
    through a view that checks the reader may see the inspection (never a public URL)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


# --- tips and the risk weights ----------------------------------------------------------


class TipSource(models.TextChoices):
    HOTLINE = "hotline", _("hotline or phone call")
    CITIZEN = "citizen", _("citizen or neighbourhood report")
    MEDIA = "media", _("press or social media")
    AGENCY = "agency", _("another agency")
    PATROL = "patrol", _("police patrol")
    OTHER = "other", _("other")


class TipQuerySet(models.QuerySet["Tip"]):
    def visible_to(self, user: Any) -> TipQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("inspections.view"):
            return self.none()
        return self.filter(user.scope_q("commune"))


class Tip(TimeStampedModel):
    """A report received about an establishment. Counts only: no informant identity."""

    establishment = models.ForeignKey(
        "registry.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        related_name="tips",
    )
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="tips"
    )
    received_on = models.DateField(_("received on"), db_index=True)
    source_kind = models.CharField(_("source"), max_length=20, choices=TipSource.choices)
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("What was reported; never the informant's identity."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TipQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y} {self.establishment}"


class RiskWeights(VersionedModel):
    """The weights of the risk score (what to inspect next). Data, not constants: an
    administrator edits them (capability ``catalogs.edit``). The active row is used."""

    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("in use"), default=True)
    kind_multiplier = models.PositiveSmallIntegerField(
        _("points per kind weight"),
        default=2,
        help_text=_("The kind's risk weight (catalog of kinds) times this."),
    )
    violation_points = models.PositiveSmallIntegerField(_("points per past violation"), default=8)
    violation_window_months = models.PositiveSmallIntegerField(
        _("violations counted over (months)"), default=24
    )
    violation_cap = models.PositiveSmallIntegerField(_("maximum points for violations"), default=32)
    points_per_month_uninspected = models.PositiveSmallIntegerField(
        _("points per month since the last inspection"), default=1
    )
    months_cap = models.PositiveSmallIntegerField(
        _("maximum points for time since inspection"), default=24
    )
    never_inspected_points = models.PositiveSmallIntegerField(
        _("points when never inspected"),
        default=30,
        help_text=_(
            "Keep it above the maximum for time since inspection, so that a never "
            "inspected establishment scores highest."
        ),
    )
    hotspot_points = models.PositiveSmallIntegerField(
        _("points for an active hotspot nearby"), default=12
    )
    hotspot_distance_km = models.DecimalField(
        _("hotspot distance (km)"),
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text=_(
            "Counts when the hotspot is in the same commune, or this close when "
            "both have coordinates."
        ),
    )
    tip_points = models.PositiveSmallIntegerField(_("points per tip received"), default=6)
    tip_window_months = models.PositiveSmallIntegerField(
        _("tips counted over (months)"), default=12
    )
    tip_cap = models.PositiveSmallIntegerField(_("maximum points for tips"), default=18)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-is_active", "pk"]
        verbose_name = _("risk weights")
        verbose_name_plural = _("risk weights")

    def __str__(self) -> str:
        return self.name
