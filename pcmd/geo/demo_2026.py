"""What the 2026 demo steps share: the new Đắk Lắk (old Đắk Lắk + Phú Yên from 01/07/2025,
102 communes, no districts) and the months of 2026 that have passed.

The 2026 steps (``pcmd.plans.demo_2026`` and the apps' ``demo_2026.build``) run after the 2018
registers (``settings.PCMD_DEMO_REGISTERS``). Their data lie on the new communes and in the
complete months of 2026 before today: January up to the end of the last complete month. Before
February 2026 there is no complete month and the steps do nothing.
"""

from __future__ import annotations

import datetime

from .loader import REFORM_DAY
from .models import Unit, UnitLevel

PROVINCE = "66"
YEAR = 2026


def new_province() -> Unit | None:
    """The province unit of the new Đắk Lắk (valid from the reform day)."""
    return Unit.objects.filter(
        code=PROVINCE, level=UnitLevel.PROVINCE, valid_from=REFORM_DAY
    ).first()


def new_communes(province: Unit) -> list[Unit]:
    """The communes and wards of the new province, by code."""
    return list(
        Unit.objects.filter(
            parent=province, level=UnitLevel.COMMUNE, valid_from=REFORM_DAY
        ).order_by("code")
    )


def window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date] | None:
    """[1 January 2026, last day of the last complete month before ``today``], or None."""
    today = today or datetime.date.today()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    start = datetime.date(YEAR, 1, 1)
    end = min(last, datetime.date(YEAR, 12, 31))
    return (start, end) if end >= start else None


def months(today: datetime.date | None = None) -> list[tuple[datetime.date, datetime.date]]:
    """The complete months of 2026 in :func:`window`, each as (first day, last day)."""
    span = window(today)
    if span is None:
        return []
    out = []
    for month in range(1, span[1].month + 1):
        first = datetime.date(YEAR, month, 1)
        following = datetime.date(YEAR + month // 12, month % 12 + 1, 1)
        out.append((first, following - datetime.timedelta(days=1)))
    return out


def workdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Monday to Friday between ``first`` and ``last``."""
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5]
