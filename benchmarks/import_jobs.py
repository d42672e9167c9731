"""Benchmark: establishment imports of 2,000 and 10,000 rows run as background jobs.

Run: ``.venv/bin/python benchmarks/import_jobs.py``

Sets Django up on a temporary SQLite database (as ``import_establishments.py`` does), then for
each size uploads a clean workbook as a job (``pcmd.core.import_jobs.start``), runs it in its
own thread as the web process does (``launch``), and polls the job row from this thread, as the
progress page does, until the job is done. Times the whole job (check + save, every row saved)
and counts the distinct progress values the poll saw.

The figures go to ``benchmarks/results/import-jobs.txt``.
"""

from __future__ import annotations

import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import import_establishments as base  # noqa: E402 - the set-up and rows of that benchmark

SIZES = (2_000, 10_000)
RESULT = ROOT / "benchmarks" / "results" / "import-jobs.txt"


def run_one(rows: int, actor: object) -> tuple[float, int, float]:
    """(seconds until done, distinct progress values polled, seconds of the save step)."""
    from pcmd.core import import_jobs
    from pcmd.core.models import ImportJob
    from pcmd.registry.models import Establishment

    base.ROWS = rows
    _bad, good, _expected = base.make_rows(random.Random(rows))
    data = base.workbook(good)
    started = time.perf_counter()
    job = import_jobs.start("registry.establishments", data, actor=actor, filename="b.xlsx")
    import_jobs.launch(job.pk)
    seen: set[int] = set()
    saving_at = None
    while True:
        state = ImportJob.objects.values("status", "rows_done").get(pk=job.pk)
        seen.add(state["rows_done"])
        if state["status"] == "saving" and saving_at is None:
            saving_at = time.perf_counter()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.saved, (job.status, job.error, job.problems[:3])
    assert Establishment.objects.count() == rows
    save_seconds = time.perf_counter() - saving_at if saving_at else 0.0
    return seconds, len(seen), save_seconds


def clear() -> None:
    from pcmd.registry.models import Establishment, Licence, StaffCount

    StaffCount.objects.all().delete()
    Licence.objects.all().delete()
    Establishment.objects.all().delete()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PCMD_IMPORT_THREADS"] = "0"  # this script launches the thread itself
        base.setup_django(Path(tmp) / "bench.sqlite3")
        from django.conf import settings

        settings.STORAGES["default"]["OPTIONS"]["location"] = str(Path(tmp) / "media")
        from pcmd.accounts.models import User

        actor = User.objects.get(username="thuongtruc")
        figures = []
        for rows in SIZES:
            clear()
            figures.append((rows, *run_one(rows, actor)))
    lines = [
        "Establishment import as a background job (pcmd.core.import_jobs: start, launch, poll)",
        "clean workbooks (every row saved); rows as in import_establishments.py (licence and "
        "staff count per row, communes half by code, half by name + district)",
        "",
    ]
    for rows, seconds, steps, save_seconds in figures:
        lines.append(
            f"{rows:>6,} rows: {seconds:6.2f} s upload to done (saving step {save_seconds:5.2f} s)"
            f" — {steps} distinct progress values seen by a 50 ms poll"
        )
    lines += [
        "",
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPU, {platform.machine()}, "
        f"load average during the run {os.getloadavg()[0]:.1f} (other jobs share the CPUs)",
    ]
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
