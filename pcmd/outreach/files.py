"""Checks on uploaded attachments: allowed types (by extension and content) and size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_FILES = 10

_OOXML = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> (content type served, accepted leading bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_OOXML,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_OOXML,)),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (_OOXML,),
    ),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".ppt": ("application/vnd.ms-powerpoint", (_OLE,)),
}
ACCEPT = ",".join(sorted(ALLOWED))


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def _clean_name(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    return "".join(ch for ch in base if ch.isprintable())[:200] or "file"


def check_upload(upload: Any, field: str = "attachments") -> CheckedFile:
    """Raise a ValidationError naming ``field`` unless the file is an allowed document."""
    name = _clean_name(getattr(upload, "name", "") or "")
    ext = PurePosixPath(name).suffix.lower()
    if ext not in ALLOWED:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "%(name)s: only PDF, JPG, PNG, Word, Excel or PowerPoint files are accepted."
                    ),
                    params={"name": name},
                )
            }
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(
            {field: ValidationError(_("%(name)s is empty."), params={"name": name})}
        )
    if size > MAX_SIZE:
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(name)s is larger than %(max)s MB."),
                    params={"name": name, "max": MAX_SIZE // (1024 * 1024)},
                )
            }
        )
    content_type, signatures = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(name)s does not look like a %(ext)s file."),
                    params={"name": name, "ext": ext.lstrip(".").upper()},
                )
            }
        )
    return CheckedFile(upload=upload, name=name, content_type=content_type, size=size)


def check_uploads(uploads: list[Any], field: str = "attachments") -> list[CheckedFile]:
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            {field: ValidationError(_("At most %(n)s files at a time."), params={"n": MAX_FILES})}
        )
    return [check_upload(u, field) for u in uploads]
