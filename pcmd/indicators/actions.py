"""Writes to indicators: loading definitions, recording hand-reported values, boundaries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.core import audit, yamldata
from pcmd.core.messages import bilingual
from pcmd.geo.models import Unit

from . import placeholders
from .models import Boundary, Indicator, ManualValue

DEFINITIONS = Path(__file__).with_name("data") / "indicators.yaml"


@transaction.atomic
def load_indicators(path: Path = DEFINITIONS, *, actor: Any) -> int:
    require(actor, "catalogs.edit")
    with open(path, encoding="utf-8") as fh:
        data = yamldata.load(fh)
    specs = data["indicators"]
    for spec in specs:
        try:
            placeholders.check(spec.get("filters"))
        except placeholders.UnknownPlaceholder as exc:
            raise placeholders.UnknownPlaceholder(
                f"{spec['code']}: {exc.lookup}", exc.value
            ) from None
    by_code: dict[str, Indicator] = {}
    for order, spec in enumerate(specs):
        ind, _ = Indicator.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "name_en": spec["name_en"],
                "unit_label": spec.get("unit_label", ""),
                "unit_label_en": spec.get("unit_label_en", ""),
                "kind": spec["kind"],
                "source": spec.get("source", ""),
                "measure": spec.get("measure", ""),
                "filters": spec.get("filters") or {},
                "scale": spec.get("scale", 1),
                "description": spec.get("description", ""),
                "description_en": spec.get("description_en", ""),
                "small_cells": spec.get("small_cells", False),
                "order": order,
                "numerator": None,
                "denominator": None,
            },
        )
        by_code[ind.code] = ind
    for spec in specs:
        if spec["kind"] == "ratio":
            ind = by_code[spec["code"]]
            ind.numerator = by_code[spec["numerator"]]
            ind.denominator = by_code[spec["denominator"]]
            ind.save(update_fields=["numerator", "denominator"])
    audit.record(
        actor=actor,
        verb="indicators.load",
        object_type="indicators.indicator",
        changes={"count": [None, len(specs)]},
    )
    return len(specs)


@transaction.atomic
def record_manual_value(
    indicator: Indicator,
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    value: Decimal,
    *,
    actor: Any,
    source_note: str = "",
) -> ManualValue:
    # typed figures reach the dashboard when the report that holds them is approved
    require(actor, "reports.approve", unit=unit)
    row, _ = ManualValue.objects.update_or_create(
        indicator=indicator,
        unit=unit,
        period_start=start,
        period_end=end,
        defaults={
            "value": value,
            "source_note": source_note,
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit.record(
        actor=actor, verb="indicators.manual_value", obj=row, changes={"value": [None, str(value)]}
    )
    return row


@transaction.atomic
def _both(message: Any, **params: Any) -> str:
    texts = bilingual(message, **params)
    return f"{texts['vi']} / {texts['en']}" if texts["vi"] != texts["en"] else texts["en"]


def import_boundaries(
    features: list[dict[str, Any]], *, actor: Any, on: datetime.date, source: str
) -> tuple[int, list[str]]:
    """Attach GeoJSON polygons to units by GSO code (feature property ``code``/``ma``).

    Every feature is checked first; the problems come back in Vietnamese and English (a
    code not valid on ``on`` says so, with the date), and nothing is saved when there is one.
    """
    require(actor, "catalogs.edit")
    problems: list[str] = []
    matched: list[tuple[Unit, dict[str, Any]]] = []
    units = {u.code: u for u in Unit.objects.valid_on(on)}
    day = on.strftime("%d/%m/%Y")
    for i, feature in enumerate(features, 1):
        props = feature.get("properties") or {}
        code = str(props.get("code") or props.get("ma") or props.get("ma_dvhc") or "").strip()
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(
                _both(
                    _("Feature %(n)s: the geometry is %(kind)s, not a polygon."),
                    n=i,
                    kind=str(geometry.get("type") or "—"),
                )
            )
            continue
        if code not in units:
            problems.append(
                _both(
                    _("Feature %(n)s: no unit with code '%(code)s' was valid on %(date)s."),
                    n=i,
                    code=code,
                    date=day,
                )
            )
            continue
        matched.append((units[code], geometry))
    if problems:
        return 0, problems
    for unit, geometry in matched:
        Boundary.objects.update_or_create(
            unit=unit, defaults={"geometry": geometry, "source": source}
        )
    audit.record(
        actor=actor,
        verb="indicators.boundaries",
        object_type="indicators.boundary",
        changes={"count": [None, len(matched)], "source": [None, source]},
    )
    return len(matched), []
