"""Every declared indicator computes against its register (catches a renamed field)."""

import pytest

from pcmd.core.periods import parse_period
from pcmd.geo.models import Unit
from pcmd.indicators.engine import evaluate
from pcmd.indicators.models import Indicator
from pcmd.indicators.sources import Source, check_sources
from pcmd.plans.models import Target

pytestmark = pytest.mark.django_db


def test_every_source_names_an_existing_model_and_fields() -> None:
    assert check_sources() == []


def test_a_source_naming_a_missing_model_or_field_fails_loudly(monkeypatch) -> None:
    broken = {
        "gone": Source("gone", "registry.NoSuchModel", "x", None, "commune"),
        "renamed": Source("renamed", "hotspots.Patrol", "x", "date_on", "commune"),
    }
    monkeypatch.setattr("pcmd.indicators.sources.SOURCES", broken)
    messages = [e.msg for e in check_sources()]
    assert any("registry.NoSuchModel" in m for m in messages)
    assert any("date_on" in m for m in messages)
    with pytest.raises(LookupError):
        broken["gone"].model_class()


@pytest.mark.parametrize("by", [None, "unit"])
def test_every_indicator_evaluates(by) -> None:
    province = Unit.objects.get(code="66", level=1, valid_from=None)
    period = parse_period("2018")
    districts = sorted(u.pk for u in province.children.all() if u.is_valid_on(period.end))
    for indicator in Indicator.objects.all():
        result = evaluate(indicator, province, period, by=by)
        assert sorted(result.values) == (districts if by else []), indicator.code


def test_every_plan_target_points_at_an_indicator() -> None:
    codes = set(Indicator.objects.values_list("code", flat=True))
    for target in Target.objects.filter(plan__number="1842/KH-UBND"):
        assert target.indicator_code in codes, target.code
