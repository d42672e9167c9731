"""Benchmark: import 10,000 establishments from an XLSX workbook.

Run: ``.venv/bin/python benchmarks/import_establishments.py``

Sets Django up on a temporary SQLite database (migrated, with the Đắk Lắk units and the demo
personas), writes a workbook of 10,000 rows in which about 1 % of the rows carry a mistake,
and times:

1. the failed import — it must save nothing and report every bad row;
2. the same workbook with the mistakes fixed — it must save all 10,000 rows.

The figures go to ``benchmarks/results/import-establishments.txt``.
"""

from __future__ import annotations

import io
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = 10_000
BAD_EVERY = 100  # one row in a hundred has a mistake
RESULT = ROOT / "benchmarks" / "results" / "import-establishments.txt"


def setup_django(db_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.pop("DATABASE_URL", None)
    os.environ["PCMD_SQLITE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["PCMD_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from pcmd.core.demo import load_demo

    load_demo("Benchmark-password-2018!", registers=False)


def make_rows(rng: random.Random) -> tuple[list[list[object]], list[list[object]], set[int]]:
    """(rows with mistakes, the same rows fixed, spreadsheet row numbers of the bad rows)."""
    import datetime

    from pcmd.geo.models import Unit, UnitLevel
    from pcmd.registry.importer import spec
    from pcmd.registry.models import EstablishmentKind

    columns = [c.key for c in spec([]).columns]
    kinds = list(EstablishmentKind.objects.values_list("name", flat=True))
    province = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)
    communes = list(
        Unit.objects.within(province)
        .filter(level=UnitLevel.COMMUNE)
        .valid_on(datetime.date(2018, 6, 30))
        .select_related("parent")
        .order_by("code")
    )
    good: list[list[object]] = []
    for n in range(1, ROWS + 1):
        unit = communes[n % len(communes)]
        staff = rng.randint(1, 30)
        values = {
            "name": f"{rng.choice(kinds)} Số {n}",
            "kind": rng.choice(kinds),
            "address": f"{rng.randint(1, 500)} Đường số {n % 97 + 1}",
            # half by GSO code, half by name with the district
            "commune": unit.code if n % 2 else unit.name_on(datetime.date(2018, 6, 30)),
            "district": "" if n % 2 else unit.parent.name,
            "as_of": "30/06/2018",
            "owner_name": "Nguyễn Văn An",
            "registration_no": f"6{n:09d}",
            "status": "Đang hoạt động",
            "opened_on": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2015",
            "staff": staff,
            "female_staff": rng.randint(0, staff),
            "licence_kind": "Đăng ký kinh doanh",
            "licence_no": f"6{n:09d}",
            "licence_issuer": "Phòng Tài chính - Kế hoạch",
            "licence_issued": "01/01/2015",
        }
        good.append([values.get(key, None) for key in columns])
    bad = [list(row) for row in good]
    index = {key: i for i, key in enumerate(columns)}
    mistakes = [
        ("female_staff", lambda row: row[index["staff"]] + 3),  # more women than staff
        ("opened_on", lambda row: "31/02/2015"),  # no such date
        ("commune", lambda row: "Phường Không Tồn Tại"),
        ("kind", lambda row: "Sòng bạc"),
        ("name", lambda row: None),
        ("registration_no", lambda row: "6000000001"),  # same as row 2
        ("lat", lambda row: 48.9),  # not in Vietnam (and no longitude)
    ]
    bad_rows = set()
    for i in range(BAD_EVERY // 2, ROWS, BAD_EVERY):
        key, wrong = mistakes[(i // BAD_EVERY) % len(mistakes)]
        bad[i][index[key]] = wrong(bad[i])
        bad_rows.add(i + 2)  # header is row 1
    return bad, good, bad_rows


def workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    from pcmd.registry.importer import spec

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.header for c in spec([]).columns])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        setup_django(Path(tmp) / "bench.sqlite3")
        setup_seconds = time.perf_counter() - started
        from pcmd.accounts.models import User
        from pcmd.registry.actions import import_establishments
        from pcmd.registry.models import Establishment, Licence, StaffCount

        actor = User.objects.get(username="thuongtruc")
        bad_rows, good_rows, expected_bad = make_rows(random.Random(1842))
        t = time.perf_counter()
        bad_file, good_file = workbook(bad_rows), workbook(good_rows)
        write_seconds = time.perf_counter() - t

        t = time.perf_counter()
        failed = import_establishments(bad_file, actor=actor, filename="bad.xlsx")
        failed_seconds = time.perf_counter() - t
        reported = {p.row for p in failed.problems}
        assert not failed.ok and failed.rows == ROWS
        assert Establishment.objects.count() == 0, "a failed import saved rows"
        assert reported == expected_bad, sorted(reported ^ expected_bad)[:10]
        assert all(p.column and p.message and p.message_en for p in failed.problems)

        t = time.perf_counter()
        fixed = import_establishments(good_file, actor=actor, filename="good.xlsx")
        fixed_seconds = time.perf_counter() - t
        assert fixed.ok, fixed.problems[:5]
        assert Establishment.objects.count() == ROWS
        assert Licence.objects.count() == ROWS and StaffCount.objects.count() == ROWS

        t = time.perf_counter()
        again = import_establishments(good_file, actor=actor, filename="good.xlsx")
        again_seconds = time.perf_counter() - t
        assert len({p.row for p in again.problems}) == ROWS  # every row is a duplicate now
        assert Establishment.objects.count() == ROWS

    lines = [
        "Import of establishments from XLSX (pcmd.registry.actions.import_establishments)",
        f"rows per workbook: {ROWS:,}; rows with a mistake: {len(expected_bad)} "
        f"(1 in {BAD_EVERY}: female > staff, impossible date, unknown commune, unknown kind, "
        "missing name, duplicate registration number, latitude outside Vietnam)",
        "communes: half by GSO code, half by name + district, on the 2018 map; each row also "
        "carries a licence and a staff count",
        "",
        f"failed import (check only, nothing saved): {failed_seconds:6.2f} s  "
        f"— {len(failed.problems)} problems in {len(reported)} rows, all reported",
        f"fixed import (check + save 10,000 rows):   {fixed_seconds:6.2f} s  "
        f"— {ROWS:,} establishments, {ROWS:,} licences, {ROWS:,} staff counts",
        f"same file again (all rows duplicates):     {again_seconds:6.2f} s  — nothing saved",
        "",
        f"(not timed: set-up {setup_seconds:.1f} s, writing the two workbooks "
        f"{write_seconds:.1f} s)",
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPU, {platform.machine()}, "
        f"load average during the run {os.getloadavg()[0]:.1f} (other jobs share the CPUs)",
    ]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
