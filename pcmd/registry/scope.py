"""Which administrative units a user may pick, on which map date.

Register rows point at a commune-level unit valid when the fact was recorded (CONTRIBUTING,
"Layers"). Forms, the import and the API offer the commune-level units of the user's scope
valid on a map date: today by default, or the date the official chooses (data about 2018 is
recorded on the 2018 map). Shared by the registry and hotspots apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pcmd.accounts.permissions import units_q
from pcmd.geo.models import Unit, UnitLevel, UnitName

from .normalise import normalise


def _named(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    names = Prefetch("names", queryset=UnitName.objects.order_by("valid_from"))
    return qs.select_related("parent").prefetch_related(
        names, Prefetch("parent__names", queryset=UnitName.objects.order_by("valid_from"))
    )


def communes_for(user: Any, on: datetime.date) -> QuerySet[Unit]:
    """Commune-level units in the user's scope valid on ``on``."""
    return _named(
        Unit.objects.filter(units_q(user), level=UnitLevel.COMMUNE).valid_on(on)
    ).order_by("parent__code", "code")


def all_communes_for(user: Any) -> QuerySet[Unit]:
    """Commune-level units in the user's scope, whatever their validity (list filters: the
    label is today's name and the code, so the names over time are not read)."""
    return (
        Unit.objects.filter(units_q(user), level=UnitLevel.COMMUNE)
        .select_related("parent")
        .order_by("parent__code", "code", "valid_from")
    )


def districts_for(user: Any) -> QuerySet[Unit]:
    """District-level units in the user's scope (for list filters)."""
    return Unit.objects.filter(units_q(user), level=UnitLevel.DISTRICT).order_by(
        "code", "valid_from"
    )


def default_map_date(user: Any, today: datetime.date | None = None) -> datetime.date:
    """Today, or — when none of the user's units exists any more — the last day they did.

    Demo and 2018 accounts hold units of the three-tier map that ended on 30/06/2025; their
    forms then open on that map, and the official can pick another date (e.g. 12/03/2018).
    """
    today = today or timezone.localdate()
    units = list(getattr(user, "scope_units", []))
    if getattr(user, "is_superuser", False) or not units:
        return today
    if any(u.is_valid_on(today) for u in units):
        return today
    ends = [u.valid_to for u in units if u.valid_to and u.valid_to < today]
    return max(ends) if ends else today


def map_date_for(unit: Unit, user: Any) -> datetime.date:
    """A map date on which ``unit`` exists, preferring the user's default."""
    on = default_map_date(user)
    if unit.is_valid_on(on):
        return on
    return unit.valid_to or unit.valid_from or on


def commune_label(unit: Unit, on: datetime.date | None) -> str:
    name = unit.name_on(on) if on else unit.name
    if unit.parent is not None:
        parent = unit.parent
        return f"{name} — {parent.name_on(on) if on else parent.name}"
    return name


# --- resolving what an official typed -----------------------------------------------------

_PREFIXES = (
    "thanh pho ",
    "thi xa ",
    "thi tran ",
    "phuong ",
    "huyen ",
    "quan ",
    "xa ",
    "tp ",
    "tx ",
    "tt ",
    "p ",
    "h ",
    "q ",
    "x ",
)


def bare_name(text: str) -> str:
    """Normalised name without the unit-type word: "Phường Tân Lập" → "tan lap"."""
    norm = normalise(text)
    for prefix in _PREFIXES:
        if norm.startswith(prefix) and len(norm) > len(prefix):
            return norm[len(prefix) :]
    return norm


class CommuneResolver:
    """Finds commune-level units by GSO code or name, in memory (no query per row).

    Built once per import with every commune-level unit of the user's scope (``None``: the
    system, every unit), their names over time and their districts.
    """

    def __init__(self, user: Any) -> None:
        self.units = list(_named(all_communes_for(user)))
        self.by_code: dict[str, list[Unit]] = {}
        self.by_name: dict[
            str, list[tuple[Unit, str, datetime.date | None, datetime.date | None]]
        ] = {}
        for unit in self.units:
            self.by_code.setdefault(unit.code, []).append(unit)
            spans = [(n.name, n.valid_from, n.valid_to) for n in unit.names.all()]
            ends = [end for _n, _s, end in spans if end is not None]
            # the current name applies after the last former name ended
            spans.append(
                (unit.name, max(ends) + datetime.timedelta(days=1) if ends else None, None)
            )
            for name, start, end in spans:
                for key in {normalise(name), bare_name(name)}:
                    self.by_name.setdefault(key, []).append((unit, name, start, end))

    @staticmethod
    def _district_matches(unit: Unit, district: str) -> bool:
        if not district or unit.parent is None:
            return True
        text = district.strip()
        if text.isdecimal():
            return unit.parent.code == text.zfill(3)
        return bare_name(text) in {bare_name(n.name) for n in unit.parent.names.all()} | {
            bare_name(unit.parent.name)
        }

    def resolve(self, text: str, district: str, on: datetime.date) -> tuple[Unit | None, str]:
        """``(unit, "")`` or ``(None, reason)``; reason is one of ``unknown``, ``ambiguous``,
        ``invalid_on`` (known but not valid on the date)."""
        text = str(text).strip()
        if text.isdecimal():
            found = self.by_code.get(text.zfill(5), [])
            valid = [u for u in found if u.is_valid_on(on)]
        else:
            key = normalise(text)
            entries = self.by_name.get(key) or self.by_name.get(bare_name(text), [])
            found = list({e[0].pk: e[0] for e in entries}.values())
            valid = list(
                {
                    u.pk: u
                    for u, _name, start, end in entries
                    if u.is_valid_on(on)
                    and (start is None or start <= on)
                    and (end is None or end >= on)
                }.values()
            )
        valid = [u for u in valid if self._district_matches(u, district)]
        if len(valid) == 1:
            return valid[0], ""
        if len(valid) > 1:
            return None, "ambiguous"
        return None, "invalid_on" if found else "unknown"

    def candidates(self, text: str, on: datetime.date) -> Iterable[Unit]:
        entries = self.by_name.get(normalise(text)) or self.by_name.get(bare_name(text), [])
        return [u for u, *_rest in entries if u.is_valid_on(on)]
