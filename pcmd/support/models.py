"""Counts of people supported to rebuild their livelihood (người được hỗ trợ).

Plan 1842/KH-UBND, target I.2 (T7): "Hỗ trợ dạy nghề và giải quyết việc làm cho người bán
dâm tại cộng đồng, nơi cư trú"; II.1 and II.3.a (access to education, vocational training,
health care, legal aid, capital and jobs). Until person-level support cases exist, each
commune records only how many people received each kind of support in a period: counts,
never names (DESIGN.md §4).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit

# The kinds of support counted, in the order the pages and the API show them.
COUNT_FIELDS = [
    "vocational_training",
    "employment",
    "loans",
    "health_services",
    "legal_aid",
    "other_support",
]


class SupportCountQuerySet(models.QuerySet["SupportCount"]):
    def visible_to(self, user: Any) -> SupportCountQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("support.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> SupportCountQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("support.edit"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)


class SupportCount(TimeStampedModel, VersionedModel):
    """How many people in a commune received each kind of support in a period."""

    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="support_counts"
    )
    period_start = models.DateField(_("period start"), db_index=True)
    period_end = models.DateField(_("period end"))
    vocational_training = models.PositiveIntegerField(_("vocational training"), default=0)
    employment = models.PositiveIntegerField(_("got a job"), default=0)
    loans = models.PositiveIntegerField(_("loans or capital"), default=0)
    health_services = models.PositiveIntegerField(_("health services"), default=0)
    legal_aid = models.PositiveIntegerField(_("legal aid"), default=0)
    other_support = models.PositiveIntegerField(_("other support"), default=0)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = SupportCountQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "commune__code", "pk"]
        verbose_name = _("support count")
        verbose_name_plural = _("support counts")
        indexes = [models.Index(fields=["commune", "period_start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="support_period_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"
