"""Attachments: JPG/PNG/PDF up to 10 MB, checked by content; served only through a view to
those who may see the inspection."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pcmd.core.models import AuditEvent
from pcmd.inspections.files import MAX_BYTES
from pcmd.inspections.models import Attachment
from tests.conftest import assert_reach

from . import builders as b

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"0" * 200


@pytest.fixture
def inspection():
    return b.inspection(b.team(b.TAN_LAP), b.establishment(b.TAN_LAP))


def upload(client, inspection, name, content, kind="photo"):
    return client.post(
        f"/inspections/{inspection.pk}/files/",
        {"file_kind": kind, "files": [SimpleUploadedFile(name, content)]},
    )


def test_photo_and_scan_are_accepted(client_for, inspection) -> None:
    client = client_for("xa.tanlap")
    assert upload(client, inspection, "bien-ban.pdf", PDF, "minutes").status_code == 302
    assert upload(client, inspection, "anh.JPG", JPEG).status_code == 302
    rows = {a.original_name: a for a in inspection.attachments.all()}
    assert rows["bien-ban.pdf"].content_type == "application/pdf"
    assert rows["bien-ban.pdf"].kind == "minutes"
    assert rows["anh.JPG"].content_type == "image/jpeg"
    stored = rows["anh.JPG"].file.name
    assert "anh" not in stored and stored.endswith(".jpg")  # never the uploaded name
    assert (
        AuditEvent.objects.filter(verb="inspection.attach", object_id=str(inspection.pk)).count()
        == 2
    )


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 50, ["virus.exe", "JPG", "PDF"]),
        ("bao-cao.docx", b"PK\x03\x04", ["bao-cao.docx"]),
        ("fake.png", b"GIF89a" + b"\x00" * 20, ["fake.png", "PNG"]),
        ("script.pdf", b"<html><script>", ["script.pdf", "PDF"]),
    ],
)
def test_wrong_types_are_refused_with_a_clear_error(
    client_for, inspection, name, content, words
) -> None:
    response = upload(client_for("xa.tanlap"), inspection, name, content)
    assert response.status_code == 400
    html = response.content.decode()
    for word in words:
        assert word in html
    assert not inspection.attachments.exists()


def test_size_limit(client_for, inspection) -> None:
    big = JPEG + b"\x00" * (MAX_BYTES + 1 - len(JPEG))
    response = upload(client_for("xa.tanlap"), inspection, "lon.jpg", big)
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert not inspection.attachments.exists()
    exact = JPEG + b"\x00" * (MAX_BYTES - len(JPEG))
    assert upload(client_for("xa.tanlap"), inspection, "vua.jpg", exact).status_code == 302


def test_one_bad_file_among_several_saves_none(client_for, inspection) -> None:
    response = client_for("xa.tanlap").post(
        f"/inspections/{inspection.pk}/files/",
        {
            "file_kind": "photo",
            "files": [SimpleUploadedFile("a.jpg", JPEG), SimpleUploadedFile("b.gif", b"GIF89a")],
        },
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_download_only_for_those_who_see_the_inspection(client_for, inspection) -> None:
    upload(client_for("xa.tanlap"), inspection, "anh.jpg", JPEG)
    attachment = inspection.attachments.get()
    url = f"/inspections/{inspection.pk}/files/{attachment.pk}/"
    assert_reach(
        client_for,
        url,
        ["admin", "thuongtruc", "lanhdao", "congan", "doi178", "huyen.bmt", "xa.tanlap"],
    )
    response = client_for("huyen.bmt").get(url)
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    # The attachment id under another inspection is not found.
    other = b.inspection(b.team(b.province()), b.establishment(b.TAN_LAP))
    assert (
        client_for("admin").get(f"/inspections/{other.pk}/files/{attachment.pk}/").status_code
        == 404
    )


def test_pdf_is_downloaded_not_shown_inline(client_for, inspection) -> None:
    upload(client_for("xa.tanlap"), inspection, "bien-ban.pdf", PDF, "minutes")
    attachment = inspection.attachments.get()
    response = client_for("xa.tanlap").get(f"/inspections/{inspection.pk}/files/{attachment.pk}/")
    assert response["Content-Disposition"].startswith("attachment")


def test_no_public_url(client, client_for, inspection) -> None:
    upload(client_for("xa.tanlap"), inspection, "anh.jpg", JPEG)
    attachment = inspection.attachments.get()
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    anonymous = client.get(f"/inspections/{inspection.pk}/files/{attachment.pk}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    api = client_for("xa.tanlap").get(f"/api/v1/inspections/{inspection.pk}").json()
    assert api["attachments"][0]["url"] == f"/inspections/{inspection.pk}/files/{attachment.pk}/"


def test_remove_needs_edit_rights(client_for, inspection) -> None:
    upload(client_for("xa.tanlap"), inspection, "anh.jpg", JPEG)
    attachment = inspection.attachments.get()
    url = f"/inspections/{inspection.pk}/files/{attachment.pk}/remove/"
    assert client_for("lanhdao").post(url).status_code == 403
    assert client_for("xa.easo").post(url).status_code == 404
    assert client_for("xa.tanlap").post(url).status_code == 302
    assert not inspection.attachments.exists()
