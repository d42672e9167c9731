"""``manage.py load_province 56 [--map 2025|legacy] [--admin-user NAME] [--year YYYY]``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.agencies.loader import MAP_2025, MAPS
from pcmd.plans.provinces import ProvinceError, load_province


class Command(BaseCommand):
    help = (
        "Load another province: its administrative units, its agencies from the template, an "
        "empty draft plan for the year and optionally its standing office's account. "
        "Idempotent; one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("province", help="GSO code or name, e.g. 56 or 'Khánh Hòa'")
        parser.add_argument("--map", choices=MAPS, default=MAP_2025, dest="on_map")
        parser.add_argument("--admin-user", default="", help="the standing office's user name")
        parser.add_argument("--year", type=int, default=None, help="year of the draft plan")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            loaded = load_province(
                options["province"],
                actor=None,
                on_map=options["on_map"],
                admin_user=options["admin_user"],
                year=options["year"],
            )
        except ProvinceError as exc:
            raise CommandError(f"{exc.texts['vi']} / {exc.texts['en']}") from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{loaded.province.name} ({loaded.map}): {loaded.units} units "
            f"({loaded.units_created} new), {loaded.agencies} agencies, "
            f"plan #{loaded.plan.pk} {'created' if loaded.plan_created else 'kept'}; "
            f"{seconds:.1f} s"
        )
        if loaded.user is not None:
            if loaded.password:
                self.stdout.write(
                    f"User {loaded.user.username}: one-time password {loaded.password} "
                    "(change it at first sign-in)"
                )
            else:
                self.stdout.write(f"User {loaded.user.username} exists; password unchanged.")
