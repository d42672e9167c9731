"""Normal forms of identity values, so that the blind index of the same value matches however
it was typed ("066 123 456 789" = "066123456789"; "+84 912..." = "0912..."; "Nguyễn  Thị
Hoa" = "nguyen thi hoa")."""

from __future__ import annotations

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")


def id_number(value: str) -> str:
    """Digits only (CCCD 12 digits, old CMND 9)."""
    return _NOT_DIGIT.sub("", value or "")


def phone(value: str) -> str:
    """Digits only, the country code +84/84 written as the leading 0."""
    digits = _NOT_DIGIT.sub("", value or "")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def name(value: str) -> str:
    """Lower case, without diacritics (đ → d), single spaces."""
    folded = unidecode((value or "").replace("Đ", "D").replace("đ", "d"))
    return _SPACES.sub(" ", re.sub(r"[^a-z ]", " ", folded.lower())).strip()


def name_year(value: str, year: int | None) -> str:
    folded = name(value)
    return f"{folded}|{year}" if folded and year else ""
