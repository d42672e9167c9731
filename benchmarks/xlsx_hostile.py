"""Benchmark: hostile XLSX uploads are refused quickly and in little memory; a valid
10,000-row file still imports.

Run: ``.venv/bin/python benchmarks/xlsx_hostile.py``

Sets Django up on a temporary SQLite database (migrated, with the Đắk Lắk units and the demo
personas), builds hostile workbooks of about 1 MB (:mod:`tests.core.xlsx_files`) and a valid
workbook of 10,000 establishments (:mod:`benchmarks.import_establishments`), then imports each
one in a fresh child process through the registry import (``importer.check_file``; the valid
file through ``actions.import_establishments``, which saves it).

The child measures honestly: after Django is set up, a small workbook has been imported once
(modules loaded) and the upload has been read into memory, it resets its peak resident set
(``/proc/self/clear_refs``), notes its resident set (the idle process), imports, and reports
the new peak (``VmHWM``) minus the idle figure, and the time the import took. The parent also
notes each child's lifetime peak (``RUSAGE_CHILDREN``), which includes Django's start-up.

Targets (issue 9): under 100 MB above the idle process and under 1 s to the refusal.
The figures go to ``benchmarks/results/xlsx-hostile.txt``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "xlsx-hostile.txt"
MB = 1024 * 1024
TARGET_MB = 100
TARGET_SECONDS = 1.0


def _status(field: str) -> int:
    """A ``/proc/self/status`` figure in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def child(db_path: str, path: str, mode: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.pop("DATABASE_URL", None)
    os.environ["PCMD_SQLITE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["PCMD_DEBUG"] = "0"
    import django

    django.setup()
    from pcmd.accounts.models import User
    from pcmd.registry import actions, importer
    from tests.core import xlsx_files

    actor = User.objects.get(username="thuongtruc")
    importer.check_file(xlsx_files.rows_workbook([["Tên cơ sở"], ["x"]]), actor=actor)  # warm-up
    data = Path(path).read_bytes()
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    idle = _status("VmRSS")
    started = time.perf_counter()
    if mode == "save":
        outcome = actions.import_establishments(data, actor=actor, filename="good.xlsx")
        result = f"imported {len(outcome.created):,} rows" if outcome.ok else "refused"
        problems = [p.message_en for p in outcome.problems[:1]]
    else:
        checked = importer.check_file(data, actor=actor)
        result = "refused" if checked.problems else f"accepted {checked.rows} rows"
        problems = [p.message_en for p in checked.problems[:1]]
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    print(
        json.dumps(
            {
                "idle_kb": idle,
                "peak_kb": peak,
                "seconds": seconds,
                "result": result,
                "message": problems[0] if problems else "",
            }
        )
    )


def run_child(db_path: Path, path: Path, mode: str) -> tuple[dict[str, object], int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(db_path), str(path), mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    lifetime = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # RUSAGE_CHILDREN is the largest child so far: only meaningful when it grew
    return json.loads(out.strip().splitlines()[-1]), max(lifetime, before)


def hostile_files() -> list[tuple[str, Callable[[], bytes]]]:
    from tests.core import xlsx_files as f

    return [
        ("one huge shared string ('A' x 1 GB, ratio ~1000)", lambda: f.huge_shared_string(GB)),
        (
            "one huge shared string (2 M random letters, ratio ~2)",
            lambda: f.huge_shared_string(2_000_000, letters="random"),
        ),
        (
            "one shared string ('A' x 60 MB, under the size limit)",
            lambda: f.huge_shared_string(60 * MB),
        ),
        ("1,000,000 tiny rows (<row r=n/>)", lambda: f.many_rows(1_000_000, empty=True)),
        ("1,000,000 rows of one number", lambda: f.many_rows(1_000_000)),
        ("huge inline string ('A' x 1 GB)", lambda: f.huge_inline_string(GB)),
        (
            "huge inline string (2 M random letters)",
            lambda: f.huge_inline_string(2_000_000, letters="random"),
        ),
        ("deep ratio zip bomb (1 GB of blanks)", lambda: f.zip_bomb(GB)),
        ("one cell at XFD1048576 (readers pad to it)", lambda: f.far_cell()),
        ("zip directory lying about the size", lambda: f.lying_sizes(200_000)),
        ("styles part of 100,000 cell formats", lambda: f.styles_bomb(100_000)),
    ]


GB = 1024 * MB


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import import_establishments as base

    lines = [
        "Hostile XLSX uploads through the registry import (pcmd.core.xlsx_guard before openpyxl)",
        "each file imported in a fresh child process; peak = VmHWM after a reset, minus the idle",
        f"resident set (Django set up, upload in memory); targets: < {TARGET_MB} MB, < "
        f"{TARGET_SECONDS:.0f} s",
        "",
        "hostile files (each exceeds a limit of the guard):",
        f"{'file':56} {'size':>9} {'peak':>9} {'time':>8}  result",
    ]
    worst_mb = 0.0
    worst_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "bench.sqlite3"
        started = time.perf_counter()
        base.setup_django(db_path)
        setup_seconds = time.perf_counter() - started
        for name, build in hostile_files():
            path = folder / "hostile.xlsx"
            path.write_bytes(build())
            figures, _ = run_child(db_path, path, "check")
            peak_mb = (int(figures["peak_kb"]) - int(figures["idle_kb"])) / 1024  # type: ignore[call-overload]
            seconds = float(figures["seconds"])  # type: ignore[arg-type]
            worst_mb, worst_s = max(worst_mb, peak_mb), max(worst_s, seconds)
            assert figures["result"] == "refused", (name, figures)
            lines.append(
                f"{name:56} {path.stat().st_size / MB:7.2f}MB {peak_mb:7.1f}MB {seconds:7.3f}s  "
                f"refused: {figures['message']}"
            )
        # at the limits: the guard lets it through, openpyxl parses it, the importer refuses
        from tests.core import xlsx_files

        path = folder / "limit.xlsx"
        path.write_bytes(xlsx_files.many_shared_strings(250_000))
        limit, _ = run_child(db_path, path, "check")
        limit_size = path.stat().st_size / MB
        limit_mb = (int(limit["peak_kb"]) - int(limit["idle_kb"])) / 1024  # type: ignore[call-overload]
        _, good_rows, _ = base.make_rows(random.Random(1842))
        path = folder / "good.xlsx"
        path.write_bytes(base.workbook(good_rows))
        figures, lifetime = run_child(db_path, path, "save")
        peak_mb = (int(figures["peak_kb"]) - int(figures["idle_kb"])) / 1024  # type: ignore[call-overload]
        assert figures["result"] == f"imported {base.ROWS:,} rows", figures
        lines += [
            "",
            "at the limits (passes the guard, so openpyxl parses it; then refused by the importer):",
            f"{'250,000 different short texts (the shared-strings limit)':56} "
            f"{limit_size:7.2f}MB {limit_mb:7.1f}MB "
            f"{float(limit['seconds']):7.3f}s  {limit['message']}",  # type: ignore[arg-type]
            "",
            f"{'valid workbook, 10,000 establishments (saved)':56} "
            f"{path.stat().st_size / MB:7.2f}MB {peak_mb:7.1f}MB "
            f"{float(figures['seconds']):7.3f}s  {figures['result']}",  # type: ignore[arg-type]
            "",
            f"worst hostile file: {worst_mb:.1f} MB above idle (target < {TARGET_MB} MB), "
            f"{worst_s:.3f} s to the refusal (target < {TARGET_SECONDS:.0f} s): "
            + ("targets met" if worst_mb < TARGET_MB and worst_s < TARGET_SECONDS else "MISSED"),
            f"largest child's lifetime peak (RUSAGE_CHILDREN, with Django's start-up): "
            f"{lifetime / 1024:.0f} MB",
            f"(not timed: set-up {setup_seconds:.1f} s)",
            f"machine: {platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPU, {platform.machine()}, load average during the run "
            f"{os.getloadavg()[0]:.1f} (other jobs share the CPUs)",
        ]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main()
