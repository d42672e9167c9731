"""manage.py rotate_field_keys [--reindex] [--after PK]

Re-encrypt every identity value with the newest key in PCMD_FIELD_KEYS (put the new key
first, run this, then remove the old key). Resumable: run it again after an interruption,
or pass --after with the last id it printed. --reindex also recomputes the blind indexes
(after changing PCMD_BLIND_INDEX_KEY).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pcmd.people.rotation import rotate


class Command(BaseCommand):
    help = "Re-encrypt identity fields with the newest key (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reindex", action="store_true", help="Recompute blind indexes.")
        parser.add_argument("--after", type=int, default=0, help="Resume after this person id.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = rotate(
            reindex=options["reindex"],
            after=options["after"],
            progress=lambda last: self.stdout.write(f"done up to id {last}"),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} person rows checked, {result.values} values re-encrypted."
            )
        )
