"""Engine values against hand-counted expectations, as was and as is across the merges."""

import datetime as dt

import pytest

from pcmd.core.periods import month_period, parse_period
from pcmd.geo.models import Unit
from pcmd.hotspots.models import Patrol
from pcmd.indicators.engine import AS_IS, EngineError, evaluate, evaluate_many
from pcmd.indicators.models import Indicator
from pcmd.registry.models import Establishment, EstablishmentKind

pytestmark = pytest.mark.django_db

Y2018 = parse_period("2018")


def old(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def patrol(commune: str, on: dt.date, found: int = 0) -> Patrol:
    return Patrol.objects.create(on=on, force="CSTT", commune=old(commune), people_found=found)


def test_commune_counts_by_district() -> None:
    province = old("66")
    result = evaluate(ind("communes"), province, Y2018, by="unit")
    assert result.total == 184
    assert len(result.values) == 15
    bmt = old("643")
    expected = Unit.objects.valid_on(dt.date(2018, 12, 31)).filter(parent=bmt).count()
    assert result.values[bmt.pk] == expected
    assert evaluate(ind("communes"), province, parse_period("2025-H1")).total == 180


def test_as_is_maps_the_2018_communes_onto_today() -> None:
    result = evaluate(
        ind("communes"), old("66"), Y2018, by="unit", mapping=AS_IS, as_is_on=dt.date(2026, 1, 1)
    )
    new = Unit.objects.get(code="66", valid_from=dt.date(2025, 7, 1))
    assert result.root == new
    assert len(result.values) == 102  # new Đắk Lắk's communes, Phú Yên's included
    assert result.total == 184
    assert sum(result.values.values()) == 184


def test_patrols_as_was_and_as_is_across_the_2024_merge() -> None:
    # Thống Nhất (24127) vanished on 01/11/2024 into Tân Tiến (24145), both in Buôn Ma Thuột.
    patrol("24127", dt.date(2018, 3, 1), found=3)
    patrol("24127", dt.date(2018, 3, 20), found=2)
    patrol("24145", dt.date(2018, 5, 5), found=1)
    patrol("24379", dt.date(2018, 5, 6), found=4)  # Ea Sô, Ea Kar
    patrol("24379", dt.date(2019, 1, 2), found=9)  # outside 2018
    province = old("66")
    by_district = evaluate(ind("patrols"), province, Y2018, by="unit")
    assert by_district.total == 4
    assert by_district.values[old("643").pk] == 3
    assert by_district.values[old("651").pk] == 1
    found = evaluate(ind("people_found_patrols"), old("643"), Y2018, by="commune")
    assert found.values[old("24127").pk] == 5 and found.values[old("24145").pk] == 1
    # as is on 2025-01-01 (old map, after the merge): Thống Nhất's patrols count for Tân Tiến
    as_2025 = evaluate(
        ind("people_found_patrols"),
        old("643"),
        Y2018,
        by="commune",
        mapping=AS_IS,
        as_is_on=dt.date(2025, 1, 1),
    )
    assert old("24127").pk not in as_2025.values
    assert as_2025.values[old("24145").pk] == 6
    # as is today: both land in the new commune that took over Tân Tiến
    today = evaluate(
        ind("people_found_patrols"),
        province,
        Y2018,
        by="unit",
        mapping=AS_IS,
        as_is_on=dt.date(2026, 1, 1),
    )
    tan_tien_now = old("24145").successors().get()
    assert today.values[tan_tien_now.pk] >= 6
    assert today.total == 10


def test_month_trend_and_agency_breakdown() -> None:
    patrol("24118", dt.date(2018, 1, 10))
    patrol("24118", dt.date(2018, 1, 30))
    patrol("24118", dt.date(2018, 7, 1))
    trend = evaluate(ind("patrols"), old("66"), Y2018, by="month")
    assert trend.values == {dt.date(2018, 1, 1): 2, dt.date(2018, 7, 1): 1}
    january = evaluate(ind("patrols"), old("66"), month_period(2018, 1))
    assert january.total == 2


def test_ratio_and_filters() -> None:
    kind, _ = EstablishmentKind.objects.get_or_create(code="karaoke", defaults={"name": "Karaoke"})
    for i in range(3):
        Establishment.objects.create(name=f"Quán {i}", kind=kind, address="x", commune=old("24118"))
    Establishment.objects.create(
        name="Đã xóa", kind=kind, address="x", commune=old("24118"), is_deleted=True
    )
    by_kind = evaluate(ind("establishments"), old("66"), Y2018, by="kind")
    assert by_kind.values == {"karaoke": 3}
    ratio = Indicator.objects.create(
        code="est_per_commune",
        name="x",
        name_en="x",
        kind="ratio",
        numerator=ind("establishments"),
        denominator=ind("communes"),
        scale=100,
    )
    result = evaluate(ratio, old("643"), Y2018, by="commune")
    assert result.values[old("24118").pk] == 300.0
    assert result.values[old("24121").pk] == 0.0


def test_a_register_that_does_not_exist_fails_loudly(monkeypatch) -> None:
    from pcmd.indicators import sources

    monkeypatch.setitem(
        sources.SOURCES,
        "ghost",
        sources.Source("ghost", "nowhere.Ghost", "ghost", "date", "commune"),
    )
    ghost = Indicator.objects.create(
        code="ghost", name="x", name_en="x", kind="count", source="ghost"
    )
    with pytest.raises(LookupError):
        evaluate(ghost, old("66"), Y2018)
    with pytest.raises(EngineError):
        evaluate(ind("patrols"), old("66"), Y2018, by="colour")


def test_one_query_per_indicator(django_assert_max_num_queries) -> None:
    indicators = [
        ind("patrols"),
        ind("people_found_patrols"),
        ind("establishments"),
        ind("communes"),
    ]
    province = old("66")
    with django_assert_max_num_queries(3 + len(indicators)):  # unit tree, children, names
        evaluate_many(indicators, province, Y2018, by="unit")


def test_manual_value() -> None:
    from pcmd.indicators.actions import record_manual_value

    manual = Indicator.objects.create(code="hand", name="x", name_en="x", kind="manual")
    assert evaluate(manual, old("66"), Y2018).total is None
    record_manual_value(
        manual, old("24118"), dt.date(2018, 1, 1), dt.date(2018, 12, 31), 7, actor=None
    )
    record_manual_value(
        manual, old("24379"), dt.date(2018, 1, 1), dt.date(2018, 12, 31), 5, actor=None
    )
    result = evaluate(manual, old("66"), Y2018, by="unit")
    assert result.total == 12 and result.values[old("643").pk] == 7


def test_national_view_by_province() -> None:
    patrol("24118", dt.date(2018, 2, 1))
    patrol("24379", dt.date(2018, 2, 2))
    result = evaluate(ind("patrols"), None, Y2018, by="unit")
    assert result.total == 2
    assert result.values[old("66").pk] == 2
    assert sum(1 for v in result.values.values() if v) == 1
