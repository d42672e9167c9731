"""Template helpers of the reporting pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from ..values import display

register = template.Library()


@register.simple_tag
def pair(approved: dict[str, Any], live: dict[str, Any], field: Any) -> str:
    """An approved figure, and the live one beside it when it differs (automatic fields)."""
    a = approved.get(field.code)
    text = display(field, a) if a is not None else "—"
    if field.is_auto and field.code in live:
        now = live.get(field.code)
        if now != a:
            return format_html('{} <span class="small live" title="live">({})</span>', text,
                               display(field, now) if now is not None else "—")
    return format_html("{}", text)


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None
