"""Issue 10.10: one deadline per report, a resubmitted report without the old review, the
inbox's tab kept on the reports it opens."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pcmd.reporting import actions
from pcmd.reporting.models import SubmissionStatus
from pcmd.reporting.stats import completeness

from .conftest import GOOD_COMMUNE, submitted_commune, user

pytestmark = pytest.mark.django_db


def _current_tab(html: str) -> str:
    found = re.findall(r'<a href="[^"]*"\s+aria-current="page">([^<]+)</a>', html)
    tabs = [t for t in found if t in {"Hộp công việc", "Tất cả báo cáo"}]
    assert len(tabs) == 1, found
    return tabs[0]


def test_completeness_shows_each_level_its_own_deadline(client_for: Any) -> None:
    # The commune owes the 6-month report on 16/06/2018 (2 days after 14/06), its district
    # on 19/06/2018: the district's completeness page showed only 19/06 for both.
    sub = submitted_commune()
    assert sub.due_date.strftime("%d/%m/%Y") == "16/06/2018"
    row = next(
        r for r in completeness(user("huyen.bmt"), "2018-H1").rows if r.form.code == sub.form.code
    )
    assert [(level, d.strftime("%d/%m")) for level, d in row.deadlines] == [
        (3, "16/06"),
        (2, "19/06"),
    ]
    page = client_for("huyen.bmt").get("/reporting/completeness/?year=2018").content.decode()
    cell = page.split(f'data-form="{sub.form.code}" data-period="2018-H1"')[1].split("</tr>")[0]
    assert "16/06/2018" in cell and "19/06/2018" in cell
    # a commune sees one date, its own, the one its report shows
    own = client_for("xa.tanlap").get("/reporting/completeness/?year=2018").content.decode()
    cell = own.split(f'data-form="{sub.form.code}" data-period="2018-H1"')[1].split("</tr>")[0]
    assert "16/06/2018" in cell and "19/06/2018" not in cell


def test_a_resubmitted_report_does_not_show_the_old_review(client_for: Any) -> None:
    sub = submitted_commune()
    actions.return_submission(sub, actor=user("huyen.bmt"), comment="Bổ sung hoạt động tháng 3.")
    actions.save_draft(
        sub, actor=user("xa.tanlap"), expected_version=sub.version, values=GOOD_COMMUNE
    )
    actions.submit_submission(sub, actor=user("xa.tanlap"))
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    assert (sub.reviewed_at, sub.reviewed_by, sub.review_comment) == (None, None, "")
    page = client_for("huyen.bmt").get(f"/reporting/reports/{sub.pk}/").content.decode()
    assert 'id="review-comment"' not in page
    # the comment stays in the history of the report
    assert "Bổ sung hoạt động tháng 3." in page
    assert list(sub.events.values_list("verb", flat=True))[-3:] == [
        "returned",
        "saved",
        "resubmitted",
    ]


def test_a_report_opened_from_the_inbox_keeps_the_inbox_tab(client_for: Any) -> None:
    sub = submitted_commune()
    client = client_for("huyen.bmt")
    inbox = client.get("/reporting/?year=2018").content.decode()
    link = f"/reporting/reports/{sub.pk}/?from=inbox"
    assert link in inbox
    assert _current_tab(client.get(link).content.decode()) == "Hộp công việc"
    # opened from the list of all reports, or directly: "All reports"
    assert _current_tab(client.get(f"/reporting/reports/{sub.pk}/").content.decode()) == (
        "Tất cả báo cáo"
    )
    # an unknown origin is ignored
    assert _current_tab(
        client.get(f"/reporting/reports/{sub.pk}/?from=<script>").content.decode()
    ) == ("Tất cả báo cáo")
