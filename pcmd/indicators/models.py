"""Indicators: declared aggregations over a register, ratios, or values reported by hand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("count of rows")
    DISTINCT = "distinct", _("count of distinct values")
    SUM = "sum", _("sum of a field")
    RATIO = "ratio", _("ratio of two indicators")
    MANUAL = "manual", _("reported by hand")
    # The sum of other indicators named in ``measure`` ("a+b"), key by key: one figure made
    # of registers that never count the same thing twice (T7: cases + counts elsewhere).
    TOTAL = "total", _("sum of indicators")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def visible_to(self, user: Any) -> IndicatorQuerySet:
        """Definitions are reference data for every signed-in user."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(is_active=True)


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit_label = models.CharField(_("unit of measure"), max_length=40, blank=True)
    unit_label_en = models.CharField(_("unit of measure (English)"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    source = models.CharField(_("register"), max_length=40, blank=True)
    measure = models.CharField(
        _("field"), max_length=100, blank=True, help_text=_("Field counted distinct or summed.")
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scale = models.PositiveIntegerField(_("scale"), default=1, help_text=_("100 for a percentage."))
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    small_cells = models.BooleanField(
        _("suppress small cells"),
        default=False,
        help_text=_(
            "Counts of people: values below the threshold show as <5 outside person-level roles."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ManualValue(models.Model):
    """A value an agency or unit reported by hand for a period (report forms fill these)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="manual_values")
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="manual_values",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    source_note = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_start", "period_end"], name="manual_value_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit} {self.value}"


class Boundary(models.Model):
    """A polygon for a unit, from an administrator's GeoJSON import (drawn as a choropleth)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField(_("geometry"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")

    def __str__(self) -> str:
        return str(self.unit)
