"""Normalised text for duplicate detection and accent-insensitive search.

"Karaoke  Hoàng-Gia" and "karaoke hoang gia" are the same name to an official typing a list:
lower case, no diacritics (``unidecode``: "đ" → "d"), punctuation as spaces, spaces collapsed.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str | None) -> str:
    if not text:
        return ""
    return _NOT_WORD.sub(" ", unidecode(str(text)).lower()).strip()


def dedup_key(name: str, address: str) -> str:
    """The stored ``Establishment.dedup_key``: ``"<name>|<address>"``, both normalised."""
    return f"{normalise(name)}|{normalise(address)}"[:500]
