"""``manage.py backup DIRECTORY``: the database and the uploaded files, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pcmd.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: online backup) and "
        "the media files into a new directory, with a manifest of row counts and checksums. "
        "The person-layer keys are not in the backup: keep them apart."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        live = None
        if connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", bool)():
            connection.ensure_connection()
            live = connection.connection
        try:
            manifest = backup(
                connection.settings_dict, Path(settings.MEDIA_ROOT), directory, live=live
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
            f"{len(manifest['media'])} files into {directory}"
        )
