"""Agencies (cơ quan, đơn vị) and their roles over time.

Which agency is the standing office, or coordinates Team 178, changes by
decision (Sở LĐ-TB&XH until 28/02/2025, Sở Y tế from 01/03/2025 under
Decree 42/2025/NĐ-CP), so roles are dated rows, never code.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit, UnitLevel, valid_on_q


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("People's Committee")
    DEPARTMENT = "department", _("department")
    POLICE = "police", _("police")
    PROCURACY = "procuracy", _("procuracy")
    COURT = "court", _("court")
    MASS_ORGANISATION = "mass_org", _("mass organisation")
    INTERAGENCY_TEAM = "team", _("interagency team")
    GROUP = "group", _("group of agencies")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, on: datetime.date) -> AgencyQuerySet:
        return self.filter(valid_on_q(on))

    def visible_to(self, user: Any) -> AgencyQuerySet:
        """Agencies are reference data of a province: a user reads those of the provinces
        their scope lies in (with the provinces it became or came from in the 2025 reform),
        never another province's. Those who manage users (and assign agencies to them) read
        every province's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.can("users.manage"):
            return self
        return self.filter(user.province_q("unit"))


class Agency(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=UnitLevel.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["level", "order", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class AgencyRoleKind(models.TextChoices):
    STANDING_OFFICE = "standing_office", _("standing office")
    TEAM_178_COORDINATOR = "team178_coordinator", _("Team 178 coordinator")
    STEERING_MEMBER = "steering_member", _("steering committee member")


class AgencyRole(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=AgencyRoleKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["role", "valid_from"]
        verbose_name = _("agency role")
        verbose_name_plural = _("agency roles")

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_role_display()}"


def agency_with_role(role: str, unit: Unit, on: datetime.date) -> Agency | None:
    """The agency that holds ``role`` for ``unit``'s province on ``on``."""
    return (
        Agency.objects.filter(roles__role=role, unit=unit).filter(valid_on_q(on, "roles__")).first()
    )
