"""The audit log in words: verb codes, record types, field names and values for officials.

``pcmd.core.audit.record`` stores codes (``"inspection.update"``, ``"registry.establishment"``,
``{"status": ["draft", "submitted"]}``); this module turns them into phrases in the reader's
language. Every verb used with ``audit.record(verb=...)`` has a phrase in :data:`VERBS`
(tests/core/test_audit_text.py scans the source); an unknown code still reads as words.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formatting import format_number, period_label

VERBS: dict[str, Promise] = {
    # accounts, API, reference data
    "user.create": _("created a user account"),
    "person.create": _("created a person record"),
    "person.update": _("changed a person record"),
    "person.involve": _("linked a person to a record"),
    "person.merge": _("merged two person records"),
    "person.unmerge": _("undid a merge of person records"),
    "person.pseudonymise": _("removed the identity of a person (retention)"),
    "subject_request.create": _("registered a data-subject request"),
    "subject_request.update": _("handled a data-subject request"),
    "subject_request.extend": _("extended the deadline of a data-subject request"),
    "consent.record": _("recorded a person's consent or its withdrawal"),
    "referral.send": _("referred a person to the standing office"),
    "referral.receive": _("received a referral"),
    "referral.assign": _("assigned a referral to a district"),
    "referral.close": _("closed a referral"),
    "person.emergency": _("opened emergency access to a person's identity"),
    "person.exception_review": _("reviewed an emergency access or an action without consent"),
    "user.update": _("changed a user account"),
    "user.set_password": _("set a password"),
    "assignment.add": _("assigned a role"),
    "assignment.remove": _("removed a role"),
    "auth.token": _("issued an API token"),
    "auth.logout": _("signed out of the API (ended a token)"),
    "user.revoke_tokens": _("ended the API tokens of a user"),
    "otp.enrol": _("turned on two-factor sign-in"),
    "otp.recovery_codes": _("made new two-factor recovery codes"),
    "otp.recovery_used": _("signed in with a two-factor recovery code"),
    "otp.reset": _("reset the two-factor sign-in of a user"),
    "agencies.load": _("loaded the agency list"),
    "units.load": _("loaded the administrative units"),
    "province.load": _("loaded a province (units, agencies, draft plan)"),
    "plan.import": _("imported a plan"),
    "plan.create": _("created a draft plan"),
    "plan.copy": _("drafted a plan from an earlier one"),
    "plan.edit": _("edited a draft plan"),
    "plan.comment": _("commented on a draft plan"),
    "plan.comment_resolved": _("marked a comment on a plan"),
    "plan.submit": _("submitted a plan for issue"),
    "plan.return": _("sent a draft plan back"),
    "plan.issue": _("issued a plan"),
    "plan.close": _("closed a plan"),
    "plan.delete": _("deleted a draft plan"),
    "plan.link": _("linked a plan to the programme it implements"),
    "plan.propose": _("read a plan document into a proposal"),
    "indicators.load": _("loaded the indicator definitions"),
    "indicators.boundaries": _("imported boundaries"),
    "import.job.start": _("uploaded a long file to import"),
    "indicators.manual_value": _("entered an indicator value"),
    # registry
    "establishment.create": _("added an establishment"),
    "establishment.update": _("changed an establishment"),
    "establishment.delete": _("deleted an establishment"),
    "establishment.close": _("closed an establishment"),
    "establishment.import": _("imported establishments"),
    "establishment.demo": _("loaded demonstration establishments"),
    "establishment.licence_add": _("added a licence"),
    "establishment.licence_update": _("changed a licence"),
    "establishment.staff_count": _("recorded a staff count"),
    # inspections
    "inspection.create": _("recorded an inspection"),
    "inspection.update": _("changed an inspection"),
    "inspection.delete": _("deleted an inspection"),
    "inspection.attach": _("attached a file to an inspection"),
    "inspection.detach": _("removed a file from an inspection"),
    "inspection_plan.create": _("created an inspection plan"),
    "inspection_plan.update": _("changed an inspection plan"),
    "finding_item.save": _("saved a finding item"),
    "risk_weights.update": _("changed the risk weights"),
    "team.create": _("created a team"),
    "team.update": _("changed a team"),
    "team.add_member": _("added a team member"),
    "team.end_member": _("ended a team membership"),
    "tip.create": _("recorded a tip-off"),
    # enforcement
    "violation.create": _("recorded a violation"),
    "violation.update": _("changed a violation"),
    "violation.delete": _("deleted a violation"),
    "violation_type.save": _("saved a violation type"),
    "sanction.create": _("recorded a sanction decision"),
    "sanction.update": _("changed a sanction decision"),
    "sanction.status": _("changed the status of a sanction decision"),
    "sanction.name_person": _("named a person on a sanction decision"),
    "case.create": _("recorded a criminal case"),
    "case.update": _("changed a criminal case"),
    "case.add_party": _("named a person in a criminal case"),
    "case.change_party": _("changed a person's role or standing in a criminal case"),
    "case.remove_party": _("removed a person from a criminal case"),
    "case.decide": _("recorded a decision on a criminal case"),
    "case.resume": _("resumed a suspended criminal case"),
    "case.extend": _("extended the time limit of a stage of a criminal case"),
    "case.trial": _("recorded the trial of a criminal case"),
    "support_case.open": _("opened a support case"),
    "support_case.transfer": _("transferred a support case to another unit"),
    "support_case.assign": _("changed the worker or supervisor of a support case"),
    "support_case.close": _("closed a support case"),
    "support_case.reopen": _("reopened a support case"),
    "support_case.assess": _("recorded a needs assessment"),
    "support_case.goal": _("changed the service plan of a support case"),
    "support_case.service": _("recorded a service delivered"),
    "support_case.refer": _("referred a supported person to a service"),
    "support_case.referral_answer": _("answered a service referral"),
    "support_case.referral_feedback": _("returned feedback on a service referral"),
    "support_case.reappearance_seen": _("noted that a supported person appeared again"),
    "support_case.followup": _("recorded a follow-up contact"),
    "ring.create": _("recorded a ring"),
    "ring.update": _("changed a ring"),
    "ring.add_member": _("added a member to a ring"),
    "ring.remove_member": _("removed a member from a ring"),
    "sanction.unname_person": _("removed a person from a sanction decision"),
    # hotspots
    "hotspot.create": _("added a hotspot"),
    "hotspot.update": _("changed a hotspot"),
    "hotspot.delete": _("deleted a hotspot"),
    "hotspot.status": _("changed the status of a hotspot"),
    "hotspot.recheck": _("re-checked a hotspot"),
    "hotspot.reappeared": _("recorded that a hotspot reappeared"),
    "patrol.record": _("recorded a patrol"),
    "patrol.update": _("changed a patrol"),
    # outreach
    "outreach.activity.create": _("recorded an activity"),
    "outreach.activity.update": _("changed an activity"),
    "outreach.activity.delete": _("deleted an activity"),
    "outreach.activity.import": _("imported activities"),
    "outreach.attachment.add": _("attached a file to an activity"),
    "outreach.attachment.remove": _("removed a file from an activity"),
    "outreach.officer.create": _("added an officer"),
    "outreach.officer.update": _("changed an officer"),
    "outreach.officer.delete": _("deleted an officer"),
    "outreach.officer.import": _("imported officers"),
    "outreach.training.create": _("recorded a training"),
    "outreach.training.update": _("changed a training"),
    "outreach.training.delete": _("deleted a training"),
    "outreach.participant.add": _("added a trainee"),
    "outreach.participant.remove": _("removed a trainee"),
    "outreach.participant.import": _("imported trainees"),
    "outreach.demo": _("loaded demonstration activities"),
    # support
    "support.count.create": _("recorded support figures"),
    "support.count.update": _("changed support figures"),
    "support.count.delete": _("deleted support figures"),
    "support.demo": _("loaded demonstration support figures"),
    # communes
    "assessment.create": _("started a commune assessment"),
    "assessment.update": _("changed a commune assessment"),
    "assessment.import": _("imported commune assessments"),
    "assessment.demo": _("loaded demonstration assessments"),
    "assessment.draft": _("reopened a commune assessment"),
    "assessment.submitted": _("submitted a commune assessment"),
    "assessment.confirmed": _("confirmed a commune assessment"),
    "assessment.returned": _("returned a commune assessment"),
    "assessment_class.create": _("added an assessment class"),
    "assessment_class.update": _("changed an assessment class"),
    "assessment_class.delete": _("deleted an assessment class"),
    "assessment_template.copy": _("copied an assessment template"),
    "assessment_template.seed": _("loaded an assessment template"),
    "assessment_template.update": _("changed an assessment template"),
    "criterion.create": _("added an assessment criterion"),
    "criterion.update": _("changed an assessment criterion"),
    "criterion.delete": _("deleted an assessment criterion"),
    # budget
    "budget_line.create": _("added a budget line"),
    "budget_line.update": _("changed a budget line"),
    "budget_line.delete": _("deleted a budget line"),
    "budget_line.import": _("imported budget lines"),
    "budget_line.demo": _("loaded demonstration budget lines"),
    "budget_category.seed": _("loaded the budget categories"),
    # reporting
    "reporting.forms_load": _("loaded the report forms"),
    "reporting.form_revise": _("revised a report form"),
    "reporting.remind": _("sent reminders"),
    "reporting.reminder_read": _("read a reminder"),
    "reporting.submission_start": _("opened a report"),
    "reporting.submission_saved": _("saved a report"),
    "reporting.submission_filled": _("filled in a report"),
    "reporting.submission_imported": _("imported a report workbook"),
    "reporting.submission_redrafted": _("reopened a report"),
    "reporting.submission_submit": _("submitted a report"),
    "reporting.submission_approve": _("approved a report"),
    "reporting.submission_return": _("returned a report"),
    "task_report.create": _("started a task report"),
    "task_report.update": _("changed a task report"),
    "task_report.submit": _("submitted a task report"),
    "task_report.demo": _("loaded demonstration task reports"),
}

# The last part of a verb code, for codes without a phrase (a new verb not yet worded).
_ACTIONS: dict[str, Promise] = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "import": _("imported"),
    "save": _("saved"),
}


def verb_label(code: str) -> str:
    """``"inspection.update"`` → "changed an inspection" in the active language."""
    phrase = VERBS.get(code)
    if phrase is not None:
        return str(phrase)
    head, _dot, tail = code.rpartition(".")
    action = _ACTIONS.get(tail)
    thing = head.replace(".", " ").replace("_", " ")
    if action is not None and thing:
        return f"{action}: {thing}"
    return code.replace(".", " ").replace("_", " ")


def _model(object_type: str) -> type[models.Model] | None:
    # Audit rows outlive models: a type that no longer exists reads as its code.
    app_label, _dot, model_name = object_type.partition(".")
    return apps.all_models.get(app_label, {}).get(model_name.lower())


def record_type_label(object_type: str) -> str:
    """``"registry.establishment"`` → the model's verbose name ("cơ sở kinh doanh")."""
    model = _model(object_type)
    if model is None:
        return object_type.rpartition(".")[2].replace("_", " ")
    return str(model._meta.verbose_name)


# Keys of ``changes`` that are not fields of the record's model.
_EXTRA_FIELDS: dict[str, Promise] = {
    "fields": _("fields"),
    "module": _("module"),
    "source": _("record"),
    "role": _("act"),
    "merged": _("merged record"),
    "involvements": _("links moved"),
    "rows": _("rows"),
    "assessments": _("assessments"),
    "activities": _("activities"),
    "persons": _("persons"),
    "added": _("added"),
    "updated": _("updated"),
}


# Values other apps put in words (registered from their ``AppConfig.ready``), e.g. the
# "sanction:12" source of a person's involvement.
VALUE_LABELLERS: dict[str, Callable[[Any], str]] = {}


def actor_label(actor_name: str) -> str:
    """The user name of an event, "system" for the system's own writes (demo, loaders)."""
    return gettext("system") if actor_name in ("", "system") else actor_name


def field_label(object_type: str, name: str) -> str:
    model = _model(object_type)
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        except (FieldDoesNotExist, AttributeError):
            pass
    if name in _EXTRA_FIELDS:
        return str(_EXTRA_FIELDS[name])
    return name.replace("_", " ")


def _related_name(field: models.Field[Any, Any], value: Any) -> str | None:
    related = field.related_model
    if related is None or isinstance(related, str):
        return None
    obj = related._default_manager.filter(pk=value).first()
    return str(obj) if obj is not None else None


# Stored by code rather than by key (e.g. an assignment's unit and agency).
_BY_CODE = {"unit": "geo.Unit", "agency": "agencies.Agency"}


def _by_code(name: str, code: str) -> str | None:
    model = apps.get_model(_BY_CODE[name])
    obj = model._default_manager.filter(code=code).order_by("-pk").first()
    return str(obj) if obj is not None else None


def value_label(object_type: str, name: str, value: Any) -> str:
    """A stored value in words: choices by their label, records by name, dates dd/mm/yyyy."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if name in ("period", "period_code") and isinstance(value, str):
        return period_label(value)
    if name in VALUE_LABELLERS and isinstance(value, str):
        return VALUE_LABELLERS[name](value)
    if name == "fields" and isinstance(value, list):  # the names of the fields changed
        return ", ".join(field_label(object_type, str(v)) for v in value)
    if name == "module" and isinstance(value, str):
        modules = dict(apps.get_model("people.Involvement")._meta.get_field("module").flatchoices)
        return str(modules.get(value, value))
    model = _model(object_type)
    field: Any = None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
    if field is not None and getattr(field, "choices", None):
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    if field is not None and field.is_relation and not isinstance(value, list | dict):
        named = _related_name(field, value)
        if named is not None:
            return named
    if name in _BY_CODE and isinstance(value, str):
        named = _by_code(name, value)
        if named is not None:
            return named
    numeric = (models.IntegerField, models.DecimalField, models.FloatField)
    if isinstance(field, numeric) and isinstance(value, str) and name != "year":
        return format_number(value)
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return parsed.strftime("%d/%m/%Y")
        return parsed.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, int | float):
        return str(value) if name == "year" else format_number(value)
    if isinstance(value, list):
        return ", ".join(value_label(object_type, name, v) for v in value)
    if isinstance(value, dict):  # a JSON field (e.g. a report's figures)
        return "; ".join(f"{k}: {value_label('', str(k), v)}" for k, v in value.items())
    return str(value)


def changes_in_words(object_type: str, changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``[(field label, old value, new value)]`` for an event's ``changes``."""
    out: list[tuple[str, str, str]] = []
    for name, pair in (changes or {}).items():
        if isinstance(pair, list) and len(pair) == 2 and name != "fields":
            old, new = pair
        else:
            old, new = None, pair
        out.append(
            (
                field_label(object_type, name),
                value_label(object_type, name, old),
                value_label(object_type, name, new),
            )
        )
    return out


def verb_choices() -> list[tuple[str, str]]:
    return sorted(((code, verb_label(code)) for code in VERBS), key=lambda c: c[1])


# What happened to a report (``SubmissionEvent.verb``), shown in its history.
REPORT_EVENTS: dict[str, Promise] = {
    "created": _("report opened"),
    "saved": _("draft saved"),
    "filled": _("figures filled in automatically"),
    "imported": _("workbook uploaded"),
    "redrafted": _("reopened as a draft"),
    "submitted": _("report submitted"),
    "resubmitted": _("report submitted again"),
    "returned": _("returned for correction"),
    "approved": _("report approved"),
}


def report_event_label(verb: str) -> str:
    phrase = REPORT_EVENTS.get(verb)
    return str(phrase) if phrase is not None else verb.replace("_", " ")
