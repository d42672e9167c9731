"""Load test: PCMD under gunicorn on PostgreSQL, driven by Locust (issue 15 §3). One command:

    .venv/bin/python benchmarks/load_test.py            # or: make load

Steps (each run starts from scratch, so it is repeatable):

1. drop and create the database ``LOAD_DATABASE_URL`` (default
   ``postgres://pcmd:pcmd@127.0.0.1/pcmd_load``), migrate, load the demo with its registers,
   seed the mix (benchmarks/load/seed.py: load accounts, own patrols, reports to approve),
   collect static files;
2. start gunicorn exactly as deploy/ says (``gunicorn -c deploy/gunicorn.conf.py
   config.wsgi``, production settings, generated keys, loopback only; like
   deploy/ci-smoke.sh); the clients send ``X-Forwarded-Proto: https`` as the proxy would;
3. run Locust headless (benchmarks/load/locustfile.py, FastHttpUser) at 20 then 50 concurrent
   users for a fixed duration each;
4. stop gunicorn (also on failure or Ctrl+C) and write benchmarks/results/load-postgresql.md.

Options: ``--users 20 50``, ``--duration 180`` (seconds per step: a rare page type such as an
export then has ~100 requests, not a few dozen whose p95 is one slow request), ``--workers N``
(default: gunicorn.conf.py's 2 × cores + 1), ``--port 8799``, ``--spawn-rate 10``,
``--out PATH``, ``--keep-database`` (while tuning).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PY = str(BIN / "python")
PAGE_TYPES = [
    "home",
    "dashboard",
    "list",
    "detail",
    "form save",
    "report approval",
    "export",
    "API",
]
GOAL_P95_MS = 300


def sh(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    print("+", " ".join(args), flush=True)
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def recreate_database(url: str, keep: bool = False) -> None:
    """Drop and create the database; with ``keep``, only create it when it is missing."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if keep and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> None:
    """Planner statistics after the bulk load, as an operator runs after loading or restoring
    (autovacuum would get there within minutes, in the middle of the measurement)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def production_env(args: argparse.Namespace, tmp: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    # The database keeps identities encrypted with these keys: one set per database, kept
    # under var/ (never committed) so that --keep-database can reuse the data.
    keys_file = ROOT / "var" / f"load-keys-{urllib.parse.urlsplit(args.database_url).path[1:]}.json"
    if args.keep_database and keys_file.exists():
        keys = json.loads(keys_file.read_text())
    else:
        args.keep_database = False  # data kept under other keys could not be read: start again
        keys = {
            "PCMD_FIELD_KEYS": Fernet.generate_key().decode(),
            "PCMD_BLIND_INDEX_KEY": secrets.token_urlsafe(40),
        }
        keys_file.parent.mkdir(exist_ok=True)
        keys_file.write_text(json.dumps(keys))
        keys_file.chmod(0o600)
    env.update(keys)
    env.update(
        DATABASE_URL=args.database_url,
        PCMD_ENV="production",
        PCMD_SECRET_KEY="load-" + secrets.token_urlsafe(40),
        PCMD_ALLOWED_HOSTS="127.0.0.1",
        PCMD_STATIC_ROOT=str(tmp / "static"),
        PCMD_MEDIA_ROOT=str(tmp / "media"),
        PCMD_BIND=f"127.0.0.1:{args.port}",
        PCMD_DEMO_PASSWORD="Load-" + secrets.token_urlsafe(12),
    )
    if args.workers:
        env["PCMD_WORKERS"] = str(args.workers)
    return env


def wait_healthy(base: str, proc: subprocess.Popen[bytes], seconds: int = 60) -> None:
    request = urllib.request.Request(base + "/healthz", headers={"X-Forwarded-Proto": "https"})
    for _ in range(seconds * 2):
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    """Stop gunicorn (its own process group: master and workers) and wait for it."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its children still running."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdecimal():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if int(entry.name) == pid or ppid == pid:
            total += (utime + stime) / tick
    return total


def run_locust(
    args: argparse.Namespace, env: dict[str, str], users: int, prefix: Path, gunicorn_pid: int
) -> dict[str, Any]:
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = process_tree_cpu(gunicorn_pid)
    load_before = os.getloadavg()
    started = time.monotonic()
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "load" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(args.spawn_rate),
        "-t",  # a cap: the steady state ends LOAD_STEADY_SECONDS after the last sign-in
        f"{args.duration + 300}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    signin = Path(f"{prefix}_signin.json")
    env = {**env, "LOAD_STEADY_SECONDS": str(args.duration), "LOAD_SIGNIN_OUT": str(signin)}
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=True)
    wall = time.monotonic() - started
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_cpu = (after_children.ru_utime - before_children.ru_utime) + (
        after_children.ru_stime - before_children.ru_stime
    )
    sys.stdout.write(result.stdout[-3000:])
    sys.stderr.write(result.stderr[-3000:])
    return {
        "users": users,
        "wall": wall,
        "locust_cpu": locust_cpu,
        "server_cpu": process_tree_cpu(gunicorn_pid) - server_before,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "rows": read_stats(Path(f"{prefix}_stats.csv")),
        "failures": read_failures(Path(f"{prefix}_failures.csv")),
        "signin": json.loads(signin.read_text()) if signin.exists() else {},
    }


def read_stats(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def read_failures(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _num(row: dict[str, str] | None, key: str) -> str:
    if row is None:
        return "–"
    value = row.get(key, "")
    try:
        return f"{float(value):,.0f}"
    except ValueError:
        return value or "–"


def verdicts(runs: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    out = []
    for run in runs:
        rows = run["rows"]
        if run["users"] <= 20:
            worst = [
                (name, float(rows[name]["95%"]))
                for name in PAGE_TYPES
                if name in rows and rows[name]["95%"] not in ("", "N/A")
            ]
            ok = all(p95 < GOAL_P95_MS for _, p95 in worst)
            detail = ", ".join(f"{n} {p:.0f}" for n, p in worst if p >= GOAL_P95_MS)
            out.append(
                (
                    f"p95 < {GOAL_P95_MS} ms for every page type at {run['users']} users"
                    + (f" (over: {detail} ms)" if detail else ""),
                    ok,
                )
            )
        errors = int(rows.get("Aggregated", {}).get("Failure Count", "1") or 0)
        if run["users"] >= 50 or run["users"] == max(r["users"] for r in runs):
            out.append((f"0 errors at {run['users']} users ({errors} errors)", errors == 0))
    return out


def report(args: argparse.Namespace, env: dict[str, str], runs: list[dict[str, Any]]) -> str:
    workers = env.get("PCMD_WORKERS") or f"{(os.cpu_count() or 1) * 2 + 1} (2 × cores + 1)"
    lines = [
        "# Load test on PostgreSQL (issue 15 §3)",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        "`.venv/bin/python benchmarks/load_test.py` (`make load`): gunicorn started as "
        "deploy/ says (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`, `PCMD_ENV=production`, "
        f"sync workers: {workers}), PostgreSQL on this machine, the Đắk Lắk demo with its "
        "registers plus the load accounts; Locust "
        f"{_locust_version()} headless (FastHttpUser), think time 1–3 s, "
        f"{args.duration} s per step, spawn rate {args.spawn_rate}/s, on 127.0.0.1.",
        "",
        f"Machine: {os.cpu_count()} cores (`nproc`), "
        f"`uptime` load before the first step {_load(runs[0]['load_before'])}. Locust and "
        "gunicorn share these cores with each other and with whatever else runs.",
        "",
        "Persona mix (one load account per simulated user, signed in once through the login "
        "form with its CSRF token; the second factor for the roles that need one): standing "
        "office 3, police 3, district officers 4, commune officers 4, provincial leadership 2, "
        "Team 178 1 (weights). Page types: home, dashboard (province or quarter), lists with "
        "filters (patrols, hotspots, establishments, inspections), detail pages in the "
        "user's scope, a form save (the user's own patrol: the form is read first, so the "
        "save carries the record's current version), a report approval (district officers "
        "of eight districts, each its own queue of its communes' submitted reports), an "
        "export (patrol CSV, "
        "establishment XLSX, inspection CSV, dashboard CSV) and the API (establishments, "
        "patrols, indicators, indicator values). Times in ms; a form save or an approval is "
        "the POST only (the read before it is listed apart). The figures are the steady state: "
        "they start when the last simulated user has signed in and last the step's duration; "
        "the sign-ins (argon2 password hashing, then the code) are listed apart below each "
        "table. Wall time and CPU cover the whole step, sign-ins included.",
        "",
    ]
    for run in runs:
        rows = run["rows"]
        lines += [
            f"## {run['users']} concurrent users",
            "",
            "| page type | requests | errors | p50 | p95 | p99 | max |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        # Pages beyond the mix's types (a form's read); a sign-in step only if one happened in
        # the steady state (a session lost), as they are listed apart below.
        names = PAGE_TYPES + sorted(
            n
            for n in rows
            if n not in PAGE_TYPES
            and n != "Aggregated"
            and not (n.startswith("login") and rows[n].get("Request Count") in ("0", ""))
        )
        for name in names + ["Aggregated"]:
            row = rows.get(name)
            label = "**total**" if name == "Aggregated" else name
            lines.append(
                f"| {label} | {_num(row, 'Request Count')} | {_num(row, 'Failure Count')} | "
                f"{_num(row, '50%')} | {_num(row, '95%')} | {_num(row, '99%')} | "
                f"{_num(row, 'Max Response Time')} |"
            )
        total = rows.get("Aggregated", {})
        if run["signin"]:
            lines += [
                "",
                "Sign-in phase (every user once, before the steady state):",
                "",
                "| step | requests | errors | p50 | p95 | p99 | max |",
                "|---|---:|---:|---:|---:|---:|---:|",
            ]
            for name, s in sorted(run["signin"].items()):
                lines.append(
                    f"| {name} | {s['requests']} | {s['errors']} | {s['p50']:,.0f} | "
                    f"{s['p95']:,.0f} | {s['p99']:,.0f} | {s['max']:,.0f} |"
                )
        lines += [
            "",
            f"Throughput {_num(total, 'Requests/s')} requests/s in the steady state; the step "
            f"(sign-ins included) took {run['wall']:.0f} s. "
            f"CPU: Locust {run['locust_cpu']:.0f} s ({100 * run['locust_cpu'] / run['wall']:.0f}% "
            f"of one core), gunicorn {run['server_cpu']:.0f} s "
            f"({100 * run['server_cpu'] / run['wall']:.0f}% of one core). "
            f"Load average before/after: {_load(run['load_before'])} / "
            f"{_load(run['load_after'])}. Reports approved in this step: "
            f"{run.get('approved', '?')}.",
            "",
        ]
        if run["failures"]:
            lines += ["Errors:", ""]
            for f in run["failures"][:10]:
                lines.append(
                    f"- {f.get('Name')}: {f.get('Error', '')[:200]} × {f.get('Occurrences')}"
                )
            lines.append("")
    lines += ["## Goals", ""]
    for text, ok in verdicts(runs):
        lines.append(f"- **{'PASS' if ok else 'FAIL'}**: {text}")
    lines.append("")
    return "\n".join(lines)


def _server_errors(log: Path) -> None:
    """Show the server's own error lines (tracebacks, 5xx) before the log is removed."""
    lines = [
        line
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
        if '"pcmd.request"' not in line or '"status": 5' in line
    ]
    if lines:
        print("gunicorn log (errors):", *lines[-40:], sep="\n")


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _locust_version() -> str:
    try:
        from importlib.metadata import version

        return version("locust")
    except Exception:  # noqa: BLE001 - only a label
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://pcmd:pcmd@127.0.0.1/pcmd_load"),
    )
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--duration", type=int, default=180)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results" / "load-postgresql.md"
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="do not drop the database first (load_demo and the seed are idempotent)",
    )
    args = parser.parse_args()

    # A SIGTERM (a CI timeout, kill) unwinds like Ctrl+C, so that gunicorn is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="pcmd-load-"))
    env = production_env(args, tmp)
    (tmp / "static").mkdir()
    (tmp / "media").mkdir()
    seed_file = tmp / "seed.json"
    gunicorn: subprocess.Popen[bytes] | None = None
    try:
        recreate_database(args.database_url, keep=args.keep_database)
        sh([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        sh([PY, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
        sh(
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"], env
        )  # the seed's checks render pages
        per_kind = max(args.users)  # every simulated user can have its own account
        sh(
            [PY, "benchmarks/load/seed.py", str(seed_file), env["PCMD_DEMO_PASSWORD"]]
            + ["--per-kind", str(per_kind)],
            env,
            stdout=subprocess.PIPE,
        )
        analyze(args.database_url)
        server_log = (tmp / "gunicorn.log").open("wb")  # one JSON line per request
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            env=env,
            cwd=ROOT,
            stdout=server_log,
            stderr=server_log,
            start_new_session=True,  # its own process group: stop() ends master and workers
        )
        base = f"http://127.0.0.1:{args.port}"
        wait_healthy(base, gunicorn)
        locust_env = {**env, "LOAD_SEED": str(seed_file)}
        runs = []
        for users in args.users:
            sh([PY, "benchmarks/load/seed.py", "--between-runs", str(seed_file)], env)
            run = run_locust(args, locust_env, users, tmp / f"u{users}", gunicorn.pid)
            approved = sh(
                [PY, "benchmarks/load/seed.py", "--count-approved", str(seed_file)],
                env,
                stdout=subprocess.PIPE,
            ).stdout.strip()
            run["approved"] = approved.splitlines()[-1] if approved else "?"
            runs.append(run)
        text = report(args, env, runs)
        _server_errors(tmp / "gunicorn.log")
    finally:
        stop(gunicorn)
        shutil.rmtree(tmp, ignore_errors=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(ok for _, ok in verdicts(runs)) else 1


if __name__ == "__main__":
    sys.exit(main())
