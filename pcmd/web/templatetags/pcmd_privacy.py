"""``{{ value|people:suppress }}``: a count of people as it may be shown (DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.indicators.privacy import shown

register = template.Library()


@register.filter
def people(value: Any, suppress: bool) -> Any:
    return shown(value, suppress=bool(suppress))
