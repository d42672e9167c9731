"""The ministry's figures: every province's APPROVED reports, on the 2025 map.

Since 01/03/2025 the Ministry of Health manages prostitution prevention (Decree 42/2025/NĐ-CP
of 27/02/2025, Art. 1: "prevention and control of social evils"), and since 01/07/2025 the
country has 34 provinces (Resolution 202/2025/QH15). The ministry reads what the provinces
sent and had approved, never their registers:

- a province's figures are the figures of its standing office's synthesis reports (report
  forms with ``is_synthesis``, 6-month and annual) in the status APPROVED; drafts, returned
  and merely submitted reports give no figure (their existence shows only as "not submitted"
  or "awaiting approval" in the completeness table, never their values);
- 2018–2024 reports were made by the provinces of the old map; each is shown under the 2025
  province its province became ("as is"), following the province-level ``UnitChange`` links
  the unit loader writes (old Đắk Lắk + Phú Yên → new Đắk Lắk). Counts of merged provinces
  are added up. A share is never added up: when its denominator is the number of communes
  (``communication_coverage``: communes with an activity ÷ communes, 1629/QĐ-TTg target N1)
  the unit map gives each old province's communes on the period's last day, and the new
  province's share is the old shares weighted by them; other shares' denominators are not in
  the report, so each old province's share is shown beside the others instead. While some
  old provinces of a new one have no approved report, each value is shown with its old
  province's name and the new province gets no value of its own (a partial sum would look
  like the whole);
- counts of people below the threshold are "<5" (:mod:`pcmd.indicators.privacy`): the
  ministry holds no person-level role.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import allows
from pcmd.core.formatting import vi_sort_key
from pcmd.core.periods import Period, half_period, year_period
from pcmd.geo.loader import REFORM_DAY
from pcmd.geo.models import Unit, UnitChange, UnitLevel, name_on_date
from pcmd.geo.tree import unit_tree
from pcmd.indicators.models import Indicator, IndicatorKind
from pcmd.indicators.privacy import must_suppress, shown
from pcmd.plans.models import BINDING, Plan, PlanType, Target
from pcmd.reporting.models import (
    DONE_STATUSES,
    FormField,
    PeriodType,
    ReportForm,
    Submission,
    SubmissionStatus,
)
from pcmd.reporting.obligations import due_date, owed_periods
from pcmd.reporting.obligations import period_of as obligation_period
from pcmd.reporting.values import format_number

CAPABILITY = "national.view"
YEAR_MIN = 2016
YEAR_MAX = 2035
# The reports the provinces send up: the standing office's 6-month and annual syntheses.
PERIOD_KINDS = (PeriodType.HALF, PeriodType.YEAR)

# Completeness of one report (province × form × period).
APPROVED, AWAITING, MISSING, NOT_DUE = "approved", "awaiting", "missing", "not_due"
STATE_LABELS = {
    APPROVED: _("approved"),
    AWAITING: _("submitted, awaiting approval"),
    MISSING: _("not submitted"),
    NOT_DUE: _("not yet due"),
}


class NationalRefused(Exception):
    """A question the national pages cannot answer; ``field`` and a lazy message."""

    def __init__(self, field_name: str, message: Any, **params: Any) -> None:
        self.field = field_name
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))


def require_national(user: Any) -> None:
    """Only holders of ``national.view`` (the ministry, administrators) read these figures."""
    if user is None or not allows(user, CAPABILITY):
        raise PermissionDenied


def parse_year(raw: Any, default: int) -> int:
    """``raw`` (a query value) as a year in YEAR_MIN..YEAR_MAX; ``default`` when empty."""
    if raw is None or str(raw).strip() == "":
        return default
    text = str(raw).strip()
    if not (text.isdecimal() and text.isascii() and len(text) == 4) or not (
        YEAR_MIN <= int(text) <= YEAR_MAX
    ):
        raise NationalRefused(
            "year",
            _("Year: enter a year from %(min)s to %(max)s."),
            min=YEAR_MIN,
            max=YEAR_MAX,
        )
    return int(text)


def default_year() -> int:
    """The last year with an approved provincial synthesis report (else last year)."""
    last = (
        Submission.objects.filter(
            status=SubmissionStatus.APPROVED,
            unit__level=UnitLevel.PROVINCE,
            form_version__is_synthesis=True,
        )
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    year = last.year if last is not None else timezone.localdate().year - 1
    return min(max(year, YEAR_MIN), YEAR_MAX)


# --- the 2025 map ----------------------------------------------------------------------------


@dataclass
class ProvinceMap:
    """The 34 provinces of the 2025 map loaded here, and the old provinces behind each."""

    provinces: list[Unit]
    sources: dict[int, list[Unit]]  # new province pk -> old provinces (and itself)
    new_of: dict[int, int]  # any province pk (old or new) -> new province pk

    def province_of(self, unit: Unit) -> int | None:
        """The 2025 province of a reporting unit (its top unit)."""
        top = int(unit.path.strip("/").split("/")[0])
        return self.new_of.get(top)


def province_map() -> ProvinceMap:
    provinces = list(
        Unit.objects.filter(level=UnitLevel.PROVINCE, valid_from=REFORM_DAY).prefetch_related(
            "names"
        )
    )
    provinces.sort(key=lambda u: vi_sort_key(u.name))
    new_of = {p.pk: p.pk for p in provinces}
    sources: dict[int, list[Unit]] = {p.pk: [] for p in provinces}
    links = (
        UnitChange.objects.filter(
            successor__in=provinces,
            predecessor__level=UnitLevel.PROVINCE,
            successor__level=UnitLevel.PROVINCE,
        )
        .select_related("predecessor")
        .prefetch_related("predecessor__names")
        .order_by("predecessor__code")
    )
    for link in links:
        new_of[link.predecessor_id] = link.successor_id
        sources[link.successor_id].append(link.predecessor)
    return ProvinceMap(provinces, sources, new_of)


def reporters_on(pmap: ProvinceMap, province: Unit, on: datetime.date) -> list[Unit]:
    """The provinces that report for ``province`` for a period ending ``on``: the old ones
    before the reform, the new one after."""
    if on >= REFORM_DAY:
        return [province]
    return [u for u in pmap.sources.get(province.pk, []) if u.is_valid_on(on)]


# --- approved figures ------------------------------------------------------------------------


def synthesis_forms() -> list[ReportForm]:
    """Report forms whose current version is a 6-month or annual synthesis."""
    forms = ReportForm.objects.filter(is_active=True).prefetch_related("versions")
    return [
        f
        for f in forms
        if f.versions.all() and f.current.is_synthesis and f.current.period_type in PERIOD_KINDS
    ]


def synthesis_form(kind: str, year: int) -> ReportForm | None:
    """The synthesis form of ``kind`` owed for ``year`` (plan 1842's 2018 forms, the 2021–2025
    programme's forms); for a year none is owed, the first of that kind (its fields head an
    empty table)."""
    forms = [f for f in synthesis_forms() if f.current.period_type == kind]
    owed = [f for f in forms if f.owes(period_of(f, kind, year).end)]
    return next(iter(owed or forms), None)


def period_of(form: ReportForm | None, kind: str, year: int, half: int = 1) -> Period:
    """The period under the form's cut-off rule (Decree 09/2019: 15/12 to 14/06 or 14/12)."""
    code = f"{year}-H{half}" if kind == PeriodType.HALF else str(year)
    if form is None:
        return half_period(year, half) if kind == PeriodType.HALF else year_period(year)
    return obligation_period(form.current, code)


def _approved(forms: Iterable[ReportForm], codes: Iterable[str]) -> list[Submission]:
    """Approved province-level submissions of ``forms`` for the period ``codes``."""
    return list(
        Submission.objects.filter(
            form__in=list(forms),
            period_code__in=list(codes),
            status=SubmissionStatus.APPROVED,
            unit__level=UnitLevel.PROVINCE,
        )
        .select_related("unit", "form_version", "agency")
        .prefetch_related("unit__names")
        .order_by("unit__code", "period_code")
    )


@dataclass
class Part:
    """One old province's approved value within a 2025 province's cell."""

    name: str
    value: Any  # the number, or "<5"
    text: str


@dataclass
class Figure:
    """A 2025 province's value of one field: the sum of its sources' counts, or (a share with
    several sources) no single value and the parts."""

    value: Any = None
    text: str = "—"
    parts: list[Part] = field(default_factory=list)
    reported: bool = False

    @property
    def several(self) -> bool:
        return len(self.parts) > 1


@dataclass
class FieldSpec:
    code: str
    label: str
    unit_label: str
    indicator: Indicator | None
    share: bool
    suppress: bool
    by_communes: bool = False  # a share of communes: merged provinces' shares are weighted


def _of_communes(indicator: Indicator | None) -> bool:
    """A ratio whose denominator counts every commune-level unit of the period's map."""
    if indicator is None or indicator.kind != IndicatorKind.RATIO:
        return False
    den = indicator.denominator
    return den is not None and den.source == "communes" and not den.filters


def _is_share(f: FormField, indicator: Indicator | None) -> bool:
    return f.unit_label.strip() == "%" or (
        indicator is not None and indicator.kind == IndicatorKind.RATIO
    )


def field_specs(form: ReportForm, user: Any) -> list[FieldSpec]:
    """The numeric fields of a synthesis form (automatic figures first, in form order)."""
    version = form.current
    fields = [f for f in version.field_list if f.is_numeric and not f.columns]
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            code__in={f.indicator_code for f in fields}
        ).select_related("denominator")
    }
    out = []
    for f in fields:
        indicator = indicators.get(f.indicator_code)
        suppress = (
            must_suppress(indicator, user)
            if indicator is not None
            else f.small_cells  # a typed count of people: the ministry is never person-level
        )
        share = _is_share(f, indicator)
        out.append(
            FieldSpec(
                f.code,
                f.label,
                f.unit_label,
                indicator,
                share,
                suppress,
                by_communes=share and _of_communes(indicator),
            )
        )
    return out


def commune_counts(provinces: Iterable[Unit], on: datetime.date) -> dict[int, int]:
    """Each province's commune-level units valid on ``on`` (the cached unit tree: no query)."""
    tree = unit_tree()
    return {
        p.pk: sum(
            1
            for uid in tree.within(p.path)
            if tree.level[uid] == UnitLevel.COMMUNE and tree.is_valid_on(uid, on)
        )
        for p in provinces
    }


def _value(sub: Submission, code: str) -> Any:
    if code in (sub.auto_values or {}):
        return sub.auto_values[code]
    return (sub.values or {}).get(code)


def _number(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def combine(
    spec: FieldSpec,
    parts: list[tuple[str, Any]],
    expected: int = 1,
    weights: Sequence[int] | None = None,
) -> Figure:
    """A 2025 province's figure from its sources' approved values (see the module doc).

    ``expected``: how many old provinces report for it. While some of them have no approved
    report, no province-wide value is made up from the others: each value is shown with
    its old province's name. ``weights`` (aligned with ``parts``): each source's communes,
    for a share of communes (``spec.by_communes``)."""
    aligned = list(weights) if weights is not None else [0] * len(parts)
    numbers = [(name, _number(v), w) for (name, v), w in zip(parts, aligned, strict=True)]
    given = [(name, n) for name, n, _w in numbers if n is not None]
    fig = Figure(reported=bool(parts))
    for name, n in given:
        raw = shown(float(n), suppress=spec.suppress)
        text = raw if isinstance(raw, str) else format_number(n)
        fig.parts.append(Part(name, raw if isinstance(raw, str) else n, text))
    if not given:
        return fig
    partial = len(given) < expected
    pairs = [(n, Decimal(w)) for _name, n, w in numbers if n is not None]
    weighted = spec.by_communes and weights is not None and all(w > 0 for _n, w in pairs)
    if partial or (spec.share and len(given) > 1 and not weighted):
        unit = " %" if spec.share else ""
        fig.text = "; ".join(f"{p.name}: {p.text}{unit}" for p in fig.parts)
        return fig
    if spec.share and len(given) > 1:
        # Σ share × communes ÷ Σ communes: the share of the merged province's communes.
        mean = sum((n * w for n, w in pairs), Decimal(0)) / sum((w for _n, w in pairs), Decimal(0))
        fig.value = mean.quantize(Decimal("0.1"))
        fig.text = f"{format_number(fig.value)} %"
        return fig
    total = sum((n for _name, n in given), Decimal(0))
    raw_total = shown(float(total), suppress=spec.suppress)
    fig.value = raw_total if isinstance(raw_total, str) else total
    fig.text = raw_total if isinstance(raw_total, str) else format_number(total)
    if spec.share:
        fig.text += " %"
    return fig


@dataclass
class ProvinceRow:
    province: Unit
    sources: list[str]
    figures: dict[str, Figure]
    reports: int  # approved reports counted
    targets: dict[str, str] = field(default_factory=dict)  # national target code -> goal


@dataclass
class Figures:
    year: int
    period: Period
    form: ReportForm | None
    specs: list[FieldSpec]
    rows: list[ProvinceRow]

    @property
    def reporting(self) -> int:
        return sum(1 for r in self.rows if r.reports)


def approved_figures(user: Any, year: int, kind: str = PeriodType.YEAR) -> Figures:
    """Each 2025 province's approved synthesis figures for ``year`` (``kind``: the annual or
    the first 6-month report)."""
    require_national(user)
    form = synthesis_form(kind, year)
    period = period_of(form, kind, year)
    pmap = province_map()
    specs = field_specs(form, user) if form is not None else []
    subs = _approved([form], [period.code]) if form is not None else []
    by_province: dict[int, list[Submission]] = defaultdict(list)
    for sub in subs:
        pk = pmap.province_of(sub.unit)
        if pk is not None:
            by_province[pk].append(sub)
    communes = (
        commune_counts({s.unit for s in subs}, period.end)
        if any(s.by_communes for s in specs)
        else {}
    )
    rows = []
    for province in pmap.provinces:
        mine = by_province.get(province.pk, [])
        names = [name_on_date(u, period.end) for u in reporters_on(pmap, province, period.end)]
        named = [(name_on_date(s.unit, s.period_end), s) for s in mine]
        weights = [communes.get(s.unit_id, 0) for s in mine]
        figures = {
            spec.code: combine(
                spec,
                [(name, _value(s, spec.code)) for name, s in named],
                expected=len(names),
                weights=weights if spec.by_communes else None,
            )
            for spec in specs
        }
        rows.append(ProvinceRow(province, names, figures, len(mine)))
    return Figures(year, period, form, specs, rows)


# --- the national programme's targets ------------------------------------------------------


@dataclass
class NationalTarget:
    target: Target
    spec: FieldSpec | None  # the synthesis field that reports the target's indicator
    met: int = 0
    not_met: int = 0

    @property
    def goal(self) -> str:
        value = self.target.value
        return format_number(value) if value is not None else "—"


def programme(year: int) -> Plan | None:
    """The national programme in force in ``year`` (1629/QĐ-TTg for 2021–2025)."""
    return (
        Plan.objects.filter(
            plan_type=PlanType.NATIONAL,
            status__in=BINDING,
            period_start__year__lte=year,
            period_end__year__gte=year,
        )
        .order_by("-period_start", "pk")
        .first()
    )


def _met(goal: Decimal | None, value: Any) -> bool | None:
    if goal is None or not isinstance(value, Decimal):
        return None
    return value >= goal


@dataclass
class TargetCell:
    """A province's result against a national target: its approved figure and the goal it
    is held to (its own plan's target serving the national one, else the national goal)."""

    result: str
    goal: str
    own_goal: bool
    met: bool | None


@dataclass
class Overview:
    figures: Figures
    plan: Plan | None
    targets: list[NationalTarget]
    # one row per province: a cell per national target that the reports carry
    rows: list[tuple[ProvinceRow, list[TargetCell]]] = field(default_factory=list)

    @property
    def measured(self) -> list[NationalTarget]:
        return [t for t in self.targets if t.spec is not None]


def overview(user: Any, year: int) -> Overview:
    """The national programme's targets against each province's approved annual figures."""
    figures = approved_figures(user, year)
    plan = programme(year)
    targets: list[NationalTarget] = []
    goals: dict[tuple[int, int], Decimal] = {}
    if plan is not None:
        specs = {s.indicator.code: s for s in figures.specs if s.indicator is not None}
        for target in plan.targets.filter(withdrawn=False).order_by("order", "code"):
            targets.append(NationalTarget(target, specs.get(target.indicator_code)))
        # Provincial plans' targets that serve them (Target.parent), issued plans only.
        pmap = province_map()
        children = Target.objects.filter(
            parent__in=[t.target for t in targets],
            plan__status__in=BINDING,
            plan__period_start__year__lte=year,
            plan__period_end__year__gte=year,
        ).select_related("plan__unit")
        for child in children:
            unit = child.plan.unit
            pk = pmap.province_of(unit) if unit is not None else None
            if pk is not None and child.parent_id is not None and child.value is not None:
                goals[(child.parent_id, pk)] = child.value
    ov = Overview(figures, plan, targets)
    for row in figures.rows:
        cells = []
        for nt in ov.measured:
            assert nt.spec is not None
            own = goals.get((nt.target.pk, row.province.pk))
            goal = own if own is not None else nt.target.value
            fig = row.figures[nt.spec.code]
            met = _met(goal, fig.value)
            nt.met += met is True
            nt.not_met += met is False
            goal_text = format_number(goal) if goal is not None else "—"
            cells.append(TargetCell(fig.text, goal_text, own is not None, met))
        ov.rows.append((row, cells))
    return ov


# --- completeness ------------------------------------------------------------------------------


@dataclass
class Cell:
    form: ReportForm
    period: Period
    due: datetime.date
    state: str
    late: bool  # submitted after the deadline, or still missing after it
    reporters: list[str]

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class CompletenessRow:
    province: Unit
    cells: list[Cell]


@dataclass
class Completeness:
    year: int
    columns: list[tuple[ReportForm, Period]]
    rows: list[CompletenessRow]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows for c in r.cells if c.state == state)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows for c in r.cells if c.late)


def _worst(states: list[str]) -> str:
    for state in (MISSING, AWAITING, APPROVED):
        if state in states:
            return state
    return NOT_DUE


def completeness(user: Any, year: int, *, today: datetime.date | None = None) -> Completeness:
    """Per 2025 province and period of ``year``: is each synthesis report approved, awaiting
    approval, missing, or not yet due; and was it late. A province made of several old ones
    is complete when every one of them is."""
    require_national(user)
    today = today or timezone.localdate()
    pmap = province_map()
    columns: list[tuple[ReportForm, Period]] = []
    for form in sorted(synthesis_forms(), key=lambda f: (f.current.period_type != "half", f.order)):
        span = year_period(year)
        for period in owed_periods(form, form.current, since=span.start, until=span.end):
            columns.append((form, period))
    found: dict[tuple[int, str, int], Submission] = {}
    for sub in Submission.objects.filter(
        form__in=[f for f, _p in columns],
        period_code__in={p.code for _f, p in columns},
        unit__level=UnitLevel.PROVINCE,
    ).only("form_id", "period_code", "unit_id", "status", "first_submitted_at", "due_date"):
        found[(sub.form_id, sub.period_code, sub.unit_id)] = sub
    sub_or_none: Submission | None
    rows = []
    for province in pmap.provinces:
        cells = []
        for form, period in columns:
            due = due_date(form.current, period, UnitLevel.PROVINCE)
            states, late = [], False
            reporters = reporters_on(pmap, province, period.end)
            for unit in reporters:
                sub_or_none = found.get((form.pk, period.code, unit.pk))
                status = sub_or_none.status if sub_or_none is not None else ""
                if status == SubmissionStatus.APPROVED:
                    states.append(APPROVED)
                elif status in DONE_STATUSES:
                    states.append(AWAITING)
                else:
                    states.append(MISSING if due < today else NOT_DUE)
                first = sub_or_none.first_submitted_at if sub_or_none is not None else None
                if first is not None:
                    late = late or timezone.localtime(first).date() > due
                else:
                    late = late or due < today
            cells.append(
                Cell(
                    form,
                    period,
                    due,
                    _worst(states),
                    late,
                    [name_on_date(u, period.end) for u in reporters],
                )
            )
        rows.append(CompletenessRow(province, cells))
    return Completeness(year, columns, rows)
