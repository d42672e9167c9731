"""The indicator engine (DESIGN.md §5).

``evaluate(indicator, root, period, by=…, map=…)`` answers one indicator for a unit subtree
and a period with ONE aggregate SQL query (grouped by the commune where each event
happened, and by the breakdown field if any). The per-commune figures are then rolled up in
memory to the requested keys with one cached read of the unit tree:

- ``as_was``: on the map valid in the period (a 2018 question on the 2018 map);
- ``as_is``: mapped onto the units valid on another date through the successor links
  (``UnitChange``; the main successor where a unit was split).

Roll-up by summing is exact because every counted thing lies inside one commune (an
establishment, an activity, a commune itself); distinct counts are therefore distinct
within a commune.

Speed (issue 15, benchmarks/indicators_national.py): the unit tree is cached per process
(:mod:`pcmd.geo.tree`, one single-row token read per call), so a territory costs no query;
the aggregate filters ``<unit fk> IN (ids)`` (:mod:`pcmd.indicators.scope`), which each
register's (unit, date) index serves; its SQL is compiled once per question and process;
the nation is grouped by each row's parent unit in SQL (counts and sums).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connections, router
from django.db.models import Aggregate, Count, F, Q, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from pcmd.core.messages import bilingual
from pcmd.core.periods import Period
from pcmd.geo.models import Unit, UnitLevel, valid_on_q
from pcmd.geo.tree import TOKEN_SQL, UnitTree, cached_tree, unit_tree

from . import placeholders
from .models import Indicator, IndicatorKind, ManualValue
from .scope import CompiledQueries, dated_row_exists, territory_filter
from .sources import SOURCES, Source, WhereScope

# The SQL of each question asked in this process (pcmd.indicators.scope).
COMPILED = CompiledQueries()

AS_WAS = "as_was"
AS_IS = "as_is"
BREAKDOWNS = ("unit", "commune", "month", "agency", "kind", "team_level")

Number = int | float | Decimal
ADDITIVE = (IndicatorKind.COUNT, IndicatorKind.SUM)
# Kinds that are not one aggregate query of their own.
COMPOSED = (IndicatorKind.RATIO, IndicatorKind.TOTAL, IndicatorKind.MANUAL)


class EngineError(ValueError):
    """A question the engine cannot answer; the message is translatable. Every page and
    endpoint answers it the same way (``pcmd.indicators.refusals``): 400 in both languages.
    Inside an API view DRF's handler answers it from ``status_code`` and ``texts``."""

    status_code = 400

    def __init__(self, message: Any, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))

    @property
    def texts(self) -> dict[str, str]:
        return bilingual(self.message, **self.params)


@dataclass(frozen=True)
class Note:
    """How the engine answered a question other than as asked (e.g. a unit that has no
    successor today is shown on the units its communes became)."""

    message: Any
    params: dict[str, Any]

    def __str__(self) -> str:
        return str(self.message) % self.params

    @property
    def texts(self) -> dict[str, str]:
        return bilingual(self.message, **self.params)


@dataclass
class Result:
    indicator: Indicator
    period: Period
    root: Unit | None
    by: str | None
    values: dict[Any, Number | None] = field(default_factory=dict)
    total: Number | None = None
    note: Note | None = None


class Territory:
    """Where rows are read from, and how a unit id maps to a result key.

    ``unit_ids`` are the units whose rows count (``None``: the whole country): the aggregate
    filters on ``<unit fk> IN (ids)``, which the registers' (unit, date) indexes serve, instead
    of joining the unit table and matching paths row by row. ``children`` (the breakdown
    units, in order) are read from the database only when asked for; the engine itself needs
    only ``child_ids``.
    """

    def __init__(
        self,
        root: Unit | None,
        paths: list[str],
        key_of: dict[int, Any],
        child_ids: list[int],
        note: Note | None = None,
        unit_ids: tuple[int, ...] | None = None,
        tree: UnitTree | None = None,
    ) -> None:
        self.root = root  # results are for this unit (the successor for as_is); None: nation
        self.paths = paths  # unit paths whose subtrees hold the rows
        self.key_of = key_of  # source unit id -> key (child unit id, or commune id)
        self.child_ids = child_ids
        self.note = note  # set when the question was answered other than as asked
        self.unit_ids = unit_ids
        # The tree it was drawn from (its units' levels, its version): None for hand-made ones.
        self.levels = tree.level if tree is not None else None
        self.tree_token = tree.token if tree is not None else None

    @cached_property
    def children(self) -> list[Unit]:
        by_id = Unit.objects.prefetch_related("names").in_bulk(self.child_ids)
        return [by_id[uid] for uid in self.child_ids if uid in by_id]


def _child_id(path: str, root_depth: int) -> int | None:
    """The id of the unit one level below a root of ``root_depth`` on ``path``."""
    parts = path.strip("/").split("/")
    return int(parts[root_depth]) if len(parts) > root_depth else None


def _successor_on(
    unit_id: int, on: datetime.date, links: dict[int, list[int]], valid: Any
) -> int | None:
    seen = set()
    current = unit_id
    while current not in valid:
        if current in seen or current not in links:
            return None
        seen.add(current)
        current = links[current][0]
    return current


def _within(tree: UnitTree, paths: list[str]) -> list[int]:
    """Units whose path starts with one of ``paths`` (each unit once)."""
    if len(paths) == 1:
        return tree.within(paths[0])
    return list(dict.fromkeys(uid for path in paths for uid in tree.within(path)))


def _valid_of_level(tree: UnitTree, level: int, on: datetime.date) -> frozenset[int]:
    return tree.remember(
        ("valid", level, on),
        lambda: frozenset(
            u for u, lv in tree.level.items() if lv == level and tree.is_valid_on(u, on)
        ),
    )


def territory(
    root: Unit | None,
    period: Period,
    *,
    by: str | None,
    mapping: str = AS_WAS,
    as_is_on: datetime.date | None = None,
    tree: UnitTree | None = None,
) -> Territory:
    """The units a question reads and how they roll up, from the per-process unit tree
    (:mod:`pcmd.geo.tree`): no query but the tree's token once the tree is cached.
    ``tree``: a tree the caller checks itself (:func:`evaluate`)."""
    if mapping not in (AS_WAS, AS_IS):
        raise EngineError(_("Unknown map %(map)r: use as_was or as_is."), map=mapping)
    tree = tree or unit_tree()
    end = period.end
    if root is None:
        # The whole country on the period's map, broken down by province.
        if mapping != AS_WAS or by == "commune":
            raise EngineError(_("The national view is by province, on the period's map."))
        key_of = tree.remember(
            ("nation",), lambda: {uid: _child_id(path, 0) for uid, path in tree.path.items()}
        )
        provinces = tree.remember(
            ("provinces", end),
            lambda: tree.by_code(_valid_of_level(tree, UnitLevel.PROVINCE, end)),
        )
        return Territory(None, ["/"], key_of, provinces, tree=tree)
    by_commune = by == "commune"
    if mapping == AS_WAS:
        key_of, child_ids, unit_ids = tree.remember(
            (AS_WAS, root.pk, root.path, by_commune, end),
            lambda: _as_was(tree, root, by_commune, end),
        )
        return Territory(root, [root.path], key_of, child_ids, unit_ids=unit_ids, tree=tree)
    on = as_is_on or datetime.date.today()
    if root.is_valid_on(on):
        target: Unit = root
    else:
        valid = _valid_of_level(tree, root.level, on)
        successor = _successor_on(root.pk, on, tree.main_links, valid)
        if successor is None:
            return _successor_communes(tree, root, on)
        target = Unit.objects.get(pk=successor)
    paths, key_of, child_ids, unit_ids = tree.remember(
        (AS_IS, root.pk, root.path, target.pk, by_commune, on),
        lambda: _as_is(tree, root, target, by_commune, on),
    )
    return Territory(target, paths, key_of, child_ids, unit_ids=unit_ids, tree=tree)


def _as_was(
    tree: UnitTree, root: Unit, by_commune: bool, end: datetime.date
) -> tuple[dict[int, Any], list[int], tuple[int, ...]]:
    units = tree.within(root.path)
    key_of: dict[int, Any]
    if by_commune:
        children = [u for u in units if tree.level[u] == UnitLevel.COMMUNE]
        key_of = {uid: uid for uid in units}
    else:
        children = list(tree.children.get(root.pk, ()))
        depth = root.depth
        key_of = {uid: _child_id(tree.path[uid], depth) for uid in units}
    child_ids = tree.by_code(u for u in children if tree.is_valid_on(u, end))
    return key_of, child_ids, tuple(units)


def _as_is(
    tree: UnitTree, root: Unit, target: Unit, by_commune: bool, on: datetime.date
) -> tuple[list[str], dict[int, Any], list[int], tuple[int, ...]]:
    paths = [root.path]
    if target.pk == root.pk:
        # Today's unit: its rows are those of every unit it was formed from.
        paths += [tree.path[p] for p in tree.predecessors.get(root.pk, ()) if p in tree.path]
    communes = [
        u for u in _within(tree, [*paths, target.path]) if tree.level[u] == UnitLevel.COMMUNE
    ]
    valid = frozenset(u for u in communes if tree.is_valid_on(u, on))
    key_of: dict[int, Any] = {}
    depth = target.depth
    for uid in communes:
        current = _successor_on(uid, on, tree.main_links, valid)
        if current is None or not tree.path.get(current, "").startswith(target.path):
            continue
        key_of[uid] = current if by_commune else _child_id(tree.path[current], depth)
    if by_commune:
        children = [u for u in tree.within(target.path) if tree.level[u] == UnitLevel.COMMUNE]
    else:
        children = list(tree.children.get(target.pk, ()))
    child_ids = tree.by_code(u for u in children if tree.is_valid_on(u, on))
    return paths, key_of, child_ids, tuple(_within(tree, paths))


def _successor_communes(tree: UnitTree, root: Unit, on: datetime.date) -> Territory:
    """The nearest answer for a unit that has no successor on ``on`` (a district after the
    1 July 2025 reform, DESIGN.md §3): the rows of its communes, each mapped onto the
    commune-level unit of ``on`` it became. Only the root's own rows are read, so a user who
    sees the old district sees nothing of the other units merged into the same communes."""
    if root.level == UnitLevel.COMMUNE:
        raise EngineError(
            _("%(unit)s has no successor valid on %(date)s."),
            unit=root.name,
            date=on.strftime("%d/%m/%Y"),
        )

    def build() -> tuple[dict[int, Any], list[int], tuple[int, ...]]:
        valid = _valid_of_level(tree, UnitLevel.COMMUNE, on)
        units = tree.within(root.path)
        key_of: dict[int, Any] = {}
        for uid in units:
            if tree.level[uid] != UnitLevel.COMMUNE:
                continue
            current = _successor_on(uid, on, tree.main_links, valid)
            if current is not None:
                key_of[uid] = current
        return key_of, tree.by_code(set(key_of.values())), tuple(units)

    key_of, child_ids, unit_ids = tree.remember(("successors", root.pk, root.path, on), build)
    note = Note(
        _(
            "%(unit)s no longer exists on %(date)s: its figures are shown on the "
            "%(count)s commune-level units of today that its communes became."
        ),
        {"unit": root.name, "date": on.strftime("%d/%m/%Y"), "count": len(child_ids)},
    )
    return Territory(root, [root.path], key_of, child_ids, note, unit_ids=unit_ids, tree=tree)


def _source(indicator: Indicator) -> Source:
    try:
        return SOURCES[indicator.source]
    except KeyError:
        raise EngineError(
            _("Indicator %(code)s names an unknown register %(source)r."),
            code=indicator.code,
            source=indicator.source,
        ) from None


def aggregate_query(
    indicator: Indicator, terr: Territory, period: Period, by: str | None = None
) -> Any:
    """The one aggregate query of a register indicator, as a queryset of (unit id, breakdown
    key if any, value) tuples (tests read its plan: every register's query uses an index)."""
    source = _source(indicator)
    model = source.model_class()
    unit_id = f"{source.unit_field}_id" if source.unit_field else "id"
    try:
        filters = placeholders.resolve(indicator.filters, period)
    except placeholders.UnknownPlaceholder as exc:
        raise EngineError(
            _("Indicator %(code)s has an unknown value %(value)r in its filters."),
            code=indicator.code,
            value=exc.value,
        ) from None
    unit_ids = terr.unit_ids
    level_key = f"{source.unit_field}__level"
    # (Only under a tree version: the compiled query is kept per version, pcmd.geo.tree.)
    if source.unit_field and unit_ids is not None and terr.levels and terr.tree_token:
        level = filters.get(level_key)
        if isinstance(level, int) and not isinstance(level, bool):
            # "The row's unit is a commune": the territory's units of that level, from the
            # tree, instead of joining the unit table for every row.
            filters = {k: v for k, v in filters.items() if k != level_key}
            unit_ids = tuple(u for u in unit_ids if terr.levels.get(u) == level)
    base = dict(source.base_filter)
    dated: dict[str, Any] | None = None  # the dated row's conditions, asked per row
    if (
        source.period_per_row
        and source.date_field
        and unit_ids is not None
        and by != "month"
        and connections[router.db_for_read(model)].vendor == "postgresql"
    ):
        hop = source.date_field.partition("__")[0] + "__"
        dated = {k.removeprefix(hop): base.pop(k) for k in list(base) if k.startswith(hop)}
    qs = model._default_manager.filter(**base)
    if unit_ids is not None:
        inner: dict[str, Any] = {}
        hop, _sep, date_rest = (source.date_field or "").partition("__")
        if date_rest and source.unit_field.startswith(f"{hop}__"):
            # The date lives on the row the unit is reached through: the subquery keeps only
            # that row's period (a case's parties: the cases detected in the period).
            inner = {f"{date_rest}__gte": period.start, f"{date_rest}__lte": period.end}
        subquery = source.territory_by_subquery and connections[qs.db].vendor == "postgresql"
        qs = qs.filter(
            territory_filter(model, source.unit_field, unit_ids, inner, subquery=subquery)
        )
    if source.where is not None:
        qs = qs.filter(source.where(WhereScope(terr.unit_ids, period.start, period.end)))
    if filters:
        qs = qs.filter(**filters)
    if source.date_field and dated is not None:
        qs = qs.filter(dated_row_exists(model, source.date_field, dated, period.start, period.end))
    elif source.date_field:
        qs = qs.filter(
            **{f"{source.date_field}__gte": period.start, f"{source.date_field}__lte": period.end}
        )
    elif source.year_field:
        qs = qs.filter(**{source.year_field: period.end.year})
    elif source.span_fields:
        begin, finish = source.span_fields
        qs = qs.filter(
            Q(**{f"{begin}__isnull": True}) | Q(**{f"{begin}__lte": period.end}),
            Q(**{f"{finish}__isnull": True}) | Q(**{f"{finish}__gte": period.start}),
        )
    elif not source.unit_field:
        qs = qs.filter(valid_on_q(period.end))
    group = [unit_id]
    if terr.root is None and by in (None, "unit") and indicator.kind in ADDITIVE:
        # The nation by province: rows grouped by their unit's parent (a district; a
        # province's own rows by the province) give ~700 groups to roll up, not ~10,000.
        # Only for counts and sums: a distinct count stays distinct within a commune.
        parent = f"{source.unit_field}__parent_id" if source.unit_field else "parent_id"
        qs = qs.annotate(_unit=Coalesce(F(parent), F(unit_id)))
        group = ["_unit"]
    if by == "month":
        if not source.date_field:
            raise EngineError(
                _("Indicator %(code)s has no event date, so no trend by month."),
                code=indicator.code,
            )
        qs = qs.annotate(_month=TruncMonth(source.date_field))
        group.append("_month")
    elif by in ("agency", "kind", "team_level"):
        field_path = source.breakdowns.get(by)
        if field_path is None:
            raise EngineError(
                _("Indicator %(code)s cannot be broken down by %(by)s."), code=indicator.code, by=by
            )
        group.append(field_path)
    agg: Aggregate
    if indicator.kind == IndicatorKind.COUNT:
        agg = Count("*")  # not COUNT(id): the (unit, date) index alone answers it
    elif indicator.kind == IndicatorKind.DISTINCT:
        agg = Count(indicator.measure or "pk", distinct=True)
    else:
        # "a+b" sums several count fields (e.g. vocational training + jobs).
        parts = [F(name.strip()) for name in indicator.measure.split("+")]
        expression: Combinable = parts[0]
        for part in parts[1:]:
            expression = expression + part
        agg = Sum(expression)
    return qs.order_by().values_list(*group).annotate(_v=agg)


def _rows(
    indicator: Indicator, terr: Territory, period: Period, by: str | None
) -> list[tuple[Any, Any, Number]]:
    return _rows_and_token(indicator, terr, period, by)[0]


def _rows_and_token(
    indicator: Indicator, terr: Territory, period: Period, by: str | None, token: bool = False
) -> tuple[list[tuple[Any, Any, Number]], str | None]:
    """The one aggregate query: (commune id, breakdown key or None, value) rows, and with
    ``token`` the unit tree's token read by the same statement. Its SQL is compiled once per
    question and process (``COMPILED``)."""
    model = _source(indicator).model_class()
    key = (
        indicator.source,
        indicator.kind,
        indicator.measure,
        repr(indicator.filters),  # exact (types included) and cheaper than JSON
        by,
        period.start,
        period.end,
        terr.unit_ids,
        terr.tree_token,  # the units' levels may narrow the ids (aggregate_query)
        router.db_for_read(model),
    )
    out = []
    rows, seen = COMPILED.rows_and_token(
        key, lambda: aggregate_query(indicator, terr, period, by), TOKEN_SQL if token else ""
    )
    if rows and len(rows[0]) == 2:  # no breakdown column (most questions)
        return [(unit_id, None, value or 0) for unit_id, value in rows], seen
    for row in rows:
        commune_id, value = row[0], row[-1]
        extra = row[1] if len(row) == 3 else None
        if isinstance(extra, datetime.datetime):
            extra = extra.date()
        out.append((commune_id, extra, value or 0))
    return out, seen


def _checked_rows(
    indicator: Indicator,
    root: Unit | None,
    period: Period,
    by: str | None,
    mapping: str,
    as_is_on: datetime.date | None,
) -> tuple[Territory, list[tuple[Any, Any, Number]]]:
    """Territory and rows in ONE statement while the units are unchanged: the process's
    cached tree is used unchecked and the aggregate reads the tree's token too; only when
    the token differs (units changed elsewhere) or no row came back to carry it is the tree
    checked (and rebuilt) and, if it was stale, the question asked again."""
    cached = cached_tree()
    # The as_is map reads units from the database for a unit gone from the map: checked first.
    if cached is not None and cached.token is not None and (mapping == AS_WAS or root is None):
        terr = territory(root, period, by=by, mapping=mapping, as_is_on=as_is_on, tree=cached)
        rows, seen = _rows_and_token(indicator, terr, period, by, token=True)
        if seen == cached.token or (seen is None and unit_tree() is cached):
            return terr, rows
    terr = territory(root, period, by=by, mapping=mapping, as_is_on=as_is_on)
    return terr, _rows(indicator, terr, period, by)


def _manual_rows(
    indicator: Indicator, terr: Territory, period: Period
) -> list[tuple[Any, Any, Number]]:
    qs = ManualValue.objects.filter(
        indicator=indicator, period_start__gte=period.start, period_end__lte=period.end
    )
    if terr.unit_ids is not None:
        qs = qs.filter(territory_filter(ManualValue, "unit", terr.unit_ids))
    return [(uid, None, v) for uid, v in qs.values_list("unit_id", "value")]


def evaluate(
    indicator: Indicator,
    root: Unit | None,
    period: Period,
    *,
    by: str | None = None,
    mapping: str = AS_WAS,
    as_is_on: datetime.date | None = None,
    terr: Territory | None = None,
    memo: dict[str, Result] | None = None,
) -> Result:
    """``memo``: results already computed for the same question on the same ``terr`` (by
    code), e.g. a denominator that is also asked for itself (:func:`evaluate_many`)."""
    if memo is not None and indicator.code in memo:
        return memo[indicator.code]
    result = _evaluate(indicator, root, period, by, mapping, as_is_on, terr, memo)
    if memo is not None:
        memo[indicator.code] = result
    return result


def _evaluate(
    indicator: Indicator,
    root: Unit | None,
    period: Period,
    by: str | None,
    mapping: str,
    as_is_on: datetime.date | None,
    terr: Territory | None,
    memo: dict[str, Result] | None,
) -> Result:
    if by is not None and by not in BREAKDOWNS:
        raise EngineError(_("Unknown breakdown %(by)r."), by=by)
    if terr is None and indicator.kind not in COMPOSED:
        terr, rows = _checked_rows(indicator, root, period, by, mapping, as_is_on)
    else:
        terr = terr or territory(root, period, by=by, mapping=mapping, as_is_on=as_is_on)
        if indicator.kind == IndicatorKind.RATIO:
            return _ratio(indicator, root, period, by, mapping, as_is_on, terr, memo)
        if indicator.kind == IndicatorKind.TOTAL:
            return _total(indicator, root, period, by, mapping, as_is_on, terr, memo)
        if indicator.kind == IndicatorKind.MANUAL:
            rows = _manual_rows(indicator, terr, period)
        else:
            rows = _rows(indicator, terr, period, by)
    result = Result(indicator, period, terr.root, by, note=terr.note)
    # int, float or Decimal: one kind per indicator (mixing float and Decimal would fail).
    values: dict[Any, Any] = defaultdict(int)
    total: Any = 0
    is_unit_key = by in (None, "unit", "commune")
    key_of = terr.key_of
    for commune_id, extra, value in rows:
        if commune_id not in key_of and (is_unit_key or mapping == AS_IS):
            continue
        key = key_of[commune_id] if is_unit_key else extra
        values[key] += value
        total += value
    if by in ("unit", "commune"):
        result.values = {uid: values.get(uid, 0) for uid in terr.child_ids}
    elif by is not None:
        result.values = dict(sorted(values.items(), key=lambda kv: str(kv[0])))
    if indicator.kind == IndicatorKind.MANUAL and not rows:
        result.total = None
    else:
        result.total = total
    return result


def _ratio(
    indicator: Indicator,
    root: Unit | None,
    period: Period,
    by: str | None,
    mapping: str,
    as_is_on: datetime.date | None,
    terr: Territory,
    memo: dict[str, Result] | None = None,
) -> Result:
    if indicator.numerator is None or indicator.denominator is None:
        raise EngineError(
            _("Indicator %(code)s is a ratio without a numerator and a denominator."),
            code=indicator.code,
        )
    num, den = (
        evaluate(
            part, root, period, by=by, mapping=mapping, as_is_on=as_is_on, terr=terr, memo=memo
        )
        for part in (indicator.numerator, indicator.denominator)
    )
    result = Result(
        indicator,
        period,
        terr.root,
        by,
        note=terr.note,
    )

    def div(a: Number | None, b: Number | None) -> float | None:
        if a is None or not b:
            return None
        return round(float(a) * indicator.scale / float(b), 1)

    # A key the denominator has and the numerator lacks (a role with no person handled)
    # is 0 %, not "no data".
    result.values = {
        k: div(num.values.get(k, 0), den.values.get(k)) for k in {*num.values, *den.values}
    }
    if by in ("unit", "commune"):
        result.values = {uid: result.values.get(uid) for uid in terr.child_ids}
    result.total = div(num.total, den.total)
    return result


def total_parts(indicator: Indicator) -> list[Indicator]:
    """The indicators a "total" adds up, in the order ``measure`` names them ("a+b")."""
    codes = [code.strip() for code in indicator.measure.split("+") if code.strip()]
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found or code == indicator.code]
    if not codes or missing:
        raise EngineError(
            _("Indicator %(code)s adds up unknown indicators: %(parts)s."),
            code=indicator.code,
            parts=", ".join(missing) or "—",
        )
    return [found[code] for code in codes]


def _total(
    indicator: Indicator,
    root: Unit | None,
    period: Period,
    by: str | None,
    mapping: str,
    as_is_on: datetime.date | None,
    terr: Territory,
    memo: dict[str, Result] | None = None,
) -> Result:
    """Each part on the same territory, summed key by key (a key one part lacks is 0)."""
    parts = [
        evaluate(
            part, root, period, by=by, mapping=mapping, as_is_on=as_is_on, terr=terr, memo=memo
        )
        for part in total_parts(indicator)
    ]
    result = Result(indicator, period, terr.root, by, note=terr.note)
    values: dict[Any, Any] = defaultdict(int)
    total: Any = None
    for part in parts:
        for key, value in part.values.items():
            values[key] += value or 0
        if part.total is not None:
            total = (total or 0) + part.total
    if by in ("unit", "commune"):
        result.values = {uid: values.get(uid, 0) for uid in terr.child_ids}
    else:
        result.values = dict(sorted(values.items(), key=lambda kv: str(kv[0])))
    result.total = total
    return result


def evaluate_many(
    indicators: list[Indicator],
    root: Unit | None,
    period: Period,
    *,
    by: str | None = None,
    mapping: str = AS_WAS,
    as_is_on: datetime.date | None = None,
) -> list[Result]:
    """Several indicators on one territory: one query per indicator plus the unit tree."""
    terr = territory(
        root,
        period,
        by=by if by in ("unit", "commune") else None,
        mapping=mapping,
        as_is_on=as_is_on,
    )
    memo: dict[str, Result] = {}  # a part of one asked again (a denominator) is not recomputed
    return [
        evaluate(i, root, period, by=by, mapping=mapping, as_is_on=as_is_on, terr=terr, memo=memo)
        for i in indicators
    ]
