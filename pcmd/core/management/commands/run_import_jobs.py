"""Run the spreadsheet imports still waiting, after marking stopped those a gone process left
half-way (their save never committed, so nothing of them was saved)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pcmd.core import import_jobs


class Command(BaseCommand):
    help = "Run the waiting background imports; mark stopped those left by a stopped process."

    def handle(self, *args: Any, **options: Any) -> None:
        stale = import_jobs.fail_stale()
        finished = import_jobs.run_waiting()
        for job in finished:
            self.stdout.write(f"{job.pk} {job.kind} {job.filename}: {job.status}")
        self.stdout.write(f"{len(finished)} job(s) run, {stale} interrupted job(s) marked stopped.")
