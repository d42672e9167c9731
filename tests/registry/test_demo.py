"""The demo registry: about a thousand establishments, deterministic, Buôn Ma Thuột first."""

import random

import pytest
from django.db.models import Count

from pcmd.registry import demo
from pcmd.registry.models import Establishment, Licence, StaffCount

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return (
        list(
            Establishment.objects.order_by("pk").values_list(
                "name",
                "address",
                "commune__code",
                "kind__code",
                "registration_no",
                "status",
                "opened_on",
                "lat",
            )
        )
        + list(Licence.objects.order_by("pk").values_list("kind", "number", "expires_on"))
        + list(StaffCount.objects.order_by("pk").values_list("as_of", "staff", "female_staff"))
    )


def test_build_is_realistic_deterministic_and_idempotent() -> None:
    demo.build(random.Random("seed"), 2018)
    first = snapshot()
    assert Establishment.objects.count() == demo.TOTAL
    by_district = dict(
        Establishment.objects.values_list("commune__parent__code").annotate(n=Count("id"))
    )
    assert len(by_district) == 15
    assert 0.35 < by_district["643"] / demo.TOTAL < 0.48
    assert max(by_district, key=by_district.get) == "643"
    assert Establishment.objects.filter(commune__valid_to__lt="2018-01-01").count() == 0
    assert StaffCount.objects.count() > demo.TOTAL
    assert Licence.objects.filter(expires_on__year__in=[2018, 2019]).exists()
    keys = Establishment.objects.values_list("commune_id", "dedup_key")
    assert len(set(keys)) == len(keys)
    demo.build(random.Random("other"), 2018)  # rows exist: no-op
    assert snapshot() == first
    Licence.objects.all().delete()
    StaffCount.objects.all().delete()
    Establishment.objects.all().delete()
    demo.build(random.Random("seed"), 2018)
    assert snapshot() == first
