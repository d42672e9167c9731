"""Remind late reporters (in the app, and by e-mail when mail is configured). For cron:

    manage.py send_report_reminders            # deadlines passed before today
    manage.py send_report_reminders --on 2018-07-01

One reminder per person, form, reporter and period: running it again sends nothing twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from pcmd.reporting.actions import remind
from pcmd.reporting.models import ReportForm
from pcmd.reporting.obligations import owed_periods
from pcmd.reporting.stats import late_reporters


class Command(BaseCommand):
    help = "Create reminders for reports whose deadline has passed (and e-mail them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        total = 0
        for form in ReportForm.objects.filter(is_active=True):
            for period in owed_periods(form, form.current, until=on):
                late = late_reporters(form, period, on=on)
                if late:
                    total += remind(form, period.code, late, actor=None)
        self.stdout.write(f"Reminders created: {total}")
