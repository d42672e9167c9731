"""The demo hotspots: a dozen, mostly in Buôn Ma Thuột, one reappearance, some overdue."""

import datetime
import random

import pytest

from pcmd.hotspots import demo
from pcmd.hotspots.models import Hotspot, HotspotStatusChange, Patrol

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return (
        list(
            Hotspot.objects.order_by("pk").values_list(
                "name", "commune__code", "status", "status_since", "next_check_due"
            )
        )
        + list(
            Patrol.objects.order_by("pk").values_list(
                "on",
                "force",
                "agency__code",
                "people_found",
                "people_sanctioned",
                "people_referred",
            )
        )
        + list(HotspotStatusChange.objects.order_by("pk").values_list("status", "on", "reappeared"))
    )


def test_build_is_realistic_and_deterministic() -> None:
    demo.build(random.Random("seed"), 2018)
    first = snapshot()
    assert Hotspot.objects.count() == 12
    assert Hotspot.objects.filter(commune__parent__code="643").count() >= 7
    assert HotspotStatusChange.objects.filter(reappeared=True).count() == 1
    end = datetime.date(2018, 12, 31)
    overdue = Hotspot.objects.overdue(end).count()
    watched = Hotspot.objects.filter(status__in=["cleared", "under_watch"]).count()
    assert 0 < overdue < watched
    assert Patrol.objects.filter(on__year=2018).count() == Patrol.objects.count() > 50
    assert Patrol.objects.filter(hotspot__isnull=True).exists()
    assert not Patrol.objects.filter(agency__isnull=True).exists()
    demo.build(random.Random("other"), 2018)  # rows exist: no-op
    assert snapshot() == first
    Patrol.objects.all().delete()
    HotspotStatusChange.objects.all().delete()
    Hotspot.objects.all().delete()
    demo.build(random.Random("seed"), 2018)
    assert snapshot() == first
