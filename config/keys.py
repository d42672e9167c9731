"""Keys for the person layer (DESIGN.md §4): field encryption and blind indexes.

- ``PCMD_FIELD_KEYS``: Fernet keys, comma separated, **newest first**. New values are
  encrypted with the first; every listed key can still decrypt, so a key is rotated by
  putting a new one in front and running ``manage.py rotate_field_keys``, then dropping the
  old one from the list.
- ``PCMD_BLIND_INDEX_KEY``: a separate secret (at least 32 characters) for the keyed HMAC of
  normalised identity values (ID number, phone, name + birth year). It cannot be rotated
  without recomputing every index (``rotate_field_keys --reindex``).

Production refuses to start without both. Development and tests use keys generated once
under ``var/`` (``var/field-keys.env``) and say so on standard error.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path

from config.env import ConfigurationError, optional, required

_WHY_FIELD = "list Fernet keys, newest first (python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
_WHY_BLIND = "set a random secret of at least 32 characters, different from the field keys."


def _check(field_keys: list[str], blind_key: str) -> tuple[list[str], str]:
    from cryptography.fernet import Fernet

    if not field_keys:
        raise ConfigurationError(f"PCMD_FIELD_KEYS names no key: {_WHY_FIELD}")
    for number, key in enumerate(field_keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ConfigurationError(
                f"PCMD_FIELD_KEYS key {number} is not a Fernet key (32 url-safe base64 bytes)."
            ) from None
    if len(blind_key) < 32:
        raise ConfigurationError(f"PCMD_BLIND_INDEX_KEY is too short: {_WHY_BLIND}")
    if blind_key in field_keys:
        raise ConfigurationError(f"PCMD_BLIND_INDEX_KEY repeats a field key: {_WHY_BLIND}")
    return field_keys, blind_key


def _split(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


def _development_keys(base_dir: Path) -> tuple[list[str], str]:
    """Keys kept in ``var/field-keys.env``; made once, atomically (parallel test workers)."""
    path = base_dir / "var" / "field-keys.env"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        field = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        blind = secrets.token_urlsafe(48)
        body = f"PCMD_FIELD_KEYS={field}\nPCMD_BLIND_INDEX_KEY={blind}\n"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(body)
            print(
                f"PCMD: generated development keys for identity fields in {path} "
                "(demo and tests only; production reads PCMD_FIELD_KEYS and PCMD_BLIND_INDEX_KEY).",
                file=sys.stderr,
            )
    values: dict[str, str] = {}
    for _ in range(50):  # another worker may be writing it this instant
        text = path.read_text()
        if text.endswith("\n"):
            break
    for line in text.splitlines():
        name, _sep, value = line.partition("=")
        values[name.strip()] = value.strip()
    return _split(values.get("PCMD_FIELD_KEYS", "")), values.get("PCMD_BLIND_INDEX_KEY", "")


def load(base_dir: Path, production: bool) -> tuple[list[str], str]:
    if production:
        return _check(
            _split(required("PCMD_FIELD_KEYS", _WHY_FIELD)),
            required("PCMD_BLIND_INDEX_KEY", _WHY_BLIND),
        )
    if optional("PCMD_FIELD_KEYS"):
        return _check(
            _split(optional("PCMD_FIELD_KEYS")),
            required("PCMD_BLIND_INDEX_KEY", _WHY_BLIND),
        )
    return _check(*_development_keys(base_dir))
