"""Load administrative units from the PyPI package ``vietnamadminunits`` (MIT).

The package ships two snapshots:

- ``admin_units_legacy``: the three-tier tree in force until 30/06/2025
  (63 provinces, 696 districts, 10,035 communes), *after* the 2023–2025
  commune mergers;
- ``admin_units``: the two-tier tree in force from 01/07/2025 (34 provinces,
  3,321 communes), with ``converter_2025.json`` linking old communes to new.

Units that vanished before the legacy snapshot (for Đắk Lắk the four communes
merged by Resolution 1193/NQ-UBTVQH15) come from ``data/history.yaml`` in this
app, so that a question about 2018 is answered on the whole 2018 map.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from django.db import transaction

from pcmd.core import yamldata

from . import tree
from .models import ChangeKind, Unit, UnitChange, UnitLevel, UnitName, UnitType

# Two-tier local government: Resolution 202/2025/QH15 (provinces, adopted 12/06/2025) and the
# Standing Committee's resolutions of 16/06/2025 on each province's communes; the new units
# operate from 01/07/2025, the day used as the map boundary.
REFORM_DAY = datetime.date(2025, 7, 1)
LEGACY_LAST_DAY = REFORM_DAY - datetime.timedelta(days=1)
REFORM_BASIS = (
    "Nghị quyết 202/2025/QH15 (12/06/2025); nghị quyết của UBTVQH ngày 16/06/2025 về sắp xếp "
    "ĐVHC cấp xã (Đắk Lắk: 1660/NQ-UBTVQH15); chính quyền mới hoạt động từ 01/07/2025"
)
HISTORY_FILE = Path(__file__).with_name("data") / "history.yaml"

_PROVINCE_TYPES = {"Tỉnh": UnitType.PROVINCE, "Thành phố": UnitType.CENTRAL_CITY}
_DISTRICT_TYPES = {
    "Huyện": UnitType.RURAL_DISTRICT,
    "Quận": UnitType.URBAN_DISTRICT,
    "Thị xã": UnitType.TOWN,
    "Thành phố": UnitType.PROVINCIAL_CITY,
}
_COMMUNE_TYPES = {
    "Xã": UnitType.COMMUNE,
    "Phường": UnitType.WARD,
    "Thị trấn": UnitType.TOWNSHIP,
    "Đặc khu": UnitType.SPECIAL_ZONE,
}


class UnknownProvince(ValueError):
    pass


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    links: int = 0
    provinces: list[str] = field(default_factory=list)


def _package_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent


@cache  # once per process: reading the installed package's metadata walks sys.path
def _source(snapshot: str) -> str:
    return f"vietnamadminunits {metadata.version('vietnamadminunits')} ({snapshot})"


def _rows(sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with sqlite3.connect(_package_dir() / "data" / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


def _converter() -> dict[str, Any]:
    with open(_package_dir() / "data" / "converter_2025.json", encoding="utf-8") as fh:
        return json.load(fh)


def _bounds(text: str | None) -> list[float] | None:
    # "lat1,lon1 – lat2,lon2" -> [lat1, lon1, lat2, lon2]
    if not text:
        return None
    try:
        a, b = text.split("–")
        return [float(x) for x in (*a.strip().split(","), *b.strip().split(","))]
    except ValueError:
        return None


def legacy_province_codes() -> list[str]:
    return [
        r["provinceCode"]
        for r in _rows("SELECT DISTINCT provinceCode FROM admin_units_legacy ORDER BY provinceCode")
    ]


def resolve_province(token: str) -> str:
    """A legacy GSO province code from a code ("66") or a name ("Đắk Lắk")."""
    token = token.strip()
    rows = _rows(
        "SELECT DISTINCT provinceCode FROM admin_units_legacy WHERE provinceCode = ? "
        "OR province = ? OR provinceShort = ? OR provinceKey = ? OR provinceShortKey = ?",
        (token.zfill(2) if token.isdecimal() else token, token, token, token, token),
    )
    if not rows:
        raise UnknownProvince(token)
    return str(rows[0]["provinceCode"])


class _Store:
    """Unit rows keyed by (code, level, valid_from) so that loading is idempotent.

    The units and links already in the database are read once per load (two statements, not
    one per row: the national demo loads 14,000 units), and a row is written only when it
    changes."""

    def __init__(self) -> None:
        self.result = LoadResult()
        self._units: dict[tuple[str, int, datetime.date | None], Unit] | None = None
        self._links: dict[tuple[int, int], UnitChange] | None = None

    def _known_units(self) -> dict[tuple[str, int, datetime.date | None], Unit]:
        if self._units is None:
            self._units = {}
            for unit in Unit.objects.all():  # the model's order: the first of a key wins
                self._units.setdefault((unit.code, unit.level, unit.valid_from), unit)
        return self._units

    def upsert(
        self,
        *,
        code: str,
        level: int,
        valid_from: datetime.date | None,
        parent: Unit | None,
        **values: Any,
    ) -> Unit:
        known = self._known_units()
        unit = known.get((code, level, valid_from))
        if unit is None:
            unit = Unit(code=code, level=level, valid_from=valid_from, parent=parent, **values)
            unit.path = "/"
            unit.save()
            unit.set_path()  # the path ends with the unit's own id
            unit.save(update_fields=["path"])
            known[(code, level, valid_from)] = unit
            self.result.created += 1
            return unit
        changed = unit.parent_id != (parent.pk if parent else None) or any(
            getattr(unit, k) != v for k, v in values.items()
        )
        if changed:
            for key, value in values.items():
                setattr(unit, key, value)
            self.result.updated += 1
        path = unit.path
        unit.parent = parent
        unit.set_path()
        if changed or unit.path != path:
            unit.save()
        return unit

    def link(
        self,
        predecessor: Unit,
        successor: Unit,
        *,
        effective: datetime.date,
        kind: str,
        is_main: bool,
        legal_basis: str,
    ) -> None:
        if self._links is None:
            self._links = {(c.predecessor_id, c.successor_id): c for c in UnitChange.objects.all()}
        values = {
            "effective": effective,
            "kind": kind,
            "is_main": is_main,
            "legal_basis": legal_basis,
        }
        change = self._links.get((predecessor.pk, successor.pk))
        if change is None:
            change = UnitChange.objects.create(
                predecessor=predecessor, successor=successor, **values
            )
            self._links[(predecessor.pk, successor.pk)] = change
            self.result.links += 1
        elif any(getattr(change, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(change, key, value)
            change.save()


def _load_legacy(store: _Store, code: str) -> tuple[Unit, dict[str, Unit]]:
    rows = _rows(
        "SELECT * FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode",
        (code,),
    )
    first = rows[0]
    prov_type = first["province"].split(" ")[0]
    province = store.upsert(
        code=code,
        level=UnitLevel.PROVINCE,
        valid_from=None,
        parent=None,
        name=first["province"],
        short_name=first["provinceShort"],
        unit_type=_PROVINCE_TYPES.get(prov_type, UnitType.PROVINCE)
        if prov_type != "Thành"
        else UnitType.CENTRAL_CITY,
        valid_to=LEGACY_LAST_DAY,
        lat=first["provinceLat"],
        lon=first["provinceLon"],
        bounds=_bounds(first["provinceBounds"]),
        source=_source("legacy"),
    )
    districts: dict[str, Unit] = {}
    by_key: dict[str, Unit] = {}
    for row in rows:
        dcode = row["districtCode"]
        if dcode not in districts:
            districts[dcode] = store.upsert(
                code=dcode,
                level=UnitLevel.DISTRICT,
                valid_from=None,
                parent=province,
                name=row["district"],
                short_name=row["districtShort"],
                unit_type=_DISTRICT_TYPES.get(row["districtType"], UnitType.RURAL_DISTRICT),
                valid_to=LEGACY_LAST_DAY,
                lat=row["districtLat"],
                lon=row["districtLon"],
                bounds=_bounds(row["districtBounds"]),
                source=_source("legacy"),
            )
        if not row["wardCode"]:
            continue  # an island district without communes (e.g. Hoàng Sa, Trường Sa)
        ward = store.upsert(
            code=row["wardCode"],
            level=UnitLevel.COMMUNE,
            valid_from=None,
            parent=districts[dcode],
            name=row["ward"],
            short_name=row["wardShort"],
            unit_type=_COMMUNE_TYPES.get(row["wardType"], UnitType.COMMUNE),
            valid_to=LEGACY_LAST_DAY,
            lat=row["wardLat"],
            lon=row["wardLon"],
            bounds=_bounds(row["wardBounds"]),
            source=_source("legacy"),
        )
        by_key[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = ward
    _load_history(store, code, province)
    return province, by_key


def _load_history(store: _Store, code: str, province: Unit) -> None:
    """Units that vanished before the legacy snapshot, and renames (data/history.yaml)."""
    with open(HISTORY_FILE, encoding="utf-8") as fh:
        history = yamldata.load(fh) or []
    for event in history:
        if str(event["province_code"]) != code:
            continue
        effective: datetime.date = event["effective"]
        basis = event["legal_basis"]
        for item in event.get("vanished", []):
            district = Unit.objects.get(
                code=item["district_code"], level=UnitLevel.DISTRICT, parent=province
            )
            successors = [
                (
                    Unit.objects.get(
                        code=succ["code"],
                        level=UnitLevel.COMMUNE,
                        parent__parent=province,
                        valid_from=None,
                    ),
                    succ["main"],
                )
                for succ in item["successors"]
            ]
            main = next(unit for unit, is_main in successors if is_main)
            item_basis = item.get("legal_basis", basis)
            unit = store.upsert(
                code=item["code"],
                level=UnitLevel.COMMUNE,
                valid_from=None,
                parent=district,
                name=item["name"],
                short_name=item["name"].split(" ", 1)[1],
                unit_type=item["type"],
                valid_to=effective - datetime.timedelta(days=1),
                lat=main.lat,
                lon=main.lon,
                bounds=None,
                source=basis,
            )
            for successor, is_main in successors:
                store.link(
                    unit,
                    successor,
                    effective=effective,
                    kind=ChangeKind.MERGE if len(successors) == 1 else ChangeKind.SPLIT,
                    is_main=is_main,
                    legal_basis=item_basis,
                )
        for item in event.get("renamed", []):
            unit = Unit.objects.get(
                code=item["code"], level=UnitLevel.COMMUNE, parent__parent=province, valid_from=None
            )
            UnitName.objects.update_or_create(
                unit=unit,
                name=item["old_name"],
                defaults={
                    "valid_from": None,
                    "valid_to": effective - datetime.timedelta(days=1),
                    "legal_basis": item.get("legal_basis", basis),
                },
            )


def _load_new(store: _Store, legacy_code: str, old_by_key: dict[str, Unit]) -> Unit | None:
    conv = _converter()
    legacy_key = _rows(
        "SELECT DISTINCT provinceKey FROM admin_units_legacy WHERE provinceCode=?", (legacy_code,)
    )[0]["provinceKey"]
    new_key = next((k for k, olds in conv["DICT_PROVINCE"].items() if legacy_key in olds), None)
    if new_key is None:
        return None
    rows = _rows("SELECT * FROM admin_units WHERE provinceKey = ? ORDER BY wardCode", (new_key,))
    first = rows[0]
    province = store.upsert(
        code=first["provinceCode"],
        level=UnitLevel.PROVINCE,
        valid_from=REFORM_DAY,
        parent=None,
        name=first["province"],
        short_name=first["provinceShort"],
        unit_type=UnitType.CENTRAL_CITY
        if first["province"].startswith("Thành phố")
        else UnitType.PROVINCE,
        valid_to=None,
        lat=first["provinceLat"],
        lon=first["provinceLon"],
        bounds=None,
        source=_source("2025"),
    )
    new_by_key: dict[str, Unit] = {}
    for row in rows:
        new_by_key[row["wardKey"]] = store.upsert(
            code=row["wardCode"],
            level=UnitLevel.COMMUNE,
            valid_from=REFORM_DAY,
            parent=province,
            name=row["ward"],
            short_name=row["wardShort"],
            unit_type=_COMMUNE_TYPES.get(row["wardType"], UnitType.COMMUNE),
            valid_to=None,
            lat=row["wardLat"],
            lon=row["wardLon"],
            bounds=None,
            source=_source("2025"),
        )
    whole = conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {})
    for ward_key, old_keys in whole.items():
        for old_key in old_keys:
            if old_key in old_by_key and ward_key in new_by_key:
                store.link(
                    old_by_key[old_key],
                    new_by_key[ward_key],
                    effective=REFORM_DAY,
                    kind=ChangeKind.MERGE if len(old_keys) > 1 else ChangeKind.REORGANISE,
                    is_main=True,
                    legal_basis=REFORM_BASIS,
                )
    divided = conv["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {})
    for old_key, parts in divided.items():
        for part in parts:
            if old_key in old_by_key and part["newWardKey"] in new_by_key:
                store.link(
                    old_by_key[old_key],
                    new_by_key[part["newWardKey"]],
                    effective=REFORM_DAY,
                    kind=ChangeKind.SPLIT,
                    is_main=bool(part["isDefaultNewWard"]),
                    legal_basis=REFORM_BASIS,
                )
    return province


def load_provinces(tokens: list[str]) -> LoadResult:
    """Load the old (to 30/06/2025) and new (from 01/07/2025) trees of the given provinces.

    Old provinces merged into the same new province are loaded together so that every
    new commune is linked to all of its predecessors.
    """
    store = _Store()
    codes = [resolve_province(t) for t in tokens]
    conv = _converter()
    keys = {
        r["provinceCode"]: r["provinceKey"]
        for r in _rows("SELECT DISTINCT provinceCode, provinceKey FROM admin_units_legacy")
    }
    code_by_key = {v: k for k, v in keys.items()}
    wanted: list[str] = []
    for code in codes:
        partners = next(
            (olds for olds in conv["DICT_PROVINCE"].values() if keys[code] in olds), [keys[code]]
        )
        for key in partners:
            if code_by_key[key] not in wanted:
                wanted.append(code_by_key[key])
    # One token write for the whole load (pcmd.geo.tree), committed with the units.
    with transaction.atomic(), tree.deferred():
        merged_keys: dict[str, Unit] = {}
        groups: dict[str, list[str]] = defaultdict(list)
        for code in wanted:
            province, by_key = _load_legacy(store, code)
            merged_keys.update(by_key)
            store.result.provinces.append(province.name)
            new_key = next(
                (k for k, olds in conv["DICT_PROVINCE"].items() if keys[code] in olds), ""
            )
            groups[new_key].append(code)
        for codes_in_group in groups.values():
            new_province = _load_new(store, codes_in_group[0], merged_keys)
            if new_province is None:
                continue
            for old_code in codes_in_group:
                old = Unit.objects.get(code=old_code, level=UnitLevel.PROVINCE, valid_from=None)
                store.link(
                    old,
                    new_province,
                    effective=REFORM_DAY,
                    kind=ChangeKind.MERGE if len(codes_in_group) > 1 else ChangeKind.REORGANISE,
                    is_main=True,
                    legal_basis="Nghị quyết 202/2025/QH15",
                )
    return store.result
