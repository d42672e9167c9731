"""Licence expiry: a lapsed licence that a later one of its kind replaces is not expired."""

import datetime

import pytest

from pcmd.registry import actions
from pcmd.registry.filters import (
    EXPIRED,
    EXPIRING,
    RENEWED,
    VALID,
    licence_state_q,
    licence_states,
)
from pcmd.registry.models import Establishment, LicenceKind
from pcmd.registry.normalise import normalise

from .conftest import TAN_LAP

pytestmark = pytest.mark.django_db
D = datetime.date


def test_normalise() -> None:
    assert normalise("  Karaoke HOÀNG-Gia,  Đường Lê Duẩn ") == "karaoke hoang gia duong le duan"
    assert normalise(None) == ""


def _matching(state: str, on: datetime.date, days: int = 90) -> set[str]:
    return set(
        Establishment.objects.filter(licence_state_q(state, on, days)).values_list(
            "name", flat=True
        )
    )


def test_expired_expiring_and_renewed(make_est) -> None:
    lapsed = make_est(TAN_LAP, name="Lapsed")
    renewed = make_est(TAN_LAP, name="Renewed")
    soon = make_est(TAN_LAP, name="Soon")
    endless = make_est(TAN_LAP, name="Endless")
    add = actions.add_licence
    add(
        lapsed,
        actor=None,
        kind=LicenceKind.HEALTH,
        number="1",
        issued_on=D(2013, 1, 1),
        expires_on=D(2018, 1, 1),
    )
    add(
        renewed,
        actor=None,
        kind=LicenceKind.CULTURE,
        number="2",
        issued_on=D(2013, 1, 1),
        expires_on=D(2018, 1, 1),
    )
    add(
        renewed,
        actor=None,
        kind=LicenceKind.CULTURE,
        number="3",
        issued_on=D(2017, 12, 20),
        expires_on=D(2022, 12, 20),
    )
    add(
        soon,
        actor=None,
        kind=LicenceKind.CULTURE,
        number="4",
        issued_on=D(2013, 1, 1),
        expires_on=D(2018, 4, 1),
    )
    add(endless, actor=None, kind=LicenceKind.BUSINESS, number="5", issued_on=D(2013, 1, 1))
    on = D(2018, 3, 1)
    assert _matching(EXPIRED, on) == {"Lapsed"}
    assert _matching(EXPIRING, on, 60) == {"Soon"}
    assert _matching(EXPIRING, on, 10) == set()
    # a renewal issued after the date does not count yet
    assert _matching(EXPIRED, D(2017, 12, 10)) == set()
    assert _matching(EXPIRING, D(2017, 12, 10), 30) == {"Lapsed", "Renewed"}
    states = licence_states(renewed.licences.all(), on)
    assert sorted(states.values()) == [RENEWED, VALID]
    assert list(licence_states(lapsed.licences.all(), on).values()) == [EXPIRED]
    assert list(licence_states(soon.licences.all(), on, 60).values()) == [EXPIRING]
