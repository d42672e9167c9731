"""Checks on uploaded attachments: type (JPEG, PNG, PDF, by content, not only by name) and
size (at most 10 MB). Messages name the file and the limit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    # extension: (content type, magic bytes at the start of the file)
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", b"%PDF-"),
}
ACCEPT = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"


def check_upload(upload: Any) -> str:
    """Return the content type of a valid upload, or raise ValidationError (field "file")."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "“%(name)s” is not an accepted file: attach a photo (JPG, PNG) or a scan "
                        "(PDF)."
                    ),
                    code="file_type",
                    params={"name": name},
                )
            }
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("“%(name)s” is %(size)s MB; the limit is 10 MB per file."),
                    code="file_size",
                    params={"name": name, "size": f"{upload.size / 1048576:.1f}"},
                )
            }
        )
    content_type, magic = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "“%(name)s” does not contain a %(kind)s file: its content does not match its "
                        "name."
                    ),
                    code="file_content",
                    params={"name": name, "kind": ext.upper()},
                )
            }
        )
    return content_type
