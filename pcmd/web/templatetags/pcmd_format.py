"""Template filters for numbers, money, periods, unit names and report history in words.

``{% load pcmd_format %}``:

- ``{{ n|num }}`` → "73.602" (Vietnamese separators; strings of digits too).
- ``{{ amount|vnd }}`` → "27.000.000 đ" (the unit once: do not add "đồng" after it).
- ``{{ "2018-H1"|period_label }}`` → "6 tháng đầu năm 2018".
- ``{{ unit|name_on:date }}`` → the unit's name on that date (``Unit.name_on``): a commune
  renamed in 2024 shows its old name in a 2018 view. ``date`` may be a date, a datetime,
  a year (31/12 of it) or a period code ("2018-H1": its last day).
- ``{{ indicator|filters_in_words }}`` → its declared filters as a sentence.
- ``{{ key|source_label }}`` → the register an indicator counts from, in words.
- ``{{ event.verb|report_event }}`` → what happened to a report, in words.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from pcmd.core.audit_text import report_event_label
from pcmd.core.formatting import format_number, format_vnd
from pcmd.core.formatting import period_label as _period_label
from pcmd.geo.models import name_on_date

register = template.Library()


@register.filter
def num(value: Any) -> str:
    return format_number(value)


@register.filter
def vnd(value: Any) -> str:
    return format_vnd(value) if value not in (None, "") else ""


@register.filter
def period_label(code: Any) -> str:
    return _period_label(str(code or ""))


@register.filter
def name_on(unit: Any, on: datetime.date | datetime.datetime | int | str | None) -> str:
    return name_on_date(unit, on)


@register.filter
def report_event(verb: str) -> str:
    return report_event_label(verb)


@register.filter
def filters_in_words(indicator: Any) -> str:
    from pcmd.indicators.wording import describe_filters

    return describe_filters(indicator.source, indicator.filters)


@register.filter
def measure_in_words(indicator: Any) -> str:
    from pcmd.indicators.wording import describe_measure

    return describe_measure(indicator.source, indicator.measure)


@register.filter
def source_label(key: str) -> str:
    """A register key of the indicator declarations ("sanctions") in words."""
    from pcmd.indicators.sources import SOURCES

    source = SOURCES.get(key or "")
    return str(source.label) if source is not None else ""
