import datetime as dt

import pytest

from pcmd.core.periods import (
    Cutoff,
    PeriodError,
    half_period,
    month_period,
    months_of,
    parse_period,
    quarter_period,
    year_period,
)

D9 = Cutoff.DECREE09


def test_decree_09_cutoffs() -> None:
    assert (month_period(2018, 3, D9).start, month_period(2018, 3, D9).end) == (
        dt.date(2018, 2, 15),
        dt.date(2018, 3, 14),
    )
    assert (month_period(2018, 1, D9).start) == dt.date(2017, 12, 15)
    q1 = quarter_period(2018, 1, D9)
    assert (q1.start, q1.end) == (dt.date(2017, 12, 15), dt.date(2018, 3, 14))
    q3 = quarter_period(2018, 3, D9)
    assert (q3.start, q3.end) == (dt.date(2018, 6, 15), dt.date(2018, 9, 14))
    h1 = half_period(2018, 1, D9)
    assert (h1.start, h1.end) == (dt.date(2017, 12, 15), dt.date(2018, 6, 14))
    y = year_period(2018, D9)
    assert (y.start, y.end) == (dt.date(2017, 12, 15), dt.date(2018, 12, 14))


def test_calendar_periods() -> None:
    assert parse_period("2018-02").end == dt.date(2018, 2, 28)
    assert parse_period("2020-02").end == dt.date(2020, 2, 29)
    assert parse_period("2018-Q4").start == dt.date(2018, 10, 1)
    assert parse_period("2018-H2").end == dt.date(2018, 12, 31)
    r = parse_period("2018-03-01..2018-03-10")
    assert r.days == 10


def test_parse_with_cutoff_and_previous() -> None:
    p = parse_period("2018-H1", D9)
    assert p.start == dt.date(2017, 12, 15)
    assert p.previous().code == "2017-H2"
    assert parse_period("2018-01").previous().code == "2017-12"
    assert parse_period("2018-Q1").previous().code == "2017-Q4"
    assert len(months_of(parse_period("2018"))) == 12


@pytest.mark.parametrize(
    "text", ["18", "2018-H3", "2018-13", "2018-02-30..2018-03-01", "2018-03-10..2018-03-01", "x"]
)
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)
