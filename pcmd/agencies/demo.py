"""Demo base: the agencies of Đắk Lắk (``pcmd.core.demo``)."""

from __future__ import annotations

from typing import Any

from .actions import load_agencies


def load_base(base: Any) -> None:
    load_agencies("dak-lak.yaml", actor=None)
