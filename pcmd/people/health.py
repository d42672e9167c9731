"""The person layer's part of ``GET /healthz`` (pcmd.core.health): the configured field keys
read the identities stored here. A database restored with other keys (or a key dropped before
rotation finished) fails the health check, not a person's page in front of an officer."""

from __future__ import annotations

from . import crypto
from .models import Person


def keys_read_identities() -> bool:
    """The newest stored person's name decrypts with ``PCMD_FIELD_KEYS`` (true when there is
    no person yet)."""
    try:
        Person._base_manager.order_by("-pk").values_list("full_name", flat=True).first()
    except crypto.UnreadableValue:
        return False
    return True
