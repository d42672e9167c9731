"""Builders for inspection and enforcement tests: rows in code, not pk fixtures.

Establishments and hotspots belong to the registry and hotspots apps; until their demo is
loaded in the test base, tests build the few they need here.
"""

from __future__ import annotations

import datetime
from typing import Any

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.inspections import actions
from pcmd.inspections.models import FindingItem, RiskWeights, Team, TeamMember
from pcmd.registry.models import Establishment, EstablishmentKind, EstablishmentStatus

TAN_LAP = "24118"  # Phường Tân Lập, TP Buôn Ma Thuột (643): xa.tanlap
EA_SO = "24379"  # Xã Ea Sô, huyện Ea Kar (651): xa.easo
BMT = "643"
EA_KAR = "651"


def unit(code: str) -> Unit:
    """The 2018 unit with this code (old units have valid_from=None)."""
    return Unit.objects.filter(code=code, valid_from=None).order_by("level").first()


def province() -> Unit:
    return Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)


def other_commune_in(district_code: str, *exclude: str) -> Unit:
    return (
        Unit.objects.filter(
            parent__code=district_code,
            parent__valid_from=None,
            level=UnitLevel.COMMUNE,
            valid_from=None,
        )
        .exclude(code__in=exclude)
        .order_by("code")
        .first()
    )


def kind(code: str = "test-karaoke", risk_weight: int = 4) -> EstablishmentKind:
    obj, _ = EstablishmentKind.objects.get_or_create(
        code=code, defaults={"name": f"Loại {code}", "name_en": code, "risk_weight": risk_weight}
    )
    if obj.risk_weight != risk_weight:
        obj.risk_weight = risk_weight
        obj.save(update_fields=["risk_weight"])
    return obj


_counter = {"n": 0}


def establishment(
    commune: Unit | str = TAN_LAP,
    *,
    name: str | None = None,
    kind_obj: EstablishmentKind | None = None,
    lat: float | None = None,
    lon: float | None = None,
    status: str = EstablishmentStatus.OPEN,
) -> Establishment:
    if isinstance(commune, str):
        commune = unit(commune)
    _counter["n"] += 1
    return Establishment.objects.create(
        name=name or f"Karaoke Thử Nghiệm {_counter['n']}",
        kind=kind_obj or kind(),
        address=f"{_counter['n']} Lê Duẩn",
        commune=commune,
        lat=lat,
        lon=lon,
        status=status,
    )


def team(
    unit_obj: Unit | str, *, name: str | None = None, lead: str | None = None, members: int = 3
) -> Team:
    if isinstance(unit_obj, str):
        unit_obj = unit(unit_obj)
    lead_agency = (
        Agency.objects.get(code=lead)
        if lead
        else (
            Agency.objects.filter(unit=unit_obj).order_by("order", "code").first()
            or Agency.objects.get(code="SO_LDTBXH")
        )
    )
    obj = actions.create_team(
        actor=None, name=name or f"Đội 178 {unit_obj.name}", unit=unit_obj, lead_agency=lead_agency
    )
    for i in range(members):
        actions.add_member(
            obj,
            actor=None,
            agency=lead_agency,
            person_name=f"Thành viên {i}",
            position="Chuyên viên",
        )
    return obj


def members(team_obj: Team) -> list[TeamMember]:
    return list(team_obj.members.order_by("pk"))


def items() -> list[FindingItem]:
    return list(FindingItem.objects.filter(is_active=True).order_by("order"))


def inspection(
    team_obj: Team,
    est: Establishment,
    *,
    on: datetime.date | None = None,
    result: str = "no_violation",
    **kwargs: Any,
) -> Any:
    return actions.record_inspection(
        actor=None,
        team=team_obj,
        establishment=est,
        date=on or datetime.date(2018, 6, 1),
        result=result,
        **kwargs,
    )


def weights(**values: Any) -> RiskWeights:
    obj = RiskWeights.objects.filter(is_active=True).first() or RiskWeights.objects.create(
        name="test"
    )
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def hotspot(
    commune: Unit | str,
    *,
    name: str = "Tụ điểm thử",
    lat: float | None = None,
    lon: float | None = None,
    first_seen: datetime.date = datetime.date(2017, 1, 1),
    history: list[tuple[str, datetime.date]] | None = None,
) -> Any:
    from pcmd.hotspots.models import Hotspot, HotspotStatusChange

    if isinstance(commune, str):
        commune = unit(commune)
    history = history or [("active", first_seen)]
    spot = Hotspot.objects.create(
        name=name,
        kind="street",
        location="Đường thử",
        commune=commune,
        lat=lat,
        lon=lon,
        first_seen=first_seen,
        status=history[-1][0],
        status_since=history[-1][1],
    )
    for status, on in history:
        HotspotStatusChange.objects.create(hotspot=spot, status=status, on=on)
    return spot


def ensure_catalogs() -> None:
    """Re-run the seed migrations' data steps (a transactional test flushes seeded rows)."""
    import importlib

    from django.apps import apps

    for module in [
        "pcmd.inspections.migrations.0002_seed_catalogs",
        "pcmd.enforcement.migrations.0003_seed_violation_types",
    ]:
        importlib.import_module(module).seed(apps, None)
