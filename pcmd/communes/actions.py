"""Writes to commune assessments and their scoring templates.

Every function is one transaction that checks the permission and the scope, writes, and
records one audit row. Updates of versioned records go through ``save_versioned``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import allows, require
from pcmd.core import audit
from pcmd.core.concurrency import EditConflict, save_versioned
from pcmd.geo.models import Unit, UnitLevel

from . import scoring
from .models import (
    EDITABLE_STATUSES,
    Assessment,
    AssessmentClass,
    AssessmentStatus,
    AssessmentTemplate,
    Criterion,
    Score,
    Transition,
)

S = AssessmentStatus
_RESULT_FIELDS = ["total", "critical_failed", "result_class", "is_complete"]


# --- who may do what (pcmd.accounts.policy, "communes.assessment") ----------------------
def can_fill(actor: Any, commune: Unit) -> bool:
    """The commune (or an administrator) fills in and submits its own assessment."""
    return commune.level == UnitLevel.COMMUNE and allows(
        actor, "assessment.submit", unit=commune, obj=Assessment(commune=commune)
    )


def can_review(actor: Any, commune: Unit) -> bool:
    """The district of the commune (or the standing office, an administrator) confirms."""
    return allows(actor, "assessment.confirm", unit=commune, obj=Assessment(commune=commune))


def can_edit_templates(actor: Any) -> bool:
    return allows(actor, "catalogs.edit")


def commune_exists_in(commune: Unit, year: int) -> bool:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (commune.valid_from is None or commune.valid_from <= last) and (
        commune.valid_to is None or commune.valid_to >= first
    )


def _fail(field: str, message: Any, **params: Any) -> NoReturn:
    """Raise a field error that keeps the lazy message (the API renders both languages)."""
    raise ValidationError({field: [ValidationError(message, params=params or None)]})


# --- assessments ---------------------------------------------------------------------
def _step(assessment: Assessment, actor: Any, before: str, comment: str = "") -> None:
    Transition.objects.create(
        assessment=assessment,
        from_status=before,
        to_status=assessment.status,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=getattr(actor, "username", "") or "system",
        comment=comment,
    )


def _check_points(criteria: list[Criterion], points: Mapping[str, int | None]) -> None:
    errors: dict[str, list[ValidationError]] = {}
    known = {c.code for c in criteria}
    for code in points:
        if code not in known:
            errors.setdefault(code, []).append(
                ValidationError(
                    _("There is no criterion %(code)s in this template."), params={"code": code}
                )
            )
    for criterion in criteria:
        value = points.get(criterion.code)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (0 <= value <= criterion.max_points)
        ):
            errors.setdefault(criterion.code, []).append(
                ValidationError(
                    _("Criterion %(code)s: points must be a whole number from 0 to %(max)s."),
                    params={"code": criterion.code, "max": criterion.max_points},
                )
            )
    if errors:
        raise ValidationError(errors)


def _apply_scores(
    assessment: Assessment, criteria: list[Criterion], points: Mapping[str, int | None]
) -> dict[str, list[Any]]:
    """Write the given scores; returns ``{code: [old, new]}`` of what changed."""
    existing = {s.criterion_id: s for s in assessment.scores.all()}
    changes: dict[str, list[Any]] = {}
    to_create = []
    for criterion in criteria:
        if criterion.code not in points:
            continue
        new = points[criterion.code]
        old_score = existing.get(criterion.pk)
        old = old_score.points if old_score else None
        if old == new:
            continue
        changes[criterion.code] = [old, new]
        if new is None and old_score is not None:
            old_score.delete()
        elif old_score is not None and new is not None:
            old_score.points = new
            old_score.save(update_fields=["points"])
        elif new is not None:
            to_create.append(Score(assessment=assessment, criterion=criterion, points=new))
    Score.objects.bulk_create(to_create)
    return changes


def _recompute(assessment: Assessment, criteria: list[Criterion]) -> None:
    points = dict(assessment.scores.values_list("criterion_id", "points"))
    result = scoring.compute(criteria, list(assessment.template.classes.all()), points)
    assessment.total = result.total
    assessment.critical_failed = result.critical_failed
    assessment.result_class = result.result_class
    assessment.is_complete = result.is_complete


@transaction.atomic
def save_assessment(
    commune: Unit,
    year: int,
    *,
    actor: Any,
    points: Mapping[str, int | None],
    comment: str | None = None,
    expected_version: int | None = None,
    create_only_if_new: bool = False,
) -> Assessment:
    """Create the commune's assessment for ``year`` or update its scores (draft/returned).

    ``points`` maps criterion codes to points (``None`` clears a score). When the form was
    shown for a new assessment and somebody created it meanwhile, ``create_only_if_new``
    turns that into an edit conflict.
    """
    if not can_fill(actor, commune):
        raise PermissionDenied
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("template")
        .filter(commune=commune, year=year)
        .first()
    )
    created = assessment is None
    if assessment is None:
        if not commune_exists_in(commune, year):
            _fail("year", _("%(unit)s did not exist in %(year)s."), unit=commune.name, year=year)
        template = AssessmentTemplate.objects.for_year(year)
        if template is None:
            _fail("year", _("No assessment template is valid in %(year)s."), year=year)
        criteria = list(template.criteria.all())
        _check_points(criteria, points)
        assessment = Assessment.objects.create(
            template=template, commune=commune, year=year, comment=comment or ""
        )
        _step(assessment, actor, "")
    else:
        if create_only_if_new:
            raise EditConflict(assessment)
        if assessment.status not in EDITABLE_STATUSES:
            _fail(
                "status",
                _("This assessment is %(status)s and can no longer be changed."),
                status=assessment.get_status_display(),
            )
        criteria = list(assessment.template.criteria.all())
        _check_points(criteria, points)
        save_versioned(assessment, expected_version, [])  # checks and bumps the version
    changes = _apply_scores(assessment, criteria, points)
    before = audit.snapshot(assessment, _RESULT_FIELDS + ["comment"])
    if comment is not None:
        assessment.comment = comment
    _recompute(assessment, criteria)
    # The version was checked (and bumped) above; this write only stores computed fields.
    Assessment.objects.filter(pk=assessment.pk).update(
        total=assessment.total,
        critical_failed=assessment.critical_failed,
        result_class=assessment.result_class,
        is_complete=assessment.is_complete,
        comment=assessment.comment,
        updated_at=timezone.now(),
    )
    changes.update(audit.diff(before, audit.snapshot(assessment, _RESULT_FIELDS + ["comment"])))
    audit.record(
        actor=actor,
        verb="assessment.create" if created else "assessment.update",
        obj=assessment,
        changes=changes,
    )
    return assessment


def _move(
    assessment: Assessment,
    actor: Any,
    to: str,
    expected_version: int | None,
    comment: str = "",
    extra: list[str] | None = None,
) -> None:
    before = assessment.status
    assessment.status = to
    save_versioned(assessment, expected_version, ["status", *(extra or [])])
    _step(assessment, actor, before, comment)
    audit.record(
        actor=actor,
        verb=f"assessment.{to}",
        obj=assessment,
        changes={"status": [before, to]},
        reason=comment[:500],
    )


@transaction.atomic
def submit_assessment(
    assessment: Assessment, *, actor: Any, expected_version: int | None
) -> Assessment:
    if not can_fill(actor, assessment.commune):
        raise PermissionDenied
    if assessment.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"status": _("Only a draft or a returned assessment can be submitted.")}
        )
    if not assessment.is_complete:
        raise ValidationError({"scores": _("Score every criterion before submitting.")})
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    _move(assessment, actor, S.SUBMITTED, expected_version, extra=["submitted_at", "submitted_by"])
    return assessment


@transaction.atomic
def confirm_assessment(
    assessment: Assessment, *, actor: Any, expected_version: int | None, comment: str = ""
) -> Assessment:
    if not can_review(actor, assessment.commune):
        raise PermissionDenied
    if assessment.status != S.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted assessment can be confirmed.")})
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = actor
    assessment.review_comment = comment
    _move(
        assessment,
        actor,
        S.CONFIRMED,
        expected_version,
        comment,
        extra=["reviewed_at", "reviewed_by", "review_comment"],
    )
    return assessment


@transaction.atomic
def return_assessment(
    assessment: Assessment, *, actor: Any, expected_version: int | None, comment: str
) -> Assessment:
    if not can_review(actor, assessment.commune):
        raise PermissionDenied
    if assessment.status != S.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted assessment can be returned.")})
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": _("Say why the assessment is returned: the comment is required.")}
        )
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = actor
    assessment.review_comment = comment.strip()
    _move(
        assessment,
        actor,
        S.RETURNED,
        expected_version,
        comment.strip(),
        extra=["reviewed_at", "reviewed_by", "review_comment"],
    )
    return assessment


@transaction.atomic
def import_assessments(rows: list[dict[str, Any]], year: int, *, actor: Any) -> int:
    """Save the scores of clean import rows (``{"commune": Unit, "points": {...}}``).

    The caller has checked every row (see ``imports.py``); any failure here rolls back all.
    """
    require(actor, "assessment.submit")
    count = 0
    for row in rows:
        commune = row["commune"]
        existing = Assessment.objects.filter(commune=commune, year=year).first()
        save_assessment(
            commune,
            year,
            actor=actor,
            points=row["points"],
            expected_version=existing.version if existing else None,
        )
        count += 1
    audit.record(
        actor=actor,
        verb="assessment.import",
        object_type="communes.assessment",
        changes={"year": [None, year], "rows": [None, count]},
    )
    return count


# --- templates (catalog data, administrators) ----------------------------------------------
def _template_in_use(template: AssessmentTemplate) -> bool:
    return template.assessments.exists()


def _check_template_editable(actor: Any, template: AssessmentTemplate) -> None:
    require(actor, "catalogs.edit")
    if _template_in_use(template):
        raise ValidationError(
            _("Assessments already use this template: copy it to a new version and edit the copy.")
        )


_TEMPLATE_FIELDS = [
    "name",
    "legal_basis",
    "source",
    "unverified",
    "valid_from_year",
    "valid_to_year",
    "is_active",
]


@transaction.atomic
def update_template(
    template: AssessmentTemplate, *, actor: Any, expected_version: int | None, **values: Any
) -> AssessmentTemplate:
    """Header fields (name, legal basis, years, in use) may change even when in use."""
    require(actor, "catalogs.edit")
    unknown = set(values) - set(_TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"not template fields: {sorted(unknown)}")
    before = audit.snapshot(template, _TEMPLATE_FIELDS)
    for key, value in values.items():
        setattr(template, key, value)
    if template.valid_to_year is not None and template.valid_to_year < template.valid_from_year:
        raise ValidationError({"valid_to_year": _("The last year is before the first year.")})
    save_versioned(template, expected_version, list(values))
    audit.record(
        actor=actor,
        verb="assessment_template.update",
        obj=template,
        changes=audit.diff(before, audit.snapshot(template, _TEMPLATE_FIELDS)),
    )
    return template


@transaction.atomic
def copy_template(
    template: AssessmentTemplate, *, actor: Any, valid_from_year: int
) -> AssessmentTemplate:
    """A new version of ``template`` (criteria and classes copied) from ``valid_from_year``."""
    require(actor, "catalogs.edit")
    if valid_from_year <= template.valid_from_year:
        _fail(
            "valid_from_year",
            _("The new version must start after %(year)s."),
            year=template.valid_from_year,
        )
    copy = AssessmentTemplate.objects.create(
        name=template.name,
        legal_basis=template.legal_basis,
        source=template.source,
        unverified=template.unverified,
        valid_from_year=valid_from_year,
        valid_to_year=template.valid_to_year,
        is_active=True,
    )
    Criterion.objects.bulk_create(
        Criterion(
            template=copy,
            code=c.code,
            group=c.group,
            order=c.order,
            text=c.text,
            max_points=c.max_points,
            is_critical=c.is_critical,
        )
        for c in template.criteria.all()
    )
    AssessmentClass.objects.bulk_create(
        AssessmentClass(
            template=copy,
            code=c.code,
            name=c.name,
            kind=c.kind,
            order=c.order,
            match=c.match,
            min_total=c.min_total,
            max_total=c.max_total,
            min_critical_failed=c.min_critical_failed,
            max_critical_failed=c.max_critical_failed,
        )
        for c in template.classes.all()
    )
    if template.valid_to_year is None or template.valid_to_year >= valid_from_year:
        template.valid_to_year = valid_from_year - 1
        save_versioned(template, None, ["valid_to_year"])
    audit.record(
        actor=actor,
        verb="assessment_template.copy",
        obj=copy,
        changes={"copied_from": [None, template.pk], "valid_from_year": [None, valid_from_year]},
    )
    return copy


_CRITERION_FIELDS = ["code", "group", "order", "text", "max_points", "is_critical"]
_CLASS_FIELDS = [
    "code",
    "name",
    "kind",
    "order",
    "match",
    "min_total",
    "max_total",
    "min_critical_failed",
    "max_critical_failed",
]


@transaction.atomic
def save_criterion(
    template: AssessmentTemplate, *, actor: Any, criterion: Criterion | None, **values: Any
) -> Criterion:
    _check_template_editable(actor, template)
    obj = criterion or Criterion(template=template)
    if obj.template_id != template.pk:
        raise PermissionDenied
    before = audit.snapshot(obj, _CRITERION_FIELDS) if criterion else {}
    for key in _CRITERION_FIELDS:
        if key in values:
            setattr(obj, key, values[key])
    clash = template.criteria.filter(code=obj.code).exclude(pk=obj.pk)
    if clash.exists():
        _fail("code", _("Code %(code)s is already used in this template."), code=obj.code)
    obj.save()
    audit.record(
        actor=actor,
        verb="criterion.update" if criterion else "criterion.create",
        obj=obj,
        changes=audit.diff(before, audit.snapshot(obj, _CRITERION_FIELDS)),
    )
    return obj


@transaction.atomic
def delete_criterion(criterion: Criterion, *, actor: Any) -> None:
    _check_template_editable(actor, criterion.template)
    audit.record(
        actor=actor,
        verb="criterion.delete",
        obj=criterion,
        changes=audit.diff(audit.snapshot(criterion, _CRITERION_FIELDS), {}),
    )
    criterion.delete()


@transaction.atomic
def save_class(
    template: AssessmentTemplate, *, actor: Any, cls: AssessmentClass | None, **values: Any
) -> AssessmentClass:
    _check_template_editable(actor, template)
    obj = cls or AssessmentClass(template=template)
    if obj.template_id != template.pk:
        raise PermissionDenied
    before = audit.snapshot(obj, _CLASS_FIELDS) if cls else {}
    for key in _CLASS_FIELDS:
        if key in values:
            setattr(obj, key, values[key])
    if template.classes.filter(code=obj.code).exclude(pk=obj.pk).exists():
        _fail("code", _("Code %(code)s is already used in this template."), code=obj.code)
    if (
        obj.min_total is not None
        and obj.max_total is not None
        and obj.match == "all"
        and obj.max_total < obj.min_total
    ):
        raise ValidationError({"max_total": _("The upper bound is below the lower bound.")})
    obj.save()
    audit.record(
        actor=actor,
        verb="assessment_class.update" if cls else "assessment_class.create",
        obj=obj,
        changes=audit.diff(before, audit.snapshot(obj, _CLASS_FIELDS)),
    )
    return obj


@transaction.atomic
def delete_class(cls: AssessmentClass, *, actor: Any) -> None:
    _check_template_editable(actor, cls.template)
    audit.record(
        actor=actor,
        verb="assessment_class.delete",
        obj=cls,
        changes=audit.diff(audit.snapshot(cls, _CLASS_FIELDS), {}),
    )
    cls.delete()


@transaction.atomic
def ensure_seed_template(*, actor: Any = None) -> AssessmentTemplate:
    """The seeded template (data migration 0002); recreated if a database was flushed."""
    from . import seed

    require(actor, "catalogs.edit")
    data = seed.read()
    existing = AssessmentTemplate.objects.filter(legal_basis=data["legal_basis"]).first()
    if existing is not None:
        return existing
    template = seed.create_template(data, AssessmentTemplate, Criterion, AssessmentClass)
    audit.record(actor=actor, verb="assessment_template.seed", obj=template)
    return template
