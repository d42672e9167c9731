"""Builders for commune assessment tests (rows made in code, never pk fixtures)."""

from __future__ import annotations

from typing import Any

from pcmd.communes import actions
from pcmd.communes.models import Assessment, AssessmentTemplate
from pcmd.geo.models import Unit, UnitLevel

TAN_LAP = "24118"
EA_SO = "24379"
YEAR = 2018


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.COMMUNE, valid_from=None)


def template() -> AssessmentTemplate:
    actions.ensure_seed_template()
    found = AssessmentTemplate.objects.for_year(YEAR)
    assert found is not None
    return found


def full_points(tpl: AssessmentTemplate | None = None, **overrides: int) -> dict[str, int]:
    tpl = tpl or template()
    points = {c.code: c.max_points for c in tpl.criteria.all()}
    points.update(overrides)
    return points


def assessment(
    user: Any,
    code: str = TAN_LAP,
    year: int = YEAR,
    status: str = "draft",
    reviewer: Any = None,
    **overrides: int,
) -> Assessment:
    """An assessment of ``code`` filled in by ``user``, moved on to ``status``."""
    a = actions.save_assessment(commune(code), year, actor=user, points=full_points(**overrides))
    if status in ("submitted", "confirmed", "returned"):
        a = actions.submit_assessment(a, actor=user, expected_version=a.version)
    if status == "confirmed":
        a = actions.confirm_assessment(a, actor=reviewer, expected_version=a.version)
    if status == "returned":
        a = actions.return_assessment(
            a, actor=reviewer, expected_version=a.version, comment="Bổ sung minh chứng"
        )
    a.refresh_from_db()
    return a
