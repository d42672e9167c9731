"""Writes of support counts: one transaction, one permission check, one audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.geo.models import Unit, UnitLevel

from .models import COUNT_FIELDS, SupportCount

FIELDS = ["commune", "period_start", "period_end", *COUNT_FIELDS, "note"]


def _error(field: str, message: Any, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(message, params=params or None)})


def _check(obj: SupportCount) -> None:
    if obj.commune.level != UnitLevel.COMMUNE:
        raise _error("commune", _("Choose a commune-level unit."))
    if obj.period_end < obj.period_start:
        raise _error("period_end", _("The end date is before the start date."))
    if obj.period_start > timezone.localdate():
        raise _error("period_start", _("The period has not started yet."))
    for day in (obj.period_start, obj.period_end):
        if not obj.commune.is_valid_on(day):
            raise _error(
                "commune",
                _("%(unit)s did not exist on %(date)s: choose the unit of that date."),
                unit=obj.commune.name,
                date=day.strftime("%d/%m/%Y"),
            )
    for name in COUNT_FIELDS:
        value = getattr(obj, name)
        if value is None or value < 0:
            raise _error(name, _("Must be at least %(n)s."), n=0)
    overlapping = (
        SupportCount.objects.filter(
            commune=obj.commune,
            is_deleted=False,
            period_start__lte=obj.period_end,
            period_end__gte=obj.period_start,
        )
        .exclude(pk=obj.pk)
        .first()
    )
    if overlapping is not None:
        raise _error(
            "period_start",
            _("%(unit)s already has counts for %(start)s–%(end)s, which overlaps this period."),
            unit=obj.commune.name,
            start=overlapping.period_start.strftime("%d/%m/%Y"),
            end=overlapping.period_end.strftime("%d/%m/%Y"),
        )


@transaction.atomic
def create_support_count(
    *,
    actor: Any,
    commune: Unit,
    period_start: datetime.date,
    period_end: datetime.date,
    note: str = "",
    **counts: int,
) -> SupportCount:
    require(actor, "support.edit", unit=commune)
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    row = SupportCount(
        commune=commune,
        period_start=period_start,
        period_end=period_end,
        note=note,
        created_by=actor,
        **{name: counts.get(name) or 0 for name in COUNT_FIELDS},
    )
    _check(row)
    row.save()
    audit.record(
        actor=actor,
        verb="support.count.create",
        obj=row,
        changes=audit.diff({}, audit.snapshot(row, FIELDS)),
    )
    return row


@transaction.atomic
def update_support_count(
    row: SupportCount, *, actor: Any, expected_version: int | None, **values: Any
) -> SupportCount:
    require(actor, "support.edit", obj=row)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(row, FIELDS)
    for key, value in values.items():
        setattr(row, key, value)
    if "commune" in values:
        require(actor, "support.edit", unit=row.commune)
    _check(row)
    changes = audit.diff(before, audit.snapshot(row, FIELDS))
    save_versioned(row, expected_version, list(changes))
    audit.record(actor=actor, verb="support.count.update", obj=row, changes=changes)
    return row


@transaction.atomic
def delete_support_count(
    row: SupportCount, *, actor: Any, expected_version: int | None = None
) -> None:
    require(actor, "support.edit", obj=row)
    row.is_deleted = True
    save_versioned(row, expected_version, ["is_deleted"])
    audit.record(actor=actor, verb="support.count.delete", obj=row)
