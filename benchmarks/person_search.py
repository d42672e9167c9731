"""Benchmark: finding one person among 100,000 by ID number, phone, or name + birth year.

    .venv/bin/python benchmarks/person_search.py                       # SQLite (temp file)
    BENCH_PG=postgres://pcmd:pcmd@localhost/postgres .venv/bin/python benchmarks/person_search.py

PostgreSQL: the script creates a scratch database ``pcmd_bench_people`` through the given
server URL and drops it at the end.

It migrates a fresh database, loads the Đắk Lắk units and demo accounts, writes 100,000
persons (identity fields encrypted, blind indexes computed, each with an enforcement
involvement in a random commune), then times, as the median of 200 searches each, what the
police officer's search does (``pcmd.people.search.find`` with the existence rule, then
decrypting the found record's name): by ID number, by phone, by name + year; and the
"possibly the same person" check of a new record (``pcmd.people.actions.candidates``). No
search decrypts anything but the rows found: the query plan is printed to show the index.

Results go to benchmarks/results/person-search-<vendor>.txt.
"""

from __future__ import annotations

import os
import platform
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
PERSONS = int(os.environ.get("BENCH_PERSONS", "100000"))
RUNS = 200
PG_SERVER = os.environ.get("BENCH_PG")
PG_DB = "pcmd_bench_people"


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(sql)


if PG_SERVER:
    _pg(f"DROP DATABASE IF EXISTS {PG_DB}")
    _pg(f"CREATE DATABASE {PG_DB}")
    os.environ["DATABASE_URL"] = PG_SERVER.rsplit("/", 1)[0] + f"/{PG_DB}"
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/people.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pcmd.accounts.models import User  # noqa: E402
from pcmd.core.demo import load_demo  # noqa: E402
from pcmd.geo.models import Unit, UnitLevel  # noqa: E402
from pcmd.people import actions, search  # noqa: E402
from pcmd.people.models import Involvement, Person  # noqa: E402

SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý H'Niê Y Ksor".split()
)
MIDDLE = "Thị Văn Hữu Đức Minh Thu Ngọc Kim Thanh Hồng".split()
GIVEN = "Hoa Lan Mai Hương Linh Trang Hà Nga Phương Thảo Tuấn Hùng Dũng Nam Bình An Vy Yến".split()


def timed(fn, queries: list) -> float:
    times = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def build(rng: random.Random) -> tuple[list[dict], float]:
    call_command("migrate", verbosity=0)
    load_demo("Benchmark-password-2018!", registers=False)
    communes = list(Unit.objects.filter(level=UnitLevel.COMMUNE, path__startswith=_province().path))
    samples: list[dict] = []
    start = time.perf_counter()
    batch: list[Person] = []
    for n in range(1, PERSONS + 1):
        year = rng.randint(1960, 2006)
        values = {
            "full_name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            "id_number": f"066{rng.randint(0, 3)}{year % 100:02d}{n:06d}",
            "phone": f"09{rng.randint(0, 99_999_999):08d}",
            "birth_year": year,
        }
        person = Person(code=f"ĐL-2026-{n:06d}", unit=rng.choice(communes), sex="female", **values)
        person.refresh_indexes()
        batch.append(person)
        if n % 2_000 == 0 or n == PERSONS:
            with transaction.atomic():
                made = Person.objects.bulk_create(batch)
                if not all(p.pk for p in made):  # SQLite < 3.35 gives no ids back
                    made = list(Person.objects.order_by("-pk")[: len(batch)])
                Involvement.objects.bulk_create(
                    Involvement(person=p, module="enforcement", unit=p.unit, source="bench")
                    for p in made
                )
            batch = []
        if rng.random() < 0.004:
            samples.append(values)
    return samples, time.perf_counter() - start


def _province() -> Unit:
    return Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)


def main() -> None:
    rng = random.Random(1842)
    samples, build_s = build(rng)
    police = User.objects.get(username="congan")
    queries = [rng.choice(samples) for _ in range(RUNS)]

    def by_id(v: dict) -> None:
        found = list(search.find(police, v["id_number"]))
        assert found and found[0].full_name == v["full_name"]

    def by_phone(v: dict) -> None:
        assert search.find(police, v["phone"]).exists()

    def by_name_year(v: dict) -> None:
        found = list(search.find(police, f"{v['full_name']} {v['birth_year']}"))
        assert any(p.full_name == v["full_name"] for p in found)

    def duplicates(v: dict) -> None:
        assert actions.candidates(v)

    figures = {
        "ID number": timed(by_id, queries),
        "phone": timed(by_phone, queries),
        "name + year": timed(by_name_year, queries),
        "possible duplicates of a new record": timed(duplicates, queries),
    }
    sample = queries[0]
    plan_sql = str(search.find(police, sample["id_number"]).query)
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(
            explain + "SELECT id FROM people_person WHERE bi_id_number = %s",
            [
                Person.objects.by_id_number(sample["id_number"]).values_list(
                    "bi_id_number", flat=True
                )[0]
            ],
        )
        plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
    vendor = connection.vendor
    lines = [
        f"person search benchmark, {vendor}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores",
        f"{PERSONS:,} persons written (encrypted, indexed) in {build_s:.1f} s",
        f"median of {RUNS} searches as the police officer (existence rule applied), ms:",
        *[f"  {name:<40} {ms:7.2f}" for name, ms in figures.items()],
        "plan of the blind-index lookup:",
        *[f"  {line}" for line in plan.splitlines()],
        f"(query: {plan_sql[:160]}…)",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "benchmarks" / "results" / f"person-search-{vendor}.txt"
    out.write_text(text)
    if PG_SERVER:
        connection.close()
        _pg(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
