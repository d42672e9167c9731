"""Administrative units over time.

A unit row is one unit during one span of validity. A unit that is merged,
split or re-established (as every commune was on 1 July 2025) ends, and the
units that take its place are new rows linked by :class:`UnitChange`. Names
that change while the unit lives on are kept in :class:`UnitName`. A question
about a date is answered on the map valid on that date.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.IntegerChoices):
    PROVINCE = 1, _("province level")
    DISTRICT = 2, _("district level")
    COMMUNE = 3, _("commune level")


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("province")
    CENTRAL_CITY = "thanh_pho_tw", _("centrally-run city")
    RURAL_DISTRICT = "huyen", _("rural district")
    URBAN_DISTRICT = "quan", _("urban district")
    TOWN = "thi_xa", _("town")
    PROVINCIAL_CITY = "thanh_pho", _("provincial city")
    COMMUNE = "xa", _("commune")
    WARD = "phuong", _("ward")
    TOWNSHIP = "thi_tran", _("township")
    SPECIAL_ZONE = "dac_khu", _("special zone")


def valid_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows whose validity span contains ``on``."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, on: datetime.date) -> UnitQuerySet:
        return self.filter(valid_on_q(on))

    def within(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def below(self, unit: Unit) -> UnitQuerySet:
        return self.within(unit).exclude(pk=unit.pk)

    def visible_to(self, user: Any) -> UnitQuerySet:
        """Administrative units are reference data: every signed-in user reads them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self


class Unit(models.Model):
    code = models.CharField(_("GSO code"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=UnitLevel.choices)
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys, e.g. "/12/340/5121/": subtree = prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Empty: since before the records.")
    )
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Last day of validity. Empty: still valid."),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    bounds = models.JSONField(_("bounding box"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        indexes = [
            models.Index(fields=["level", "valid_from", "valid_to"]),
            models.Index(fields=["code", "valid_from"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_valid_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    def name_on(self, on: datetime.date) -> str:
        # ``Prefetch("names", to_attr=NAME_LIST)`` (a list of hundreds of units) is read as is.
        names = self.__dict__.get(NAME_LIST)
        for hist in self.names.all() if names is None else names:
            if (hist.valid_from is None or hist.valid_from <= on) and (
                hist.valid_to is None or hist.valid_to >= on
            ):
                return hist.name
        return self.name

    def ancestors(self) -> list[Unit]:
        ids = path_ids(self.path)[:-1]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def successors(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(predecessor_links__predecessor=self).distinct()

    def predecessors(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(successor_links__successor=self).distinct()

    def set_path(self) -> None:
        self.path = (self.parent.path if self.parent is not None else "/") + f"{self.pk}/"


class UnitName(models.Model):
    """A former (or later) name of a unit, for the span it was used."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("unit name")
        verbose_name_plural = _("unit names")

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("merged into")
    SPLIT = "split", _("split into")
    REORGANISE = "reorganise", _("reorganised as")


class UnitChange(models.Model):
    """``predecessor`` ended and (part of) it continued as ``successor`` on ``effective``."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    effective = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    is_main = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("Where a unit was split, the successor that took most of it."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["effective", "predecessor"]
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_change_once"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"


#: Where a ``Prefetch("names", to_attr=...)`` puts a unit's names (see :meth:`Unit.name_on`).
NAME_LIST = "name_list"


def path_ids(path: str) -> list[int]:
    """The ids of the unit at ``path`` and of its ancestors, from the top: a path is made of
    them ("/117/643/" is unit 643 in unit 117)."""
    return [int(part) for part in path.strip("/").split("/") if part]


def name_on_date(unit: Unit | None, on: Any) -> str:
    """The one helper for a unit's name as it was on a date (dashboard, exports, reports).

    ``on`` may be a date or datetime, a year (its last day), a period code or
    :class:`pcmd.core.periods.Period` (its last day), or ``None`` (today's name). Ward 24133
    was "Phường Thắng Lợi" until 2024: ``name_on_date(u, 2018)`` gives that name.
    Template form: ``{{ unit|name_on:date }}`` (``{% load pcmd_format %}``).
    """
    if unit is None:
        return ""
    day = _as_day(on)
    return unit.name if day is None else unit.name_on(day)


def _as_day(on: Any) -> datetime.date | None:
    from pcmd.core.periods import PeriodError, parse_period

    if on is None or on == "":
        return None
    if isinstance(on, datetime.datetime):
        return on.date()
    if isinstance(on, datetime.date):
        return on
    if isinstance(on, int):
        return datetime.date(on, 12, 31)
    end = getattr(on, "end", None)
    if isinstance(end, datetime.date):
        return end
    try:
        return parse_period(str(on)).end
    except PeriodError:
        return None


class TreeVersion(models.Model):
    """One row: a random token rewritten whenever units or their links change, so that
    every process knows when its cached unit tree is stale (:mod:`pcmd.geo.tree`)."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("unit tree version")
        verbose_name_plural = _("unit tree versions")

    def __str__(self) -> str:
        return self.token
