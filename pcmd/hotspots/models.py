"""Public prostitution hotspots (tụ điểm mại dâm công cộng) and police patrols:
plan 1842/KH-UBND II.1, II.3.b, II.4 and IV.2 ("không để tồn tại điểm nóng")."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit


class HotspotKind(models.TextChoices):
    STREET = "street", _("street or roadside")
    PARK = "park", _("park or public garden")
    STATION = "station", _("bus or railway station")
    MARKET = "market", _("market area")
    RENTAL = "rental", _("rental rooms area")
    OTHER = "other", _("other public place")


class HotspotStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    UNDER_WATCH = "under_watch", _("under watch")
    CLEARED = "cleared", _("cleared")


class HotspotQuerySet(models.QuerySet["Hotspot"]):
    def visible_to(self, user: Any) -> HotspotQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("hotspots.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> HotspotQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("hotspots.edit"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def overdue(self, on: datetime.date) -> HotspotQuerySet:
        """Cleared or watched hotspots whose re-check was due before ``on``."""
        return self.filter(
            status__in=[HotspotStatus.CLEARED, HotspotStatus.UNDER_WATCH], next_check_due__lt=on
        )


class Hotspot(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=HotspotKind.choices)
    location = models.CharField(
        _("location"), max_length=300, help_text=_("Street, landmark or area.")
    )
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="hotspots"
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    first_seen = models.DateField(_("first identified"))
    # Current state; the history is in HotspotStatusChange.
    status = models.CharField(
        _("status"), max_length=20, choices=HotspotStatus.choices, default=HotspotStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"))
    next_check_due = models.DateField(_("next re-check due"), null=True, blank=True, db_index=True)
    is_deleted = models.BooleanField(default=False, editable=False)

    # Set on the rows of the overdue list: days since the check fell due.
    days_overdue: int

    objects = HotspotQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        indexes = [models.Index(fields=["commune", "is_deleted"], name="hotspot_commune_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hotspots:detail", args=[self.pk])


class HotspotStatusChange(models.Model):
    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=HotspotStatus.choices)
    on = models.DateField(_("date"))
    reappeared = models.BooleanField(_("reappeared after clearing"), default=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The patrol whose finding changed the status (people found at a cleared hotspot).
    patrol = models.ForeignKey(
        "Patrol",
        verbose_name=_("patrol"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="status_changes",
    )

    class Meta:
        ordering = ["hotspot", "on", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.hotspot} {self.get_status_display()} {self.on:%d/%m/%Y}"


class PatrolQuerySet(models.QuerySet["Patrol"]):
    def visible_to(self, user: Any) -> PatrolQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("hotspots.view"):
            return self.none()
        return self.filter(user.scope_q("commune"))

    def editable_by(self, user: Any) -> PatrolQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("hotspots.edit"):
            return self.none()
        return self.filter(user.scope_q("commune"))


class Patrol(TimeStampedModel, VersionedModel):
    """A patrol or sweep; people found are counts, never names (DESIGN.md §4)."""

    on = models.DateField(_("date"), db_index=True)
    force = models.CharField(
        _("force"), max_length=150, help_text=_("E.g. Cảnh sát trật tự Công an TP Buôn Ma Thuột.")
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    hotspot = models.ForeignKey(
        Hotspot,
        verbose_name=_("hotspot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="patrols"
    )
    people_found = models.PositiveIntegerField(_("people found"), default=0)
    people_sanctioned = models.PositiveIntegerField(_("people sanctioned"), default=0)
    people_referred = models.PositiveIntegerField(_("people referred to support"), default=0)
    action_taken = models.TextField(_("action taken"), blank=True)

    objects = PatrolQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        # The indicator engine's aggregate: communes of a territory, one period.
        indexes = [models.Index(fields=["commune", "on"], name="patrol_commune_on_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(people_sanctioned__lte=models.F("people_found")),
                name="patrol_sanctioned_lte_found",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.force}"
