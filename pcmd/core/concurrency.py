"""Optimistic locking: an edit never silently overwrites another person's edit.

Editable records carry a ``version``. A form or API update sends back the version it
was based on; :func:`save_versioned` writes only if nobody saved in between, else raises
:class:`EditConflict` with a message in both languages.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Field
from django.utils.translation import gettext_lazy as _

from .messages import bilingual


class EditConflict(Exception):
    def __init__(self, obj: models.Model) -> None:
        self.obj = obj
        self.texts = bilingual(
            _(
                "Someone else saved this record while you were editing it. Your changes were not "
                "saved: reload to see their version, then apply your changes again."
            )
        )
        super().__init__(self.texts["en"])


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(obj: VersionedModel, expected_version: int | None, fields: list[str]) -> None:
    """Save ``fields`` of ``obj`` if its stored version is still ``expected_version``."""
    model = type(obj)
    if expected_version is None:
        expected_version = obj.version
    values: dict[str, Any] = {}
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, Field), name  # a concrete field, never a reverse relation
        values[field.attname] = getattr(obj, field.attname)
    if any(f.name == "updated_at" for f in model._meta.fields):
        from django.utils import timezone

        obj.updated_at = timezone.now()  # type: ignore[attr-defined]
        values["updated_at"] = obj.updated_at  # type: ignore[attr-defined]
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise EditConflict(obj)
    obj.version = expected_version + 1
