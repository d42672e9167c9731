"""Print the current two-factor code of a demo persona (the demo's published secret only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.accounts import two_factor
from pcmd.accounts.models import User


class Command(BaseCommand):
    help = (
        "Print the current 6-digit two-factor code of a demo account (e.g. admin, congan). "
        "Works only for the demo's fixed secret, never for a device someone enrolled."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_otp is for the demo; production has no demo secret.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        device = two_factor.totp_device(user)
        if device is None or device.key != two_factor.DEMO_TOTP_KEY:
            raise CommandError(
                f"{user.username} has no demo two-factor device (only demo personas of roles "
                "that need two-factor sign-in have one; other users enrol with their own app)."
            )
        code, seconds = two_factor.current_code(device)
        self.stdout.write(code)
        self.stderr.write(f"valid for about {seconds} more seconds")
