"""The demo: every commune for 2017 and 2018, key communes that improve; deterministic."""

import random

import pytest
from django.db.models import Count

from pcmd.communes import demo
from pcmd.communes.models import Assessment, Score

pytestmark = pytest.mark.django_db


def _digest() -> list[tuple]:
    return list(
        Assessment.objects.order_by("commune__code", "year").values_list(
            "commune__code", "year", "status", "total", "result_class__code"
        )
    )


def test_demo_is_realistic_and_deterministic() -> None:
    demo.build(random.Random("1842-communes-2018"), 2018)
    by_year = dict(Assessment.objects.values_list("year").annotate(n=Count("id")))
    assert by_year == {2017: 184, 2018: 184}
    kinds = Assessment.objects.filter(year=2018).values_list("result_class__kind", flat=True)
    assert list(kinds).count("key") == 0
    assert 168 <= list(kinds).count("healthy") <= 174
    key_2017 = Assessment.objects.filter(year=2017, result_class__kind="key")
    assert 3 <= key_2017.count() <= 6
    assert key_2017.filter(commune__parent__code="643").count() > key_2017.count() / 2
    assert Assessment.objects.filter(year=2018, status="confirmed").count() >= 160
    assert Assessment.objects.get(year=2018, commune__code="24118").status == "draft"
    first = _digest()
    demo.build(random.Random("other"), 2018)  # no-op when rows exist
    assert _digest() == first
    Score.objects.all().delete()
    Assessment.objects.all().delete()
    demo.build(random.Random("1842-communes-2018"), 2018)
    assert _digest() == first
