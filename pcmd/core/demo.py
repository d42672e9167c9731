"""The Đắk Lắk 2018 demo: units, agencies, plan 1842/KH-UBND and one account per persona."""

from __future__ import annotations

import importlib
import importlib.util
import random
import secrets
from dataclasses import dataclass

from django.db import transaction

from pcmd.accounts import actions as account_actions
from pcmd.accounts.models import User
from pcmd.accounts.roles import Role
from pcmd.agencies.actions import load_agencies
from pcmd.agencies.models import Agency
from pcmd.geo.actions import load_units
from pcmd.geo.models import Unit, UnitLevel
from pcmd.indicators.actions import load_indicators
from pcmd.plans.actions import DATA_DIR, import_plan


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str
    unit_code: str
    agency_code: str | None


# Usernames are stable: the README lists them.
PERSONAS = [
    Persona("admin", "Quản trị hệ thống", Role.ADMINISTRATOR, "66", None),
    Persona("thuongtruc", "Cán bộ Sở LĐ-TB&XH", Role.STANDING_OFFICE, "66", "SO_LDTBXH"),
    Persona("lanhdao", "Lãnh đạo UBND tỉnh", Role.LEADERSHIP, "66", "UBND_TINH"),
    Persona("congan", "Cán bộ Công an tỉnh", Role.POLICE, "66", "CONG_AN_TINH"),
    Persona("doi178", "Thành viên Đội 178 tỉnh", Role.TEAM_178, "66", "DOI_178_TINH"),
    Persona("sovhttdl", "Cán bộ Sở VH-TT&DL", Role.AGENCY_OFFICER, "66", "SO_VHTTDL"),
    Persona("huyen.bmt", "Cán bộ TP Buôn Ma Thuột", Role.DISTRICT_OFFICER, "643", "UBND_H643"),
    Persona(
        "ctxh.bmt",
        "Cán bộ công tác xã hội TP Buôn Ma Thuột",
        Role.SOCIAL_WORKER,
        "643",
        "LDTBXH_H643",
    ),
    Persona(
        "xa.tanlap",
        "Cán bộ Phường Tân Lập (TP Buôn Ma Thuột)",
        Role.COMMUNE_OFFICER,
        "24118",
        "UBND_X24118",
    ),
    Persona(
        "xa.easo", "Cán bộ Xã Ea Sô (huyện Ea Kar)", Role.COMMUNE_OFFICER, "24379", "UBND_X24379"
    ),
]

PROVINCE = "66"
DEMO_YEAR = 2018
SEED = 1842

# Each app with a ``demo.py`` exposes ``build(rng: random.Random, year: int) -> None`` that
# fills a realistic, deterministic year for Đắk Lắk and does nothing when its rows exist.
# Order matters: later registers refer to earlier ones.
REGISTER_DEMOS = [
    "registry",
    "hotspots",
    "inspections",
    "enforcement",
    "outreach",
    "communes",
    "taskreports",
    "budget",
    "support",
    "reporting",
]


def load_registers(year: int = DEMO_YEAR) -> list[str]:
    built = []
    for app in REGISTER_DEMOS:
        if importlib.util.find_spec(f"pcmd.{app}.demo") is None:
            continue
        module = importlib.import_module(f"pcmd.{app}.demo")
        module.build(random.Random(f"{SEED}-{app}-{year}"), year)
        built.append(app)
    return built


def generate_password() -> str:
    return "Pcmd-" + secrets.token_urlsafe(9)


@transaction.atomic
def load_demo(password: str, *, registers: bool = True) -> list[Persona]:
    """Idempotent: re-running updates the data and resets the demo passwords.

    ``registers=False`` loads only units, agencies, the plan and the personas (the test base).
    """
    load_units([PROVINCE], actor=None)
    load_agencies("dak-lak.yaml", actor=None)
    import_plan(DATA_DIR / "kh-1842-2018.yaml", actor=None)
    load_indicators(actor=None)
    for persona in PERSONAS:
        unit = Unit.objects.get(
            code=persona.unit_code,
            valid_from=None,
            level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE],
        )
        agency = Agency.objects.get(code=persona.agency_code) if persona.agency_code else None
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = account_actions.create_user(
                actor=None,
                username=persona.username,
                password=password,
                full_name=persona.full_name,
                check_password=False,
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        if not user.assignments.filter(role=persona.role, unit=unit).exists():
            account_actions.add_assignment(
                user, actor=None, role=persona.role, unit=unit, agency=agency
            )
    if registers:
        load_registers()
    return PERSONAS
