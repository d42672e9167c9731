"""National-scale benchmark of the indicator engine against hand-written GROUP BY SQL.

    .venv/bin/python benchmarks/indicators_national.py            # SQLite (temp file)
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/indicators_national.py

It builds a fresh database: every pre-2025 province from the unit package (63 provinces,
10,035 communes, plus the 2025 tree and the links), 1,000,000 patrols, 300,000
communication activities and 200,000 establishments spread over the communes and
2016–2018 (1.5 million register rows), then times, as the median of several runs:

1. the engine vs a hand-written GROUP BY for the same answer (patrols by province for the
   nation; by district for Đắk Lắk), checking that both give the same numbers;
2. the province-by-district table of all of plan 1842's targets for 2018.

Results go to benchmarks/results/indicators-<vendor>.txt.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PCMD_AXES"] = "0"
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/national.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pcmd.core.periods import parse_period  # noqa: E402
from pcmd.geo.loader import legacy_province_codes, load_provinces  # noqa: E402
from pcmd.geo.models import Unit, UnitLevel  # noqa: E402
from pcmd.indicators.actions import load_indicators  # noqa: E402
from pcmd.indicators.engine import evaluate  # noqa: E402
from pcmd.indicators.models import Indicator  # noqa: E402

PATROLS = int(os.environ.get("BENCH_PATROLS", "1000000"))
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "300000"))
ESTABLISHMENTS = int(os.environ.get("BENCH_ESTABLISHMENTS", "200000"))
RUNS = 5


def timed(fn, runs: int = RUNS) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def build() -> dict[str, float]:
    took = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    took["migrate"] = time.perf_counter() - t
    t = time.perf_counter()
    load_provinces(legacy_province_codes())
    took["units"] = time.perf_counter() - t
    call_command("load_agencies", verbosity=0)
    call_command("import_plan", verbosity=0)
    load_indicators(actor=None)
    communes = list(
        Unit.objects.filter(
            level=UnitLevel.COMMUNE,
            valid_from__isnull=True,
            valid_to__gte=datetime.date(2024, 12, 31),
        ).values_list("id", flat=True)
    )
    rng = random.Random(20181842)
    t = time.perf_counter()
    start = datetime.date(2016, 1, 1).toordinal()
    days = datetime.date(2018, 12, 31).toordinal() - start
    from pcmd.hotspots.models import Patrol

    def patrols() -> object:
        for _ in range(PATROLS):
            on = datetime.date.fromordinal(start + rng.randrange(days + 1))
            yield Patrol(
                on=on,
                force="CSTT",
                commune_id=rng.choice(communes),
                people_found=rng.choice((0, 0, 0, 1, 2, 3, 5)),
            )

    with transaction.atomic():
        rows = patrols()
        while True:
            batch = [row for _, row in zip(range(50_000), rows, strict=False)]
            if not batch:
                break
            Patrol.objects.bulk_create(batch)
    from pcmd.registry.models import Establishment, EstablishmentKind

    kinds = list(EstablishmentKind.objects.all()) or [
        EstablishmentKind.objects.create(code="karaoke", name="Karaoke")
    ]
    Establishment.objects.bulk_create(
        (
            Establishment(
                name=f"Cơ sở {i}",
                kind=rng.choice(kinds),
                address="—",
                commune_id=rng.choice(communes),
            )
            for i in range(ESTABLISHMENTS)
        ),
        batch_size=20_000,
    )
    from pcmd.agencies.models import Agency
    from pcmd.outreach.models import Activity, CommunicationForm

    agency = Agency.objects.get(code="UBND_TINH")
    forms = list(CommunicationForm.objects.all())

    def activities() -> object:
        for _ in range(ACTIVITIES):
            on = datetime.date.fromordinal(start + rng.randrange(days + 1))
            yield Activity(
                date=on,
                unit_id=rng.choice(communes),
                agency=agency,
                form=rng.choice(forms),
                title="Tuyên truyền",
                participants=rng.randrange(10, 200),
            )

    with transaction.atomic():
        rows = activities()
        while True:
            batch = [row for _, row in zip(range(50_000), rows, strict=False)]
            if not batch:
                break
            Activity.objects.bulk_create(batch)
    took["rows"] = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return took


def hand_by_province(year: int) -> dict[int, int]:
    sql = (
        "SELECT d.parent_id, COUNT(*) FROM hotspots_patrol p "
        "JOIN geo_unit c ON c.id = p.commune_id JOIN geo_unit d ON d.id = c.parent_id "
        'WHERE p."on" BETWEEN %s AND %s GROUP BY d.parent_id'
    )
    with connection.cursor() as cur:
        cur.execute(sql, [datetime.date(year, 1, 1), datetime.date(year, 12, 31)])
        return dict(cur.fetchall())


def hand_by_district(province: Unit, year: int) -> dict[int, int]:
    sql = (
        "SELECT c.parent_id, COUNT(*) FROM hotspots_patrol p "
        "JOIN geo_unit c ON c.id = p.commune_id "
        'WHERE c.path LIKE %s AND p."on" BETWEEN %s AND %s GROUP BY c.parent_id'
    )
    with connection.cursor() as cur:
        cur.execute(
            sql, [province.path + "%", datetime.date(year, 1, 1), datetime.date(year, 12, 31)]
        )
        return dict(cur.fetchall())


def main() -> None:
    vendor = connection.vendor
    took = build()
    patrols = Indicator.objects.get(code="patrols")
    year = parse_period("2018")
    lines = [
        f"PCMD indicator benchmark — {vendor}, {datetime.datetime.now():%Y-%m-%d %H:%M}",
        f"units: {Unit.objects.count()} ({Unit.objects.filter(level=3).count()} commune "
        f"rows), patrols: {PATROLS:,}, activities: {ACTIVITIES:,}, "
        f"establishments: {ESTABLISHMENTS:,}",
        "build: " + ", ".join(f"{k} {v:.1f}s" for k, v in took.items()),
        "",
    ]

    # 1a. The nation by province (root=None).
    hand_t, hand = timed(lambda: hand_by_province(2018))
    engine_t, result = timed(lambda: evaluate(patrols, None, year, by="unit"))
    assert {k: v for k, v in result.values.items() if v} == hand, "engine != hand (nation)"
    lines.append(
        f"nation by province, 2018: hand GROUP BY {hand_t * 1000:.0f} ms, "
        f"engine {engine_t * 1000:.0f} ms, ratio {engine_t / hand_t:.2f}"
    )

    # 1b. One province by district, the dashboard's question.
    for code in ("66", "01", "79"):
        prov = Unit.objects.get(code=code, level=1, valid_from__isnull=True)
        hand_t, hand = timed(lambda prov=prov: hand_by_district(prov, 2018))
        engine_t, result = timed(lambda prov=prov: evaluate(patrols, prov, year, by="unit"))
        assert {k: v for k, v in result.values.items() if v} == hand, f"mismatch {code}"
        lines.append(
            f"{prov.name} by district, 2018: hand {hand_t * 1000:.1f} ms, engine "
            f"{engine_t * 1000:.1f} ms, ratio {engine_t / hand_t:.2f}"
        )

    # 2. Province-by-district table of all targets for a year.
    from pcmd.plans.models import Plan
    from pcmd.plans.progress import plan_progress

    plan = Plan.objects.get()
    dak_lak = Unit.objects.get(code="66", level=1, valid_from__isnull=True)
    table_t, _ = timed(lambda: plan_progress(plan, dak_lak, year, by_children=True))
    lines.append(f"plan 1842 targets, Đắk Lắk by district, 2018: {table_t * 1000:.0f} ms")
    out = ROOT / "benchmarks" / "results" / f"indicators-{vendor}.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
