"""A case in Tân Lập (Buôn Ma Thuột) to build on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from pcmd.agencies.models import Agency
from pcmd.cases import actions
from pcmd.cases.models import Case, Offence
from pcmd.geo.models import Unit

D = datetime.date


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level=3)


@pytest.fixture
def police(persona: Any) -> Any:
    return persona("congan")


@pytest.fixture
def case(db: Any, police: Any) -> Case:
    return actions.create_case(
        police,
        values={
            "title": "Chứa mại dâm tại quán karaoke",
            "commune": commune("24118"),
            "detected_on": D(2018, 3, 5),
            "detected_by": Agency.objects.get(code="CONG_AN_TINH"),
            "origin": "inspection",
        },
        links={"offences": Offence.objects.filter(code="327.1")},
    )
