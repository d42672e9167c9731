"""``manage.py restore DIRECTORY``: load a backup into an empty database and check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pcmd.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an EMPTY database (default: this site's; or "
        "--database-url) and an empty media directory, then compare every table's rows and "
        "every file with the backup's manifest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database-url", default="", help="restore into this database")
        parser.add_argument("--media-root", type=Path, default=None)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        target = (
            dj_database_url.parse(options["database_url"])
            if options["database_url"]
            else connection.settings_dict
        )
        media = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            problems = restore(directory, dict(target), media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if problems:
            raise CommandError("Restored, but it differs from the backup:\n" + "\n".join(problems))
        self.stdout.write("Restored; every table and file matches the backup's manifest.")
