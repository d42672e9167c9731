"""Communication activity pages: who reaches what, writes with audit and version checks."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pcmd.core.models import AuditEvent
from pcmd.outreach.models import Activity, Attachment, Audience, CommunicationForm
from tests.conftest import assert_reach

from .builders import (
    EA_SO,
    EDITORS,
    PROVINCE_ROLES,
    TAN_LAP,
    VIEWERS,
    activity,
    agency,
    unit,
)

pytestmark = pytest.mark.django_db

SEE_TAN_LAP = [*PROVINCE_ROLES, "huyen.bmt", "ctxh.bmt", "xa.tanlap"]
SEE_EA_SO = [*PROVINCE_ROLES, "xa.easo"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def form_data(**overrides):
    data = {
        "date": "10/05/2018",
        "unit": unit(TAN_LAP).pk,
        "agency": agency("UBND_X24118").pk,
        "organiser_detail": "Chi hội Phụ nữ tổ dân phố 3",
        "form": CommunicationForm.objects.get(code="meeting").pk,
        "audiences": [
            Audience.objects.get(code="public").pk,
            Audience.objects.get(code="womens_union").pk,
        ],
        "title": "Tác hại của tệ nạn mại dâm",
        "participants": "65",
        "copies": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_list_and_new_pages_by_role(client_for) -> None:
    assert_reach(client_for, "/outreach/", VIEWERS)
    assert_reach(client_for, "/outreach/new/", EDITORS)
    assert_reach(client_for, "/outreach/import/", EDITORS)


def test_detail_reached_only_within_scope(client_for) -> None:
    assert_reach(client_for, f"/outreach/{activity(TAN_LAP).pk}/", SEE_TAN_LAP)
    assert_reach(client_for, f"/outreach/{activity(EA_SO).pk}/", SEE_EA_SO)


def test_edit_page_only_for_editors_in_scope(client_for) -> None:
    row = activity(TAN_LAP)
    # the commune's activity: the commune, the levels above; officers of other agencies
    # (police, a provincial department, a social worker) see it but do not change it
    assert_reach(
        client_for, f"/outreach/{row.pk}/edit/", ["admin", "thuongtruc", "huyen.bmt", "xa.tanlap"]
    )


def test_list_shows_only_the_users_communes(client_for) -> None:
    activity(TAN_LAP, title="Hoạt động Tân Lập")
    activity(EA_SO, title="Hoạt động Ea Sô")
    activity("66", title="Hoạt động toàn tỉnh", form="mass_media")
    seen = {
        name: client_for(name).get("/outreach/?year=2018").content.decode()
        for name in ["xa.tanlap", "xa.easo", "huyen.bmt", "thuongtruc"]
    }
    assert "Hoạt động Tân Lập" in seen["xa.tanlap"] and "Ea Sô" not in seen["xa.tanlap"]
    assert "Hoạt động Ea Sô" in seen["xa.easo"] and "Tân Lập" not in seen["xa.easo"]
    assert "Hoạt động Tân Lập" in seen["huyen.bmt"]
    assert "Hoạt động Ea Sô" not in seen["huyen.bmt"]
    assert "Hoạt động toàn tỉnh" not in seen["huyen.bmt"]
    assert all(t in seen["thuongtruc"] for t in ["Tân Lập", "Ea Sô", "toàn tỉnh"])


def test_commune_officer_records_an_activity_with_a_file(client_for) -> None:
    photo = SimpleUploadedFile(
        "ảnh buổi họp.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="image/jpeg"
    )
    response = client_for("xa.tanlap").post(
        "/outreach/new/", {**form_data(), "attachments": [photo]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Activity.objects.get(title="Tác hại của tệ nạn mại dâm")
    assert (row.unit.code, row.participants, row.created_by.username) == (TAN_LAP, 65, "xa.tanlap")
    assert sorted(row.audiences.values_list("code", flat=True)) == ["public", "womens_union"]
    attachment = row.attachments.get()
    assert attachment.name == "ảnh buổi họp.jpg" and "họp" not in attachment.file.name
    event = AuditEvent.objects.get(verb="outreach.activity.create", object_id=str(row.pk))
    assert event.changes["title"][1] == "Tác hại của tệ nạn mại dâm"
    assert event.changes["attachments"][1] == ["ảnh buổi họp.jpg"]


def test_commune_officer_cannot_record_for_another_commune(client_for) -> None:
    response = client_for("xa.tanlap").post("/outreach/new/", form_data(unit=unit(EA_SO).pk))
    assert response.status_code == 400
    assert not Activity.objects.filter(title="Tác hại của tệ nạn mại dâm").exists()


def test_unit_must_exist_on_the_date(client_for) -> None:
    # Phường Thống Nhất (24127) ended on 31/10/2024 (Resolution 1193/NQ-UBTVQH15).
    response = client_for("huyen.bmt").post(
        "/outreach/new/",
        form_data(unit=unit("24127").pk, agency=agency("UBND_H643").pk, date="05/01/2025"),
    )
    assert response.status_code == 400
    assert "05/01/2025" in response.content.decode()
    assert not Activity.objects.exists()


def test_future_dates_and_negative_counts_are_refused(client_for) -> None:
    client = client_for("xa.tanlap")
    future = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    assert client.post("/outreach/new/", form_data(date=future)).status_code == 400
    assert client.post("/outreach/new/", form_data(participants="-3")).status_code == 400
    assert not Activity.objects.exists()


def test_read_only_and_out_of_scope_writes_are_refused(client_for) -> None:
    row = activity(TAN_LAP)
    assert client_for("lanhdao").post("/outreach/new/", form_data()).status_code == 403
    assert (
        client_for("xa.easo")
        .post(f"/outreach/{row.pk}/edit/", form_data(version=row.version))
        .status_code
        == 404
    )
    assert client_for("xa.easo").post(f"/outreach/{row.pk}/delete/").status_code == 404
    row.refresh_from_db()
    assert row.title == "Họp tổ dân phố" and not row.is_deleted


def test_edit_saves_and_audits_the_change(client_for) -> None:
    row = activity(TAN_LAP)
    response = client_for("huyen.bmt").post(
        f"/outreach/{row.pk}/edit/", form_data(title="Nội dung đã sửa", version=row.version)
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.title, row.version) == ("Nội dung đã sửa", 2)
    event = AuditEvent.objects.get(verb="outreach.activity.update", object_id=str(row.pk))
    assert event.changes["title"] == ["Họp tổ dân phố", "Nội dung đã sửa"]
    assert event.changes["audiences"] == [["public"], ["public", "womens_union"]]


def test_stale_edit_is_refused_with_both_languages(client_for) -> None:
    row = activity(TAN_LAP)
    stale = row.version
    client_for("huyen.bmt").post(
        f"/outreach/{row.pk}/edit/", form_data(title="Bản của huyện", version=stale)
    )
    response = client_for("xa.tanlap").post(
        f"/outreach/{row.pk}/edit/", form_data(title="Bản của phường", version=stale)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this record" in html
    row.refresh_from_db()
    assert row.title == "Bản của huyện"


def test_soft_delete_hides_the_row(client_for) -> None:
    row = activity(TAN_LAP)
    client = client_for("xa.tanlap")
    assert client.post(f"/outreach/{row.pk}/delete/", {"version": row.version}).status_code == 302
    assert Activity.objects.filter(pk=row.pk, is_deleted=True).exists()
    assert client.get(f"/outreach/{row.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        verb="outreach.activity.delete", object_id=str(row.pk)
    ).exists()


def test_attachment_is_served_only_within_scope(client_for) -> None:
    row = activity(TAN_LAP)
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="text/plain")
    assert (
        client_for("xa.tanlap")
        .post(f"/outreach/{row.pk}/attachments/", {"attachments": [pdf]})
        .status_code
        == 302
    )
    attachment = Attachment.objects.get(activity=row)
    assert attachment.content_type == "application/pdf"
    url = f"/outreach/attachments/{attachment.pk}/"
    response = client_for("huyen.bmt").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert "attachment" in response["Content-Disposition"]
    assert_reach(client_for, url, SEE_TAN_LAP)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("virus.exe", b"MZ\x90\x00", "only PDF"),
        ("gia.pdf", b"<html>not a pdf</html>", "does not look like a PDF"),
        ("rong.png", b"", "empty"),
    ],
)
def test_bad_attachments_are_refused(client_for, name, content, reason) -> None:
    row = activity(TAN_LAP)
    upload = SimpleUploadedFile(name, content)
    client = client_for("xa.tanlap")
    client.cookies["django_language"] = "en"  # the reasons below are the English messages
    response = client.post(
        f"/outreach/{row.pk}/attachments/", {"attachments": [upload]}, follow=True
    )
    assert reason in response.content.decode() or reason in str(
        [str(m) for m in response.context["messages"]]
    )
    assert not Attachment.objects.filter(activity=row).exists()


def test_too_large_attachment_is_refused(client_for, monkeypatch) -> None:
    from pcmd.outreach import files

    monkeypatch.setattr(files, "MAX_SIZE", 50)
    row = activity(TAN_LAP)
    upload = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"x" * 100)
    client_for("xa.tanlap").post(f"/outreach/{row.pk}/attachments/", {"attachments": [upload]})
    assert not Attachment.objects.filter(activity=row).exists()


def test_removed_attachment_is_no_longer_served(client_for) -> None:
    row = activity(TAN_LAP)
    client = client_for("xa.tanlap")
    client.post(
        f"/outreach/{row.pk}/attachments/",
        {"attachments": [SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)]},
    )
    attachment = Attachment.objects.get(activity=row)
    assert client.post(f"/outreach/attachments/{attachment.pk}/remove/").status_code == 302
    assert client.get(f"/outreach/attachments/{attachment.pk}/").status_code == 404


def test_filters(client_for) -> None:
    activity(TAN_LAP, title="Họp dân Tân Lập")
    activity(TAN_LAP, title="Chiếu phim Tân Lập", form="film", agency_code="SO_VHTTDL")
    activity("24121", title="Họp dân phường khác")
    activity(TAN_LAP, title="Họp năm trước", day=datetime.date(2017, 9, 1))
    client = client_for("thuongtruc")
    film = CommunicationForm.objects.get(code="film").pk
    html = client.get(f"/outreach/?year=2018&form={film}").content.decode()
    assert "Chiếu phim Tân Lập" in html and "Họp dân Tân Lập" not in html
    html = client.get(f"/outreach/?year=2018&commune={unit(TAN_LAP).pk}").content.decode()
    assert "Họp dân Tân Lập" in html and "phường khác" not in html
    assert "Họp năm trước" not in html
    html = client.get(f"/outreach/?year=2018&agency={agency('SO_VHTTDL').pk}").content.decode()
    assert "Chiếu phim Tân Lập" in html and "Họp dân Tân Lập" not in html
    html = client.get("/outreach/?year=2017").content.decode()
    assert "Họp năm trước" in html and "Họp dân Tân Lập" not in html
    html = client.get(f"/outreach/?year=2018&district={unit('651').pk}").content.decode()
    assert "Tân Lập" not in html.split('id="activities"')[1]


def test_default_year_is_the_latest_with_activities(client_for) -> None:
    activity(TAN_LAP, day=datetime.date(2018, 3, 1))
    response = client_for("xa.tanlap").get("/outreach/")
    assert response.context["year"] == 2018


@pytest.mark.parametrize("n", [3, 40])
def test_list_query_count_is_bounded(client_for, django_assert_max_num_queries, n) -> None:
    communes = ["24118", "24121", "24124", "24130"]
    for i in range(n):
        activity(communes[i % 4], title=f"Hoạt động {i}", audiences=("public", "students"))
    client = client_for("thuongtruc")
    with django_assert_max_num_queries(16):
        response = client.get("/outreach/?year=2018")
    assert response.status_code == 200
    assert f"Hoạt động {n - 1}" in response.content.decode()
