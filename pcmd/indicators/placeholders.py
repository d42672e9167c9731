"""Filter values that refer to the period asked about.

Indicator filters are data (``indicators.yaml``, JSON in the database). A value written as
``"$period_start"`` or ``"$period_end"`` is replaced by that day of the period the engine is
answering, so that e.g. "handled within the period" is ``{handled_on__lte: "$period_end"}``.
Any other value starting with ``$`` is refused: by :func:`check` when the definitions load
and by :func:`resolve` when the engine meets one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from pcmd.core.periods import Period

PLACEHOLDERS: dict[str, tuple[Callable[[Period], datetime.date], Any]] = {
    "$period_start": (lambda period: period.start, _("the first day of the period")),
    "$period_end": (lambda period: period.end, _("the last day of the period")),
}


class UnknownPlaceholder(ValueError):
    """A filter value starting with ``$`` that names no known placeholder."""

    def __init__(self, lookup: str, value: str) -> None:
        self.lookup = lookup
        self.value = value
        known = ", ".join(sorted(PLACEHOLDERS))
        super().__init__(f"filter {lookup!r}: unknown placeholder {value!r} (known: {known})")


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("$")


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def check(filters: dict[str, Any] | None) -> None:
    """Refuse a filter value that looks like a placeholder but is none."""
    for lookup, value in (filters or {}).items():
        for item in _values(value):
            if _is_placeholder(item) and item not in PLACEHOLDERS:
                raise UnknownPlaceholder(lookup, item)


def _one(lookup: str, value: Any, period: Period) -> Any:
    if not _is_placeholder(value):
        return value
    if value not in PLACEHOLDERS:
        raise UnknownPlaceholder(lookup, value)
    return PLACEHOLDERS[value][0](period)


def resolve(filters: dict[str, Any] | None, period: Period) -> dict[str, Any]:
    """``filters`` with each placeholder replaced by its day of ``period``."""
    out: dict[str, Any] = {}
    for lookup, value in (filters or {}).items():
        if isinstance(value, list | tuple):
            out[lookup] = [_one(lookup, item, period) for item in value]
        else:
            out[lookup] = _one(lookup, value, period)
    return out


def label(value: Any) -> Any:
    """The words for a placeholder (None when ``value`` is not one)."""
    entry = PLACEHOLDERS.get(value) if isinstance(value, str) else None
    return entry[1] if entry else None
