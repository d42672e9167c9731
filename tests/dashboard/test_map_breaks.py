"""Class breaks suited to the indicator (issue 10.5): yes/no is two classes, a share has fixed
per-cent classes, a count has rounded classes with 0 on its own, and small counts of people
are one "<5" class for readers who may not see them."""

from __future__ import annotations

import pytest
from django.utils import translation

from pcmd.dashboard.breaks import COUNT, SHARE, YESNO, legend_for, nice_ceiling
from pcmd.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def labels(code: str, values: list[float | None], **kw: bool) -> tuple[str, list[str]]:
    with translation.override("vi"):
        legend = legend_for(Indicator.objects.get(code=code), values, **kw)
        return legend.kind, [c.label for c in legend.classes]


def test_yes_no_indicators_have_two_classes_not_a_range() -> None:
    for code in ("communes_with_activity", "communes", "healthy_communes", "key_communes"):
        assert labels(code, [0, 1, 1, None]) == (YESNO, ["không", "có"]), code
    # A count of communes that is not 0/1 per commune is classed as a count.
    assert labels("healthy_communes", [0, 1, 2])[0] == COUNT


def test_shares_have_fixed_per_cent_classes() -> None:
    for values in ([0.0, 100.0], [12.5, 33.3, 61.0], []):
        assert labels("communication_coverage", values) == (
            SHARE,
            ["<20 %", "20–40 %", "40–60 %", "60–80 %", "≥80 %"],
        )
    legend = legend_for(Indicator.objects.get(code="officers_trained_share"), [19.9, 20, 80, 100])
    assert [legend.find(v).label for v in (19.9, 20, 80, 100)] == [  # type: ignore[union-attr]
        "<20 %",
        "20–40 %",
        "≥80 %",
        "≥80 %",
    ]


def test_counts_have_zero_apart_and_rounded_classes() -> None:
    kind, texts = labels("patrols", [0] * 100 + [1] * 50 + [2] * 20 + [7, 12, 40])
    assert kind == COUNT
    assert texts == ["0", "1", "2", "3–10", "11–20", "21–50"]
    assert labels("inspections", [0, 0, 0]) == (COUNT, ["0"])
    assert labels("fine_amount", [0, 1_500_000, 27_000_000]) == (
        COUNT,
        ["0", "1–2.000.000", "2.000.001–30.000.000"],
    )
    legend = legend_for(Indicator.objects.get(code="patrols"), [0, 3, 4, 9, None])
    assert legend.fill(None) == legend.no_data_fill
    assert [c.count for c in legend.classes] == [1, 1, 1, 1]
    assert all(legend.find(v) is legend.classes[-1] for v in (9, 10, 1000))


def test_nice_numbers() -> None:
    assert [nice_ceiling(v) for v in (0.4, 1, 1.5, 2.2, 4, 7, 11, 26, 301, 4999)] == [
        1,
        1,
        2,
        3,
        5,
        10,
        20,
        30,
        500,
        5000,
    ]


def test_small_counts_of_people_are_one_class() -> None:
    values = [0] * 50 + [1, 2, 3, 4, 5, 8, 15, 40]
    assert labels("people_found_patrols", values, suppress=True) == (
        COUNT,
        ["0", "<5", "5", "6–10", "11–20", "21–50"],
    )
    # Nothing above 5: the legend is "0" and "<5" only, whatever the hidden values were.
    assert labels("people_found_patrols", [0, 1, 4], suppress=True)[1] == ["0", "<5"]
    assert labels("people_found_patrols", [0, 2, 3], suppress=True)[1] == ["0", "<5"]
    # A person-level role sees the counts as they are.
    assert labels("people_found_patrols", [0, 1, 4])[1] == ["0", "1", "2–5"]
