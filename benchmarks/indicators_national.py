"""National-scale benchmark: the indicator engine against the best hand-written SQL.

    .venv/bin/python benchmarks/indicators_national.py            # SQLite (temp file)
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/indicators_national.py

It builds a fresh database (benchmarks/national_data.py: 63 provinces, 10,035 communes plus
the 2025 tree, 1,000,000 patrols, 300,000 activities, 200,000 establishments and
``BENCH_ROWS`` rows in every other register an indicator counts), then times for EVERY
indicator source, as the median of 9 runs after a warm-up, hand and engine interleaved:

(a) one province by district (Đắk Lắk), (b) one district by commune (Buôn Ma Thuột),
(c) the nation by province, all for 2018; and (d) the 7 targets of plan 1842 for Đắk Lắk by
district (the dashboard's table: the indicators ``plan_progress`` asks ``evaluate_many``).

"Hand" is the best SQL written for the same answer: the register's (unit, date) index, the
territory as ``unit IN (SELECT id FROM geo_unit WHERE path LIKE …)`` (a district: ``parent_id
= …``), one GROUP BY. Both answers are checked equal before timing. With PostgreSQL the
script creates the database named in DATABASE_URL from scratch (dropping it first).

Results go to benchmarks/results/indicators-<vendor>.txt.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PCMD_AXES"] = "0"
os.environ.setdefault("PCMD_DEBUG", "0")  # as in production: no query log on the cursors
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/national.sqlite3"


def _fresh_postgres(url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database (never another helper's)."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# BENCH_REUSE=1 times again on a database this script built before (DATABASE_URL).
REUSE = os.environ.get("BENCH_REUSE") == "1"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks import national_data  # noqa: E402
from pcmd.core.periods import Period, parse_period  # noqa: E402
from pcmd.geo.models import Unit, UnitLevel  # noqa: E402
from pcmd.indicators.engine import COMPILED, Result, evaluate, evaluate_many  # noqa: E402
from pcmd.indicators.models import Indicator, IndicatorKind  # noqa: E402
from pcmd.indicators.sources import SOURCES  # noqa: E402

# The latest statistics consent of the person named by {p} is "given" (statistics_consent_q).
CONSENT = (
    "(SELECT k.given FROM people_consent k WHERE k.person_id = {p} AND k.purpose = 'statistics'"
    " AND k.organisation = '' ORDER BY k.\"on\" DESC, k.id DESC LIMIT 1) = %(true)s"
)
DATED = "{d} BETWEEN %(start)s AND %(end)s"

# source -> (FROM clause, unit column, WHERE clause). Every register an indicator counts.
HAND: dict[str, tuple[str, str, str]] = {
    "communes": (
        "geo_unit r",
        "r.id",
        "r.level = 3 AND (r.valid_from IS NULL OR r.valid_from <= %(end)s)"
        " AND (r.valid_to IS NULL OR r.valid_to >= %(end)s)",
    ),
    "establishments": ("registry_establishment r", "r.commune_id", "NOT r.is_deleted"),
    "inspections": (
        "inspections_inspection r",
        "r.commune_id",
        "NOT r.is_deleted AND " + DATED.format(d="r.date"),
    ),
    "violations": (
        "enforcement_violation r",
        "r.commune_id",
        "NOT r.is_deleted AND " + DATED.format(d="r.date"),
    ),
    "sanctions": (
        "enforcement_sanction s JOIN enforcement_violation r ON r.id = s.violation_id",
        "r.commune_id",
        "NOT r.is_deleted AND " + DATED.format(d="s.date"),
    ),
    "sanctioned_persons": (
        "enforcement_sanctionedperson sp JOIN enforcement_sanction s ON s.id = sp.sanction_id"
        " JOIN enforcement_violation r ON r.id = s.violation_id",
        "r.commune_id",
        "NOT r.is_deleted AND " + DATED.format(d="s.date"),
    ),
    "patrols": ("hotspots_patrol r", "r.commune_id", DATED.format(d='r."on"')),
    "hotspots": ("hotspots_hotspot r", "r.commune_id", "NOT r.is_deleted"),
    "activities": (
        "outreach_activity r",
        "r.unit_id",
        "NOT r.is_deleted AND " + DATED.format(d="r.date"),
    ),
    "officers": (
        "outreach_officer r",
        "r.commune_id",
        "NOT r.is_deleted AND (r.valid_from IS NULL OR r.valid_from <= %(end)s)"
        " AND (r.valid_to IS NULL OR r.valid_to >= %(start)s)",
    ),
    "trained_officers": (
        "outreach_trainingparticipant tp JOIN outreach_officer r ON r.id = tp.officer_id"
        " JOIN outreach_training t ON t.id = tp.training_id",
        "r.commune_id",
        "NOT r.is_deleted AND NOT t.is_deleted AND " + DATED.format(d="t.start_date"),
    ),
    "assessments": ("communes_assessment r", "r.commune_id", "r.year = %(year)s"),
    "support_counts": (
        "support_supportcount r",
        "r.commune_id",
        "NOT r.is_deleted AND " + DATED.format(d="r.period_end"),
    ),
    "support_counts_uncovered": (
        "support_supportcount r",
        "r.commune_id",
        "NOT r.is_deleted AND "
        + DATED.format(d="r.period_end")
        + " AND NOT EXISTS (SELECT 1 FROM support_service sv"
        " JOIN support_supportcase c ON c.id = sv.case_id"
        " JOIN support_servicetype st ON st.id = sv.type_id"
        " WHERE c.unit_id = r.commune_id AND sv.started_on >= r.period_start"
        " AND sv.started_on <= r.period_end AND st.kind IN ('training', 'job'))",
    ),
    "support_cases": (
        "support_supportcase r",
        "r.unit_id",
        DATED.format(d="r.opened_on") + " AND " + CONSENT.format(p="r.person_id"),
    ),
    "support_closures": (
        "support_supportcase r",
        "r.unit_id",
        "r.status = 'closed' AND "
        + DATED.format(d="r.closed_on")
        + " AND "
        + CONSENT.format(p="r.person_id"),
    ),
    "support_services": (
        "support_service sv JOIN support_supportcase r ON r.id = sv.case_id",
        "r.unit_id",
        DATED.format(d="sv.started_on") + " AND " + CONSENT.format(p="r.person_id"),
    ),
    "support_service_outcomes": (
        "support_service sv JOIN support_supportcase r ON r.id = sv.case_id",
        "r.unit_id",
        DATED.format(d="sv.started_on") + " AND " + CONSENT.format(p="r.person_id"),
    ),
    "cases": ("cases_case r", "r.commune_id", DATED.format(d="r.detected_on")),
    "case_persons": (
        "cases_caseparty cp JOIN cases_case r ON r.id = cp.case_id",
        "r.commune_id",
        DATED.format(d="r.detected_on"),
    ),
    "case_steps": (
        "cases_step st JOIN cases_case r ON r.id = st.case_id",
        "r.commune_id",
        DATED.format(d="st.decided_on"),
    ),
    "budget_lines": (
        "budget_budgetline b JOIN agencies_agency r ON r.id = b.agency_id",
        "r.unit_id",
        "NOT b.is_deleted AND b.year = %(year)s",
    ),
}


# Registers whose rows may sit at a district or the province (agencies' budget lines).
ABOVE_COMMUNES = {"budget_lines"}


def _params(period: Period, **more: Any) -> dict[str, Any]:
    return {
        "start": period.start,
        "end": period.end,
        "year": period.end.year,
        "true": True,
        **more,
    }


def _run(sql: str, params: dict[str, Any]) -> dict[Any, Any]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        # A NULL key: rows of the root unit itself, which no breakdown column shows.
        return {k: v for k, v in cur.fetchall() if v and k is not None}


def hand_sql(source: str, shape: str, value: str = "COUNT(*)", extra: str = "") -> str:
    """The best SQL for a source's figure: (a) a province by district, (b) a district by
    commune, (c) the nation by province."""
    table, unit, where = HAND[source]
    where += extra
    if source in ABOVE_COMMUNES and shape == "a":  # rows of the province and its districts
        return (
            f"SELECT CASE c.level WHEN 3 THEN c.parent_id WHEN 2 THEN c.id END, {value}"
            f" FROM {table} JOIN geo_unit c ON c.id = {unit}"
            f" WHERE {where} AND {unit} IN (SELECT id FROM geo_unit WHERE path LIKE %(path)s)"
            " GROUP BY 1"
        )
    if source in ABOVE_COMMUNES and shape == "c":
        return (
            f"SELECT CASE c.level WHEN 3 THEN d.parent_id WHEN 2 THEN c.parent_id ELSE c.id END,"
            f" {value} FROM {table} JOIN geo_unit c ON c.id = {unit}"
            f" LEFT JOIN geo_unit d ON d.id = c.parent_id WHERE {where} GROUP BY 1"
        )
    if shape == "a":
        return (
            f"SELECT c.parent_id, {value} FROM {table} JOIN geo_unit c ON c.id = {unit}"
            f" WHERE {where} AND {unit} IN (SELECT id FROM geo_unit WHERE path LIKE %(path)s)"
            " GROUP BY c.parent_id"
        )
    if shape == "b":
        return (
            f"SELECT {unit}, {value} FROM {table} WHERE {where}"
            f" AND {unit} IN (SELECT id FROM geo_unit WHERE parent_id = %(root)s) GROUP BY {unit}"
        )
    return (
        f"SELECT d.parent_id, {value} FROM {table} JOIN geo_unit c ON c.id = {unit}"
        f" JOIN geo_unit d ON d.id = c.parent_id WHERE {where} GROUP BY d.parent_id"
    )


def _nonzero(result: Result) -> dict[Any, Any]:
    return {k: v for k, v in result.values.items() if v}


def by_source(lines: list[str], period: Period, province: Unit, district: Unit) -> list[float]:
    ratios = []
    shapes = {
        "a": ("province by district", province),
        "b": ("district by commune", district),
        "c": ("nation by province", None),
    }
    lines.append(
        f"{'source':26} {'shape':22} {'rows':>7} {'hand ms':>9} {'engine ms':>9} ratio"
        f" {'compiling':>9}"
    )
    for key in SOURCES:
        indicator = Indicator(code=f"bench_{key}", source=key, kind=IndicatorKind.COUNT)
        for shape, (label, root) in shapes.items():
            by = "commune" if shape == "b" else "unit"
            params = _params(
                period,
                path=(root.path + "%") if root else "",
                root=root.pk if root else 0,
            )
            sql = hand_sql(key, shape)
            (hand_t, hand), (engine_t, result) = national_data.timed_pair(
                lambda sql=sql, params=params: _run(sql, params),
                lambda i=indicator, root=root, by=by: evaluate(i, root, period, by=by),
            )
            cold_t, _ = national_data.timed(
                lambda i=indicator, root=root, by=by: (
                    COMPILED.clear(),
                    evaluate(i, root, period, by=by),
                )
            )
            got = _nonzero(result)
            assert got == hand, f"{key} {label}: engine {got} != hand {hand}"
            ratio = engine_t / hand_t
            ratios.append(ratio)
            lines.append(
                f"{key:26} {label:22} {sum(hand.values()):>7} {hand_t * 1000:>9.2f}"
                f" {engine_t * 1000:>9.2f} {ratio:5.2f} {cold_t * 1000:>9.2f}"
                f"{'  > 1.5' if ratio > 1.5 else ''}"
            )
            print(lines[-1], flush=True)
    return ratios


# (d) The plan's targets: the indicators plan_progress asks for, each by hand.
PLAN_HAND: dict[str, tuple[str, str, str]] = {
    # code: (source, value, extra where)
    "communes": ("communes", "COUNT(*)", ""),
    "communes_with_activity": ("activities", "COUNT(DISTINCT r.unit_id)", " AND c.level = 3"),
    "inspections": ("inspections", "COUNT(*)", ""),
    "establishments_inspected_province_team": (
        "inspections",
        "COUNT(DISTINCT r.establishment_id)",
        " AND r.team_id IN (SELECT id FROM inspections_team WHERE level = 1)",
    ),
    "cases_detected": ("cases", "COUNT(*)", ""),
    "cases_handled": ("cases", "COUNT(*)", " AND r.handled_on <= %(end)s"),
    "officers": (
        "officers",
        "COUNT(*)",
        " AND r.is_social_evils_officer AND c.level = 3",
    ),
    "officers_trained": (
        "trained_officers",
        "COUNT(DISTINCT tp.officer_id)",
        " AND r.is_social_evils_officer AND c.level = 3",
    ),
    "healthy_communes": (
        "assessments",
        "COUNT(*)",
        " AND r.status = 'confirmed' AND r.result_class_id IN"
        " (SELECT id FROM communes_assessmentclass WHERE kind = 'healthy')",
    ),
    "key_communes": (
        "assessments",
        "COUNT(*)",
        " AND r.status = 'confirmed' AND r.result_class_id IN"
        " (SELECT id FROM communes_assessmentclass WHERE kind = 'key')",
    ),
    "people_supported_training_jobs": (
        "support_services",
        "COUNT(DISTINCT r.person_id)",
        " AND sv.type_id IN (SELECT id FROM support_servicetype WHERE kind IN ('training', 'job'))",
    ),
    "people_supported_counts": (
        "support_counts_uncovered",
        "SUM(r.vocational_training + r.employment)",
        "",
    ),
}
RATIOS = {
    "communication_coverage": ("communes_with_activity", "communes"),
    "cases_handled_share": ("cases_handled", "cases_detected"),
    "officers_trained_share": ("officers_trained", "officers"),
}
TOTALS = {"people_supported": ("people_supported_training_jobs", "people_supported_counts")}


def plan_by_hand(period: Period, province: Unit) -> dict[str, dict[Any, Any]]:
    params = _params(period, path=province.path + "%")
    raw = {
        code: _run(hand_sql(source, "a", value, extra), params)
        for code, (source, value, extra) in PLAN_HAND.items()
    }
    out = dict(raw)
    for code, (num, den) in RATIOS.items():
        out[code] = {
            k: round(float(raw[num].get(k, 0)) * 100 / float(v), 1) for k, v in raw[den].items()
        }
        out[code] = {k: v for k, v in out[code].items() if v}
    for code, parts in TOTALS.items():
        keys = {k for p in parts for k in raw[p]}
        out[code] = {k: sum(raw[p].get(k, 0) for p in parts) for k in keys}
    return out


def plan_targets(lines: list[str], period: Period, province: Unit) -> float:
    from pcmd.plans.models import Plan

    plan = Plan.objects.get()
    codes = {t.indicator_code for t in plan.targets.filter(withdrawn=False) if t.indicator_code}
    codes |= {"key_communes", "communes"}
    indicators = list(
        Indicator.objects.filter(code__in=sorted(codes)).select_related("numerator", "denominator")
    )
    indicators.sort(key=lambda i: i.code)

    def engine() -> dict[str, dict[Any, Any]]:
        results = evaluate_many(indicators, province, period, by="unit")
        return {r.indicator.code: _nonzero(r) for r in results}

    (hand_t, hand), (engine_t, got) = national_data.timed_pair(
        lambda: plan_by_hand(period, province), engine
    )
    for code, values in got.items():
        assert values == hand[code], f"plan target {code}: engine {values} != hand {hand[code]}"
    ratio = engine_t / hand_t
    lines.append(
        f"(d) plan 1842, {len(indicators)} indicators of its 7 targets, {province.name} by"
        f" district: hand {hand_t * 1000:.2f} ms, engine {engine_t * 1000:.2f} ms,"
        f" ratio {ratio:.2f}{'  > 1.5' if ratio > 1.5 else ''}"
    )
    return ratio


def main() -> None:
    vendor = connection.vendor
    if vendor == "postgresql" and not REUSE:
        # Here, not at import: importing this module (for its hand SQL) must drop nothing.
        connection.close()
        _fresh_postgres(os.environ["DATABASE_URL"])
    if REUSE:
        call_command("migrate", verbosity=0)
        took = {"reused the database built before (migrated)": 0.0}
    else:
        took = national_data.build()
    period = parse_period("2018")
    province = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from__isnull=True)
    district = Unit.objects.get(code="643", level=UnitLevel.DISTRICT, valid_from__isnull=True)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"PCMD indicator benchmark — {vendor}, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"units: {Unit.objects.count()} ({Unit.objects.filter(level=3).count()} commune rows);"
        f" patrols {national_data.PATROLS:,}, activities {national_data.ACTIVITIES:,}, establishments {national_data.ESTABLISHMENTS:,},"
        f" other event registers ~{national_data.ROWS:,} rows each",
        "build: " + ", ".join(f"{k} {v:.1f}s" for k, v in took.items()),
        f"machine load at start (2 cores shared with other work): {load}",
        "times: median of 9 after a warm-up, hand and engine calls interleaved; ratio = engine /",
        "hand; 'rows' = the figure's total;",
        "'compiling' = the engine with its compiled-SQL cache emptied before each call (the",
        "first time a process asks a question; the unit tree stays cached)",
        f"(a) {province.name} by district, (b) {district.name} by commune,"
        " (c) the nation by province; 2018",
        "",
    ]
    ratios = by_source(lines, period, province, district)
    lines.append("")
    ratios.append(plan_targets(lines, period, province))
    over = sum(r > 1.5 for r in ratios)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    lines += [
        "",
        f"{len(ratios)} comparisons, {over} above 1.5; worst ratio {max(ratios):.2f},"
        f" median {sorted(ratios)[len(ratios) // 2]:.2f}",
        f"machine load at end: {load}",
    ]
    out = ROOT / "benchmarks" / "results" / f"indicators-{vendor}.txt"
    if os.environ.get("BENCH_WRITE", "1") == "1":
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
