"""Communication activities, training courses and the roster of commune officers.

Plan 1842/KH-UBND (Đắk Lắk, 12/03/2018):
- target I.2 (T1): "Phấn đấu 100% xã, phường tổ chức tuyên truyền" — every commune holds at
  least one communication activity in the year (:class:`Activity`);
- solutions II.2 and tasks IV.3, IV.5, IV.6 name the forms of communication
  (:class:`CommunicationForm`) and the audiences (:class:`Audience`);
- target I.2 (T5): "100% cán bộ trực tiếp làm công tác phòng, chống tệ nạn xã hội tại các xã,
  phường, thị trấn được tập huấn" and solution II.5 — courses (:class:`Training`), their
  participants (:class:`TrainingParticipant`) and the roster of such officers per commune
  (:class:`Officer`), so the share of rostered officers trained in a year can be computed.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.policy import changeable_q
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit


def _can(user: Any, capability: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(capability))


class CatalogQuerySet(models.QuerySet[Any]):
    def active(self) -> CatalogQuerySet:
        return self.filter(is_active=True)


class CatalogEntry(models.Model):
    """A Vietnamese catalog entry with its English name and its source in the plan."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The Vietnamese name, or the English one when the page is in English."""
        return self.name_en if self.name_en and get_language() == "en" else self.name


class CommunicationForm(CatalogEntry):
    """Hình thức tuyên truyền (plan II.2, IV.3, IV.5, IV.6), editable by administrators."""

    class Meta(CatalogEntry.Meta):
        verbose_name = _("form of communication")
        verbose_name_plural = _("forms of communication")


class Audience(CatalogEntry):
    """Đối tượng tuyên truyền (plan II.2, IV.5, IV.12, IV.13), editable by administrators."""

    class Meta(CatalogEntry.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


# --- communication activities ------------------------------------------------------------


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: Any) -> ActivityQuerySet:
        if not _can(user, "outreach.view"):
            return self.none()
        return self.filter(user.scope_q("unit"), is_deleted=False)

    def editable_by(self, user: Any) -> ActivityQuerySet:
        if not _can(user, "outreach.edit"):
            return self.none()
        return self.filter(changeable_q(user, "outreach.edit", "unit", "agency"), is_deleted=False)


class Activity(TimeStampedModel, VersionedModel):
    """One communication activity held in a commune, a district or the whole province."""

    date = models.DateField(_("date"), db_index=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="communication_activities",
        help_text=_(
            "The commune where it was held, or the district or province for wider campaigns."
        ),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("organising agency"),
        on_delete=models.PROTECT,
        related_name="communication_activities",
    )
    organiser_detail = models.CharField(
        _("organised by (detail)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the women's union branch of residential group 3."),
    )
    form = models.ForeignKey(
        CommunicationForm,
        verbose_name=_("form"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("audiences"), related_name="activities", blank=True
    )
    title = models.CharField(
        _("content"), max_length=300, help_text=_("The subject of the activity.")
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    copies = models.PositiveIntegerField(
        _("copies or broadcasts"),
        null=True,
        blank=True,
        help_text=_("Leaflets, posters, articles or broadcasts, where that is what counts."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication activities")
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the uploader's file name never reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"outreach/{instance.activity.date:%Y}/{uuid.uuid4().hex}{suffix}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: Any) -> AttachmentQuerySet:
        if not _can(user, "outreach.view"):
            return self.none()
        return self.filter(
            user.scope_q("activity__unit"), is_deleted=False, activity__is_deleted=False
        )


class Attachment(TimeStampedModel):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


# --- training ------------------------------------------------------------------------------


class TrainingLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")


class TrainingQuerySet(models.QuerySet["Training"]):
    def visible_to(self, user: Any) -> TrainingQuerySet:
        """Courses held in the user's scope, and courses attended by people from it."""
        if not _can(user, "outreach.view"):
            return self.none()
        if user.is_superuser:  # an empty scope Q would vanish from the OR below
            return self.filter(is_deleted=False)
        attended = TrainingParticipant.objects.filter(user.scope_q("unit")).values("training")
        return self.filter(user.scope_q("unit") | Q(pk__in=attended), is_deleted=False)

    def editable_by(self, user: Any) -> TrainingQuerySet:
        if not _can(user, "outreach.edit"):
            return self.none()
        return self.filter(changeable_q(user, "outreach.edit", "unit", "agency"), is_deleted=False)


class Training(TimeStampedModel, VersionedModel):
    """A training course or workshop (tập huấn, hội thảo) — plan II.5 and target T5."""

    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=TrainingLevel.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("venue unit"), on_delete=models.PROTECT, related_name="trainings"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="training_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OfficerQuerySet(models.QuerySet["Officer"]):
    def visible_to(self, user: Any) -> OfficerQuerySet:
        if not _can(user, "outreach.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> OfficerQuerySet:
        if not _can(user, "outreach.edit"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def serving_in(self, start: Any, end: Any) -> OfficerQuerySet:
        """Officers whose time in post overlaps ``start``–``end``."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )


class Officer(TimeStampedModel, VersionedModel):
    """An officer of a commune on the roster (cán bộ làm công tác phòng, chống TNXH)."""

    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200)
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="outreach_officers"
    )
    valid_from = models.DateField(_("in post from"), null=True, blank=True)
    valid_to = models.DateField(_("in post until"), null=True, blank=True)
    is_social_evils_officer = models.BooleanField(
        _("works on social-evils prevention"),
        default=True,
        help_text=_(
            "Counted in the target that every one of these officers is trained (plan I.2)."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "full_name", "pk"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="officer_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})"


class ParticipantQuerySet(models.QuerySet["TrainingParticipant"]):
    def visible_to(self, user: Any) -> ParticipantQuerySet:
        """Participants from the user's scope, and everyone at a course held in it."""
        if not _can(user, "outreach.view"):
            return self.none()
        return self.filter(
            user.scope_q("unit") | user.scope_q("training__unit"), training__is_deleted=False
        )


class TrainingParticipant(TimeStampedModel):
    """A person at a course: an officer from the roster, or anyone else by name."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer on the roster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="training_participants"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["training", "full_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "officer"],
                condition=Q(officer__isnull=False),
                name="participant_officer_once",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name
