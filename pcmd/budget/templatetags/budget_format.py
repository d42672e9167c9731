"""``{{ amount|vnd }}`` → "1.234.567 đ" (pcmd.core.formatting.format_vnd)."""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.core.formatting import format_vnd

register = template.Library()


@register.filter
def vnd(value: Any) -> str:
    return format_vnd(value)
