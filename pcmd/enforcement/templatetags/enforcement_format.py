"""Template filters for money in VND ("1.234.567 đ") and fine ranges."""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.core.formatting import format_vnd

register = template.Library()


@register.filter
def vnd(amount: Any) -> str:
    return format_vnd(amount) if amount not in (None, "") else ""


@register.filter
def vnd_range(pair: Any) -> str:
    low, high = pair
    if low is None or high is None:
        return "—"
    return f"{format_vnd(low)} – {format_vnd(high)}"
