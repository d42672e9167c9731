"""Legal periods and limits of administrative sanctions, as pure functions of their inputs.

Law on Handling Administrative Violations (Luật Xử lý vi phạm hành chính) 15/2012/QH13, as
amended by Law 67/2020/QH14 (in force 01/01/2022):

- **Art. 7(1)** — a person or organisation sanctioned who does not re-offend within
  **6 months** from the day a *warning* decision was fully executed, or within **1 year** from
  the day *another* sanction decision was fully executed or from the day the time limit for
  executing it expired, is deemed never to have been sanctioned;
- **Art. 73(1)** — the person or organisation sanctioned executes the decision within
  **10 days** from the day they received it (a longer time written in the decision prevails);
- **Art. 74(1)** — the time limit for executing a sanction decision is **1 year** from the
  day the decision was issued (past it the decision is no longer executed);
- **Art. 8** — periods are counted as the Civil Code says (Bộ luật Dân sự 2015, Art. 147–148):
  a period "from" a day starts the next day; a period in months or years ends on the
  corresponding day of its last month, or on that month's last day when it has no such day.
- **Art. 24** — the highest fine per field; organisations pay double
  (:mod:`pcmd.enforcement.catalog`, ``maxima`` in ``data/violation-types.yaml``).

Where the text was read: Art. 7(1) and Art. 8 in secondary copies that agree word for word
(thuvienphapluat.vn Q&A "Vi phạm được xem là tái phạm"; Báo Vĩnh Long, 23/06/2022, answering
under the amended law; an extract on 123docz.net); Art. 74(1) from the Law's known wording,
not re-read. The official gazette text was not at hand: an administrator should confirm.
"""

from __future__ import annotations

import calendar
import datetime
from typing import TYPE_CHECKING

from .models import SanctionForm, SanctionStatus, ViolationType

if TYPE_CHECKING:
    from .models import Sanction

# Art. 7(1): months after execution before the person counts as never sanctioned.
WARNING_MONTHS = 6
OTHER_SANCTION_MONTHS = 12
# Art. 74(1): months after the decision during which it can be executed.
EXECUTION_LIMIT_MONTHS = 12
# Art. 73(1): days from the receipt of the decision to execute it (pay the fine).
PAYMENT_DAYS = 10


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day ``months`` later, or that month's last day (Civil Code Art. 148)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start_event: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` counted from ``start_event`` (Art. 8)."""
    return add_months(start_event, months)


def payment_deadline(received_on: datetime.date, days: int = PAYMENT_DAYS) -> datetime.date:
    """The last day to execute a decision received on ``received_on`` (Art. 73(1)).

    The period starts the day after the receipt (Art. 8; Civil Code Art. 147); when its last
    day is a Saturday or Sunday it ends on the following Monday (Civil Code Art. 148(5)).
    Public holidays are not known here and not skipped.
    """
    last = received_on + datetime.timedelta(days=days)
    while last.weekday() >= 5:
        last += datetime.timedelta(days=1)
    return last


def execution_limit_expires(decided_on: datetime.date) -> datetime.date:
    """The last day on which a decision issued on ``decided_on`` can be executed (Art. 74(1))."""
    return period_end(decided_on, EXECUTION_LIMIT_MONTHS)


def deemed_not_sanctioned_from(
    form: str,
    *,
    executed_on: datetime.date | None,
    execution_limit_expired_on: datetime.date | None = None,
    reoffended_on: datetime.date | None = None,
) -> datetime.date | None:
    """The first day on which the person counts as never sanctioned (Law 15/2012, Art. 7(1)).

    ``form`` is the main sanction (:class:`SanctionForm`): a warning counts 6 months, any
    other sanction 1 year, from ``executed_on`` (the day the decision was fully executed, e.g.
    the fine paid) or, if it never was, from ``execution_limit_expired_on`` (Art. 74(1)). The
    period ends on the corresponding day (Art. 8; Civil Code Art. 148); the person counts as
    never sanctioned from the next day. ``None`` when neither day is known, or when the person
    re-offended on or before the period's last day (the new sanction starts a new period).
    """
    start = executed_on or execution_limit_expired_on
    if start is None:
        return None
    months = WARNING_MONTHS if form == SanctionForm.WARNING else OTHER_SANCTION_MONTHS
    last_day = period_end(start, months)
    if reoffended_on is not None and start <= reoffended_on <= last_day:
        return None
    return last_day + datetime.timedelta(days=1)


def deemed_not_sanctioned_from_sanction(
    sanction: Sanction, *, reoffended_on: datetime.date | None = None
) -> datetime.date | None:
    """:func:`deemed_not_sanctioned_from` for a recorded decision.

    Paid or enforced: counted from the day of that status. Pending or appealed (an appeal does
    not suspend execution): counted from the end of the execution time limit, the latest the
    day can be; it moves earlier when the decision is executed. Cancelled: ``None`` (a
    cancelled decision does not count as a sanction).
    """
    if sanction.status == SanctionStatus.CANCELLED:
        return None
    if sanction.status in (SanctionStatus.PAID, SanctionStatus.ENFORCED):
        return deemed_not_sanctioned_from(
            sanction.form, executed_on=sanction.status_since, reoffended_on=reoffended_on
        )
    return deemed_not_sanctioned_from(
        sanction.form,
        executed_on=None,
        execution_limit_expired_on=execution_limit_expires(sanction.date),
        reoffended_on=reoffended_on,
    )


def fine_bounds(start: datetime.date, end: datetime.date) -> tuple[int, int] | None:
    """The lowest and highest fine for one act of the catalog in force between two days.

    Individuals and organisations both count (an organisation fined is a "subject fined" in
    the police reports); each maximum is capped by the statutory maximum of its decree
    (Art. 24). ``None`` when no catalog row with a fine was in force in the period.
    """
    lows: list[int] = []
    highs: list[int] = []
    for vtype in ViolationType.objects.in_force_during(start, end):
        for subject in ("individual", "organisation"):
            low, high = vtype.allowed_fine_range(subject)
            if low is not None and high is not None:
                lows.append(low)
                highs.append(high)
    if not lows:
        return None
    return min(lows), max(highs)
