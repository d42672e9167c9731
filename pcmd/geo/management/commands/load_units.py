from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pcmd.geo.actions import load_units
from pcmd.geo.loader import UnknownProvince, legacy_province_codes


class Command(BaseCommand):
    help = (
        "Load administrative units of one or more provinces (GSO code or name), old tree "
        "(to 30/06/2025) and new tree (from 01/07/2025), from the vietnamadminunits package."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("provinces", nargs="*", help="e.g. 66 or 'Đắk Lắk'")
        parser.add_argument("--all", action="store_true", help="all 63 pre-2025 provinces")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = legacy_province_codes() if options["all"] else options["provinces"]
        if not tokens:
            raise CommandError("Name at least one province, or --all.")
        try:
            result = load_units(tokens, actor=None)
        except UnknownProvince as exc:
            raise CommandError(f"Unknown province: {exc}") from exc
        self.stdout.write(
            f"Units created {result.created}, updated {result.updated}, "
            f"links {result.links}; provinces: {', '.join(result.provinces)}"
        )
