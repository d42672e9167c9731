"""Demo base: one account per persona (``pcmd.core.demo``); the README lists them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from pcmd.agencies.models import Agency
from pcmd.geo.loader import REFORM_DAY
from pcmd.geo.models import Unit, UnitLevel

from . import actions
from .models import User
from .roles import NATIONAL_ROLES, TWO_FACTOR_ROLES, Role


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str
    unit_code: str
    agency_code: str | None
    # The unit of the post-2025 map (valid from 01/07/2025) rather than the 2018 one.
    new_map: bool = False
    # A demo two-factor device even though the role does not require one.
    two_factor: bool = False
    # Read-only assignments (Role.LEADERSHIP) on these units of the 2018 map: the history the
    # persona inherits (the new province's standing office reads the old provinces' records).
    history: tuple[str, ...] = ()


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
    Persona("baovedl", "Cán bộ bảo vệ dữ liệu cá nhân", Role.PRIVACY_OFFICER, "66", None),
    Persona("vks", "Kiểm sát viên VKSND tỉnh", Role.PROCURACY, "66", "VKSND_TINH"),
    Persona("toaan", "Thẩm phán TAND tỉnh", Role.COURT, "66", "TAND_TINH"),
]

# The new Đắk Lắk (old Đắk Lắk + Phú Yên, from 01/07/2025): the standing office is Sở Y tế
# from 01/03/2025 (Decree 42/2025/NĐ-CP), and the People's Committee issues the 2026 plan
# (pcmd.plans.demo_2026). Kept apart from PERSONAS so that the 2018 access matrices (tests that
# walk every persona) stay those of the 2018 map; ``ALL_PERSONAS`` is every demo account.
PERSONAS_2026 = [
    Persona(
        "soyte",
        "Cán bộ Sở Y tế (cơ quan thường trực)",
        Role.STANDING_OFFICE,
        "66",
        "SO_YTE",
        new_map=True,
        history=("66", "54"),
    ),
    Persona(
        "ubnd.tinh",
        "Lãnh đạo UBND tỉnh Đắk Lắk (từ 01/07/2025)",
        Role.LEADERSHIP,
        "66",
        "UBND_TINH",
        new_map=True,
        two_factor=True,
    ),
]
# The Ministry of Health (Decree 42/2025/NĐ-CP): the whole country, approved figures only.
# Its assignment names no unit (Role.MINISTRY is a national role); kept out of the 2018
# access matrices, which tests/national/test_walk.py complements for it.
PERSONAS_NATIONAL = [
    Persona("boyte", "Cán bộ Bộ Y tế", Role.MINISTRY, "", None),
]
ALL_PERSONAS = PERSONAS + PERSONAS_2026 + PERSONAS_NATIONAL


def _unit(code: str, *, new_map: bool) -> Unit:
    return Unit.objects.get(
        code=code,
        valid_from=REFORM_DAY if new_map else None,
        level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE],
    )


def load_base(base: Any) -> None:
    """Each persona's account and role; re-running resets the password."""
    encoded = make_password(base.password)  # one demo password: hashed once (slow by design)
    for persona in ALL_PERSONAS:
        if persona.new_map and not Unit.objects.filter(valid_from=REFORM_DAY).exists():
            continue  # a base without the 2025 map
        unit = (
            None
            if persona.role in NATIONAL_ROLES
            else _unit(persona.unit_code, new_map=persona.new_map)
        )
        agency = Agency.objects.get(code=persona.agency_code) if persona.agency_code else None
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = actions.create_user(
                actor=None,
                username=persona.username,
                password=base.password,
                full_name=persona.full_name,
                check_password=False,
                password_hash=encoded,
            )
        else:
            user.password = encoded
            user.save(update_fields=["password"])
        if not user.assignments.filter(role=persona.role, unit=unit).exists():
            actions.add_assignment(user, actor=None, role=persona.role, unit=unit, agency=agency)
        for code in persona.history:
            old = _unit(code, new_map=False)
            if not user.assignments.filter(role=Role.LEADERSHIP, unit=old).exists():
                actions.add_assignment(
                    user, actor=None, role=Role.LEADERSHIP, unit=old, agency=agency
                )
        if persona.role in TWO_FACTOR_ROLES or persona.two_factor:
            # a fixed, published secret: the demo stays usable (README, ``manage.py demo_otp``)
            actions.install_demo_device(user, actor=None)
        base.accounts.append(persona)
