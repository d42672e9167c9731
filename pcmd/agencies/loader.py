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


# ---- any province from the template (data/template.yaml) -----------------------------------

TEMPLATE_FILE = "template.yaml"
# Provinces with their own list, by GSO code: their codes stay as they are (the demo and the
# registers name them). On the two-tier map only the commune part of the template is added.
OWN_LISTS = {"66": "dak-lak.yaml"}
MAP_2025 = "2025"
MAP_LEGACY = "legacy"
MAPS = (MAP_2025, MAP_LEGACY)


def map_of(province: Unit) -> str:
    """The map a province-level unit belongs to: the two-tier map starts on 01/07/2025."""
    return MAP_LEGACY if province.valid_from is None else MAP_2025


def template_suffix(province: Unit) -> str:
    """The end of every template code in ``province``: "56" (two-tier map), "56L" (three-tier)."""
    return province.code + ("L" if map_of(province) == MAP_LEGACY else "")


def _of(province: Unit) -> tuple[str, str]:
    """("tỉnh Khánh Hòa", "tỉnh"): the province as the tail of a body's name, and its kind."""
    name = province.name
    level = "thành phố" if name.startswith("Thành phố") else "tỉnh"
    rest = name[len(level) :].strip() if name.lower().startswith(level) else name
    return f"{level} {rest}", level


def _format(spec: dict[str, Any], fmt: dict[str, str]) -> dict[str, Any]:
    out = dict(spec)
    for key in ("code", "name", "short", "parent"):
        if out.get(key):
            out[key] = str(out[key]).format(**fmt)
    return out


@transaction.atomic
def load_template(
    province: Unit,
    *,
    parts: tuple[str, ...] = ("province", "district", "commune"),
    file_name: str = TEMPLATE_FILE,
) -> int:
    """The template's bodies for ``province`` (a province-level unit of either map), its
    districts (three-tier map only) and its communes; idempotent (rows keyed by code). Returns
    how many agencies were written."""
    with open(DATA_DIR / file_name, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    on_map = map_of(province)
    of, level = _of(province)
    base = {"p": template_suffix(province), "of": of, "level": level}

    def wanted(spec: dict[str, Any]) -> bool:
        return on_map in [str(m) for m in spec.get("maps", MAPS)]

    count = 0
    if "province" in parts:
        for order, spec in enumerate(s for s in data["province"] if wanted(s)):
            _agency(
                _format(spec, base),
                level=UnitLevel.PROVINCE,
                unit=province,
                order=order,
                default_to=province.valid_to,
            )
            count += 1
    below = Unit.objects.filter(path__startswith=province.path).exclude(pk=province.pk)
    for part, unit_level in (("district", UnitLevel.DISTRICT), ("commune", UnitLevel.COMMUNE)):
        if part not in parts:
            continue
        specs = [s for s in data.get(part) or [] if wanted(s)]
        for unit in below.filter(level=unit_level).order_by("code"):
            fmt = {**base, "code": unit.code, "name": unit.name, "short": unit.short_name}
            for order, spec in enumerate(specs):
                _agency(
                    _format(spec, fmt),
                    level=unit_level,
                    unit=unit,
                    order=order,
                    default_to=unit.valid_to,
                )
                count += 1
    return count


def load_province_agencies(province: Unit) -> int:
    """A province's agencies on the map of ``province``: its own list where it has one (on the
    three-tier map), else the template."""
    own = OWN_LISTS.get(province.code)
    if own is None:
        return load_template(province)
    if map_of(province) == MAP_LEGACY:
        return load_agencies(own)
    return load_template(province, parts=("commune",))
