"""Encryption of identity values and their blind indexes (DESIGN.md §4).

Values are encrypted with :class:`cryptography.fernet.MultiFernet` built from
``settings.PCMD_FIELD_KEYS`` (newest first): the first key encrypts, every key decrypts.
Blind indexes are a keyed HMAC-SHA256 (``settings.PCMD_BLIND_INDEX_KEY``) of a normalised
value, prefixed with its kind so that equal strings of different kinds never match.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UnreadableValue(Exception):
    """A stored value no configured key can decrypt (a key was dropped too early)."""


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _cipher() -> MultiFernet:
    return _multifernet(tuple(settings.PCMD_FIELD_KEYS))


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableValue(
            "An identity value cannot be decrypted with the configured PCMD_FIELD_KEYS."
        ) from None


def rotate(token: str) -> str:
    """The same value encrypted with the newest key."""
    try:
        return _cipher().rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableValue(
            "An identity value cannot be decrypted with the configured PCMD_FIELD_KEYS."
        ) from None


def is_current(token: str) -> bool:
    """Encrypted with the newest key (what rotation skips)."""
    try:
        Fernet(settings.PCMD_FIELD_KEYS[0].encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def blind(kind: str, normalised: str) -> str:
    """The blind index of a normalised value; empty for an empty value."""
    if not normalised:
        return ""
    key = settings.PCMD_BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}\x1f{normalised}".encode(), hashlib.sha256).hexdigest()
