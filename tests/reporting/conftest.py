"""Builders for the reporting tests: forms seeded, reports opened and moved along."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.accounts.models import User
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit
from pcmd.reporting import actions
from pcmd.reporting.models import ReportForm, Submission
from pcmd.reporting.seed import seed_forms

GOOD_COMMUNE = {
    "staff": 20,
    "female_staff": 12,
    "assessment": "Tình hình ổn định.",
    "budget_spent": 5_000_000,
    "highlights": [
        {"date": "03/2018", "content": "Tuyên truyền tại tổ dân phố", "participants": 120}
    ],
}
GOOD_POLICE = {
    "people_found": 10,
    "warnings": 2,
    "fines": 6,
    "people_sanctioned": 8,
    "amount_collected": 4_500_000,
}


@pytest.fixture(autouse=True)
def _forms(db: Any) -> None:
    """The seeded forms (migration 0002); re-seeded if a transactional test flushed them."""
    if not ReportForm.objects.exists():
        seed_forms()


def user(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level__in=[1, 2, 3])


def open_report(
    form_code: str,
    period: str,
    *,
    by: str,
    unit_code: str | None = None,
    agency_code: str | None = None,
) -> Submission:
    form = ReportForm.objects.get(code=form_code)
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    return actions.start_submission(
        form, period, actor=user(by), unit=unit(unit_code) if unit_code else None, agency=agency
    )


def submitted_commune(
    values: dict[str, Any] | None = None,
    *,
    by: str = "xa.tanlap",
    unit_code: str = "24118",
    period: str = "2018-H1",
) -> Submission:
    sub = open_report("pcmd-6-thang", period, by=by, unit_code=unit_code)
    actions.save_draft(
        sub, actor=user(by), expected_version=sub.version, values=values or GOOD_COMMUNE
    )
    actions.submit_submission(sub, actor=user(by))
    return sub


def approved_commune(**kwargs: Any) -> Submission:
    sub = submitted_commune(**kwargs)
    approver = "huyen.bmt" if sub.unit.parent.code == "643" else None
    actions.approve_submission(sub, actor=user(approver or "admin"))
    return sub
