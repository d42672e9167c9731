"""Demo base: plan 1842/KH-UBND of 12 March 2018 (``pcmd.core.demo``)."""

from __future__ import annotations

from typing import Any

from .actions import DATA_DIR, import_plan


def load_base(base: Any) -> None:
    import_plan(DATA_DIR / "kh-1842-2018.yaml", actor=None)
