"""Derived data the dashboard keeps so as not to compute it on every page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit


class MapGeometry(models.Model):
    """The map shapes of a province's communes for one set of units (pcmd.dashboard.geometry).

    ``key`` is a digest of everything the shapes are computed from (the communes valid on the
    map date, their points and bounding boxes, their districts, and the imported boundaries),
    so a change to any of these makes a new key: a stale row is never read, and old rows of
    the province are pruned when a new one is stored.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    province = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    approximate = models.BooleanField(_("approximate"), default=True)
    shapes = models.JSONField(_("shapes"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    seconds = models.FloatField(_("seconds to compute"), default=0)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("map geometry")
        verbose_name_plural = _("map geometries")

    def __str__(self) -> str:
        return f"{self.province} {self.key[:8]}"
