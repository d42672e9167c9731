"""Total and class of an assessment, computed from its template (never typed by anyone)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import AssessmentClass, Criterion, MatchRule


@dataclass(frozen=True)
class Result:
    total: int
    critical_failed: int
    result_class: AssessmentClass | None
    is_complete: bool


def class_matches(cls: AssessmentClass, total: int, critical_failed: int) -> bool:
    conditions: list[bool] = []
    if cls.min_total is not None:
        conditions.append(total >= cls.min_total)
    if cls.max_total is not None:
        conditions.append(total <= cls.max_total)
    if cls.min_critical_failed is not None:
        conditions.append(critical_failed >= cls.min_critical_failed)
    if cls.max_critical_failed is not None:
        conditions.append(critical_failed <= cls.max_critical_failed)
    if not conditions:
        return True  # the fallback class
    return any(conditions) if cls.match == MatchRule.ANY else all(conditions)


def compute(
    criteria: Iterable[Criterion],
    classes: Iterable[AssessmentClass],
    points: Mapping[int, int | None],
) -> Result:
    """``points`` maps criterion id to the points given (missing/None: not scored yet).

    A critical criterion fails when it scores less than its maximum. The class is only
    computed once every criterion is scored; until then it is ``None``.
    """
    total = 0
    failed = 0
    complete = True
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None:
            complete = False
            continue
        total += value
        if criterion.is_critical and value < criterion.max_points:
            failed += 1
    chosen = None
    if complete:
        for cls in sorted(classes, key=lambda c: (c.order, c.pk or 0)):
            if class_matches(cls, total, failed):
                chosen = cls
                break
    return Result(total=total, critical_failed=failed, result_class=chosen, is_complete=complete)
