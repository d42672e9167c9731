"""The law a case runs on, as data: offences (``data/offences.yaml``) and the procedural time
limits per stage (``data/deadlines.yaml``), each with its legal source.

The category of a crime (Penal Code 2015 Art. 9) follows from the highest prison band of the
clause: up to 3 years less serious, up to 7 serious, up to 15 very serious, beyond that (or
life) particularly serious. A case takes the most severe category among its offences, and the
investigation, prosecution and trial-preparation limits follow from it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.core import yamldata
from pcmd.enforcement.legal import add_months

DATA = Path(__file__).resolve().parent / "data"


class Category(models.TextChoices):
    """Categories of crime, Penal Code 2015 Art. 9 (ordered from least to most severe)."""

    LESS_SERIOUS = "less_serious", _("less serious crime")
    SERIOUS = "serious", _("serious crime")
    VERY_SERIOUS = "very_serious", _("very serious crime")
    PARTICULARLY_SERIOUS = "particularly_serious", _("particularly serious crime")


CATEGORY_ORDER = list(Category.values)


def category_for(max_months: int, life: bool = False) -> str:
    """Penal Code 2015 Art. 9(1): the category by the highest penalty of the clause."""
    if life or max_months > 180:
        return Category.PARTICULARLY_SERIOUS
    if max_months > 84:
        return Category.VERY_SERIOUS
    if max_months > 36:
        return Category.SERIOUS
    return Category.LESS_SERIOUS


def most_severe(categories: list[str]) -> str | None:
    known = [c for c in categories if c in CATEGORY_ORDER]
    return max(known, key=CATEGORY_ORDER.index) if known else None


@cache
def offence_rows() -> list[dict[str, Any]]:
    with open(DATA / "offences.yaml", encoding="utf-8") as fh:
        data = yamldata.load(fh)
    source = data["sources"]["BLHS"]
    rows = []
    for order, row in enumerate(data["offences"], 1):
        low, high = row["prison"]
        rows.append(
            {
                "code": row["code"],
                "article": row["article"],
                "clause": row["clause"],
                "title": row["title"],
                "prison_min_months": low,
                "prison_max_months": high,
                "life": bool(row.get("life")),
                "category": category_for(high, bool(row.get("life"))),
                "minor_victim": bool(row.get("minor_victim")),
                "source": f"{source}, Điều {row['article']} khoản {row['clause']}",
                "order": order,
            }
        )
    return rows


# --- time limits ----------------------------------------------------------------------------

_DURATION = re.compile(r"^(?:(\d+)m)?(?:(\d+)d)?$")


def parse_duration(text: str) -> tuple[int, int]:
    """``"2m30d"`` → (2, 30): months, then days."""
    match = _DURATION.match(text)
    if not match or not text:
        raise ValueError(f"bad duration {text!r} in deadlines.yaml")
    months, days = (int(g) if g else 0 for g in match.groups())
    return months, days


def add_duration(start: datetime.date, text: str) -> datetime.date:
    """The last day of a time limit of ``text`` counted from ``start`` (months first, the
    corresponding day, as Civil Code Art. 148 counts them)."""
    months, days = parse_duration(text)
    return add_months(start, months) + datetime.timedelta(days=days)


@dataclass(frozen=True)
class StageLimits:
    stage: str
    owner: str  # police, procuracy or court
    source: str
    limits: dict[str | None, tuple[str, ...]]  # category (None: any) -> cumulative limits

    def for_category(self, category: str | None) -> tuple[str, ...]:
        if None in self.limits:
            return self.limits[None]
        # Before the offence is known the least severe limits apply (the shortest clock).
        return self.limits[category or Category.LESS_SERIOUS]

    def due(self, start: datetime.date, category: str | None, extensions: int = 0) -> datetime.date:
        """The last day of the stage after ``extensions`` extensions (capped at the last)."""
        limits = self.for_category(category)
        step = limits[min(extensions, len(limits) - 1)]
        return add_duration(start, step)

    def extensions_allowed(self, category: str | None) -> int:
        return len(self.for_category(category)) - 1


@cache
def stage_limits() -> dict[str, StageLimits]:
    with open(DATA / "deadlines.yaml", encoding="utf-8") as fh:
        data = yamldata.load(fh)
    out = {}
    for stage, row in data["stages"].items():
        if "by_category" in row:
            limits = {cat: tuple(v) for cat, v in row["by_category"].items()}
            missing = set(CATEGORY_ORDER) - set(limits)
            if missing:
                raise ValueError(f"deadlines.yaml: {stage} lacks {sorted(missing)}")
        else:
            limits = {None: tuple(row["limits"])}
        for steps in limits.values():
            for step in steps:
                parse_duration(step)
        out[stage] = StageLimits(stage, row["owner"], row["source"], limits)
    return out


def apply_offences(model: Any) -> int:
    """Create or correct every offence of the file (codes kept, nothing deleted); the data
    migrations call it with their historical model."""
    count = 0
    for values in offence_rows():
        values = dict(values)
        code = values.pop("code")
        model.objects.update_or_create(code=code, defaults=values)
        count += 1
    return count
