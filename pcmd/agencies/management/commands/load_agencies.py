from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pcmd.agencies.actions import load_agencies


class Command(BaseCommand):
    help = "Load a province's agencies and their dated roles (default: Đắk Lắk)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", default="dak-lak.yaml")

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_agencies(options["file"], actor=None)
        self.stdout.write(f"Agencies loaded: {count}")
