"""Builders for hotspot tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots import actions
from pcmd.hotspots.models import Hotspot, HotspotKind

D = datetime.date
MAP_2018 = D(2018, 3, 12)
TAN_LAP, TAN_HOA, EA_SO = "24118", "24121", "24379"


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.COMMUNE, valid_from=None)


@pytest.fixture
def make_hotspot(db: Any) -> Callable[..., Hotspot]:
    counter = iter(range(1, 10_000))

    def make(code: str = TAN_LAP, *, name: str | None = None, **values: Any) -> Hotspot:
        n = next(counter)
        values.setdefault("first_seen", D(2017, 6, 1))
        return actions.create_hotspot(
            actor=None,
            name=name or f"Đoạn đường thử {n}",
            kind=HotspotKind.STREET,
            location="Vỉa hè",
            commune=commune(code),
            on=MAP_2018,
            **values,
        )

    return make
