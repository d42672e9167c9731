"""Reconciliation of the criminal statistics of the police, the procuracy and the court.

In the spirit of Joint Circular 05/2018/TTLT-VKSNDTC-BCA-BQP-BTC-BNN&PTNT-TANDTC (inter-agency
statistics of crimes and their handling), each agency answers for the counts of its own stage
over a period, and the same cases seen from the next agency must agree: what the police
proposed for prosecution the procuracy received and decided; what the procuracy indicted the
court received and tried. :func:`reconcile` counts, from the case files of one queryset of
cases (already limited to what the user may see and to a district), each agency's figures and
lists the cases behind each disagreement. Pure queries: no writes, no identities (cases are
named by code).

Persons are counted per case (a person in two cases counts twice, as in the statistics), by
their standing today: the case file keeps the current standing, not its history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.core.periods import Period

from .models import Case, CaseParty, Decision, Stage, Standing, Step

CHARGED = (Standing.ACCUSED, Standing.DEFENDANT)


@dataclass(frozen=True)
class Figure:
    code: str
    label: Any
    value: int
    people: bool = False  # a count of persons (small cells outside the case roles)


@dataclass
class AgencyFigures:
    code: str  # police / procuracy / court
    label: Any
    figures: list[Figure] = field(default_factory=list)

    def value(self, code: str) -> int:
        return next(f.value for f in self.figures if f.code == code)


@dataclass
class Disagreement:
    code: str
    label: Any
    explanation: Any
    cases: list[Case]


@dataclass
class Reconciliation:
    period: Period
    agencies: list[AgencyFigures]
    disagreements: list[Disagreement]

    def agency(self, code: str) -> AgencyFigures:
        return next(a for a in self.agencies if a.code == code)

    def disagreement(self, code: str) -> Disagreement:
        return next(d for d in self.disagreements if d.code == code)


def _in(period: Period, prefix: str) -> dict[str, datetime.date]:
    return {f"{prefix}__gte": period.start, f"{prefix}__lte": period.end}


def _dated(
    steps: QuerySet[Step], lookups: dict[str, Any], date_field: str = "decided_on"
) -> dict[int, list[datetime.date]]:
    """``{case id: [dates]}`` of the steps matching ``lookups``, dated by ``date_field``."""
    out: dict[int, list[datetime.date]] = defaultdict(list)
    for case_id, day in steps.filter(**lookups).values_list("case_id", date_field):
        out[case_id].append(day)
    return out


def _charged(case_ids: Iterable[int], *, standings: Iterable[str] = CHARGED) -> int:
    return CaseParty.objects.filter(
        case_id__in=list(case_ids), standing__in=list(standings)
    ).count()


def _awaiting(
    handed: dict[int, list[datetime.date]],
    answered: dict[int, list[datetime.date]],
    end: datetime.date,
) -> set[int]:
    """Cases handed on in the period with no answer of the next agency dated on or after the
    hand-over and by the period's end."""
    out = set()
    for case_id, days in handed.items():
        last = max(days)
        if not any(last <= day <= end for day in answered.get(case_id, [])):
            out.add(case_id)
    return out


def reconcile(cases: QuerySet[Case], period: Period) -> Reconciliation:
    steps = Step.objects.filter(case__in=cases.values("pk"))
    in_period = _in(period, "decided_on")
    started = _in(period, "started_on")
    received = set(cases.filter(**_in(period, "detected_on")).values_list("pk", flat=True))
    proposed = _dated(steps, {"decision": Decision.PROPOSE_PROSECUTION, **in_period})
    at_procuracy = _dated(steps, {"stage": Stage.PROSECUTION, **started}, "started_on")
    indicted = _dated(steps, {"decision": Decision.INDICT, **in_period})
    returned = _dated(steps, {"stage": Stage.PROSECUTION, "decision": Decision.RETURN, **in_period})
    not_prosecuted = _dated(steps, {"decision": Decision.NOT_PROSECUTE, **in_period})
    at_court = _dated(steps, {"stage": Stage.TRIAL_PREPARATION, **started}, "started_on")
    judged = _dated(steps, {"decision": Decision.JUDGMENT, **in_period})
    defendants = CaseParty.objects.filter(case_id__in=list(judged), standing=Standing.DEFENDANT)
    sentenced = defendants.exclude(sentence="", prison_months__isnull=True)
    police = AgencyFigures(
        "police",
        _("Police"),
        [
            Figure("received", _("cases detected or reported"), len(received)),
            Figure("proposed", _("cases proposed for prosecution"), len(proposed)),
            Figure(
                "proposed_persons", _("accused proposed for prosecution"), _charged(proposed), True
            ),
        ],
    )
    procuracy = AgencyFigures(
        "procuracy",
        _("Procuracy"),
        [
            Figure("received", _("cases received for a prosecution decision"), len(at_procuracy)),
            Figure("received_persons", _("accused received"), _charged(at_procuracy), True),
            Figure("indicted", _("cases indicted"), len(indicted)),
            Figure("indicted_persons", _("accused indicted"), _charged(indicted), True),
            Figure("returned", _("cases returned for further investigation"), len(returned)),
            Figure("not_prosecuted", _("cases not prosecuted"), len(not_prosecuted)),
        ],
    )
    court = AgencyFigures(
        "court",
        _("Court"),
        [
            Figure("received", _("cases received for trial"), len(at_court)),
            Figure("received_persons", _("defendants received"), _charged(at_court), True),
            Figure("tried", _("cases tried (judgment delivered)"), len(judged)),
            Figure("tried_persons", _("defendants tried"), defendants.count(), True),
            Figure("sentenced", _("defendants with a sentence recorded"), sentenced.count(), True),
        ],
    )
    procuracy_answers = _dated(
        steps,
        {
            "stage": Stage.PROSECUTION,
            "decision__in": [Decision.INDICT, Decision.NOT_PROSECUTE, Decision.RETURN],
        },
    )
    court_answers = _dated(
        steps,
        {
            "stage__in": [Stage.TRIAL_PREPARATION, Stage.TRIAL],
            "decision__in": [
                Decision.BRING_TO_TRIAL,
                Decision.RETURN,
                Decision.DISCONTINUE,
                Decision.JUDGMENT,
            ],
        },
    )
    charged_cases = set(
        CaseParty.objects.filter(
            case_id__in=[*proposed, *indicted], standing__in=CHARGED
        ).values_list("case_id", flat=True)
    )
    unsentenced = set(
        defendants.filter(sentence="", prison_months__isnull=True).values_list("case_id", flat=True)
    )
    groups = [
        Disagreement(
            "awaiting_procuracy",
            _("Proposed by the police, no decision of the procuracy"),
            _(
                "The police proposed prosecution in the period; no decision of the procuracy "
                "(indict, not prosecute, return) is recorded by the period's end."
            ),
            _cases(_awaiting(proposed, procuracy_answers, period.end)),
        ),
        Disagreement(
            "awaiting_court",
            _("Indicted by the procuracy, no decision of the court"),
            _(
                "The procuracy indicted in the period; no decision of the court (bring to "
                "trial, return, discontinue, judgment) is recorded by the period's end."
            ),
            _cases(_awaiting(indicted, court_answers, period.end)),
        ),
        Disagreement(
            "no_accused",
            _("Proposed or indicted with no accused named"),
            _("The case was proposed for prosecution or indicted, but names no accused person."),
            _cases((set(proposed) | set(indicted)) - charged_cases),
        ),
        Disagreement(
            "unsentenced",
            _("Tried, a defendant has no sentence recorded"),
            _("A judgment was delivered in the period; a defendant's sentence is not recorded."),
            _cases(unsentenced),
        ),
    ]
    return Reconciliation(period, [police, procuracy, court], groups)


def _cases(ids: set[int]) -> list[Case]:
    if not ids:
        return []
    return list(Case.objects.filter(pk__in=ids).only("pk", "code").order_by("code"))
