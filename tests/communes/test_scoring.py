"""Class computation on hand-built templates and scores: the class is computed, not typed."""

import pytest

from pcmd.communes import scoring
from pcmd.communes.models import AssessmentClass, AssessmentTemplate, Criterion

from .builders import full_points, template

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> tuple[list[Criterion], list[AssessmentClass]]:
    t = AssessmentTemplate.objects.create(name="Thử", legal_basis="Thử", valid_from_year=2030)
    criteria = [
        Criterion.objects.create(
            template=t, code="X1", group="X", order=1, text="a", max_points=40
        ),
        Criterion.objects.create(
            template=t, code="X2", group="X", order=2, text="b", max_points=30, is_critical=True
        ),
        Criterion.objects.create(
            template=t, code="X3", group="X", order=3, text="c", max_points=30, is_critical=True
        ),
    ]
    classes = [
        AssessmentClass.objects.create(
            template=t,
            code="healthy",
            name="Lành mạnh",
            kind="healthy",
            order=1,
            min_total=90,
            max_critical_failed=0,
        ),
        AssessmentClass.objects.create(
            template=t,
            code="key",
            name="Trọng điểm",
            kind="key",
            order=2,
            match="any",
            max_total=40,
            min_critical_failed=2,
        ),
        AssessmentClass.objects.create(
            template=t, code="rest", name="Còn lại", kind="intermediate", order=3
        ),
    ]
    return criteria, classes


def _code(small, x1, x2, x3) -> str | None:
    criteria, classes = small
    result = scoring.compute(
        criteria, classes, {criteria[0].pk: x1, criteria[1].pk: x2, criteria[2].pk: x3}
    )
    return result.result_class.code if result.result_class else None


def test_healthy_needs_the_threshold_and_no_failed_critical(small) -> None:
    assert _code(small, 40, 30, 30) == "healthy"
    assert _code(small, 30, 30, 30) == "healthy"  # exactly 90
    assert _code(small, 29, 30, 30) == "rest"  # 89
    # 99 points but one critical criterion short of its maximum: not healthy
    assert _code(small, 40, 29, 30) == "rest"


def test_key_when_any_of_its_conditions_holds(small) -> None:
    assert _code(small, 40, 29, 29) == "key"  # two critical criteria failed, total 98
    assert _code(small, 40, 0, 0) == "key"
    assert _code(small, 10, 30, 0) == "key"  # total 40


def test_no_class_until_every_criterion_is_scored(small) -> None:
    criteria, classes = small
    result = scoring.compute(criteria, classes, {criteria[0].pk: 40, criteria[1].pk: 30})
    assert result.result_class is None and not result.is_complete and result.total == 70


def test_classes_are_tried_in_order(small) -> None:
    criteria, classes = small
    classes[2].order = 0  # the fallback first: it wins everything
    assert (
        scoring.compute(criteria, classes, {c.pk: c.max_points for c in criteria}).result_class.code
        == "rest"
    )


def test_seeded_template_from_joint_resolution_01_2008() -> None:
    t = template()
    assert "01/2008/NQLT-BLĐTBXH-BCA-BVHTTDL-UBTƯMTTQVN" in t.legal_basis
    assert "28/08/2008" in t.legal_basis
    assert t.unverified  # says what could not be checked
    assert t.max_total == 100
    kinds = {c.kind for c in t.classes.all()}
    assert {"healthy", "key", "intermediate"} <= kinds
    assert t.criteria.filter(is_critical=True).count() >= 3
    points = {c.pk: c.max_points for c in t.criteria.all()}
    full = scoring.compute(t.criteria.all(), t.classes.all(), points)
    assert full.total == 100 and full.result_class.kind == "healthy"
    criteria = {c.code: c for c in t.criteria.all()}
    assert set(full_points()) == set(criteria)
