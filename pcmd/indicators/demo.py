"""Demo base: the declared indicators (``pcmd.core.demo``)."""

from __future__ import annotations

from typing import Any

from .actions import load_indicators


def load_base(base: Any) -> None:
    load_indicators(actor=None)
