"""Vietnamese formatting and sorting helpers (DESIGN.md §6)."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

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


def vi_sort_key(text: str) -> tuple[tuple[int, ...], ...]:
    """A sort key that orders Vietnamese names as a Vietnamese reader expects.

    Letters compare in the Vietnamese alphabet order (``đ`` after ``d``,
    ``ă``/``â`` after ``a``...); tone marks only break ties.
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
