"""PDF: the DOCX converted by LibreOffice headless (``soffice --convert-to pdf``).

Each conversion runs in its own temporary directory with its own LibreOffice profile (so
parallel conversions never share a lock), with a time-out, and fails with a clear message
when LibreOffice is not installed (``apt-get install libreoffice-writer-nogui
fonts-liberation``: Liberation Serif is metric-compatible with Times New Roman).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from pcmd.core.messages import bilingual

TIMEOUT_SECONDS = 120
CANDIDATES = ("soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice")


class PdfUnavailable(RuntimeError):
    """The PDF could not be made; ``texts`` holds the reason in Vietnamese and English."""

    def __init__(self, message: object, **params: object) -> None:
        self.texts = bilingual(message, **params)
        super().__init__(self.texts["en"])


def soffice() -> str | None:
    for name in CANDIDATES:
        found = (
            shutil.which(name)
            if not os.path.isabs(name)
            else (name if os.access(name, os.X_OK) else None)
        )
        if found:
            return found
    return None


def convert(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(
            _(
                "PDF export needs LibreOffice on the server (soffice was not "
                "found). Download the DOCX instead, or ask the administrator "
                "to install libreoffice-writer."
            )
        )
    with tempfile.TemporaryDirectory(prefix="pcmd-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(
                command,
                check=True,
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "HOME": str(folder)},
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(
                _("LibreOffice did not finish the PDF within %(n)s seconds."), n=timeout
            ) from None
        except (subprocess.CalledProcessError, OSError) as exc:
            raise PdfUnavailable(
                _("LibreOffice could not convert the report: %(error)s"), error=str(exc)[:200]
            ) from None
        target = folder / "report.pdf"
        if not target.exists():
            raise PdfUnavailable(_("LibreOffice did not produce a PDF."))
        return target.read_bytes()


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", re.S
)


def page_count(pdf: bytes) -> int:
    """Pages of a PDF: the root /Pages /Count, else the number of /Type /Page objects."""
    counts = [int(a or b) for a, b in _COUNT.findall(pdf)]
    if counts:
        return max(counts)
    return len(_PAGE.findall(pdf))
