"""Load a province's agencies and their dated roles from ``data/<province>.yaml``."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from pcmd.core import yamldata
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
        data = yamldata.load(fh)
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
        data = yamldata.load(fh)
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
    rows: list[Agency] = []
    for part, unit_level in (("district", UnitLevel.DISTRICT), ("commune", UnitLevel.COMMUNE)):
        if part not in parts:
            continue
        specs = [s for s in data.get(part) or [] if wanted(s)]
        for unit in below.filter(level=unit_level).order_by("code"):
            fmt = {**base, "code": unit.code, "name": unit.name, "short": unit.short_name}
            rows += [
                _row(_format(spec, fmt), level=unit_level, unit=unit, order=order)
                for order, spec in enumerate(specs)
            ]
    return count + _save_rows(rows)


_ROW_FIELDS = [
    "name", "short_name", "kind", "level", "unit", "parent", "valid_from", "valid_to", "order"
]  # fmt: skip
_ROW_VALUES = [f"{f}_id" if f in ("unit", "parent") else f for f in _ROW_FIELDS]


def _row(spec: dict[str, Any], *, level: int, unit: Unit, order: int) -> Agency:
    """An unsaved agency of a district or commune (these have no dated roles)."""
    if spec.get("roles"):
        raise ValueError(f"{spec['code']}: dated roles belong to province-level bodies")
    agency = Agency(
        code=spec["code"],
        name=spec["name"],
        short_name=spec.get("short", ""),
        kind=spec["kind"],
        level=level,
        unit=unit,
        valid_from=spec.get("valid_from"),
        valid_to=spec.get("valid_to", unit.valid_to),
        order=order,
    )
    agency._parent_code = spec.get("parent") or ""  # type: ignore[attr-defined]
    return agency


def _save_rows(rows: list[Agency]) -> int:
    """Write the rows in bulk (a province has up to ~1,200): new codes created, known codes
    updated where they differ. Same result as ``_agency`` row by row, a few queries in all."""
    parents = {
        a.code: a
        for a in Agency.objects.filter(code__in={r._parent_code for r in rows} - {""})  # type: ignore[attr-defined]
    }
    for row in rows:
        row.parent = parents.get(row._parent_code)  # type: ignore[attr-defined]
    known = {a.code: a for a in Agency.objects.filter(code__in=[r.code for r in rows]).order_by()}
    new = [r for r in rows if r.code not in known]
    changed = []
    for row in rows:
        old = known.get(row.code)
        if old is None:
            continue
        values = {f: getattr(row, f) for f in _ROW_VALUES}
        if any(getattr(old, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(old, field, value)
            changed.append(old)
    Agency.objects.bulk_create(new, batch_size=500)
    Agency.objects.bulk_update(changed, _ROW_FIELDS, batch_size=500)
    return len(rows)


def load_province_agencies(province: Unit) -> int:
    """A province's agencies on the map of ``province``: its own list where it has one (on the
    three-tier map), else the template."""
    own = OWN_LISTS.get(province.code)
    if own is None:
        return load_template(province)
    if map_of(province) == MAP_LEGACY:
        return load_agencies(own)
    return load_template(province, parts=("commune",))
