"""Support demo: counts for the two halves of 2018 in the busiest communes; deterministic."""

import datetime
import random

import pytest

from pcmd.core.demo import SEED
from pcmd.outreach import demo as outreach_demo
from pcmd.support import demo
from pcmd.support.models import SupportCount

pytestmark = pytest.mark.django_db


def build() -> None:
    outreach_demo.build(random.Random(f"{SEED}-outreach-2018"), 2018)
    demo.build(random.Random(f"{SEED}-support-2018"), 2018)


def rows() -> list:
    return sorted(
        SupportCount.objects.values_list(
            "commune__code",
            "period_start",
            "period_end",
            "vocational_training",
            "employment",
            "loans",
            "health_services",
            "legal_aid",
            "other_support",
        )
    )


def test_two_halves_in_the_busiest_communes() -> None:
    build()
    data = rows()
    communes = {r[0] for r in data}
    assert len(communes) == demo.COMMUNES and len(data) == 2 * demo.COMMUNES
    assert {(r[1], r[2]) for r in data} == {
        (datetime.date(2018, 1, 1), datetime.date(2018, 6, 30)),
        (datetime.date(2018, 7, 1), datetime.date(2018, 12, 31)),
    }
    assert all(0 <= n <= 10 for r in data for n in r[3:])
    first = data
    demo.build(random.Random("other seed"), 2018)  # no-op: rows exist
    assert rows() == first
    SupportCount.objects.all().delete()
    demo.build(random.Random(f"{SEED}-support-2018"), 2018)
    assert rows() == first
