"""Report documents: DOCX (Decree 30/2020/NĐ-CP layout), XLSX tables, PDF via LibreOffice."""

from __future__ import annotations

from ..models import Submission
from .header import short_name


def file_name(sub: Submission, extension: str) -> str:
    """ASCII-safe download name, e.g. ``bao-cao-pcmd-6-thang-2018-H1-24118.docx``."""
    who = sub.agency.code if sub.agency is not None else sub.unit.code
    return f"bao-cao-{sub.form.code}-{sub.period_code}-{who}.{extension}"


__all__ = ["file_name", "short_name"]
