"""Actions: who fills, submits, confirms and returns; history; audit; optimistic locking."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.communes import actions
from pcmd.communes.models import Assessment, Transition
from pcmd.core.concurrency import EditConflict
from pcmd.core.models import AuditEvent

from .builders import EA_SO, TAN_LAP, YEAR, assessment, commune, full_points

pytestmark = pytest.mark.django_db


def test_commune_fills_submits_district_confirms(persona) -> None:
    officer, district = persona("xa.tanlap"), persona("huyen.bmt")
    a = actions.save_assessment(commune(TAN_LAP), YEAR, actor=officer, points={"A1": 5, "A2": 4})
    assert a.status == "draft" and a.total == 9 and a.result_class is None
    a = actions.save_assessment(
        commune(TAN_LAP), YEAR, actor=officer, points=full_points(E1=3), expected_version=a.version
    )
    assert a.total == 98 and a.result_class.kind == "healthy" and a.is_complete
    actions.submit_assessment(a, actor=officer, expected_version=a.version)
    actions.confirm_assessment(a, actor=district, expected_version=a.version, comment="Đạt")
    a.refresh_from_db()
    assert a.status == "confirmed" and a.reviewed_by == district
    steps = list(Transition.objects.filter(assessment=a).values_list("from_status", "to_status"))
    assert steps == [("", "draft"), ("draft", "submitted"), ("submitted", "confirmed")]
    verbs = set(
        AuditEvent.objects.filter(
            object_id=str(a.pk), object_type="communes.assessment"
        ).values_list("verb", flat=True)
    )
    assert verbs == {
        "assessment.create",
        "assessment.update",
        "assessment.submitted",
        "assessment.confirmed",
    }


def test_failed_critical_criterion_is_not_healthy(persona) -> None:
    a = assessment(persona("xa.tanlap"), D1=0)
    assert a.total == 92 and a.critical_failed == 1 and a.result_class.kind != "healthy"


def test_points_out_of_range_name_the_criterion(persona) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.save_assessment(
            commune(TAN_LAP), YEAR, actor=persona("xa.tanlap"), points={"A1": 6, "B1": -1, "Z9": 1}
        )
    assert set(exc.value.message_dict) == {"A1", "B1", "Z9"}
    assert "A1" in exc.value.message_dict["A1"][0] and "5" in exc.value.message_dict["A1"][0]
    assert not Assessment.objects.exists()


def test_incomplete_cannot_be_submitted(persona) -> None:
    officer = persona("xa.tanlap")
    a = actions.save_assessment(commune(TAN_LAP), YEAR, actor=officer, points={"A1": 5})
    with pytest.raises(ValidationError) as exc:
        actions.submit_assessment(a, actor=officer, expected_version=a.version)
    assert "scores" in exc.value.message_dict


def test_cannot_confirm_a_draft_and_return_needs_a_comment(persona) -> None:
    officer, district = persona("xa.tanlap"), persona("huyen.bmt")
    a = assessment(officer)
    with pytest.raises(ValidationError):
        actions.confirm_assessment(a, actor=district, expected_version=a.version)
    actions.submit_assessment(a, actor=officer, expected_version=a.version)
    with pytest.raises(ValidationError) as exc:
        actions.return_assessment(a, actor=district, expected_version=a.version, comment="  ")
    assert "comment" in exc.value.message_dict
    actions.return_assessment(
        a, actor=district, expected_version=a.version, comment="Thiếu biên bản"
    )
    a.refresh_from_db()
    assert a.status == "returned" and a.review_comment == "Thiếu biên bản"
    # the commune corrects and submits again
    a = actions.save_assessment(
        commune(TAN_LAP), YEAR, actor=officer, points={"E1": 4}, expected_version=a.version
    )
    actions.submit_assessment(a, actor=officer, expected_version=a.version)
    a.refresh_from_db()
    assert a.status == "submitted" and a.total == 99


def test_confirmed_assessment_is_locked(persona) -> None:
    a = assessment(persona("xa.tanlap"), status="confirmed", reviewer=persona("huyen.bmt"))
    with pytest.raises(ValidationError):
        actions.save_assessment(
            commune(TAN_LAP),
            YEAR,
            actor=persona("xa.tanlap"),
            points={"A1": 0},
            expected_version=a.version,
        )
    with pytest.raises(ValidationError):
        actions.return_assessment(
            a, actor=persona("huyen.bmt"), expected_version=a.version, comment="x"
        )


@pytest.mark.parametrize(
    "username",
    ["xa.easo", "huyen.bmt", "thuongtruc", "lanhdao", "congan", "sovhttdl", "ctxh.bmt", "doi178"],
)
def test_only_the_commune_fills_its_assessment(persona, username) -> None:
    with pytest.raises(PermissionDenied):
        actions.save_assessment(commune(TAN_LAP), YEAR, actor=persona(username), points={"A1": 5})


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("huyen.bmt", True),
        ("thuongtruc", True),
        ("admin", True),
        ("xa.tanlap", False),
        ("lanhdao", False),
        ("congan", False),
        ("ctxh.bmt", False),
        ("xa.easo", False),
    ],
)
def test_who_confirms_tan_lap(persona, username, allowed) -> None:
    a = assessment(persona("xa.tanlap"), status="submitted")
    if allowed:
        actions.confirm_assessment(a, actor=persona(username), expected_version=a.version)
        assert Assessment.objects.get(pk=a.pk).status == "confirmed"
    else:
        with pytest.raises(PermissionDenied):
            actions.confirm_assessment(a, actor=persona(username), expected_version=a.version)


def test_district_officer_confirms_only_its_district(persona) -> None:
    a = assessment(persona("xa.easo"), code=EA_SO, status="submitted")
    with pytest.raises(PermissionDenied):
        actions.confirm_assessment(a, actor=persona("huyen.bmt"), expected_version=a.version)


def test_stale_version_saves_nothing(persona) -> None:
    officer = persona("xa.tanlap")
    a = assessment(officer, E1=3)
    stale = a.version
    actions.save_assessment(
        commune(TAN_LAP), YEAR, actor=officer, points={"E1": 4}, expected_version=stale
    )
    with pytest.raises(EditConflict):
        actions.save_assessment(
            commune(TAN_LAP), YEAR, actor=officer, points={"E1": 0}, expected_version=stale
        )
    a.refresh_from_db()
    assert a.total == 99 and a.scores.get(criterion__code="E1").points == 4
    with pytest.raises(EditConflict):
        actions.submit_assessment(a, actor=officer, expected_version=stale)
    assert Assessment.objects.get(pk=a.pk).status == "draft"


def test_a_commune_that_did_not_exist_that_year(persona) -> None:
    # Phường Tân Lập of the three-tier map ended on 30/06/2025
    with pytest.raises(ValidationError) as exc:
        actions.save_assessment(commune(TAN_LAP), 2026, actor=persona("xa.tanlap"), points={})
    assert "year" in exc.value.message_dict


def test_template_locked_once_used(persona) -> None:
    admin = persona("admin")
    a = assessment(persona("xa.tanlap"))
    criterion = a.template.criteria.first()
    with pytest.raises(ValidationError):
        actions.save_criterion(a.template, actor=admin, criterion=criterion, max_points=50)
    with pytest.raises(PermissionDenied):
        actions.update_template(
            a.template, actor=persona("thuongtruc"), expected_version=a.template.version, name="x"
        )
    copy = actions.copy_template(a.template, actor=admin, valid_from_year=2019)
    actions.save_criterion(copy, actor=admin, criterion=copy.criteria.get(code="A1"), max_points=6)
    a.template.refresh_from_db()
    assert a.template.valid_to_year == 2018 and copy.max_total == 101
    from pcmd.communes.models import AssessmentTemplate

    assert AssessmentTemplate.objects.for_year(2019) == copy
    assert AssessmentTemplate.objects.for_year(2018) == a.template
