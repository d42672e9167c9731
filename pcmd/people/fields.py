"""Model fields whose values are stored encrypted (pcmd.people.crypto).

The database holds only Fernet tokens: nothing can be filtered or sorted by these fields
(lookups other than ``isnull`` are refused); search goes through the blind indexes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from . import crypto


class EncryptedField(models.Field):
    """A value encrypted at rest in a text column; ``""`` and ``None`` are stored as they are."""

    def get_internal_type(self) -> str:
        return "TextField"

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_text(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None if value is None else self.empty_value()
        return self.from_text(crypto.decrypt(value))

    def empty_value(self) -> Any:
        return ""

    def to_python(self, value: Any) -> Any:
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: search it through its blind index, not '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedField):
    _pyi_private_set_type: str
    _pyi_private_get_type: str


class EncryptedDateField(EncryptedField):
    _pyi_private_set_type: datetime.date | None
    _pyi_private_get_type: datetime.date | None

    def to_text(self, value: Any) -> str:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def from_text(self, text: str) -> Any:
        return datetime.date.fromisoformat(text)

    def empty_value(self) -> Any:
        return None


class EncryptedIntegerField(EncryptedField):
    _pyi_private_set_type: int | None
    _pyi_private_get_type: int | None

    def to_text(self, value: Any) -> str:
        return str(int(value))

    def from_text(self, text: str) -> Any:
        return int(text)

    def empty_value(self) -> Any:
        return None
