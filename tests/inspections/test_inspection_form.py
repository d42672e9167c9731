"""The field form: record an inspection with findings, a violation and files; edit it with
optimistic locking; audit rows."""

import datetime

import pytest

from pcmd.core.models import AuditEvent
from pcmd.enforcement.models import Violation, ViolationType
from pcmd.inspections.models import Inspection

from . import builders as b

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _post_data(team, est, **extra):
    data = {
        "date": "15/06/2018",
        "establishment": est.pk,
        "team": team.pk,
        "members_present": [m.pk for m in b.members(team)[:2]],
        "result": "no_violation",
        "summary": "",
        "follow_up_note": "",
    }
    for item in b.items():
        data[f"finding_{item.code}"] = "ok"
    data.update(extra)
    return data


def test_commune_officer_records_an_inspection_with_findings(client_for) -> None:
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP, name="Nhà nghỉ Hoa Sữa")
    data = _post_data(
        team,
        est,
        **{
            "finding_phong-khong-kin": "not_ok",
            "finding_phong-khong-kin_note": "Rèm che kín phòng 3",
            "finding_suc-khoe-nhan-vien": "na",
            "result": "no_violation",
            "follow_up_needed": "on",
            "follow_up_note": "Kiểm tra lại sau 15 ngày",
        },
    )
    response = client_for("xa.tanlap").post("/inspections/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(establishment=est)
    assert inspection.commune.code == b.TAN_LAP
    assert inspection.date == datetime.date(2018, 6, 15)
    assert inspection.recorded_by.username == "xa.tanlap"
    assert set(inspection.members_present.all()) == set(b.members(team)[:2])
    answers = {f.item.code: (f.answer, f.note) for f in inspection.findings.all()}
    assert answers["phong-khong-kin"] == ("not_ok", "Rèm che kín phòng 3")
    assert answers["suc-khoe-nhan-vien"] == ("na", "")
    assert len(answers) == len(b.items())
    event = AuditEvent.objects.get(verb="inspection.create", object_id=str(inspection.pk))
    assert event.actor_name == "xa.tanlap"
    assert event.changes["finding:phong-khong-kin"] == [None, "not_ok"]
    html = client_for("xa.tanlap").get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Rèm che kín phòng 3" in html and "15/06/2018" in html


def test_follow_up_needs_a_note_and_nothing_is_saved(client_for) -> None:
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP)
    response = client_for("xa.tanlap").post(
        "/inspections/new/", _post_data(team, est, follow_up_needed="on")
    )
    assert response.status_code == 400
    assert "follow_up_note" in response.context["form"].errors
    assert not Inspection.objects.filter(establishment=est).exists()


def test_team_must_work_in_the_commune(client_for) -> None:
    ea_kar_team = b.team(b.EA_KAR)
    est = b.establishment(b.EA_SO)
    bmt_team = b.team(b.BMT)
    response = client_for("thuongtruc").post("/inspections/new/", _post_data(bmt_team, est))
    assert response.status_code == 400
    errors = response.context["form"].errors["team"]
    assert any("Ea Sô" in e for e in errors), errors
    response = client_for("thuongtruc").post("/inspections/new/", _post_data(ea_kar_team, est))
    assert response.status_code == 302


def test_members_must_belong_to_the_team(client_for) -> None:
    team = b.team(b.BMT)
    other = b.team(b.province())
    est = b.establishment(b.TAN_LAP)
    response = client_for("thuongtruc").post(
        "/inspections/new/", _post_data(team, est, members_present=[b.members(other)[0].pk])
    )
    assert response.status_code == 400
    assert "members_present" in response.context["form"].errors


def test_district_officer_records_inspection_with_violation_and_photo(client_for) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    team = b.team(b.BMT)
    est = b.establishment(b.TAN_LAP, name="Massage Thư Giãn")
    vtype = ViolationType.objects.get(code="nd167-d25-chua-moi-gioi")
    data = _post_data(
        team,
        est,
        result="violation",
        add_violation="on",
        violation_type=vtype.pk,
        subject_kind="organisation",
        people_count="3",
        violation_description="Phát hiện 3 cặp mua bán dâm",
        follow_up_needed="on",
        follow_up_note="Chuyển hồ sơ",
        file_kind="photo",
        files=[SimpleUploadedFile("anh1.png", PNG, content_type="image/png")],
        **{"finding_khong-dau-hieu-mai-dam": "not_ok"},
    )
    response = client_for("huyen.bmt").post("/inspections/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    inspection = Inspection.objects.get(establishment=est)
    violation = Violation.objects.get(inspection=inspection)
    assert (violation.violation_type, violation.subject_kind, violation.people_count) == (
        vtype,
        "organisation",
        3,
    )
    assert violation.commune == inspection.commune and violation.establishment == est
    assert inspection.attachments.get().original_name == "anh1.png"


def test_a_bad_violation_saves_nothing(client_for) -> None:
    """The violation type of 2022 was not in force in 2018: no inspection either."""
    team = b.team(b.BMT)
    est = b.establishment(b.TAN_LAP)
    vtype = ViolationType.objects.get(code="nd144-d24-k1-mua-dam")
    data = _post_data(
        team,
        est,
        result="violation",
        add_violation="on",
        violation_type=vtype.pk,
        subject_kind="individual",
        people_count="1",
    )
    response = client_for("huyen.bmt").post("/inspections/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors["violation_type"]
    assert any("15/06/2018" in e for e in errors), errors
    assert not Inspection.objects.filter(establishment=est).exists()
    assert not Violation.objects.exists()


def test_commune_officer_has_no_violation_section(client_for) -> None:
    html = client_for("xa.tanlap").get("/inspections/new/").content.decode()
    assert 'name="add_violation"' not in html
    html = client_for("huyen.bmt").get("/inspections/new/").content.decode()
    assert 'name="add_violation"' in html


def test_edit_with_a_stale_version_saves_nothing(client_for) -> None:
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP)
    inspection = b.inspection(team, est)
    first = client_for("xa.tanlap")
    second = client_for("huyen.bmt")
    page = first.get(f"/inspections/{inspection.pk}/edit/")
    assert page.context["form"].initial["version"] == 1
    data = _post_data(team, est, version=1, summary="Lần sửa thứ nhất")
    assert second.post(f"/inspections/{inspection.pk}/edit/", data).status_code == 302
    stale = _post_data(team, est, version=1, summary="Lần sửa đè", result="violation")
    response = first.post(f"/inspections/{inspection.pk}/edit/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.result, inspection.version) == (
        "Lần sửa thứ nhất",
        "no_violation",
        2,
    )
    assert not inspection.findings.filter(answer="not_ok").exists()


def test_edit_changes_findings_and_audits(client_for) -> None:
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP)
    inspection = b.inspection(team, est)
    data = _post_data(
        team,
        est,
        version=1,
        **{"finding_niem-yet-gia": "not_ok", "finding_niem-yet-gia_note": "Không có bảng giá"},
    )
    assert (
        client_for("xa.tanlap").post(f"/inspections/{inspection.pk}/edit/", data).status_code == 302
    )
    finding = inspection.findings.get(item__code="niem-yet-gia")
    assert (finding.answer, finding.note) == ("not_ok", "Không có bảng giá")
    event = AuditEvent.objects.get(verb="inspection.update", object_id=str(inspection.pk))
    assert event.changes["finding:niem-yet-gia"] == [None, "not_ok"]


def test_soft_delete_needs_a_reason_and_no_violation(client_for) -> None:
    from pcmd.enforcement import actions as enforcement

    team = b.team(b.TAN_LAP)
    inspection = b.inspection(team, b.establishment(b.TAN_LAP), result="violation")
    enforcement.record_violation(
        actor=None,
        inspection=inspection,
        date=inspection.date,
        violation_type=ViolationType.objects.get(code="nd167-d22-k1-mua-dam"),
        subject_kind="individual",
    )
    client = client_for("xa.tanlap")
    client.post(f"/inspections/{inspection.pk}/delete/", {"reason": "Nhập nhầm"})
    inspection.refresh_from_db()
    assert not inspection.is_deleted
    clean = b.inspection(team, b.establishment(b.TAN_LAP))
    response = client.post(f"/inspections/{clean.pk}/delete/", {"reason": "Nhập nhầm"})
    assert response.status_code == 302
    assert client.get(f"/inspections/{clean.pk}/").status_code == 404
    assert AuditEvent.objects.filter(verb="inspection.delete", reason="Nhập nhầm").exists()


def test_future_date_is_refused(client_for) -> None:
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP)
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client_for("xa.tanlap").post("/inspections/new/", _post_data(team, est, date=future))
    assert response.status_code == 400
    assert "date" in response.context["form"].errors


def test_prefill_from_the_risk_page(client_for) -> None:
    b.team(b.province())
    bmt = b.team(b.BMT)
    est = b.establishment(b.TAN_LAP)
    form = client_for("thuongtruc").get(f"/inspections/new/?establishment={est.pk}").context["form"]
    assert form.initial["establishment"] == est
    assert form.initial["team"] == bmt  # the narrowest team that works there


def test_record_with_findings_is_all_or_nothing(persona) -> None:
    """The action behind the field form: invalid violation data (no person) after the
    inspection and its photo were written leaves no inspection, file row, violation or
    audit row."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pcmd.inspections import actions
    from pcmd.inspections.models import Attachment

    team = b.team(b.BMT)
    est = b.establishment(b.TAN_LAP)
    audit_before = AuditEvent.objects.count()
    violation = actions.FoundViolation(
        violation_type=ViolationType.objects.get(code="nd167-d25-chua-moi-gioi"),
        subject_kind="organisation",
        people_count=0,
    )
    with pytest.raises(ValidationError) as exc:
        actions.record_inspection_with_findings(
            actor=persona("huyen.bmt"),
            team=team,
            establishment=est,
            date=datetime.date(2018, 6, 15),
            result="violation",
            members=b.members(team)[:2],
            findings={i: ("ok", "") for i in b.items()},
            attachments=[SimpleUploadedFile("anh1.png", PNG, content_type="image/png")],
            violation=violation,
        )
    assert "people_count" in exc.value.message_dict
    assert not Inspection.objects.filter(establishment=est).exists()
    assert not Attachment.objects.filter(inspection__establishment=est).exists()
    assert not Violation.objects.filter(establishment=est).exists()
    assert AuditEvent.objects.count() == audit_before
