"""Budget for the plan: allocations (planned) and spending by agency, activity category and
funding source, per year. Plan 1842/KH-UBND III: the standing office's recurrent budget
covers the plan; departments and district People's Committees add their own budget and
"other lawful sources". Amounts are whole VND.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel


class BudgetCategory(models.Model):
    """Catalog of activity categories (communication, training, inspection, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("budget category")
        verbose_name_plural = _("budget categories")

    def __str__(self) -> str:
        return self.name


class FundingSource(models.TextChoices):
    """Plan III: provincial and central funds of the standing office, the budgets of
    departments, districts and communes, and other lawful sources."""

    CENTRAL = "central", _("central budget")
    PROVINCIAL = "provincial", _("provincial budget")
    DISTRICT = "district", _("district budget")
    COMMUNE = "commune", _("commune budget")
    OTHER = "other", _("other lawful sources")


class BudgetLineQuerySet(models.QuerySet["BudgetLine"]):
    def visible_to(self, user: Any) -> BudgetLineQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("budget.view"):
            return self.none()
        return self.filter(user.scope_q("agency__unit"), is_deleted=False)


class BudgetLine(TimeStampedModel, VersionedModel):
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    category = models.ForeignKey(
        BudgetCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="lines"
    )
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    description = models.CharField(_("activity"), max_length=300)
    planned = models.PositiveBigIntegerField(_("planned (VND)"), default=0)
    spent = models.PositiveBigIntegerField(_("spent (VND)"), default=0)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Required when spending exceeds the plan.")
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "agency__order", "category__order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        indexes = [models.Index(fields=["year", "agency"])]

    def __str__(self) -> str:
        return f"{self.year} · {self.agency} · {self.description}"

    @property
    def over_plan(self) -> bool:
        return self.spent > self.planned
