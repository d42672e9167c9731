"""Conditional businesses (cơ sở kinh doanh dịch vụ có điều kiện) that the plan asks
Team 178 and the police to inspect: plan 1842/KH-UBND, I.2 and IV.1–3, IV.7, IV.10."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit


class EstablishmentKind(models.Model):
    """Catalog of kinds (khách sạn, nhà nghỉ, karaoke, massage…), editable by administrators."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    risk_weight = models.PositiveSmallIntegerField(
        _("risk weight"),
        default=1,
        help_text=_("Points this kind adds to an establishment's risk score."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kind of establishment")
        verbose_name_plural = _("kinds of establishment")

    def __str__(self) -> str:
        return self.name


class EstablishmentStatus(models.TextChoices):
    OPEN = "open", _("operating")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class EstablishmentQuerySet(models.QuerySet["Establishment"]):
    def visible_to(self, user: Any) -> EstablishmentQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("registry.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> EstablishmentQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("registry.edit"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)


class Establishment(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        EstablishmentKind,
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    address = models.CharField(_("address"), max_length=300)
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="establishments",
        help_text=_("A commune-level unit valid when recorded."),
    )
    owner_name = models.CharField(_("owner or manager"), max_length=150, blank=True)
    registration_no = models.CharField(
        _("business registration number"), max_length=50, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EstablishmentStatus.choices,
        default=EstablishmentStatus.OPEN,
    )
    opened_on = models.DateField(_("operating since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Normalised "name|address" for duplicate detection (see registry.normalise).
    dedup_key = models.CharField(max_length=500, db_index=True, editable=False, default="")
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        indexes = [models.Index(fields=["commune", "kind", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .normalise import dedup_key

        self.dedup_key = dedup_key(self.name, self.address)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "address"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "dedup_key"}
        super().save(*args, **kwargs)


class LicenceKind(models.TextChoices):
    BUSINESS = "business", _("business registration")
    SECURITY = "security", _("security and order certificate")
    CULTURE = "culture", _("culture licence (karaoke, dance hall)")
    HEALTH = "health", _("health licence (massage, sauna)")
    OTHER = "other", _("other licence")


class Licence(TimeStampedModel, VersionedModel):
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("licence"), max_length=20, choices=LicenceKind.choices)
    number = models.CharField(_("number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=150, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)

    # Set on the licences an establishment page shows: valid, expiring or expired.
    state: str

    class Meta:
        ordering = ["establishment", "kind"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class StaffCount(models.Model):
    """Periodic count of staff and of female staff (plan IV.1, last bullet)."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="staff_counts"
    )
    as_of = models.DateField(_("as of"))
    staff = models.PositiveIntegerField(_("staff"))
    female_staff = models.PositiveIntegerField(_("female staff"))

    class Meta:
        ordering = ["establishment", "-as_of"]
        verbose_name = _("staff count")
        verbose_name_plural = _("staff counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(female_staff__lte=models.F("staff")), name="female_staff_lte_staff"
            ),
            models.UniqueConstraint(fields=["establishment", "as_of"], name="staff_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} {self.as_of:%d/%m/%Y}: {self.female_staff}/{self.staff}"
