"""Find the agencies a sentence of a plan names, in a province's agency catalog.

Plans name agencies in many ways: "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH",
"Hội LHPN", "Hội Phụ nữ", "MTTQ", "VKSND tỉnh", "UBND các huyện, thị xã, thành phố" … The
matcher compares words without accents, case or punctuation, after expanding the common
abbreviations, against every agency's name and short name with the words that only say where
it is ("tỉnh", the province's name) taken off. No agency codes are written here: the catalog
of any province (pcmd.agencies) is matched the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Abbreviations as written in plans (already without accents and punctuation) → words.
_ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("ldtbxh",): ("lao", "dong", "thuong", "binh", "xa", "hoi"),
    ("ld", "tb", "xh"): ("lao", "dong", "thuong", "binh", "xa", "hoi"),
    ("ld", "tbxh"): ("lao", "dong", "thuong", "binh", "xa", "hoi"),
    ("vhttdl",): ("van", "hoa", "the", "thao", "du", "lich"),
    ("vh", "tt", "dl"): ("van", "hoa", "the", "thao", "du", "lich"),
    ("gddt",): ("giao", "duc", "dao", "tao"),
    ("gd", "dt"): ("giao", "duc", "dao", "tao"),
    ("tttt",): ("thong", "tin", "truyen", "thong"),
    ("tt", "tt"): ("thong", "tin", "truyen", "thong"),
    ("lhpn",): ("lien", "hiep", "phu", "nu"),
    ("hoi", "phu", "nu"): ("hoi", "lien", "hiep", "phu", "nu"),
    ("mttqvn",): ("mat", "tran", "to", "quoc"),
    ("mttq",): ("mat", "tran", "to", "quoc"),
    ("vksnd",): ("vien", "kiem", "sat", "nhan", "dan"),
    ("vks",): ("vien", "kiem", "sat", "nhan", "dan"),
    ("tand",): ("toa", "an", "nhan", "dan"),
    ("ubnd",): ("uy", "ban", "nhan", "dan"),
    ("doan", "tn"): ("doan", "thanh", "nien"),
    ("doi", "178"): ("doi", "kiem", "tra", "lien", "nganh", "178"),
}
# Words that never decide which agency is meant.
_STOPWORDS = frozenset({"va", "viet", "nam"})
# Words that only say where an agency is, dropped at either end of its name.
_PLACE_WORDS = frozenset({"tinh", "cua"})
# "… và các tổ chức thành viên" (of the Fatherland Front): its member mass organisations.
_MEMBERS = ("to", "chuc", "thanh", "vien")
_MAX_ABBREVIATION = max(len(k) for k in _ABBREVIATIONS)


def fold(text: str) -> str:
    """Lower case without accents; "đ" → "d"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of ``text`` (as :func:`words` gives them) with the offsets in ``text`` where
    the words it came from start and end."""
    raw: list[tuple[str, int, int]] = []
    for m in re.finditer(r"\w+", text):
        pieces = re.findall(r"[a-z0-9]+", fold(m.group()))
        raw.extend((piece, m.start(), m.end()) for piece in pieces)
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(raw):
        for size in range(min(_MAX_ABBREVIATION, len(raw) - i), 0, -1):
            expansion = _ABBREVIATIONS.get(tuple(w for w, _s, _e in raw[i : i + size]))
            if expansion is not None:
                start, end = raw[i][1], raw[i + size - 1][2]
                out.extend((w, start, end) for w in expansion)
                i += size
                break
        else:
            out.append(raw[i])
            i += 1
    return [t for t in out if t[0] not in _STOPWORDS]


def words(text: str) -> list[str]:
    """The words of ``text`` folded, abbreviations expanded, punctuation and stopwords gone."""
    return [w for w, _s, _e in spans(text)]


@dataclass(frozen=True)
class CatalogAgency:
    """What the matcher needs of an agency (a model row or a plain test double)."""

    code: str
    name: str
    short_name: str = ""
    kind: str = ""


@dataclass
class AgencyMatch:
    code: str
    name: str
    matched: str  # the words of the sentence that named it
    reason: str  # empty when the agency's full name was found
    start: int = 0  # where in the sentence its name starts
    end: int = 0  # and ends


@dataclass
class _Entry:
    agency: CatalogAgency
    forms: list[tuple[str, ...]] = field(default_factory=list)


def _trim(form: list[str], place: Sequence[str]) -> tuple[str, ...]:
    while form and form[-1] in _PLACE_WORDS:
        form = form[:-1]
    if place and len(form) > len(place) and tuple(form[-len(place) :]) == tuple(place):
        form = form[: -len(place)]
    while form and form[-1] in _PLACE_WORDS:
        form = form[:-1]
    while len(form) > 2 and form[0] in _PLACE_WORDS:
        form = form[1:]
    if form[:2] == ["uy", "ban"] and form[2:4] == ["mat", "tran"]:
        form = form[2:]  # "Ủy ban Mặt trận Tổ quốc" is named "Mặt trận Tổ quốc"
    return tuple(form)


class AgencyMatcher:
    """Matches sentences against one province's agencies."""

    def __init__(self, agencies: Iterable[CatalogAgency], province_name: str = "") -> None:
        place = words(province_name)
        self.entries: list[_Entry] = []
        for agency in agencies:
            entry = _Entry(agency)
            names = [(agency.name, 2), (agency.short_name, 2)]
            if agency.kind == "group":
                # "Ủy ban nhân dân các huyện, thị xã, thành phố" is often cut after "huyện"
                names.append((agency.name.split(",")[0], 4))
            for name, shortest in names:
                form = _trim(words(name), place) if name else ()
                if len(form) >= shortest and form not in entry.forms:
                    entry.forms.append(form)
            if entry.forms:
                self.entries.append(entry)

    def choices(self) -> list[tuple[str, str]]:
        return [(e.agency.code, e.agency.name) for e in self.entries]

    def match(self, text: str) -> list[AgencyMatch]:
        """The agencies ``text`` names, in the order it names them (longest names first where
        two overlap: "Sở Lao động - Thương binh và Xã hội" is not also "Sở Lao động")."""
        located = spans(text)
        tokens = [w for w, _s, _e in located]
        found: list[tuple[int, int, _Entry, tuple[str, ...]]] = []
        for entry in self.entries:
            for form in entry.forms:
                at = _find(tokens, form)
                if at >= 0:
                    found.append((at, at + len(form), entry, form))
                    break
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        taken: list[tuple[int, int]] = []
        out: list[AgencyMatch] = []
        seen: set[str] = set()
        for start, end, entry, form in found:
            if any(start >= a and end <= b for a, b in taken) or entry.agency.code in seen:
                continue
            taken.append((start, end))
            seen.add(entry.agency.code)
            kind = "" if form == entry.forms[0] else _("short name or abbreviation")
            out.append(
                AgencyMatch(
                    code=entry.agency.code,
                    name=entry.agency.name,
                    matched=" ".join(form),
                    reason=kind,
                    start=located[start][1],
                    end=located[end - 1][2],
                )
            )
        members = _find(tokens, _MEMBERS)
        if members >= 0 and any(_is_front(m) for m in out):
            for entry in self.entries:
                if entry.agency.kind == "mass_org" and entry.agency.code not in seen:
                    seen.add(entry.agency.code)
                    out.append(
                        AgencyMatch(
                            code=entry.agency.code,
                            name=entry.agency.name,
                            matched=" ".join(_MEMBERS),
                            reason=_("a member organisation of the Fatherland Front"),
                            start=located[members][1],
                            end=located[members + len(_MEMBERS) - 1][2],
                        )
                    )
        return out


def _is_front(match: AgencyMatch) -> bool:
    return match.matched.startswith("mat tran to quoc")


def _find(tokens: Sequence[str], form: Sequence[str]) -> int:
    n = len(form)
    first = form[0]
    for i in range(len(tokens) - n + 1):
        if tokens[i] == first and tuple(tokens[i : i + n]) == tuple(form):
            return i
    return -1


def catalog_for(unit: Any) -> AgencyMatcher:
    """The matcher for the province ``unit`` (a geo Unit): its province-level agencies."""
    from pcmd.agencies.models import Agency
    from pcmd.geo.models import UnitLevel

    if unit is None:
        return AgencyMatcher([])
    rows = Agency.objects.filter(unit=unit, level=UnitLevel.PROVINCE).order_by("order", "code")
    return AgencyMatcher(
        [CatalogAgency(a.code, a.name, a.short_name, a.kind) for a in rows],
        province_name=str(getattr(unit, "short_name", "") or getattr(unit, "name", "")),
    )
