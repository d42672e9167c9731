from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pcmd.plans.actions import DATA_DIR, import_plan


class Command(BaseCommand):
    help = "Import a plan from its YAML transcription (default: plan 1842/KH-UBND, Đắk Lắk 2018)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA_DIR / "kh-1842-2018.yaml"))

    def handle(self, *args: Any, **options: Any) -> None:
        plan = import_plan(options["path"], actor=None)
        self.stdout.write(f"Imported {plan}")
