from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pcmd.indicators.actions import load_indicators


class Command(BaseCommand):
    help = "Load the indicator definitions and link the plan's targets to them."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Indicators loaded: {load_indicators(actor=None)}")
