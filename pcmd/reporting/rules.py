"""Validation rules on a report's figures (DESIGN.md §5; rules are data on the form version).

A hit names the field and says what was compared. Blocking hits stop a submission; warnings
need a written explanation that the approver reads. Hits are stored (:class:`RuleHit`) so the
province's data-quality table lists them without recomputing.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from .models import (
    DONE_STATUSES,
    FormVersion,
    Operator,
    RuleHit,
    RuleKind,
    Severity,
    Submission,
    ValidationRule,
)
from .values import format_number

_OPS = {
    Operator.LE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.GE: lambda a, b: a >= b,
    Operator.GT: lambda a, b: a > b,
    Operator.EQ: lambda a, b: a == b,
}


@dataclass
class Hit:
    rule: ValidationRule
    field_code: str
    field_label: str
    value: Decimal | None
    reference: Decimal | None
    detail_vi: str
    detail_en: str

    @property
    def is_blocking(self) -> bool:
        return self.rule.severity == Severity.BLOCKING

    @property
    def message(self) -> str:
        return f"{self.field_label}: {self.rule.message} ({self.detail_vi})"

    @property
    def message_en(self) -> str:
        text = self.rule.message_en or self.rule.message
        return f"{self.field_label}: {text} ({self.detail_en})"

    def text(self) -> str:
        """The message in the active language."""
        return self.message_en if translation.get_language() == "en" else self.message


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value)


def _value(numbers: dict[str, Decimal], code: str, divisor: str) -> Decimal | None:
    value = numbers.get(code)
    if value is None:
        return None
    if divisor:
        den = numbers.get(divisor)
        if not den:
            return None
        return (value / den).quantize(Decimal("0.01"))
    return value


def history(submission: Submission, codes: set[str]) -> dict[str, list[Decimal]]:
    """The reporter's figures for ``codes`` in periods ending in the 12 months before."""
    start = submission.period_start
    rows = (
        Submission.objects.filter(
            form=submission.form,
            unit=submission.unit,
            agency=submission.agency,
            status__in=DONE_STATUSES,
            period_end__lt=start,
            period_end__gte=start - datetime.timedelta(days=365),
        )
        .exclude(pk=submission.pk)
        .values_list("values", "auto_values")
    )
    out: dict[str, list[Decimal]] = {code: [] for code in codes}
    for values, auto in rows:
        for code in codes:
            raw = values.get(code, auto.get(code))
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                out[code].append(Decimal(str(raw)))
    return out


def legal_fine_bounds(submission: Submission) -> tuple[int, int] | None:
    """The legal fine range of the violation catalog in force during the period."""
    from pcmd.enforcement.legal import fine_bounds

    return fine_bounds(submission.period_start, submission.period_end)


def evaluate(
    version: FormVersion, submission: Submission, numbers: dict[str, Decimal]
) -> list[Hit]:
    """Every rule of ``version`` that the figures break."""
    rules = list(version.rules.all())
    labels = {f.code: f.label for f in version.field_list}
    median_codes = {r.field_code for r in rules if r.kind == RuleKind.MEDIAN}
    past = history(submission, median_codes) if median_codes and submission.pk else {}
    hits = []
    for rule in rules:
        label = labels.get(rule.field_code, rule.field_code)
        value = _value(numbers, rule.field_code, rule.divisor_code)
        if value is None:
            continue
        name_vi = label + (
            f" ÷ {labels.get(rule.divisor_code, rule.divisor_code)}" if rule.divisor_code else ""
        )
        if rule.kind == RuleKind.COMPARE:
            other = numbers.get(rule.other_code)
            if other is None or _OPS[Operator(rule.operator)](value, other):
                continue
            other_label = labels.get(rule.other_code, rule.other_code)
            detail = f"{name_vi} = {_fmt(value)}; {other_label} = {_fmt(other)}"
            hits.append(Hit(rule, rule.field_code, label, value, other, detail, detail))
        elif rule.kind in (RuleKind.RANGE, RuleKind.LEGAL_FINE):
            low, high = rule.min_value, rule.max_value
            if rule.kind == RuleKind.LEGAL_FINE:
                in_force = legal_fine_bounds(submission)
                if in_force is None:
                    continue
                low, high = Decimal(in_force[0]), Decimal(in_force[1])
            if (low is None or value >= low) and (high is None or value <= high):
                continue
            bounds = f"{_fmt(low)} – {_fmt(high)}"
            hits.append(
                Hit(
                    rule,
                    rule.field_code,
                    label,
                    value,
                    low if low is not None and value < low else high,
                    f"{name_vi} = {_fmt(value)}; khung {bounds}",
                    f"{name_vi} = {_fmt(value)}; range {bounds}",
                )
            )
        elif rule.kind == RuleKind.MEDIAN:
            series = past.get(rule.field_code, [])
            if len(series) < rule.min_history or not rule.factor:
                continue
            median = Decimal(str(statistics.median(series)))
            factor = rule.factor
            if median == 0:
                far = value > 0
            else:
                far = value > median * factor or value < median / factor
            if not far:
                continue
            hits.append(
                Hit(
                    rule,
                    rule.field_code,
                    label,
                    value,
                    median,
                    f"{label} = {_fmt(value)}; trung vị 12 tháng = {_fmt(median)}",
                    f"{label} = {_fmt(value)}; 12-month median = {_fmt(median)}",
                )
            )
    return hits


def store(submission: Submission, hits: list[Hit]) -> None:
    """Replace the submission's stored hits (explanations kept from the submission)."""
    RuleHit.objects.filter(submission=submission).delete()
    now = timezone.now()
    RuleHit.objects.bulk_create(
        [
            RuleHit(
                submission=submission,
                rule=h.rule,
                field_code=h.field_code,
                severity=h.rule.severity,
                message=h.message[:500],
                message_en=h.message_en[:500],
                value=h.value,
                reference=h.reference,
                explanation=(submission.explanations or {}).get(h.rule.code, ""),
                found_at=now,
            )
            for h in hits
        ]
    )


def explanation_missing(submission: Submission, hits: list[Hit]) -> list[Hit]:
    explanations: dict[str, Any] = submission.explanations or {}
    return [
        h for h in hits if not h.is_blocking and not str(explanations.get(h.rule.code, "")).strip()
    ]
