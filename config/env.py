"""Reading the settings' environment variables, refusing bad values with one clear line.

Every variable the settings read goes through these helpers; a wrong or missing value raises
:class:`ConfigurationError` naming the variable, which ``manage.py`` prints as one line.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigurationError(ImproperlyConfigured):
    """A missing or invalid environment variable; the message names it and says what to do."""


def choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """``name`` as one of ``choices``; ``default`` when it is unset (set but empty is an error)."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip()
    if value not in choices:
        raise ConfigurationError(
            f"{name}={value!r} is not a known value: use one of {', '.join(choices)}."
        )
    return value


def flag(name: str, default: bool) -> bool:
    """A yes/no variable: 1/0, true/false, yes/no, on/off."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a yes/no value: use 1 or 0.")


def required(name: str, why: str) -> str:
    """A variable that must be set and not empty (production)."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        raise ConfigurationError(f"{name} is missing or empty: {why}")
    return value


def optional(name: str, default: str = "") -> str:
    return (os.environ.get(name) or "").strip() or default


def integer(name: str, default: int) -> int:
    value = optional(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number.") from None


def host_list(name: str, why: str) -> list[str]:
    hosts = [h.strip() for h in required(name, why).split(",") if h.strip()]
    if not hosts:
        raise ConfigurationError(f"{name} names no host: {why}")
    return hosts
