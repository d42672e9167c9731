"""The 2018 reporting demo: realistic counts, deterministic, a no-op when reports exist."""

from __future__ import annotations

import random

import pytest

from pcmd.reporting import demo
from pcmd.reporting.models import Reminder, RuleHit, Submission, SubmissionEvent
from pcmd.reporting.stats import completeness

from .conftest import user

pytestmark = pytest.mark.django_db


def _signature() -> list[tuple]:
    return list(
        Submission.objects.order_by(
            "form__code", "period_code", "unit__code", "agency__code"
        ).values_list(
            "form__code",
            "period_code",
            "unit__code",
            "agency__code",
            "status",
            "values",
            "first_submitted_at",
            "doc_number",
        )
    )


def test_demo_year_is_realistic_and_deterministic() -> None:
    demo.build(random.Random("1842-reporting-2018"), 2018)
    first = _signature()
    by_form: dict[str, int] = {}
    for row in first:
        by_form[row[0]] = by_form.get(row[0], 0) + 1
    assert by_form["ca-xu-phat-thang"] == 12 and by_form["ca-xu-phat-quy"] == 4
    assert 180 <= by_form["pcmd-6-thang"] <= 199 and 170 <= by_form["pcmd-nam"] <= 199
    assert by_form["tong-hop-6-thang"] == 1 and by_form["tong-hop-nam"] == 1
    result = completeness(user("thuongtruc"), "2018")
    assert result.expected == 445
    assert 0.85 * result.expected <= result.submitted < result.expected  # most, not all
    assert 0.7 * result.submitted <= result.on_time < result.submitted  # most on time, some late
    returned = SubmissionEvent.objects.filter(verb="returned").values_list(
        "submission__unit__code", flat=True
    )
    assert list(returned) == [demo.RETURNED_COMMUNE]
    assert SubmissionEvent.objects.filter(verb="resubmitted").count() == 1
    synthesis = Submission.objects.get(form__code="tong-hop-nam")
    assert (
        synthesis.status == "submitted"
        and "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in synthesis.draft_text
    )
    assert Submission.objects.get(form__code="tong-hop-6-thang").status == "approved"
    assert Reminder.objects.filter(user__username="xa.easo").exists()
    assert RuleHit.objects.filter(explanation__gt="").exists()
    demo.build(random.Random("other"), 2018)  # a no-op once reports exist
    assert _signature() == first
    Submission.objects.all().delete()
    Reminder.objects.all().delete()
    demo.build(random.Random("1842-reporting-2018"), 2018)
    assert _signature() == first
