"""An indicator's filters in words, generated from its declaration (indicators.yaml).

``{"sanctions__isnull": False}`` on violations reads "sanction decisions: present";
``{"team__level": 1}`` on inspections reads "team › level: province"; a list (``__in``)
reads as its labels, comma-separated. Field names come
from the models' verbose names, values from the fields' choices, so the sentence follows
the declaration and the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext

from . import placeholders
from .sources import SOURCES


def _path_words(model: type[models.Model], path: list[str]) -> tuple[str, Any]:
    """``["team", "level"]`` → ("team › level", the last field)."""
    words: list[str] = []
    field: Any = None
    current: Any = model
    for part in path:
        try:
            field = current._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            words.append(part.replace("_", " "))
            field = None
            break
        name = getattr(field, "verbose_name", None)
        if name is None:  # a reverse relation: the related model's plural name
            name = field.related_model._meta.verbose_name_plural
        words.append(str(name))
        current = field.related_model
    return " › ".join(words), field


def describe_filters(source_key: str, filters: dict[str, Any] | None) -> str:
    """The filters of an indicator as a sentence; "" when it has none."""
    source = SOURCES.get(source_key)
    if not filters or source is None:
        return ""
    model = source.model_class()
    parts: list[str] = []
    for lookup, value in filters.items():
        path = lookup.split("__")
        test = ""
        if path[-1] in ("isnull", "in", "gte", "lte", "gt", "lt"):
            test = path.pop()
        words, field = _path_words(model, path)
        if placeholders.label(value) is not None:
            shown = str(placeholders.label(value))
        elif test == "isnull":
            shown = gettext("none") if value else gettext("present")
        elif field is not None and getattr(field, "choices", None):
            labels = {str(k): str(v) for k, v in field.flatchoices}
            values = value if isinstance(value, list | tuple) else [value]
            shown = ", ".join(labels.get(str(v), str(v)) for v in values)
        elif isinstance(value, bool):
            shown = gettext("yes") if value else gettext("no")
        else:
            shown = str(value)
        if test in ("gte", "gt"):
            shown = f"≥ {shown}"
        elif test in ("lte", "lt"):
            shown = f"≤ {shown}"
        parts.append(f"{words}: {shown}")
    return "; ".join(parts)


def describe_measure(source_key: str, measure: str) -> str:
    """The field an indicator counts distinct or sums, in words ("case › persons in cases ›
    person"); sums of several fields ("a+b") read "a + b"."""
    source = SOURCES.get(source_key)
    if not measure or source is None:
        return measure
    model = source.model_class()
    return " + ".join(
        _path_words(model, part.strip().split("__"))[0] for part in measure.split("+")
    )
