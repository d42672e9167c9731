"""manage.py apply_retention [--apply] [--on YYYY-MM-DD]

Remove the identity of persons whose every record is past its retention
(pcmd.people.retention). A dry run by default: it prints what it would do, as counts and
person codes (never names). ``--apply`` pseudonymises them (one audit row each); ``--on``
plans as of another day (e.g. to preview next month's removals; with ``--apply`` only today
or an earlier day is allowed).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pcmd.people import retention


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--on: '{text}' is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Pseudonymise persons past retention (dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Pseudonymise (else dry run).")
        parser.add_argument("--on", type=_day, default=None, help="Plan as of this day.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["on"] or timezone.localdate()
        if options["apply"] and today > timezone.localdate():
            raise CommandError("--apply works as of today or an earlier day, not a future one.")
        result = retention.apply(None, today=today, dry_run=not options["apply"])
        verb = "pseudonymised" if options["apply"] else "would pseudonymise"
        self.stdout.write(f"As of {today.isoformat()}: {verb} {len(result.due)} person(s).")
        for code in result.codes:
            self.stdout.write(f"  {code}")
        self.stdout.write(
            f"Kept: {result.kept_not_yet} not yet past retention, "
            f"{result.kept_undetermined} with a record still open or undetermined, "
            f"{result.kept_no_record} named in no record; "
            f"{result.already} pseudonymised earlier."
        )
        if not options["apply"]:
            self.stdout.write(self.style.WARNING("Dry run: nothing changed (use --apply)."))
