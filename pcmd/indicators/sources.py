"""The registers an indicator may aggregate over, declared once.

A source names a model, its event date, the foreign key to the commune-level unit where the
event happened, the rows that always count (e.g. not soft-deleted), and the fields a
breakdown may group by. Models are named, not imported: the register apps use
``pcmd.indicators`` (privacy of small counts), so indicators cannot import them back. A
name that does not resolve fails loudly: ``manage.py check`` (``check_sources``) and the
first query both raise.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from .scope import PerRowExists


@dataclass(frozen=True)
class WhereScope:
    """What a question reads: its units (None: all) and its period."""

    unit_ids: tuple[int, ...] | None
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Source:
    key: str
    model: str  # "app_label.ModelName"
    label: Any
    date_field: str | None  # None: a snapshot valid at the period's end (units)
    unit_field: str  # FK to geo.Unit; "" means the row is the unit itself
    base_filter: dict[str, Any] = field(default_factory=dict)
    breakdowns: dict[str, str] = field(default_factory=dict)  # "agency"/"kind" -> field path
    year_field: str | None = None  # rows that belong to a year (e.g. assessments)
    # Rows valid for a span (e.g. an officer in post): counted when the span meets the period.
    span_fields: tuple[str, str] | None = None
    # Who may read figures from this register (besides the dashboard capability).
    capability: str = "dashboard.view"
    # A condition a filter dict cannot say (e.g. "the person's latest consent"), built when
    # the query runs so that this module imports no register's models. It receives the
    # question's scope, which a correlated subquery may repeat to read fewer rows.
    where: Callable[[WhereScope], Q] | None = None
    # On PostgreSQL, the territory as "<first hop> IN (SELECT pk … WHERE unit IN …)" instead
    # of a filter on the join: for a register reached through a small table (an agency's
    # budget lines) it then walks the register's index from the few rows the subquery
    # returns. (SQLite does better on the join; other registers too, measured.)
    territory_by_subquery: bool = False
    # On PostgreSQL, for a territory, the period (and the base filters on the dated row) as
    # a per-row EXISTS on the row ``date_field`` reaches through (scope.dated_row_exists),
    # not a join: for a register whose date sits on a shared parent (a training's
    # participants) the planner otherwise hashes the whole period's rows.
    period_per_row: bool = False

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


def statistics_consent_q(person: str = "person") -> Q:
    """Rows whose person's LATEST statistics consent is "given" (GBVIMS practice: a support
    case counts in statistics only with the person's consent; a withdrawal takes the person
    out of every figure, past periods included). One correlated subquery, no Python loop;
    the same rule as :func:`pcmd.support.cases.counted_in_statistics`."""
    consent = apps.get_model("people", "Consent")  # the person layer imports indicators
    latest = (
        consent._default_manager.filter(
            person=OuterRef(person), purpose="statistics", organisation=""
        )
        .order_by("-on", "-pk")
        .values("given")[:1]
    )
    return Q(Exact(Subquery(latest), True))


# The kinds of service that count for plan target T7 ("dạy nghề và giải quyết việc làm").
T7_SERVICE_KINDS = ("training", "job")


def _counts_not_covered_by_cases(scope: WhereScope) -> Q:
    """Counts rows of a commune and period in which no case-based training or job service
    started (with or without statistics consent): a commune that records cases has moved off
    the counts register for that period, so its counts row must not add to T7 again.

    The nation's rows are many (16,000 a year in the national benchmark): PostgreSQL then
    reads the services once, as an anti-join, and the subquery says what the outer rows
    imply (started by the period's end) so that it reads fewer. A territory's rows are few:
    the subquery is asked per row (:class:`PerRowExists`, through the indexes from the
    row's commune), which reads a province's services only (a province by district: 10 ms
    as an anti-join, 4 ms per row; the nation per row: 390 ms)."""
    service = apps.get_model("support", "Service")
    services = service._default_manager.filter(
        case__unit=OuterRef("commune"),
        started_on__gte=OuterRef("period_start"),
        started_on__lte=OuterRef("period_end"),
        type__kind__in=T7_SERVICE_KINDS,
    ).filter(started_on__lte=scope.end)
    if scope.unit_ids is None:
        return ~Q(Exists(services))
    return ~Q(PerRowExists(services))


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source("communes", "geo.Unit", _("commune-level units"), None, "", {"level": 3}),
        Source(
            "establishments",
            "registry.Establishment",
            _("conditional businesses"),
            None,
            "commune",
            {"is_deleted": False},
            {"kind": "kind__code"},
            capability="registry.view",
        ),
        Source(
            "inspections",
            "inspections.Inspection",
            _("inspections"),
            "date",
            "commune",
            {"is_deleted": False},
            {"agency": "team__lead_agency__code", "team_level": "team__level"},
            capability="inspections.view",
        ),
        Source(
            "violations",
            "enforcement.Violation",
            _("violations"),
            "date",
            "commune",
            {"is_deleted": False},
            {"kind": "violation_type__code"},
            capability="enforcement.view",
        ),
        Source(
            "sanctions",
            "enforcement.Sanction",
            _("sanction decisions"),
            "date",
            "violation__commune",
            {"violation__is_deleted": False},
            {"agency": "agency__code"},
            capability="enforcement.view",
        ),
        Source(
            "sanctioned_persons",
            "enforcement.SanctionedPerson",
            _("persons sanctioned"),
            "sanction__date",
            "sanction__violation__commune",
            {"sanction__violation__is_deleted": False},
            {
                "agency": "sanction__agency__code",
                "kind": "sanction__violation__violation_type__code",
            },
            capability="enforcement.view",
        ),
        Source(
            "patrols",
            "hotspots.Patrol",
            _("patrols"),
            "on",
            "commune",
            {},
            {"agency": "agency__code"},
            capability="hotspots.view",
        ),
        Source(
            "hotspots",
            "hotspots.Hotspot",
            _("hotspots"),
            None,
            "commune",
            {"is_deleted": False},
            {"kind": "kind"},
            capability="hotspots.view",
        ),
        Source(
            "activities",
            "outreach.Activity",
            _("communication activities"),
            "date",
            "unit",
            {"is_deleted": False},
            {"agency": "agency__code", "kind": "form__code"},
            capability="outreach.view",
        ),
        Source(
            "officers",
            "outreach.Officer",
            _("commune officers on the roster"),
            None,
            "commune",
            {"is_deleted": False},
            {},
            span_fields=("valid_from", "valid_to"),
            capability="outreach.view",
        ),
        Source(
            "trained_officers",
            "outreach.TrainingParticipant",
            _("trained officers"),
            "training__start_date",
            "officer__commune",
            {"officer__isnull": False, "officer__is_deleted": False, "training__is_deleted": False},
            {},
            capability="outreach.view",
            period_per_row=True,  # a province by district, PostgreSQL: was 1.6x the hand SQL
        ),
        Source(
            "assessments",
            "communes.Assessment",
            _("commune assessments"),
            None,
            "commune",
            {},
            {},
            year_field="year",
            capability="assessment.view",
        ),
        Source(
            "support_counts",
            "support.SupportCount",
            _("support given (counts)"),
            "period_end",
            "commune",
            {"is_deleted": False},
            {},
            capability="support.view",
        ),
        # The same counts, less the commune-periods that record support cases (T7 adds the
        # case-based figure for those; see people_supported in data/indicators.yaml).
        Source(
            "support_counts_uncovered",
            "support.SupportCount",
            _("support given (counts) where no cases are recorded"),
            "period_end",
            "commune",
            {"is_deleted": False},
            {},
            capability="support.view",
            where=_counts_not_covered_by_cases,
        ),
        # Support cases (issue 13), placed at the case's unit in charge: a case followed by a
        # district's social workers counts in that district (and above), in no commune column.
        # Only cases whose person consented to statistics count (statistics_consent_q).
        Source(
            "support_cases",
            "support.SupportCase",
            _("support cases opened"),
            "opened_on",
            "unit",
            {},
            {"kind": "origin"},
            capability="support.view",
            where=lambda scope: statistics_consent_q(),
        ),
        Source(
            "support_closures",
            "support.SupportCase",
            _("support cases closed"),
            "closed_on",
            "unit",
            {"status": "closed"},
            {"kind": "outcome"},
            capability="support.view",
            where=lambda scope: statistics_consent_q(),
        ),
        # Services given in support cases, dated by their start; "kind" is the catalog's kind
        # of service (training, job, loan, …), "agency" the providing agency.
        Source(
            "support_services",
            "support.Service",
            _("services given in support cases"),
            "started_on",
            "case__unit",
            {},
            {"kind": "type__kind", "agency": "provider__code"},
            capability="support.view",
            where=lambda scope: statistics_consent_q("case__person"),
        ),
        # The same services by their outcome (ongoing, completed, stopped before the end).
        Source(
            "support_service_outcomes",
            "support.Service",
            _("services given in support cases, by outcome"),
            "started_on",
            "case__unit",
            {},
            {"kind": "outcome"},
            capability="support.view",
            where=lambda scope: statistics_consent_q("case__person"),
        ),
        # Criminal cases (issue 12): statistics for everyone with the dashboard; counts of
        # persons follow the small-cell rule (pcmd.indicators.privacy), counts of cases do not.
        Source(
            "cases",
            "cases.Case",
            _("criminal cases"),
            "detected_on",
            "commune",
            {},
            {"agency": "detected_by__code", "kind": "outcome"},
        ),
        Source(
            "case_persons",
            "cases.CaseParty",
            _("persons in criminal cases"),
            "case__detected_on",
            "case__commune",
            {},
            {"agency": "case__detected_by__code", "kind": "role"},
        ),
        # The decisions taken on cases, dated by the decision (indictments, judgments).
        Source(
            "case_steps",
            "cases.Step",
            _("decisions on criminal cases"),
            "decided_on",
            "case__commune",
            {},
            {"agency": "agency__code", "kind": "decision"},
        ),
        Source(
            "budget_lines",
            "budget.BudgetLine",
            _("budget lines"),
            None,
            "agency__unit",
            {"is_deleted": False},
            {"agency": "agency__code", "kind": "category__code"},
            year_field="year",
            capability="budget.view",
            territory_by_subquery=True,  # a district on PostgreSQL: 1.9x the hand SQL -> 1.3-1.4x
        ),
    ]
}


def may_read(indicator: Any, user: Any) -> bool:
    """The register's own read capability (both registers for a ratio)."""
    parts = (
        [indicator.numerator, indicator.denominator] if indicator.kind == "ratio" else [indicator]
    )
    for part in parts:
        source = SOURCES.get(part.source) if part is not None else None
        if source is not None and not user.can(source.capability):
            return False
    return True


def _field_path_errors(model: type[models.Model], path: str) -> str | None:
    current: Any = model
    for name in path.split("__"):
        try:
            f = current._meta.get_field(name)
        except FieldDoesNotExist:
            return f"{model._meta.label} has no field path {path!r}"
        current = f.related_model or current
    return None


@checks.register()
def check_sources(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every source names an installed model and fields it has (``manage.py check``)."""
    errors: list[checks.CheckMessage] = []
    for source in SOURCES.values():
        try:
            model = source.model_class()
        except LookupError:
            errors.append(
                checks.Error(
                    f"Indicator source {source.key!r}: no model {source.model!r}.",
                    id="pcmd.indicators.E001",
                )
            )
            continue
        paths = [
            source.unit_field,
            source.date_field or "",
            source.year_field or "",
            *(source.span_fields or ()),
            *source.breakdowns.values(),
            *(key.split("__isnull")[0] for key in source.base_filter),
        ]
        for path in filter(None, paths):
            problem = _field_path_errors(model, path)
            if problem:
                errors.append(
                    checks.Error(
                        f"Indicator source {source.key!r}: {problem}.", id="pcmd.indicators.E002"
                    )
                )
    return errors
