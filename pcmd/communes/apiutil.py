"""Helpers shared by the API modules of communes, taskreports and budget.

They turn an action's Django ``ValidationError`` into the project's JSON error
(``pcmd.api.errors``: message in Vietnamese and English, ``fields`` naming each field) and an
``EditConflict`` into a 409.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.request import Request

from pcmd.core.concurrency import EditConflict
from pcmd.core.messages import bilingual


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"

    def __init__(self, conflict: EditConflict) -> None:
        self.texts = conflict.texts
        super().__init__(self.texts["vi"])


class FieldErrors(exceptions.ValidationError):
    def __init__(self, fields: dict[str, list[str]], texts: dict[str, str]) -> None:
        self.texts = texts
        super().__init__(fields)


def _render(error: DjangoValidationError, lang: str) -> str:
    with translation.override(lang):
        text = str(error.message)
        return text % error.params if error.params else text


def to_api_error(exc: DjangoValidationError) -> FieldErrors:
    pairs: list[tuple[str, DjangoValidationError]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            pairs.extend((field, e) for e in errors)
    else:
        pairs.extend(("non_field_errors", e) for e in exc.error_list)
    fields: dict[str, list[str]] = {}
    for field, error in pairs:
        fields.setdefault(field, []).append(_render(error, "vi"))
    if pairs:
        texts = {"vi": _render(pairs[0][1], "vi"), "en": _render(pairs[0][1], "en")}
    else:
        texts = bilingual(_("The request is not valid."))
    return FieldErrors(fields, texts)


@contextmanager
def api_errors() -> Iterator[None]:
    """Run an action; map its errors onto API responses (400 with fields, 403, 409)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise to_api_error(exc) from None
    except EditConflict as exc:
        raise Conflict(exc) from None
    except PermissionDenied:
        raise exceptions.PermissionDenied() from None


def bad_field(field: str, message: Any, **params: Any) -> FieldErrors:
    texts = bilingual(message, **params)
    return FieldErrors({field: [texts["vi"]]}, texts)


def capability(name: str) -> type[permissions.BasePermission]:
    class Has(permissions.BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated
                        and request.user.can(name))

    Has.__name__ = f"Has_{name.replace('.', '_')}"
    return Has


def form_errors_from(exc: DjangoValidationError, add_error: Callable[[str | None, Any], None],
                     known: set[str]) -> None:
    """Put an action's ValidationError onto a Django form (unknown fields as form errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                add_error(field if field in known else None, error)
    else:
        for error in exc.error_list:
            add_error(None, error)
