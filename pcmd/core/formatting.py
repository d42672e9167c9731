"""Vietnamese formatting and sorting helpers (DESIGN.md §6)."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ORDER = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(_ORDER)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}


def _letter_key(base: str, marks: str) -> tuple[int, int]:
    letter = base
    if base == "a" and "\u0306" in marks:
        letter = "ă"
    elif base == "a" and "\u0302" in marks:
        letter = "â"
    elif base == "e" and "\u0302" in marks:
        letter = "ê"
    elif base == "o" and "\u0302" in marks:
        letter = "ô"
    elif base == "o" and "\u031b" in marks:
        letter = "ơ"
    elif base == "u" and "\u031b" in marks:
        letter = "ư"
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    rank = _RANK.get(letter, 100 + ord(letter) if len(letter) == 1 else 1000)
    return rank, tone


@functools.lru_cache(maxsize=16384)
def vi_sort_key(text: str) -> tuple[tuple[int, ...], ...]:
    """A sort key that orders Vietnamese names as a Vietnamese reader expects.

    Letters compare in the Vietnamese alphabet order (``đ`` after ``d``,
    ``ă``/``â`` after ``a``...); tone marks only break ties. Kept for the names seen last
    (a pure function of the text; pages sort the same names request after request).
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    letters: list[tuple[int, int]] = []
    base = ""
    marks = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            marks += ch
            continue
        if base:
            letters.append(_letter_key(base, marks))
        base, marks = ch, ""
    if base:
        letters.append(_letter_key(base, marks))
    primary = tuple(rank for rank, _tone in letters)
    tones = tuple(tone for _rank, tone in letters)
    return (primary, tones)


def format_date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_vnd(amount: int | Decimal | None) -> str:
    """``1234567`` -> ``"1.234.567 đ"``."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đ"


def format_number(value: int | float | Decimal | str | None, decimals: int | None = None) -> str:
    """``73602`` -> ``"73.602"``; ``1234.5`` -> ``"1.234,5"`` (Vietnamese separators).

    Strings of digits are numbers too (figures read back from JSON); any other string is
    returned unchanged, so a code or "—" passes through.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if re.fullmatch(r"-?\d+", text) else Decimal(text)
        except ArithmeticError:
            return text
        if isinstance(value, Decimal) and not value.is_finite():
            return text
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    number = Decimal(str(value))
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 2
    whole = f"{number:,.{decimals}f}"
    text = whole.replace(",", " ").replace(".", ",").replace(" ", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")


def period_label(code: str) -> str:
    """``"2018-H1"`` -> "6 tháng đầu năm 2018"; ``"2018-Q2"`` -> "quý II năm 2018".

    ``"2018"`` is a year, ``"2018-03"`` a month, ``"2018-01-01..2018-06-30"`` a date range
    (``pcmd.core.periods``). Anything else is returned unchanged.
    """
    from django.utils.translation import gettext

    text = str(code or "")
    if ".." in text:
        start, _sep, end = text.partition("..")
        try:
            first = datetime.date.fromisoformat(start)
            last = datetime.date.fromisoformat(end)
        except ValueError:
            return text
        return f"{format_date(first)} – {format_date(last)}"
    match = _PERIOD.match(text)
    if not match:
        return text
    year, part = match.group(1), match.group(2)
    if part is None:
        return gettext("year %(year)s") % {"year": year}
    if part == "H1":
        return gettext("first six months of %(year)s") % {"year": year}
    if part == "H2":
        return gettext("last six months of %(year)s") % {"year": year}
    if part.startswith("Q"):
        return gettext("quarter %(q)s of %(year)s") % {"q": _ROMAN[int(part[1])], "year": year}
    return gettext("month %(month)s of %(year)s") % {"month": int(part), "year": year}


def period_label_lazy(code: str) -> Any:
    """:func:`period_label` rendered when the text is: a message built once and shown in
    Vietnamese and English (``bilingual``, a form error) names the period in each language."""
    return lazy(period_label, str)(code)
