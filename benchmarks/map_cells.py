"""Benchmark: the approximate commune cells of Đắk Lắk and the map page.

Run: ``.venv/bin/python benchmarks/map_cells.py``

Sets Django up on a temporary SQLite database (migrated, with the Đắk Lắk units and the demo
personas) and times:

1. computing the cells of the 184 communes of 2018 (15 districts) and of the 102 communes
   of today (no districts), without the database (``pcmd.dashboard.cells.compute``);
2. the map page at province and district level: the first request after the kept shapes
   were cleared (it computes and stores them) and the median of later requests.

The figures go to ``benchmarks/results/map-cells.txt``.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "map-cells.txt"
RUNS = 7


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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.test import Client

        from pcmd.accounts.models import User
        from pcmd.dashboard.cells import Site, compute
        from pcmd.dashboard.models import MapGeometry
        from pcmd.geo.models import Unit, UnitLevel

        lines = [f"map cells benchmark, {platform.python_version()}, {platform.machine()}"]
        for day in (datetime.date(2018, 12, 31), datetime.date(2026, 1, 1)):
            province = Unit.objects.filter(level=UnitLevel.PROVINCE, code="66").valid_on(day).get()
            units = Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE)
            sites = [
                Site(u.pk, u.lat, u.lon, tuple(u.bounds) if u.bounds else None, u.parent_id)
                for u in units.valid_on(day)
            ]
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                compute(sites)
                times.append(time.perf_counter() - started)
            lines.append(
                f"cells {day:%Y}: {len(sites)} communes, median {statistics.median(times):.3f} s"
                f" (min {min(times):.3f}, max {max(times):.3f})"
            )
        client = Client()
        client.force_login(User.objects.get(username="thuongtruc"))
        client.get("/dashboard/")  # warm up: URL conf, templates, imports
        district = Unit.objects.get(code="643", level=UnitLevel.DISTRICT).pk
        for label, url in [
            ("province", "/dashboard/map/?indicator=patrols&period=2018"),
            ("district", f"/dashboard/map/?indicator=patrols&period=2018&unit={district}"),
        ]:
            MapGeometry.objects.all().delete()
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            first = time.perf_counter() - started
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            lines.append(
                f"page {label}: first {first:.3f} s (computes the cells), then median "
                f"{statistics.median(times):.3f} s, {len(response.content) // 1024} KiB"
            )
        RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
