"""Filters of the establishment list, shared by the page and the API."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from pcmd.geo.models import Unit
from pcmd.geo.subtree import under_q

from .models import Establishment, Licence
from .normalise import normalise

EXPIRING = "expiring"
EXPIRED = "expired"
VALID = "valid"
RENEWED = "renewed"
DEFAULT_DAYS = 90


@dataclass
class EstablishmentFilter:
    q: str = ""
    kind: str = ""  # EstablishmentKind.code
    district: Unit | None = None
    commune: Unit | None = None
    status: str = ""
    licence: str = ""  # "", EXPIRING or EXPIRED
    days: int = DEFAULT_DAYS
    as_of: datetime.date | None = None

    def apply(self, qs: QuerySet[Establishment]) -> QuerySet[Establishment]:
        if self.q:
            norm = normalise(self.q)
            text = Q(name__icontains=self.q.strip()) | Q(address__icontains=self.q.strip())
            if norm:
                text |= Q(dedup_key__contains=norm)
            qs = qs.filter(text)
        if self.kind:
            qs = qs.filter(kind__code=self.kind)
        if self.district is not None:
            qs = qs.filter(under_q("commune", [self.district.path]))
        if self.commune is not None:
            qs = qs.filter(commune=self.commune)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.licence in (EXPIRING, EXPIRED):
            qs = qs.filter(
                licence_state_q(self.licence, self.as_of or timezone.localdate(), self.days)
            )
        return qs


def licence_state_q(state: str, as_of: datetime.date, days: int = DEFAULT_DAYS) -> Exists:
    """Establishments with a licence that has lapsed (``expired``) or lapses within ``days``
    (``expiring``) on ``as_of``, and that no licence of the same kind, issued by then,
    replaces."""
    until = as_of + datetime.timedelta(days=days)
    issued_by_then = Q(issued_on__isnull=True) | Q(issued_on__lte=as_of)
    same_kind = Licence.objects.filter(
        issued_by_then, establishment=OuterRef("establishment"), kind=OuterRef("kind")
    ).exclude(pk=OuterRef("pk"))
    if state == EXPIRED:
        renewed = same_kind.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=as_of))
        lapsed = Licence.objects.filter(establishment=OuterRef("pk"), expires_on__lt=as_of)
    else:
        renewed = same_kind.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=until))
        lapsed = Licence.objects.filter(
            establishment=OuterRef("pk"), expires_on__gte=as_of, expires_on__lte=until
        )
    return Exists(lapsed.filter(issued_by_then).exclude(Exists(renewed)))


def licence_states(
    licences: Iterable[Licence], as_of: datetime.date, days: int = DEFAULT_DAYS
) -> dict[int, str]:
    """``{licence.pk: state}`` on ``as_of``, in memory from prefetched rows, by the rules of
    :func:`licence_state_q`; a lapsed licence that a later one of its kind replaces is
    ``renewed``. Licences issued after ``as_of`` are left out."""
    licences = [lic for lic in licences if lic.issued_on is None or lic.issued_on <= as_of]
    until = as_of + datetime.timedelta(days=days)
    states = {}
    for lic in licences:
        others = [o for o in licences if o.kind == lic.kind and o.pk != lic.pk]
        if lic.expires_on is None or lic.expires_on > until:
            states[lic.pk] = VALID
        elif lic.expires_on < as_of:
            states[lic.pk] = (
                RENEWED
                if any(o.expires_on is None or o.expires_on >= as_of for o in others)
                else EXPIRED
            )
        else:
            states[lic.pk] = (
                RENEWED
                if any(o.expires_on is None or o.expires_on > until for o in others)
                else EXPIRING
            )
    return states


def worst_state(states: Iterable[str]) -> str:
    states = set(states)
    for state in (EXPIRED, EXPIRING, VALID):
        if state in states:
            return state
    return ""
