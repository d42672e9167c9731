"""Picking "the first" row by a nullable date must not depend on the database: SQLite sorts
NULL first, PostgreSQL last. A selection (``.first()``/``.last()``) ordered by a unit's or a
catalog's ``valid_from``/``valid_to`` says where NULL belongs (``F(...).asc(nulls_first=…)``).
"""

from __future__ import annotations

import re
from pathlib import Path

PCMD = Path(__file__).resolve().parents[2] / "pcmd"
# order_by("valid_from" …) or order_by("-valid_to" …) directly followed by .first()/.last()
BARE = re.compile(r"order_by\([^()]*[\"']-?valid_(?:from|to)[\"'][^()]*\)\s*\.(?:first|last)\(\)")


def test_no_selection_depends_on_where_the_database_sorts_null() -> None:
    found = []
    for path in sorted(PCMD.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PCMD)}: {m.group(0)}" for m in BARE.finditer(text)]
    assert found == []


def test_the_pattern_catches_the_old_form() -> None:
    assert BARE.search('Unit.objects.filter(code=c).order_by("-valid_to").first()')
    assert not BARE.search('x.order_by(F("valid_to").desc(nulls_first=True)).first()')
