"""Until when the case files need a person's identity (DESIGN.md §4: closed cases are
pseudonymised after a configurable period).

A person named in criminal cases or rings keeps their identity while any of those cases is
open (a ring counts through its cases), and for ``PCMD_RETENTION_YEARS["cases"]`` years after
the last of them closed; persons linked by hand (an involvement without a case or ring row)
follow the default rule of the person layer.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max, Q

from pcmd.accounts.roles import MODULE_CASES
from pcmd.people import retention
from pcmd.people.sources import split

from .models import Case, Stage, Step


def closed_on(case_ids: set[int]) -> datetime.date | None:
    """The day the last of these cases closed; ``None`` if one is still open."""
    if not case_ids:
        return None
    if Case.objects.filter(pk__in=case_ids).exclude(stage=Stage.CLOSED).exists():
        return None
    last = Step.objects.filter(case_id__in=case_ids).aggregate(day=Max("decided_on"))["day"]
    return last


def retention_date(person: Any) -> datetime.date | None:
    cases: set[int] = set()
    rings: set[int] = set()
    for involvement in retention.involvements_in(person, MODULE_CASES):
        kind, ref = split(involvement.source)
        if kind == "case" and ref is not None:
            cases.add(ref)
        elif kind == "ring" and ref is not None:
            rings.add(ref)
    if not cases and not rings:
        return retention.default_rule(MODULE_CASES)(person)
    if rings:
        ring_cases = Case.objects.filter(Q(ring_id__in=rings)).values_list("pk", flat=True)
        if not ring_cases:
            return None  # a ring with no case yet is still being worked on
        cases |= set(ring_cases)
    last = closed_on(cases)
    if last is None:
        return None
    years = retention.retention_years(MODULE_CASES)
    return retention.add_years(last, years) + datetime.timedelta(days=1)
