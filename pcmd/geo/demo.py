"""Demo base: the demo province's units (``pcmd.core.demo``)."""

from __future__ import annotations

from typing import Any

from .actions import load_units


def load_base(base: Any) -> None:
    load_units([base.province], actor=None)
