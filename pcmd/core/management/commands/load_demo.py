from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from pcmd.core.demo import generate_password, load_demo


class Command(BaseCommand):
    help = (
        "Load the Đắk Lắk 2018 demo (units, agencies, plan 1842/KH-UBND, persona accounts). "
        "Password: $PCMD_DEMO_PASSWORD, or a generated one that is printed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("PCMD_DEMO_PASSWORD") or generate_password()
        personas = load_demo(password)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo loaded: Đắk Lắk 2018, plan 1842/KH-UBND; the new Đắk Lắk's 2026 plan; "
                "the other provinces' approved reports for the ministry."
            )
        )
        self.stdout.write("Demo accounts (username — role — scope):")
        for p in personas:
            unit = f"{p.unit_code} (2025)" if getattr(p, "new_map", False) else p.unit_code
            unit = unit or "VN (national)"
            self.stdout.write(f"  {p.username:<12} {p.role:<17} {unit}")
        self.stdout.write(f"Password for all demo accounts: {password}")
