"""Server-rendered SVG charts: readable on screen and in print, no JavaScript. Tooltips are
SVG <title> elements. (The map lives in thematic.py, svgmap.py and cells.py.)"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass
class Bar:
    label: str
    value: float
    title: str


def nice_step(span: float, max_ticks: int = 5) -> float:
    """The smallest step of 1, 2 or 5 times a power of ten that covers ``span`` in at most
    ``max_ticks`` intervals (span 0 gives step 1)."""
    if span <= 0:
        return 1.0
    raw = span / max_ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * power
        if span / step <= max_ticks + 1e-9:
            return step
    return 10 * power  # pragma: no cover - the loop always returns


def nice_ticks(top: float, max_ticks: int = 5, *, integer: bool = False) -> list[float]:
    """Round axis ticks from 0 up to the first tick at or above ``top`` (1-2-5 steps).

    ``integer=True`` (counts) never gives a fractional step: 0, 1, 2 rather than 0, 0.5, 1.
    """
    step = nice_step(top, max_ticks)
    if integer:
        step = max(step, 1.0)
    count = max(1, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) for i in range(count + 1)]


def bar_chart(bars: list[Bar], *, width: int = 640, height: int = 220) -> dict[str, Any]:
    """Geometry for a vertical bar chart (the template draws it)."""
    highest = max((b.value for b in bars), default=0) or 1
    integer = all(float(b.value).is_integer() for b in bars)
    values = nice_ticks(highest, integer=integer)
    top = values[-1]
    pad_left, pad_bottom, pad_top = 36, 28, 12
    inner_w = width - pad_left - 8
    inner_h = height - pad_bottom - pad_top
    step = inner_w / max(len(bars), 1)
    out = []
    for i, bar in enumerate(bars):
        h = inner_h * bar.value / top
        out.append(
            {
                "x": round(pad_left + i * step + step * 0.15, 1),
                "w": round(step * 0.7, 1),
                "y": round(pad_top + inner_h - h, 1),
                "h": round(h, 1),
                "label": bar.label,
                "lx": round(pad_left + i * step + step / 2, 1),
                "value": bar.value,
                "title": bar.title,
            }
        )
    ticks = [{"y": round(pad_top + inner_h - inner_h * v / top, 1), "v": _nice(v)} for v in values]
    return {
        "width": width,
        "height": height,
        "bars": out,
        "ticks": ticks,
        "base": pad_top + inner_h,
        "left": pad_left,
        "right": width - 8,
        "label_y": height - 8,
    }


def _nice(v: float) -> str:
    """A tick label in Vietnamese notation: 1.000 thousands, 0,5 decimals."""
    if float(v).is_integer():
        return f"{v:,.0f}".replace(",", ".")
    return f"{v:g}".replace(".", ",")
