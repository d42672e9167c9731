"""Load a province's agencies and their dated roles from ``data/<province>.yaml``."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from pcmd.geo.models import Unit, UnitLevel

from .models import Agency, AgencyRole

DATA_DIR = Path(__file__).with_name("data")


def _agency(
    spec: dict[str, Any],
    *,
    level: int,
    unit: Unit,
    order: int,
    fmt: dict[str, str] | None = None,
    default_to: datetime.date | None = None,
) -> Agency:
    fmt = fmt or {}
    parent = Agency.objects.filter(code=spec["parent"]).first() if spec.get("parent") else None
    agency, _ = Agency.objects.update_or_create(
        code=spec["code"].format(**fmt),
        defaults={
            "name": spec["name"].format(**fmt),
            "short_name": spec.get("short", "").format(**fmt),
            "kind": spec["kind"],
            "level": level,
            "unit": unit,
            "parent": parent,
            "valid_from": spec.get("valid_from"),
            "valid_to": spec.get("valid_to", default_to),
            "order": order,
        },
    )
    for role in spec.get("roles", []):
        AgencyRole.objects.update_or_create(
            agency=agency,
            role=role["role"],
            valid_from=role.get("valid_from"),
            defaults={"valid_to": role.get("valid_to"), "legal_basis": role.get("legal_basis", "")},
        )
    return agency


@transaction.atomic
def load_agencies(file_name: str = "dak-lak.yaml") -> int:
    with open(DATA_DIR / file_name, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    province = Unit.objects.get(
        code=data["province_code"], level=UnitLevel.PROVINCE, valid_from=None
    )
    count = 0
    for order, spec in enumerate(data["province"]):
        _agency(spec, level=UnitLevel.PROVINCE, unit=province, order=order)
        count += 1
    for district in Unit.objects.filter(parent=province).order_by("code"):
        fmt = {"code": district.code, "name": district.name, "short": district.name}
        for order, spec in enumerate(data["district"]):
            _agency(
                spec,
                level=UnitLevel.DISTRICT,
                unit=district,
                order=order,
                fmt=fmt,
                default_to=district.valid_to,
            )
            count += 1
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE, path__startswith=province.path)
    for commune in communes.order_by("code"):
        fmt = {"code": commune.code, "name": commune.name, "short": commune.name}
        for order, spec in enumerate(data["commune"]):
            _agency(
                spec,
                level=UnitLevel.COMMUNE,
                unit=commune,
                order=order,
                fmt=fmt,
                default_to=commune.valid_to,
            )
            count += 1
    return count
