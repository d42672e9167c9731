"""Inbox (to submit, to approve), completeness and timeliness, reminders; bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from pcmd.geo.models import Unit
from pcmd.reporting import actions, worklist
from pcmd.reporting.models import Reminder, ReportForm, Submission
from pcmd.reporting.obligations import Reporter, due_date, period_of
from pcmd.reporting.stats import completeness
from pcmd.reporting.worklist import active_forms, default_year

from .conftest import GOOD_COMMUNE, open_report, submitted_commune, user

pytestmark = pytest.mark.django_db


def _bulk_submitted(n: int) -> None:
    """``n`` communes of TP Buôn Ma Thuột / the province with a submitted H1 report."""
    form = ReportForm.objects.get(code="pcmd-6-thang")
    version = form.current
    period = period_of(version, "2018-H1")
    communes = (
        Unit.objects.filter(level=3, valid_from=None)
        .exclude(code="24118")
        .order_by("parent__code", "code")[:n]
    )
    at = timezone.make_aware(datetime.datetime(2018, 6, 15, 9))
    Submission.objects.bulk_create(
        [
            Submission(
                form=form,
                form_version=version,
                unit=u,
                period_code=period.code,
                period_start=period.start,
                period_end=period.end,
                due_date=due_date(version, period, 3),
                status="submitted",
                values={"staff": 3},
                first_submitted_at=at,
                submitted_at=at,
            )
            for u in communes
        ]
    )


def test_inbox_lists_what_to_submit_and_to_approve(client_for) -> None:
    page = client_for("xa.tanlap").get("/reporting/?year=2018").content.decode()
    assert 'data-form="pcmd-6-thang" data-period="2018-H1"' in page
    assert 'data-form="pcmd-nam" data-period="2018"' in page
    assert 'data-form="ca-xu-phat-thang"' not in page  # the police report is not theirs
    police = client_for("congan").get("/reporting/?year=2018").content.decode()
    assert police.count('data-form="ca-xu-phat-thang"') == 12
    sub = submitted_commune()
    district = client_for("huyen.bmt").get("/reporting/?year=2018").content.decode()
    assert f"/reporting/reports/{sub.pk}/" in district
    other = client_for("thuongtruc").get("/reporting/?year=2018").content.decode()
    assert f"/reporting/reports/{sub.pk}/" not in other  # the province approves districts
    page = client_for("xa.tanlap").get("/reporting/?year=2018").content.decode()
    assert 'data-period="2018-H1"' not in page  # submitted: nothing left to do


@pytest.mark.parametrize("rows", [5, 60])
def test_inbox_and_lists_run_a_bounded_number_of_queries(
    client_for, rows, django_assert_max_num_queries
) -> None:
    _bulk_submitted(rows)
    for name, url, limit in [
        ("huyen.bmt", "/reporting/?year=2018", 28),
        ("thuongtruc", "/reporting/?year=2018", 30),
        ("congan", "/reporting/?year=2018", 30),
        ("thuongtruc", "/reporting/reports/", 8),
        ("thuongtruc", "/reporting/completeness/?year=2018", 28),
        ("thuongtruc", "/reporting/quality/", 8),
    ]:
        client = client_for(name)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_completeness_counts_submitted_and_on_time() -> None:
    on_time = submitted_commune()
    Submission.objects.filter(pk=on_time.pk).update(
        first_submitted_at=timezone.make_aware(datetime.datetime(2018, 6, 15, 10))
    )
    submitted_commune(by="xa.easo", unit_code="24379")  # submitted now: late
    result = completeness(user("thuongtruc"), "2018-H1")
    row = next(r for r in result.rows if r.form.code == "pcmd-6-thang")
    assert (row.expected, row.submitted, row.on_time, row.approved) == (199, 2, 1, 0)
    assert row.submitted_share == round(200 / 199, 1)
    district = completeness(user("huyen.bmt"), "2018-H1")
    assert [(r.form.code, r.expected, r.submitted, r.on_time) for r in district.rows] == [
        ("pcmd-6-thang", 22, 1, 1)
    ]
    commune = completeness(Unit.objects.get(code="24379", valid_from=None), "2018")
    assert {r.form.code: (r.expected, r.submitted) for r in commune.rows} == {
        "pcmd-6-thang": (1, 1),
        "pcmd-nam": (1, 0),
    }
    assert completeness(user("xa.easo"), "2018").as_dict()["expected"] == 2


def test_completeness_keeps_forms_owing_the_same_period_apart() -> None:
    """Submissions of every form are read in one statement: a report sent on one form must
    not count for another form owed for the same period by the same reporters."""
    form = ReportForm.objects.get(code="pcmd-6-thang")
    version = form.current
    twin = ReportForm.objects.get(pk=form.pk)
    twin.pk = None
    twin.code, twin.name, twin.order = "twin-6-thang", "Twin", form.order + 1
    twin.save()
    version.pk, version.form = None, twin
    version.save()
    submitted_commune()  # Tân Lập's H1 report on pcmd-6-thang only
    rows = {
        r.form.code: (r.expected, r.submitted)
        for r in completeness(user("thuongtruc"), "2018-H1").rows
    }
    assert (rows["pcmd-6-thang"], rows["twin-6-thang"]) == ((199, 1), (199, 0))


def test_reports_to_approve_are_found_behind_many_the_user_only_sees(monkeypatch) -> None:
    """The province sees every commune's submitted report but approves only districts':
    its own must not fall behind the list's limit, whatever the number of commune reports."""
    submitted_commune()
    submitted_commune(by="xa.easo", unit_code="24379")
    district = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    actions.save_draft(
        district, actor=user("huyen.bmt"), expected_version=district.version, values=GOOD_COMMUNE
    )
    actions.submit_submission(district, actor=user("huyen.bmt"))
    monkeypatch.setattr(worklist, "APPROVE_LIMIT", 1)  # fewer rows than the commune reports
    assert [s.pk for s in worklist.reports_to_approve(user("thuongtruc"))] == [district.pk]
    monkeypatch.setattr(worklist, "APPROVE_LIMIT", 200)
    # Tân Lập's report (Ea Sô lies in another district); not the district's own report
    assert [s.unit.code for s in worklist.reports_to_approve(user("huyen.bmt"))] == ["24118"]


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_reminders_command_reminds_late_reporters_once(client_for) -> None:
    submitted_commune()  # Tân Lập sent its 6-month report; Ea Sô did not
    easo = user("xa.easo")
    easo.email = "xa.easo@example.org"
    easo.save(update_fields=["email"])
    call_command("send_report_reminders", "--on", "2018-07-01")
    mine = Reminder.objects.filter(user=easo)
    assert [r.period_code for r in mine] == ["2018-H1"]
    assert not Reminder.objects.filter(user__username="xa.tanlap").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xa.easo@example.org"]
    assert mine.get().emailed_at is not None
    assert "Xã Ea Sô" in mine.get().message
    call_command("send_report_reminders", "--on", "2018-07-01")
    assert Reminder.objects.filter(user=easo).count() == 1 and len(mail.outbox) == 1
    page = client_for("xa.easo").get("/reporting/?year=2018").content.decode()
    assert 'id="reminders"' in page
    reminder = mine.get()
    assert (
        client_for("xa.tanlap").post(f"/reporting/reminders/{reminder.pk}/read/").status_code == 404
    )
    client_for("xa.easo").post(f"/reporting/reminders/{reminder.pk}/read/")
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_district_reminds_its_late_communes(client_for) -> None:
    form = ReportForm.objects.get(code="pcmd-6-thang")
    response = client_for("huyen.bmt").post(
        "/reporting/remind/",
        {"form": form.pk, "period": "2018-H1", "next": "/reporting/completeness/"},
    )
    assert response.status_code == 302
    reminded = set(Reminder.objects.values_list("unit__code", flat=True))
    assert "24118" in reminded  # Tân Lập has an officer and is late
    assert "24379" not in reminded  # Ea Sô is outside TP Buôn Ma Thuột
    assert (
        client_for("xa.tanlap")
        .post("/reporting/remind/", {"form": form.pk, "period": "2018-H1"})
        .status_code
        == 403
    )


def test_reporter_dataclass_levels() -> None:
    commune = Unit.objects.get(code="24118", valid_from=None)
    assert Reporter(commune, None).level == 3 and Reporter(commune, None).name == commune.name


def test_the_default_year_is_the_latest_the_user_reports_in() -> None:
    """Plan 1842's forms are owed in 2018, the standing office's 2021–2025 synthesis until
    2025: a commune still opens on 2018; the standing office (Sở LĐ-TB&XH until 28/02/2025)
    on 2024, its last year; Sở Y tế (from 01/03/2025) on 2025."""
    forms = active_forms(user("admin"))
    today = datetime.date(2026, 1, 10)
    assert default_year(forms, today) == 2025
    assert default_year(forms, today, user("xa.easo")) == 2018
    assert default_year(forms, today, user("huyen.bmt")) == 2018
    assert default_year(forms, today, user("thuongtruc"), {}) == 2024
    assert default_year(forms, today, user("soyte"), {}) == 2025
