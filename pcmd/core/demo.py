"""The Đắk Lắk 2018 demo: the base (units, agencies, plan 1842/KH-UBND, indicators, one
account per persona) and a year of registers.

Core does not import the apps: each app provides its part and ``settings.PCMD_DEMO_BASE`` /
``settings.PCMD_DEMO_REGISTERS`` list them in order (later parts refer to earlier ones).
- A base step is ``load_base(base: DemoBase) -> None``.
- A register step is ``build(rng: random.Random, year: int) -> None``: deterministic,
  realistic for Đắk Lắk 2018, and a no-op when the app already has rows.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

PROVINCE = "66"
DEMO_YEAR = 2018
SEED = 1842


@dataclass
class DemoBase:
    """What the base steps share: the province, the demo password, and the accounts made."""

    password: str
    province: str = PROVINCE
    accounts: list[Any] = field(default_factory=list)  # filled by the accounts step


def _app_of(path: str) -> str:
    return path.split(".")[1]


def load_registers(year: int = DEMO_YEAR) -> list[str]:
    built = []
    for path in settings.PCMD_DEMO_REGISTERS:
        app = _app_of(path)
        import_string(path)(random.Random(f"{SEED}-{app}-{year}"), year)
        built.append(app)
    return built


def generate_password() -> str:
    return "Pcmd-" + secrets.token_urlsafe(9)


@transaction.atomic
def load_demo(password: str, *, registers: bool = True) -> list[Any]:
    """Idempotent: re-running updates the data and resets the demo passwords. Returns the
    demo accounts (personas).

    ``registers=False`` loads only the base (the test base).
    """
    base = DemoBase(password)
    for path in settings.PCMD_DEMO_BASE:
        import_string(path)(base)
    if registers:
        load_registers()
    return base.accounts
