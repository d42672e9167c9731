"""Users and their assignments (role × agency × unit subtree)."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, valid_on_q

from . import permissions
from .roles import CAPABILITIES, NATIONAL_ROLES, Role


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: Any) -> UserQuerySet:
        if getattr(user, "is_authenticated", False) and user.can("users.manage"):
            return self
        if getattr(user, "is_authenticated", False):
            return self.filter(pk=user.pk)
        return self.none()


class PcmdUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects: ClassVar[PcmdUserManager] = PcmdUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    # --- roles and scope ---------------------------------------------------
    @cached_property
    def current_assignments(self) -> list[Assignment]:
        today = timezone.localdate()
        return list(
            self.assignments.filter(valid_on_q(today))
            .select_related("unit", "agency")
            .order_by("pk")
        )

    @cached_property
    def active_assignments(self) -> list[Assignment]:
        """Today's assignments over a unit subtree: the scope of every provincial page.

        A national assignment (no unit, ``NATIONAL_ROLES``) is not among them, so it adds no
        unit to any scope; it shows only in ``roles`` and ``national_assignments``."""
        return [a for a in self.current_assignments if a.unit_id is not None]

    @cached_property
    def national_assignments(self) -> list[Assignment]:
        """Today's assignments over the whole country (the ministry's)."""
        return [a for a in self.current_assignments if a.unit_id is None]

    @property
    def roles(self) -> set[str]:
        return {a.role for a in self.current_assignments}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or Role.ADMINISTRATOR in self.roles

    def can(self, capability: str) -> bool:
        if self.is_superuser:
            return True
        return any(capability in CAPABILITIES.get(role, ()) for role in self.roles)

    @property
    def scope_units(self) -> list[Unit]:
        return [a.unit for a in self.active_assignments if a.unit is not None]

    @property
    def agencies(self) -> list[Agency]:
        return [a.agency for a in self.active_assignments if a.agency is not None]

    def scope_q(self, unit_field: str) -> Q:
        """A filter for rows whose ``unit_field`` lies in one of the user's unit subtrees."""
        return permissions.scope_q(self, unit_field)

    def province_q(self, unit_field: str) -> Q:
        """A filter for rows whose ``unit_field`` lies in one of the user's provinces."""
        return permissions.province_q(self, unit_field)

    def sees_unit(self, unit: Unit) -> bool:
        return permissions.sees_unit(self, unit)


class Assignment(models.Model):
    """A user holds ``role`` for ``agency`` over ``unit`` and all units below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    # Empty only for a national role (the whole country): see ``Meta.constraints``.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # A national role holds the whole country and nothing else; every other role
            # holds a unit subtree.
            models.CheckConstraint(
                condition=(Q(unit__isnull=True) & Q(role__in=sorted(NATIONAL_ROLES)))
                | (Q(unit__isnull=False) & ~Q(role__in=sorted(NATIONAL_ROLES))),
                name="assignment_unit_unless_national",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.scope_name}"

    @property
    def scope_name(self) -> str:
        """The unit's name, or "whole country" for a national assignment."""
        return self.unit.name if self.unit is not None else str(_("whole country"))

    def is_active_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )
