"""Small-cell suppression of a report's counts of people (DESIGN.md §4).

The rule is :mod:`pcmd.indicators.privacy`; this module says which of a form's figures it
applies to, for one user:

- an automatic field follows its indicator (``small_cells`` and ``source``):
  :func:`~pcmd.indicators.privacy.must_suppress`;
- a typed field or table column flagged ``small_cells`` (``data/forms.yaml``) names the
  register its people are counted in (``source``): suppressed unless
  :func:`~pcmd.indicators.privacy.sees_small_cells` for that register.

Counts of activities, inspections or money are never suppressed. The reporter filling in their
own unit's or agency's report sees (and types) the exact figures: :func:`for_submission`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pcmd.indicators.models import Indicator
from pcmd.indicators.privacy import must_suppress, sees_small_cells, shown

from .models import FieldKind, FormVersion, Submission


@dataclass(frozen=True)
class Suppression:
    """Which figures of a form version a user sees as "<5" when they are small."""

    fields: frozenset[str] = frozenset()
    columns: dict[str, frozenset[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields or self.columns)

    def value(self, code: str, value: Any) -> Any:
        return shown(value, suppress=code in self.fields)

    def cell(self, code: str, key: str, value: Any) -> Any:
        return shown(value, suppress=key in self.columns.get(code, ()))

    def rows(self, code: str, rows: Any) -> Any:
        keys = self.columns.get(code)
        if not keys or not isinstance(rows, list):
            return rows
        return [
            {k: shown(v, suppress=k in keys) for k, v in row.items()}
            if isinstance(row, dict)
            else row
            for row in rows
        ]

    def mapping(self, values: dict[str, Any]) -> dict[str, Any]:
        """A ``{field code: value}`` mapping (typed or automatic figures) as it may be shown."""
        return {code: self.rows(code, self.value(code, v)) for code, v in values.items()}

    def hidden(self, values: dict[str, Any]) -> list[str]:
        """The codes of ``values`` that :meth:`mapping` changes (for the API's ``suppressed``)."""
        shown_values = self.mapping(values)
        return sorted(code for code, v in values.items() if shown_values[code] != v)


NOTHING = Suppression()


def suppression(version: FormVersion, user: Any) -> Suppression:
    """What ``user`` sees suppressed on ``version`` (one query when it has automatic fields)."""
    cache = version.__dict__.setdefault("_suppression_cache", {})
    key = getattr(user, "pk", None)
    if key in cache:
        return cache[key]
    fields = version.field_list
    codes = {f.indicator_code for f in fields if f.kind == FieldKind.AUTO}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}
    hidden: set[str] = set()
    columns: dict[str, frozenset[str]] = {}
    for f in fields:
        if f.kind == FieldKind.AUTO:
            indicator = indicators.get(f.indicator_code)
            if indicator is not None and must_suppress(indicator, user):
                hidden.add(f.code)
        elif f.kind == FieldKind.INTEGER and f.small_cells:
            if not sees_small_cells(user, f.source):
                hidden.add(f.code)
        elif f.kind == FieldKind.TABLE:
            keys = frozenset(
                c["key"]
                for c in f.columns or []
                if c.get("small_cells") and not sees_small_cells(user, c.get("source") or f.source)
            )
            if keys:
                columns[f.code] = keys
    result = Suppression(frozenset(hidden), columns)
    cache[key] = result
    return result


def for_submission(
    submission: Submission, user: Any, cache: dict[int, Suppression] | None = None
) -> Suppression:
    """As :func:`suppression`, but nothing for the reporter of ``submission`` (their figures).

    ``cache``: by form version id, for a page listing many reports' rule hits.
    """
    from .obligations import can_report_for

    if user is None:
        return NOTHING
    if can_report_for(user, submission.form_version, submission.unit, submission.agency):
        return NOTHING
    if cache is None:
        return suppression(submission.form_version, user)
    if submission.form_version_id not in cache:
        cache[submission.form_version_id] = suppression(submission.form_version, user)
    return cache[submission.form_version_id]


def hit_hides(hit: Any, hide: Suppression) -> bool:
    """Does a stored rule hit quote a suppressed figure (its field or the one compared)?"""
    return bool(hide) and (
        hit.field_code in hide.fields or getattr(hit.rule, "other_code", "") in hide.fields
    )


def hit_message(hit: Any, hide: Suppression, lang: str = "vi") -> str:
    """A stored hit's message; without the quoted figures when one of them is suppressed."""
    text = hit.message_en if lang == "en" and hit.message_en else hit.message
    if hit_hides(hit, hide) and text.endswith(")"):
        text = text.rsplit(" (", 1)[0]
    return text
