"""What an inspection can lead to, provided by the apps above inspections.

The field form records an inspection and, in the same transaction, the violation it found.
Violations belong to enforcement, which depends on inspections (a violation refers to the
inspection that found it); so inspections does not import enforcement. Enforcement
registers its part here from ``AppConfig.ready``; asking for it unregistered fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


@dataclass(frozen=True)
class ViolationFollowUp:
    """The violation part of the field form."""

    types: Callable[[], QuerySet[Any]]  # the violation types one may choose, in order
    subject_choices: Callable[[], list[tuple[str, Any]]]
    default_subject: str
    # The action recording the violation: keyword-only actor, violation_type, date,
    # inspection, establishment, subject_kind, people_count, description.
    record: Callable[..., Any]


_registered: dict[str, ViolationFollowUp] = {}


def register_violations(follow_up: ViolationFollowUp) -> None:
    _registered["violations"] = follow_up


def violations() -> ViolationFollowUp:
    try:
        return _registered["violations"]
    except KeyError:
        raise ImproperlyConfigured(
            "No app registered the violation follow-up of inspections "
            "(pcmd.enforcement registers it in its AppConfig.ready)."
        ) from None
