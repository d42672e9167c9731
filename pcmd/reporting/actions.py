"""Every write of the reporting app: one verb, one transaction, one audit row.

Submissions go draft → submitted → approved, or → returned (with a comment) → submitted again.
Drafts are versioned (:mod:`pcmd.core.concurrency`): two people editing the same draft never
overwrite each other; the second save raises :class:`EditConflict`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned
from pcmd.core.formatting import period_label_lazy
from pcmd.geo.models import Unit
from pcmd.indicators.models import Indicator, IndicatorKind

from . import rules, synthesis
from .definitions import DefinitionError, clean_definition, create_version, version_to_definition
from .models import (
    FieldKind,
    FormVersion,
    Reminder,
    ReportForm,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from .obligations import (
    ObligationError,
    can_approve,
    can_report_for,
    due_date,
    is_expected,
    period_label_vi,
    period_of,
)
from .seed import seed_forms
from .values import (
    FieldValueError,
    aggregate,
    clean_values,
    evaluate_auto,
    missing_required,
    numbers,
    submission_period,
    sums_of_children,
)

SUBMISSION_FIELDS = [
    "status",
    "values",
    "explanations",
    "draft_text",
    "doc_number",
    "signer_name",
    "signer_authority",
    "signer_title",
    "review_comment",
]


class RuleViolation(ValidationError):
    """A submission stopped by rules: blocking hits, or warnings without an explanation."""

    def __init__(self, hits: list[rules.Hit], *, needs_explanation: bool = False) -> None:
        self.hits = hits
        self.needs_explanation = needs_explanation
        errors: dict[str, list[ValidationError]] = {}
        for hit in hits:
            key = f"explanation_{hit.rule.code}" if needs_explanation else hit.field_code
            text = hit.text()
            if needs_explanation:
                text = str(
                    _("Explain this warning before submitting: %(message)s") % {"message": text}
                )
            errors.setdefault(key, []).append(ValidationError(text))
        super().__init__(errors)

    def texts(self) -> dict[str, str]:
        first = self.hits[0]
        if self.needs_explanation:
            from django.utils import translation

            out = {}
            for lang, message in (("vi", first.message), ("en", first.message_en)):
                with translation.override(lang):
                    out[lang] = str(
                        _("Explain this warning before submitting: %(message)s")
                        % {"message": message}
                    )
            return out
        return {"vi": first.message, "en": first.message_en}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(sub: Submission, actor: Any, verb: str, comment: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=sub, at=timezone.now(), actor=_user(actor), verb=verb, comment=comment
    )


def _invalid(field: str, message: Any, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(message, params=params or None)})


# --- forms -------------------------------------------------------------------------------
@transaction.atomic
def load_report_forms(*, actor: Any) -> dict[str, int]:
    """Create the seeded forms that are missing and new versions of changed ones."""
    require(actor, "reports.forms")
    counts = seed_forms(created_by=_user(actor))
    audit.record(
        actor=actor,
        verb="reporting.forms_load",
        object_type="reporting.reportform",
        changes={k: [None, v] for k, v in counts.items()},
    )
    return counts


@transaction.atomic
def revise_form(
    form: ReportForm,
    definition: str | dict[str, Any],
    *,
    actor: Any,
    change_note: str = "",
    meta: dict[str, Any] | None = None,
) -> FormVersion:
    """Save a changed definition as the form's next version (past submissions keep theirs)."""
    require(actor, "reports.forms")
    if isinstance(definition, str):
        try:
            definition = yaml.safe_load(definition)
        except yaml.YAMLError as exc:
            raise _invalid(
                "definition",
                _("The definition is not valid YAML: %(error)s"),
                error=str(exc).splitlines()[0],
            ) from None
    try:
        spec = clean_definition(
            definition,
            forms=set(ReportForm.objects.values_list("code", flat=True)),
            indicators=set(Indicator.objects.values_list("code", flat=True)),
        )
    except DefinitionError as exc:
        raise ValidationError({"definition": [ValidationError(p) for p in exc.problems]}) from None
    if spec.get("source_form") == form.code:
        raise _invalid("definition", _("A form cannot summarise itself."))
    before = version_to_definition(form.current)
    old_number = form.current.number
    meta = meta or {}
    meta_changes = {k: v for k, v in meta.items() if getattr(form, k) != v}
    if before == spec and not meta_changes:
        raise _invalid("definition", _("Nothing changed: the definition is the current one."))
    version = form.current
    if before != spec:
        version = create_version(form, spec, created_by=_user(actor), change_note=change_note)
    if meta_changes:
        for key, value in meta_changes.items():
            setattr(form, key, value)
        form.save(update_fields=[*meta_changes, "updated_at"])
    form.__dict__.pop("current", None)
    audit.record(
        actor=actor,
        verb="reporting.form_revise",
        obj=form,
        reason=change_note[:500],
        changes={
            "version": [old_number, version.number],
            **{k: [None, str(v)] for k, v in meta_changes.items()},
        },
    )
    return version


# --- submissions ----------------------------------------------------------------------------
@transaction.atomic
def start_submission(
    form: ReportForm,
    period_code: str,
    *,
    actor: Any,
    unit: Unit | None = None,
    agency: Agency | None = None,
) -> Submission:
    """Open the draft of ``form`` for a reporter and period (on the form's current version)."""
    version = form.current
    try:
        period = period_of(version, period_code)
    except ObligationError as exc:
        raise _invalid("period", exc.message, **exc.params) from None
    if agency is not None:
        unit = agency.unit
    if unit is None:
        raise _invalid("unit", _("Choose the reporting unit or agency."))
    # Permission first: a unit or agency the actor does not report for (any primary key can
    # be posted) gets the generic refusal, never a message naming it.
    if not can_report_for(actor, version, unit, agency):
        raise PermissionDenied
    if not form.owes(period.end):
        raise _invalid(
            "period",
            _("This form is not owed for %(period)s."),
            period=period_label_lazy(period.code),
        )
    if not is_expected(version, period, unit, agency):
        raise _invalid(
            "agency" if agency else "unit",
            _("%(name)s does not report on this form."),
            name=agency.name if agency else unit.name,
        )
    existing = Submission.objects.filter(
        form=form, period_code=period.code, unit=unit, agency=agency
    ).first()
    if existing is not None:
        raise _invalid(
            "period",
            _("The report for %(period)s already exists."),
            period=period_label_lazy(period.code),
        )
    level = agency.level if agency else unit.level
    sub = Submission.objects.create(
        form=form,
        form_version=version,
        unit=unit,
        agency=agency,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=due_date(version, period, level),
        created_by=_user(actor),
        signer_authority=version.signer_authority,
        signer_title=version.signer_title,
    )
    if version.is_synthesis:
        sub.draft_text = synthesis.draft_text(sub)
        sub.save(update_fields=["draft_text"])
    _event(sub, actor, "created")
    audit.record(
        actor=actor,
        verb="reporting.submission_start",
        obj=sub,
        changes={"period": [None, period.code]},
    )
    return sub


def _check_editable(sub: Submission, actor: Any) -> None:
    if not can_report_for(actor, sub.form_version, sub.unit, sub.agency):
        raise PermissionDenied
    if not sub.is_editable:
        raise _invalid(
            "status",
            _("This report is %(status)s and can no longer be changed."),
            status=sub.get_status_display(),
        )


def check(sub: Submission, values: dict[str, Any] | None = None) -> list[rules.Hit]:
    """The rule hits of a report's figures (live automatic figures for a draft)."""
    version = sub.form_version
    auto = (
        evaluate_auto(version, sub.unit, submission_period(sub))
        if sub.is_editable
        else dict(sub.auto_values)
    )
    return rules.evaluate(version, sub, numbers(version, values or sub.values, auto))


@transaction.atomic
def save_draft(
    sub: Submission,
    *,
    actor: Any,
    expected_version: int | None,
    values: dict[str, Any] | None = None,
    explanations: dict[str, str] | None = None,
    draft_text: str | None = None,
    doc_number: str | None = None,
    signer_name: str | None = None,
    signer_authority: str | None = None,
    signer_title: str | None = None,
    verb: str = "saved",
) -> list[rules.Hit]:
    """Save a draft (or a returned report). Returns the rule hits of the saved figures."""
    _check_editable(sub, actor)
    before = audit.snapshot(sub, SUBMISSION_FIELDS)
    version = sub.form_version
    if values is not None:
        try:
            cleaned = clean_values(version, values)
        except FieldValueError as exc:
            raise _invalid(exc.field_code, exc.message, **exc.params) from None
        sub.values = {**sub.values, **cleaned}
    if explanations is not None:
        known = {r.code for r in version.rules.all()}
        for code in explanations:
            if code not in known:
                raise _invalid("explanations", _("%(code)s is not a rule of this form."), code=code)
        merged = {**sub.explanations, **{k: str(v).strip()[:2000] for k, v in explanations.items()}}
        sub.explanations = {k: v for k, v in merged.items() if v}
    texts = {
        "draft_text": (draft_text, 50000),
        "doc_number": (doc_number, 20),
        "signer_name": (signer_name, 120),
        "signer_authority": (signer_authority, 80),
        "signer_title": (signer_title, 80),
    }
    for name, (value, limit) in texts.items():
        if value is not None:
            value = str(value).strip()
            if len(value) > limit:
                raise _invalid(name, _("At most %(n)s characters."), n=limit)
            setattr(sub, name, value)
    save_versioned(sub, expected_version, SUBMISSION_FIELDS)
    hits = check(sub)
    rules.store(sub, hits)
    _event(sub, actor, verb)
    audit.record(
        actor=actor,
        verb=f"reporting.submission_{verb}",
        obj=sub,
        changes=audit.diff(before, audit.snapshot(sub, SUBMISSION_FIELDS)),
    )
    return hits


@transaction.atomic
def submit_submission(
    sub: Submission, *, actor: Any, expected_version: int | None = None
) -> Submission:
    """Send the report to the level above; stopped by missing fields and rule hits."""
    _check_editable(sub, actor)
    version = sub.form_version
    missing = missing_required(version, sub.values)
    if missing:
        raise ValidationError(
            {
                f.code: ValidationError(_("%(field)s is required."), params={"field": f.label})
                for f in missing
            }
        )
    auto = evaluate_auto(version, sub.unit, submission_period(sub))
    hits = rules.evaluate(version, sub, numbers(version, sub.values, auto))
    blocking = [h for h in hits if h.is_blocking]
    if blocking:
        rules.store(sub, hits)
        raise RuleViolation(blocking)
    unexplained = rules.explanation_missing(sub, hits)
    if unexplained:
        rules.store(sub, hits)
        raise RuleViolation(unexplained, needs_explanation=True)
    was = sub.status
    now = timezone.now()
    sub.auto_values = auto
    sub.status = SubmissionStatus.SUBMITTED
    sub.submitted_at = now
    sub.submitted_by = _user(actor)
    if sub.first_submitted_at is None:
        sub.first_submitted_at = now
    # A new submission has not been reviewed yet: the last review (kept in the history
    # with its comment) no longer describes the report.
    sub.reviewed_at = None
    sub.reviewed_by = None
    sub.review_comment = ""
    save_versioned(
        sub,
        expected_version,
        [
            "auto_values",
            "status",
            "submitted_at",
            "submitted_by",
            "first_submitted_at",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
        ],
    )
    rules.store(sub, hits)
    _event(sub, actor, "resubmitted" if was == SubmissionStatus.RETURNED else "submitted")
    audit.record(
        actor=actor,
        verb="reporting.submission_submit",
        obj=sub,
        changes={"status": [was, sub.status]},
    )
    return sub


def _check_review(sub: Submission, actor: Any) -> None:
    if not can_approve(actor, sub):
        raise PermissionDenied
    if sub.status != SubmissionStatus.SUBMITTED:
        raise _invalid(
            "status",
            _("Only a submitted report can be reviewed; this one is %(status)s."),
            status=sub.get_status_display(),
        )


@transaction.atomic
def approve_submission(
    sub: Submission, *, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Submission:
    """Approve: the figures are locked; automatic ones are snapshotted now."""
    _check_review(sub, actor)
    period = submission_period(sub)
    sub.auto_values = evaluate_auto(sub.form_version, sub.unit, period)
    sub.status = SubmissionStatus.APPROVED
    sub.reviewed_at = timezone.now()
    sub.reviewed_by = _user(actor)
    sub.review_comment = comment.strip()
    save_versioned(
        sub,
        expected_version,
        ["auto_values", "status", "reviewed_at", "reviewed_by", "review_comment"],
    )
    _publish(sub, period, actor)
    _event(sub, actor, "approved", sub.review_comment)
    audit.record(
        actor=actor,
        verb="reporting.submission_approve",
        obj=sub,
        changes={"status": [SubmissionStatus.SUBMITTED, sub.status]},
    )
    return sub


def _publish(sub: Submission, period: Any, actor: Any) -> None:
    """Approved typed figures go to their hand-reported indicators (the dashboard reads them)."""
    from pcmd.indicators.actions import record_manual_value

    fields = [
        f
        for f in sub.form_version.field_list
        if f.publish_code and f.kind in (FieldKind.INTEGER, FieldKind.MONEY)
    ]
    if not fields:
        return
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            code__in=[f.publish_code for f in fields], kind=IndicatorKind.MANUAL
        )
    }
    for f in fields:
        value = sub.values.get(f.code)
        if f.publish_code in indicators and value is not None:
            record_manual_value(
                indicators[f.publish_code],
                sub.unit,
                period.start,
                period.end,
                Decimal(value),
                actor=actor,
                source_note=f"{sub.form.code} {sub.period_code}",
            )


@transaction.atomic
def return_submission(
    sub: Submission, *, actor: Any, comment: str, expected_version: int | None = None
) -> Submission:
    """Send the report back to the reporter with a comment saying what to fix."""
    _check_review(sub, actor)
    comment = (comment or "").strip()
    if not comment:
        raise _invalid("comment", _("Say what must be corrected: a comment is required."))
    sub.status = SubmissionStatus.RETURNED
    sub.reviewed_at = timezone.now()
    sub.reviewed_by = _user(actor)
    sub.review_comment = comment[:5000]
    save_versioned(
        sub, expected_version, ["status", "reviewed_at", "reviewed_by", "review_comment"]
    )
    _event(sub, actor, "returned", sub.review_comment)
    audit.record(
        actor=actor,
        verb="reporting.submission_return",
        obj=sub,
        changes={"status": [SubmissionStatus.SUBMITTED, sub.status]},
        reason=comment[:500],
    )
    return sub


@transaction.atomic
def fill_from_below(
    sub: Submission,
    *,
    actor: Any,
    expected_version: int | None,
) -> list[rules.Hit]:
    """Set the typed figures to the sums of the approved reports of the level below."""
    agg = aggregate(sub.form, sub.unit, submission_period(sub))
    if agg is None:
        raise _invalid("values", _("Nobody reports on this form below this unit."))
    return save_draft(
        sub,
        actor=actor,
        expected_version=expected_version,
        values=sums_of_children(agg),
        verb="filled",
    )


@transaction.atomic
def redraft_synthesis(
    sub: Submission,
    *,
    actor: Any,
    expected_version: int | None,
) -> list[rules.Hit]:
    """Rewrite the synthesis text from the current data (the official's edits are replaced)."""
    if not sub.form_version.is_synthesis:
        raise _invalid("draft_text", _("Only a synthesis report has a drafted text."))
    _check_editable(sub, actor)
    return save_draft(
        sub,
        actor=actor,
        expected_version=expected_version,
        draft_text=synthesis.draft_text(sub),
        verb="redrafted",
    )


@transaction.atomic
def import_workbook(
    sub: Submission, data: bytes, *, actor: Any, expected_version: int | None
) -> list[Any]:
    """Fill a draft from its filled-in XLSX; nothing is saved while any cell is wrong.

    Returns the problems (empty when the figures were saved).
    """
    from .imports import parse_workbook

    _check_editable(sub, actor)
    values, problems = parse_workbook(sub, data)
    if problems:
        return problems
    save_draft(sub, actor=actor, expected_version=expected_version, values=values, verb="imported")
    return []


# --- reminders -------------------------------------------------------------------------------
def mail_configured() -> bool:
    """E-mail goes out when a mail server is configured (or a non-SMTP backend is in use)."""
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if not backend.endswith("smtp.EmailBackend"):
        return True
    host = getattr(settings, "EMAIL_HOST", "")
    return bool(host) and host != "localhost"


def reminder_text(reminder: Reminder, period: Any = None) -> str:
    """A reminder in the active language, from its parts (form, reporter, period, deadline)."""
    if period is None:
        try:
            period = period_of(reminder.form.current, reminder.period_code)
        except ObligationError:
            period = None
    return _(
        "%(form)s — %(reporter)s — %(period)s: the deadline was %(due)s and the report "
        "has not been sent."
    ) % {
        "form": reminder.form.name,
        "reporter": reminder.agency.name if reminder.agency is not None else reminder.unit.name,
        "period": period_label_vi(period)
        if period is not None and translation.get_language() != "en"
        else reminder.period_code,
        "due": f"{reminder.due_date:%d/%m/%Y}",
    }


def reminder_recipients(form: ReportForm, unit: Unit, agency: Agency | None) -> list[Any]:
    from pcmd.accounts.models import Assignment

    today = timezone.localdate()
    qs = Assignment.objects.select_related("user").filter(user__is_active=True)
    qs = qs.filter(agency=agency) if agency else qs.filter(unit=unit)
    users = {a.user_id: a.user for a in qs if a.is_active_on(today)}
    return [u for u in users.values() if u.can("reports.submit")]


@transaction.atomic
def remind(
    form: ReportForm, period_code: str, reporters: list[tuple[Any, datetime.date]], *, actor: Any
) -> int:
    """Remind the late ``reporters`` (from :func:`stats.late_reporters`); one per person once."""
    require(actor, "reports.approve")
    now = timezone.now()
    created = []
    version = form.current
    for reporter, due in reporters:
        require(actor, "reports.approve", unit=reporter.unit)
        period = period_of(version, period_code)
        for user in reminder_recipients(form, reporter.unit, reporter.agency):
            if Reminder.objects.filter(
                user=user,
                form=form,
                unit=reporter.unit,
                agency=reporter.agency,
                period_code=period_code,
            ).exists():
                continue
            reminder = Reminder(
                user=user,
                form=form,
                unit=reporter.unit,
                agency=reporter.agency,
                period_code=period_code,
                due_date=due,
                created_at=now,
                created_by=_user(actor),
            )
            # the parts are stored; pages render them in the reader's language
            # (reminder_text); ``message`` keeps the text in the site's language
            with translation.override(settings.LANGUAGE_CODE):
                reminder.message = reminder_text(reminder, period)[:500]
            reminder.save()
            created.append(reminder)
    if mail_configured():
        for reminder in created:
            if reminder.user.email:
                with translation.override(settings.LANGUAGE_CODE):
                    subject = _("[PCMD] Report reminder: %(form)s") % {"form": reminder.form.name}
                    body = (
                        reminder_text(reminder)
                        + "\n\n"
                        + _("Please send the report in PCMD as soon as you can.")
                    )
                send_mail(
                    subject=subject[:200],
                    message=body,
                    from_email=None,
                    recipient_list=[reminder.user.email],
                    fail_silently=True,
                )
                reminder.emailed_at = timezone.now()
                reminder.save(update_fields=["emailed_at"])
    audit.record(
        actor=actor,
        verb="reporting.remind",
        obj=form,
        changes={"period": [None, period_code], "reminders": [None, len(created)]},
    )
    return len(created)


@transaction.atomic
def mark_reminder_read(reminder: Reminder, *, actor: Any) -> None:
    if reminder.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
        audit.record(actor=actor, verb="reporting.reminder_read", obj=reminder)
