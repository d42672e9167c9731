"""Create the report forms plan 1842/KH-UBND implies (missing forms, new versions of changed
ones) from pcmd/reporting/data/forms.yaml. Migration 0002 runs the same loader."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pcmd.reporting.actions import load_report_forms


class Command(BaseCommand):
    help = "Load the seeded report forms (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_report_forms(actor=None)
        self.stdout.write(
            f"Report forms created: {counts['forms']}, new versions: {counts['versions']}"
        )
