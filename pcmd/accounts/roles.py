"""Roles and what each may do. Scope (which units) comes from the assignment.

A capability says what kind of record a role may read or write; the assignment's unit
subtree says where. Person-level records (support cases, later) add their own rules.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("system administrator")
    STANDING_OFFICE = "standing_office", _("standing office officer")
    LEADERSHIP = "leadership", _("provincial leadership (read-only)")
    POLICE = "police", _("police officer")
    TEAM_178 = "team178", _("Team 178 member")
    AGENCY_OFFICER = "agency_officer", _("agency officer")
    DISTRICT_OFFICER = "district_officer", _("district officer")
    COMMUNE_OFFICER = "commune_officer", _("commune officer")
    SOCIAL_WORKER = "social_worker", _("social-work officer")
    PRIVACY_OFFICER = "privacy_officer", _("data protection officer")
    PROCURACY = "procuracy", _("procuracy officer")
    COURT = "court", _("court officer")
    # Since 01/03/2025 the Ministry of Health manages the prevention of social evils, including
    # prostitution (Decree 42/2025/NĐ-CP of 27/02/2025, Art. 1). Its officers hold the whole
    # country (an assignment without a unit) and read only approved provincial figures.
    MINISTRY = "ministry", _("Ministry of Health officer")


class Capability(models.TextChoices):
    VIEW_PLAN = "plan.view", _("read plans")
    EDIT_PLAN = "plan.edit", _("draft plans and submit them for issue")
    COMMENT_PLAN = "plan.comment", _("comment on draft plans")
    ISSUE_PLAN = "plan.issue", _("issue plans (People's Committee)")
    VIEW_UNITS = "units.view", _("browse administrative units")
    VIEW_AGENCIES = "agencies.view", _("read agencies")
    MANAGE_USERS = "users.manage", _("manage users and roles")
    VIEW_AUDIT = "audit.view", _("read the audit log")
    EDIT_CATALOGS = "catalogs.edit", _("edit catalogs (kinds, violation types, criteria)")
    VIEW_REGISTRY = "registry.view", _("read conditional businesses")
    EDIT_REGISTRY = "registry.edit", _("record conditional businesses")
    VIEW_INSPECTIONS = "inspections.view", _("read inspections")
    EDIT_INSPECTIONS = "inspections.edit", _("record inspections and inspection plans")
    VIEW_ENFORCEMENT = "enforcement.view", _("read violations and sanctions")
    EDIT_ENFORCEMENT = "enforcement.edit", _("record violations and sanctions")
    VIEW_HOTSPOTS = "hotspots.view", _("read hotspots and patrols")
    EDIT_HOTSPOTS = "hotspots.edit", _("record hotspots and patrols")
    VIEW_OUTREACH = "outreach.view", _("read communication and training")
    EDIT_OUTREACH = "outreach.edit", _("record communication and training")
    VIEW_ASSESSMENT = "assessment.view", _("read commune assessments")
    SUBMIT_ASSESSMENT = "assessment.submit", _("fill in and submit a commune assessment")
    CONFIRM_ASSESSMENT = "assessment.confirm", _("confirm or return commune assessments")
    VIEW_TASK_REPORTS = "taskreports.view", _("read agency task reports")
    EDIT_TASK_REPORTS = "taskreports.edit", _("write agency task reports")
    VIEW_BUDGET = "budget.view", _("read budget")
    EDIT_BUDGET = "budget.edit", _("record budget allocations and spending")
    VIEW_SUPPORT = "support.view", _("read support counts")
    EDIT_SUPPORT = "support.edit", _("record support counts")
    VIEW_REPORTS = "reports.view", _("read periodic reports")
    SUBMIT_REPORTS = "reports.submit", _("fill in and submit periodic reports")
    APPROVE_REPORTS = "reports.approve", _("approve or return reports from the level below")
    EDIT_REPORT_FORMS = "reports.forms", _("design report forms")
    VIEW_DASHBOARD = "dashboard.view", _("read the dashboard and indicators")
    # The person layer (DESIGN.md §4): identities are shown only with VIEW_IDENTITY, in the
    # holder's scope and in the modules of IDENTITY_MODULES below.
    VIEW_IDENTITY = "people.identity", _("see the identities of persons in scope")
    VIEW_ACCESS_LOG = "people.access_log", _("read the identity access log")
    REVIEW_ACCESS = "people.review", _("review emergency access and consent overrides")
    OVERRIDE_CONSENT = "people.override", _("override a missing consent, with a reason")
    MANAGE_REQUESTS = "people.requests", _("handle data-subject requests")
    # Criminal cases and rings (pcmd.cases): each agency edits only its own stages.
    VIEW_CASES = "cases.view", _("read criminal case files and rings")
    EDIT_CASES = "cases.edit", _("record cases and rings; decide the police stages")
    PROSECUTE = "cases.prosecute", _("decide the procuracy stage of a case")
    TRY_CASES = "cases.try", _("decide the court stages of a case and record trials")
    # Support cases of people leaving sex work (pcmd.support.cases), for the social workers
    # and the standing office of the case's unit.
    SUPPORT_CASES = "support.cases", _("follow support cases of persons")
    # Figures of the cases without identities, for the standing office's reports.
    SUMMARY_CASES = "cases.summary", _("download the case summary (figures, no identities)")
    # The national pages (pcmd.national): every province's approved figures, never a register.
    VIEW_NATIONAL = "national.view", _("read every province's approved figures")


C = Capability
_READ_ALL = frozenset(
    {
        C.VIEW_REPORTS,
        C.VIEW_DASHBOARD,
        C.VIEW_PLAN,
        C.VIEW_UNITS,
        C.VIEW_AGENCIES,
        C.VIEW_REGISTRY,
        C.VIEW_INSPECTIONS,
        C.VIEW_ENFORCEMENT,
        C.VIEW_HOTSPOTS,
        C.VIEW_OUTREACH,
        C.VIEW_ASSESSMENT,
        C.VIEW_TASK_REPORTS,
        C.VIEW_BUDGET,
        C.VIEW_SUPPORT,
        C.COMMENT_PLAN,
    }
)
_BASE = frozenset(
    {
        C.VIEW_PLAN,
        C.COMMENT_PLAN,
        C.VIEW_UNITS,
        C.VIEW_AGENCIES,
        C.VIEW_DASHBOARD,
        C.VIEW_REPORTS,
        C.SUBMIT_REPORTS,
    }
)

CAPABILITIES: dict[str, frozenset[str]] = {
    # The administrator runs the system but reads no identity without emergency access.
    # It reads case files but takes no procedural decision (those belong to the agencies).
    Role.ADMINISTRATOR: frozenset(
        set(Capability)
        - {C.VIEW_IDENTITY, C.OVERRIDE_CONSENT, C.EDIT_CASES, C.PROSECUTE, C.TRY_CASES}
    ),
    Role.STANDING_OFFICE: _READ_ALL
    | {
        C.EDIT_PLAN,
        C.EDIT_REGISTRY,
        C.EDIT_INSPECTIONS,
        C.EDIT_ENFORCEMENT,
        C.EDIT_HOTSPOTS,
        C.EDIT_OUTREACH,
        C.CONFIRM_ASSESSMENT,
        C.EDIT_TASK_REPORTS,
        C.EDIT_BUDGET,
        C.EDIT_SUPPORT,
        C.SUBMIT_REPORTS,
        C.APPROVE_REPORTS,
        C.EDIT_REPORT_FORMS,
        C.VIEW_IDENTITY,
        C.REVIEW_ACCESS,
        C.OVERRIDE_CONSENT,
        C.MANAGE_REQUESTS,
        C.SUMMARY_CASES,
        C.SUPPORT_CASES,
    },
    Role.LEADERSHIP: _READ_ALL | {C.SUMMARY_CASES, C.ISSUE_PLAN},
    Role.POLICE: _BASE
    | {
        C.VIEW_REGISTRY,
        C.EDIT_REGISTRY,
        C.VIEW_INSPECTIONS,
        C.EDIT_INSPECTIONS,
        C.VIEW_ENFORCEMENT,
        C.EDIT_ENFORCEMENT,
        C.VIEW_HOTSPOTS,
        C.EDIT_HOTSPOTS,
        C.VIEW_OUTREACH,
        C.EDIT_OUTREACH,
        C.VIEW_TASK_REPORTS,
        C.EDIT_TASK_REPORTS,
        C.VIEW_IDENTITY,
        C.VIEW_CASES,
        C.EDIT_CASES,
        C.SUMMARY_CASES,
    },
    Role.PROCURACY: _BASE
    | {C.VIEW_ENFORCEMENT, C.VIEW_TASK_REPORTS, C.EDIT_TASK_REPORTS}
    | {C.VIEW_CASES, C.PROSECUTE, C.VIEW_IDENTITY, C.SUMMARY_CASES},
    Role.COURT: _BASE
    | {C.VIEW_ENFORCEMENT, C.VIEW_TASK_REPORTS, C.EDIT_TASK_REPORTS}
    | {C.VIEW_CASES, C.TRY_CASES, C.VIEW_IDENTITY, C.SUMMARY_CASES},
    Role.TEAM_178: _BASE
    | {
        C.VIEW_REGISTRY,
        C.EDIT_REGISTRY,
        C.VIEW_INSPECTIONS,
        C.EDIT_INSPECTIONS,
        C.VIEW_ENFORCEMENT,
        C.EDIT_ENFORCEMENT,
        C.VIEW_HOTSPOTS,
    },
    Role.AGENCY_OFFICER: _BASE
    | {
        C.VIEW_REGISTRY,
        C.VIEW_OUTREACH,
        C.EDIT_OUTREACH,
        C.VIEW_TASK_REPORTS,
        C.EDIT_TASK_REPORTS,
        C.VIEW_BUDGET,
        C.EDIT_BUDGET,
    },
    Role.DISTRICT_OFFICER: _READ_ALL
    | {
        C.EDIT_REGISTRY,
        C.EDIT_INSPECTIONS,
        C.EDIT_ENFORCEMENT,
        C.EDIT_HOTSPOTS,
        C.EDIT_OUTREACH,
        C.CONFIRM_ASSESSMENT,
        C.EDIT_TASK_REPORTS,
        C.EDIT_BUDGET,
        C.EDIT_SUPPORT,
        C.SUBMIT_REPORTS,
        C.APPROVE_REPORTS,
    },
    Role.COMMUNE_OFFICER: _BASE
    | {
        C.VIEW_REGISTRY,
        C.EDIT_REGISTRY,
        C.VIEW_INSPECTIONS,
        C.EDIT_INSPECTIONS,
        C.VIEW_ENFORCEMENT,
        C.VIEW_HOTSPOTS,
        C.EDIT_HOTSPOTS,
        C.VIEW_OUTREACH,
        C.EDIT_OUTREACH,
        C.VIEW_ASSESSMENT,
        C.SUBMIT_ASSESSMENT,
        C.VIEW_SUPPORT,
        C.EDIT_SUPPORT,
        C.VIEW_BUDGET,
    },
    Role.SOCIAL_WORKER: _BASE
    | {
        C.VIEW_OUTREACH,
        C.EDIT_OUTREACH,
        C.VIEW_SUPPORT,
        C.EDIT_SUPPORT,
        C.VIEW_ASSESSMENT,
        C.VIEW_IDENTITY,
        C.SUPPORT_CASES,
    },
    # Reads the trail, reviews exceptional access and answers data-subject requests; sees
    # codes, never identities.
    Role.PRIVACY_OFFICER: frozenset(
        {
            C.VIEW_PLAN,
            C.VIEW_UNITS,
            C.VIEW_AGENCIES,
            C.VIEW_ACCESS_LOG,
            C.REVIEW_ACCESS,
            C.MANAGE_REQUESTS,
        }
    ),
    # Approved figures of every province and nothing else: no register, person, draft or
    # unapproved report (tests/national/test_walk.py walks every page and endpoint).
    Role.MINISTRY: frozenset({C.VIEW_NATIONAL}),
}

# Roles whose assignment names no unit: the whole country. Only these; every other
# assignment has a unit (a database constraint on Assignment).
NATIONAL_ROLES = frozenset({Role.MINISTRY})

# Roles that may be shown person-level identities (DESIGN.md §4).
IDENTITY_ROLES = frozenset(role for role, caps in CAPABILITIES.items() if C.VIEW_IDENTITY in caps)

# Where each identity role sees identities: a person's identity shows in the modules the
# person appears in (pcmd.people) and only to the roles listed for that module. The police
# sanction and investigate; the standing office and social workers receive the people the
# police refer for support (plan 1842, Section IV.2).
MODULE_ENFORCEMENT = "enforcement"
MODULE_CASES = "cases"
MODULE_SUPPORT = "support"
IDENTITY_MODULES: dict[str, frozenset[str]] = {
    Role.POLICE: frozenset({MODULE_ENFORCEMENT, MODULE_CASES}),
    Role.PROCURACY: frozenset({MODULE_CASES}),
    Role.COURT: frozenset({MODULE_CASES}),
    Role.STANDING_OFFICE: frozenset({MODULE_SUPPORT}),
    Role.SOCIAL_WORKER: frozenset({MODULE_SUPPORT}),
}

# Two-factor login is required for every role that sees identities or the trail of them, and
# for the administrator, who grants roles.
TWO_FACTOR_ROLES = IDENTITY_ROLES | frozenset(
    role
    for role, caps in CAPABILITIES.items()
    if caps & {C.VIEW_ACCESS_LOG, C.MANAGE_USERS, C.REVIEW_ACCESS}
)
