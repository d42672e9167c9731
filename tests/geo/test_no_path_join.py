"""Rows under a unit are filtered with ``pcmd.geo.subtree.under_q``, not by joining the units
and comparing their path (``commune__path__startswith``): PostgreSQL misjudges that join on a
national unit table and scans it (the module says why). This walks the source."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "pcmd"
JOINED_PATH = re.compile(r"__path__(startswith|in)\b")

# Filters that combine the subtree with other conditions per assignment (the role, the
# agency, a person's involvement) in one Q; each is written once and bounded by the
# user's assignments. The subtree module holds the fallback for a country-wide subtree.
ALLOWED = {
    "geo/subtree.py",
    "accounts/permissions.py",
    "accounts/policy.py",
    "people/access.py",
    "people/emergency.py",
    "people/models.py",
}


def test_no_filter_joins_the_units_to_compare_paths() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if JOINED_PATH.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []


def test_the_check_finds_one() -> None:
    assert JOINED_PATH.search("qs.filter(commune__path__startswith=district.path)")
    assert JOINED_PATH.search('Q(**{f"{field}__path__startswith": p})')
    assert not JOINED_PATH.search("Unit.objects.filter(path__startswith=p)")
