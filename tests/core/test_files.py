"""A file stored by a transaction that rolls back leaves nothing in storage (issue 9.13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from pcmd.inspections import actions as inspection_actions
from pcmd.inspections.models import Attachment
from pcmd.outreach import actions as outreach_actions
from tests.inspections import builders as ib
from tests.outreach import builders as ob

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"0" * 200


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def stored(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_an_inspection_attachment_is_removed_when_the_transaction_rolls_back(media) -> None:
    inspection = ib.inspection(ib.team(ib.BMT), ib.establishment(ib.TAN_LAP))
    with pytest.raises(RuntimeError), transaction.atomic():
        inspection_actions.add_attachment(
            inspection, actor=None, upload=SimpleUploadedFile("anh.jpg", JPEG)
        )
        assert len(stored(media)) == 1  # written before the row
        raise RuntimeError("forced rollback after the file was stored")
    assert stored(media) == []


def test_a_refused_second_file_leaves_no_first_file(media) -> None:
    inspection = ib.inspection(ib.team(ib.BMT), ib.establishment(ib.TAN_LAP))
    files = [SimpleUploadedFile("a.jpg", JPEG), SimpleUploadedFile("b.gif", b"GIF89a")]
    with pytest.raises(ValidationError):
        inspection_actions.add_attachments(inspection, files, actor=None)
    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_an_activity_attachment_is_removed_when_the_transaction_rolls_back(media, persona) -> None:
    activity = ob.activity()
    with pytest.raises(RuntimeError), transaction.atomic():
        outreach_actions.add_attachments(
            activity, [SimpleUploadedFile("bao-cao.pdf", PDF)], actor=persona("xa.tanlap")
        )
        assert len(stored(media)) == 1
        raise RuntimeError("forced rollback after the file was stored")
    assert stored(media) == []


def test_a_committed_file_stays(media, django_capture_on_commit_callbacks) -> None:
    inspection = ib.inspection(ib.team(ib.BMT), ib.establishment(ib.TAN_LAP))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        attachment = inspection_actions.add_attachment(
            inspection, actor=None, upload=SimpleUploadedFile("anh.jpg", JPEG)
        )
    assert [p.name for p in stored(media)] == [Path(attachment.file.name).name]


def test_every_upload_is_stored_through_the_rollback_aware_helper() -> None:
    direct = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "pcmd").rglob("*.py"))
        if path != ROOT / "pcmd" / "core" / "files.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.file\.save\(|storage\.save\(", line)
    ]
    assert direct == []
