"""Draft → submitted → approved / returned → resubmitted; rules; locking; concurrent edits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.core.audit import AuditEvent
from pcmd.core.concurrency import EditConflict
from pcmd.geo.models import Unit
from pcmd.reporting import actions
from pcmd.reporting.definitions import clean_definition, create_version, version_to_definition
from pcmd.reporting.models import ReportForm, RuleHit, SubmissionStatus

from .conftest import GOOD_COMMUNE, GOOD_POLICE, open_report, submitted_commune, unit, user

pytestmark = pytest.mark.django_db


def test_commune_report_goes_draft_submitted_approved() -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    assert sub.status == SubmissionStatus.DRAFT
    # Decree 09/2019 cut-off and the commune deadline (2 days after 14/06)
    assert (sub.period_start, sub.period_end) == (
        datetime.date(2017, 12, 15),
        datetime.date(2018, 6, 14),
    )
    assert sub.due_date == datetime.date(2018, 6, 16)
    actions.save_draft(
        sub, actor=user("xa.tanlap"), expected_version=sub.version, values=GOOD_COMMUNE
    )
    actions.submit_submission(sub, actor=user("xa.tanlap"))
    assert sub.status == SubmissionStatus.SUBMITTED and sub.first_submitted_at
    assert "activities" in sub.auto_values  # automatic figures snapshotted
    actions.approve_submission(sub, actor=user("huyen.bmt"))
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.APPROVED and sub.reviewed_by.username == "huyen.bmt"
    assert list(sub.events.values_list("verb", flat=True)) == [
        "created",
        "saved",
        "submitted",
        "approved",
    ]
    verbs = set(AuditEvent.objects.filter(object_id=str(sub.pk)).values_list("verb", flat=True))
    assert {
        "reporting.submission_start",
        "reporting.submission_submit",
        "reporting.submission_approve",
    } <= verbs
    # approved figures are locked
    with pytest.raises(ValidationError):
        actions.save_draft(
            sub, actor=user("xa.tanlap"), expected_version=sub.version, values={"staff": 99}
        )


def test_return_needs_a_comment_and_the_report_is_resubmitted() -> None:
    sub = submitted_commune()
    with pytest.raises(ValidationError) as exc:
        actions.return_submission(sub, actor=user("huyen.bmt"), comment="  ")
    assert "comment" in exc.value.message_dict
    actions.return_submission(sub, actor=user("huyen.bmt"), comment="Bổ sung hoạt động.")
    assert sub.status == SubmissionStatus.RETURNED
    actions.save_draft(
        sub, actor=user("xa.tanlap"), expected_version=sub.version, values={"staff": 21}
    )
    actions.submit_submission(sub, actor=user("xa.tanlap"))
    assert sub.status == SubmissionStatus.SUBMITTED
    assert list(sub.events.values_list("verb", flat=True))[-2:] == ["saved", "resubmitted"]
    actions.approve_submission(sub, actor=user("huyen.bmt"))
    assert sub.status == SubmissionStatus.APPROVED


def test_only_the_level_above_approves() -> None:
    sub = submitted_commune()
    for name in ("xa.tanlap", "thuongtruc", "admin", "congan", "lanhdao"):
        with pytest.raises(PermissionDenied):
            actions.approve_submission(sub, actor=user(name))
    easo = submitted_commune(by="xa.easo", unit_code="24379")
    with pytest.raises(PermissionDenied):
        actions.approve_submission(easo, actor=user("huyen.bmt"))  # Ea Sô is in Ea Kar
    district = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    actions.save_draft(
        district, actor=user("huyen.bmt"), expected_version=district.version, values=GOOD_COMMUNE
    )
    actions.submit_submission(district, actor=user("huyen.bmt"))
    with pytest.raises(PermissionDenied):
        actions.approve_submission(district, actor=user("huyen.bmt"))
    actions.approve_submission(district, actor=user("thuongtruc"))


def test_commune_officer_reports_only_for_own_commune() -> None:
    with pytest.raises(PermissionDenied):
        open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24379")
    with pytest.raises(PermissionDenied):
        open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="24118")
    with pytest.raises(ValidationError):  # the province does not report on this form
        open_report("pcmd-6-thang", "2018-H1", by="thuongtruc", unit_code="66")
    with pytest.raises(ValidationError):  # a quarter is not a 6-month period
        open_report("pcmd-6-thang", "2018-Q2", by="xa.tanlap", unit_code="24118")
    sub = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    with pytest.raises(PermissionDenied):
        actions.save_draft(
            sub, actor=user("xa.easo"), expected_version=sub.version, values={"staff": 1}
        )
    with pytest.raises(ValidationError):  # one report per reporter and period
        open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")


def test_blocking_rule_stops_the_submission_naming_the_field() -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    actions.save_draft(
        sub,
        actor=user("xa.tanlap"),
        expected_version=sub.version,
        values={**GOOD_COMMUNE, "staff": 10, "female_staff": 12},
    )
    with pytest.raises(actions.RuleViolation) as exc:
        actions.submit_submission(sub, actor=user("xa.tanlap"))
    assert list(exc.value.message_dict) == ["female_staff"]
    message = exc.value.message_dict["female_staff"][0]
    assert message.startswith("Trong đó: lao động nữ:")  # the field's label
    assert "12" in message and "10" in message
    assert exc.value.texts()["en"].count("Female staff cannot exceed") == 1
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT


def test_missing_required_field_is_named() -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    with pytest.raises(ValidationError) as exc:
        actions.submit_submission(sub, actor=user("xa.tanlap"))
    assert {"staff", "female_staff", "assessment"} <= set(exc.value.message_dict)


def test_warning_needs_an_explanation_that_the_approver_sees(client_for) -> None:
    sub = open_report("ca-xu-phat-thang", "2018-03", by="congan", agency_code="CONG_AN_TINH")
    # 90.000.000 đ for 1 subject fined is above the highest fine of the catalog in force in
    # March 2018 (Decree 167: 80.000.000 đ for an organisation): a warning
    values = {**GOOD_POLICE, "fines": 1, "warnings": 7, "amount_collected": 90_000_000}
    actions.save_draft(sub, actor=user("congan"), expected_version=sub.version, values=values)
    with pytest.raises(actions.RuleViolation) as exc:
        actions.submit_submission(sub, actor=user("congan"))
    assert exc.value.needs_explanation
    assert list(exc.value.message_dict) == ["explanation_fine_in_range"]
    explanation = "Một chủ cơ sở chứa mại dâm bị phạt mức cao nhất theo Điều 25."
    actions.save_draft(
        sub,
        actor=user("congan"),
        expected_version=sub.version,
        explanations={"fine_in_range": explanation},
    )
    actions.submit_submission(sub, actor=user("congan"))
    hit = RuleHit.objects.get(submission=sub)
    assert hit.severity == "warning" and hit.explanation == explanation
    assert hit.field_code == "amount_collected"
    # the range comes from the catalog in force, not a fixed 100 k – 40 M
    assert "100.000 – 80.000.000" in hit.message and "80.000.000" in hit.message_en
    page = client_for("thuongtruc").get(f"/reporting/reports/{sub.pk}/").content.decode()
    assert explanation in page and 'data-rule="fine_in_range"' in page
    quality = client_for("thuongtruc").get("/reporting/quality/").content.decode()
    assert explanation in quality


def test_median_rule_compares_with_the_previous_twelve_months() -> None:
    for month in (1, 2, 3):
        sub = open_report(
            "ca-xu-phat-thang", f"2018-{month:02d}", by="congan", agency_code="CONG_AN_TINH"
        )
        actions.save_draft(
            sub, actor=user("congan"), expected_version=sub.version, values=GOOD_POLICE
        )
        actions.submit_submission(sub, actor=user("congan"))
    sub = open_report("ca-xu-phat-thang", "2018-04", by="congan", agency_code="CONG_AN_TINH")
    hits = actions.save_draft(
        sub,
        actor=user("congan"),
        expected_version=sub.version,
        values={**GOOD_POLICE, "amount_collected": 20_000_000},
    )
    assert [h.rule.code for h in hits] == ["amount_median"]
    assert "4.500.000" in hits[0].message  # the median of the three months before
    hits = actions.save_draft(
        sub,
        actor=user("congan"),
        expected_version=sub.version,
        values={"amount_collected": 5_000_000},
    )
    assert hits == []


def test_two_people_editing_the_same_draft_never_overwrite_each_other() -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    from pcmd.reporting.models import Submission

    first = Submission.objects.get(pk=sub.pk)
    second = Submission.objects.get(pk=sub.pk)
    base = first.version
    actions.save_draft(first, actor=user("huyen.bmt"), expected_version=base, values={"staff": 30})
    with pytest.raises(EditConflict) as exc:
        actions.save_draft(
            second, actor=user("ctxh.bmt"), expected_version=base, values={"staff": 99}
        )
    assert "Someone else saved" in exc.value.texts["en"]
    assert set(exc.value.texts) == {"vi", "en"}
    sub.refresh_from_db()
    assert sub.values["staff"] == 30


def test_form_change_creates_a_version_and_old_reports_keep_theirs() -> None:
    sub = submitted_commune()
    form = sub.form
    old = form.current
    definition = version_to_definition(old)
    definition["sections"][0]["fields"].append(
        {"code": "meetings", "label": "Số cuộc họp", "kind": "integer"}
    )
    text = __import__("yaml").safe_dump(definition, allow_unicode=True)
    version = actions.revise_form(
        form, text, actor=user("thuongtruc"), change_note="Thêm số cuộc họp"
    )
    assert version.number == old.number + 1
    sub.refresh_from_db()
    assert sub.form_version_id == old.pk
    assert "meetings" not in sub.form_version.fields_by_code
    fresh = open_report("pcmd-6-thang", "2018-H1", by="xa.easo", unit_code="24379")
    assert "meetings" in fresh.form_version.fields_by_code
    with pytest.raises(PermissionDenied):
        actions.revise_form(form, text, actor=user("huyen.bmt"))
    with pytest.raises(ValidationError) as exc:
        actions.revise_form(form, "sections: []\nperiod_type: week", actor=user("thuongtruc"))
    problems = exc.value.message_dict["definition"]
    assert any(p.startswith("period_type") for p in problems)
    assert any(p.startswith("sections") for p in problems)


def test_seeded_forms_exist_and_loading_again_changes_nothing() -> None:
    codes = set(ReportForm.objects.values_list("code", flat=True))
    assert {
        "pcmd-6-thang",
        "pcmd-nam",
        "ca-xu-phat-thang",
        "ca-xu-phat-quy",
        "ca-xu-phat-nam",
        "nhiem-vu-6-thang",
        "nhiem-vu-nam",
        "tong-hop-6-thang",
        "tong-hop-nam",
    } <= codes
    assert actions.load_report_forms(actor=None) == {"forms": 0, "versions": 0}
    police = ReportForm.objects.get(code="ca-xu-phat-thang").current
    assert police.period_type == "month" and police.cutoff == "decree09"
    assert {r.code for r in police.rules.all()} >= {
        "sanctioned_le_found",
        "fine_in_range",
        "amount_median",
    }


def test_changed_since_approval_is_flagged(client_for) -> None:
    """An approved automatic figure whose register changed later shows was/now."""
    form = ReportForm.objects.create(code="test-communes", name="Số xã (kiểm thử)")
    spec = clean_definition(
        {
            "title": "Số xã {period}",
            "period_type": "year",
            "cutoff": "calendar",
            "reporter": {"kind": "unit", "levels": [2]},
            "deadline_days": 5,
            "sections": [
                {
                    "title": "I",
                    "fields": [
                        {
                            "code": "communes",
                            "label": "Số xã",
                            "kind": "auto",
                            "indicator": "communes",
                        }
                    ],
                }
            ],
        }
    )
    create_version(form, spec)
    district = unit("643")
    sub = actions.start_submission(form, "2018", actor=user("huyen.bmt"), unit=district)
    actions.submit_submission(sub, actor=user("huyen.bmt"))
    actions.approve_submission(sub, actor=user("thuongtruc"))
    was = sub.auto_values["communes"]
    assert was > 0
    new = Unit(code="99999", name="Phường Kiểm Thử", level=3, unit_type="phuong", parent=district)
    new.save()
    new.set_path()
    new.save(update_fields=["path"])
    page = client_for("huyen.bmt").get(f"/reporting/reports/{sub.pk}/").content.decode()
    assert 'data-changed="communes"' in page
    api = client_for("huyen.bmt").get(f"/api/v1/submissions/{sub.pk}").json()
    assert api["changes_since_approval"] == [{"field": "communes", "was": was, "now": was + 1}]
