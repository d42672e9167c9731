"""A few provinces reporting to the ministry, built once per module and rolled back after.

Khánh Hòa (56) and Ninh Thuận (58) became the new Khánh Hòa on 01/07/2025; Phú Yên (54) is in
the base already (with old Đắk Lắk it became the new Đắk Lắk). Their 2018 synthesis reports:
Phú Yên approved on time, Khánh Hòa approved late, Ninh Thuận submitted but never approved.
Their 2024 synthesis reports (programme 1629/QĐ-TTg, the 2021–2025 forms): all three approved,
Ninh Thuận late. Old Đắk Lắk (66) has none in the test base.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from pcmd.national.demo import (
    APPROVED,
    AWAITING,
    LATE,
    PROGRAMME_YEAR,
    build_provinces,
    build_reports,
)

YEAR = 2018
STATES = {"54": APPROVED, "56": LATE, "58": AWAITING}
PROGRAMME_STATES = {"54": APPROVED, "56": APPROVED, "58": LATE}


@pytest.fixture(scope="module")
def national(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            build_provinces(["56"], YEAR, states=STATES)
            build_reports(PROGRAMME_YEAR, states=PROGRAMME_STATES)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
