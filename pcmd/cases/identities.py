"""Which persons of a case or ring page show their identity: never a minor's (the strictest
visibility: a person under 18 appears on case and ring pages as a code with "under 18"; the
identity only on the person's own page, to the users the rules grant), an adult's through
:func:`pcmd.people.access.reveal_many` (one read log row per person shown)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pcmd.people import access

from . import rules
from .models import CaseParty, Ring, RingMember


def minor_person_ids(ring: Ring, members: Iterable[RingMember]) -> set[int]:
    """Members under 18 when the ring was detected, or named as a minor in any case."""
    members = list(members)
    ids = {m.person_id for m in members}
    minors = set(
        CaseParty.objects.filter(person_id__in=ids, is_minor=True).values_list(
            "person_id", flat=True
        )
    )
    minors |= {m.person_id for m in members if rules.is_minor(m.person, ring.detected_on)}
    return minors


def reveal_adults(user: Any, persons: Iterable[Any], minors: set[int], *, path: str) -> set[int]:
    """The pks of the adults among ``persons`` whose identity ``user`` may see (logged)."""
    adults = [p for p in persons if p.pk not in minors]
    return access.reveal_many(user, adults, "page", path=path)
