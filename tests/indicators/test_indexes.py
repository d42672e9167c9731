"""Every register an indicator counts is read through an index, never scanned whole.

The engine filters a register by the units of a territory (``<unit fk> IN (ids)``) and a
period; each register carries the composite index that serves that filter. This test walks
EVERY source of pcmd.indicators.sources.SOURCES and reads the planner's plan of the engine's
own query (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with sequential scans priced out),
so a new source without an index fails here.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction

from pcmd.core.periods import parse_period
from pcmd.geo.models import Unit
from pcmd.indicators.engine import aggregate_query, territory
from pcmd.indicators.models import Indicator, IndicatorKind
from pcmd.indicators.sources import SOURCES

pytestmark = pytest.mark.django_db

Y2018 = parse_period("2018")


def plan_of(qs: object) -> str:
    query = qs.query  # type: ignore[attr-defined]
    sql, params = query.get_compiler(using=qs.db).as_sql()  # type: ignore[attr-defined]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def full_scans(plan: str, table: str) -> list[str]:
    """Plan lines that read ``table`` without an index."""
    if connection.vendor == "postgresql":
        return [line for line in plan.splitlines() if f"Seq Scan on {table}" in line]
    return [
        line
        for line in plan.splitlines()
        if re.search(rf"\bSCAN {table}\b", line) and "INDEX" not in line
    ]


@pytest.mark.parametrize("key", sorted(SOURCES))
@pytest.mark.parametrize(("root_code", "by"), [("66", "unit"), ("643", "commune")])
def test_the_engine_reads_each_register_through_an_index(key: str, root_code: str, by: str) -> None:
    root = Unit.objects.get(code=root_code, valid_from=None)
    terr = territory(root, Y2018, by=by)
    indicator = Indicator(code=f"probe_{key}", source=key, kind=IndicatorKind.COUNT)
    plan = plan_of(aggregate_query(indicator, terr, Y2018, by=by))
    table = SOURCES[key].model_class()._meta.db_table
    assert table in plan, plan
    assert not full_scans(plan, table), f"{key}: {table} is scanned whole:\n{plan}"
    source = SOURCES[key]
    date, unit = source.date_field, source.unit_field.split("__")[0]
    if connection.vendor == "sqlite" and date and "__" not in date and unit:
        # One index serves both the territory and the period: (unit, date).
        served = rf"SEARCH {table} USING (COVERING )?INDEX \S+ \({unit}_id=\? AND {date}>\? AND {date}<\?\)"
        assert re.search(served, plan), f"{key}: no ({unit}, {date}) index on {table}:\n{plan}"


def test_the_territory_is_a_list_of_unit_ids_not_a_path_match() -> None:
    # The shape the planner can use: no join of the unit table matched by path per row.
    root = Unit.objects.get(code="66", valid_from=None)
    terr = territory(root, Y2018, by="unit")
    indicator = Indicator.objects.get(code="patrols")
    sql = str(aggregate_query(indicator, terr, Y2018, by="unit").query)
    assert "LIKE" not in sql.upper() and "geo_unit" not in sql
    assert '"commune_id" IN (' in sql
