"""Reading a plan's document into paragraphs: pasted text (plain or Markdown) or a DOCX.

A DOCX is checked before python-docx opens it: its size, that it is a real ZIP of a Word
document, no macros, no encryption, and the ZIP members' count and total uncompressed size (a
"zip bomb" is refused before anything is inflated). Paragraphs keep what the layout says:
list items, headings, and the bold words a paragraph starts with.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

MAX_UPLOAD = 5 * 1024 * 1024  # bytes of a DOCX
MAX_UNZIPPED = 50 * 1024 * 1024  # total uncompressed size of its members
MAX_MEMBERS = 2000
MAX_TEXT = 400_000  # characters of pasted text
MAX_PARAGRAPHS = 20_000
MAX_PARAGRAPH = 20_000  # characters of one paragraph


class DocumentRefused(ValueError):
    """A file or text that cannot be read; ``message`` is a lazy gettext string."""

    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))


# --- reading: text or DOCX → paragraphs ---------------------------------------------------


@dataclass
class Para:
    index: int
    text: str
    lead: str = ""  # the bold words it starts with (a heading followed by its text)
    bullet: str = ""  # "-" or "+" for a list item
    heading: bool = False


_BULLET = re.compile(r"^([-–•+*])\s+")
_LETTERED = re.compile(r"^[a-zđ]\s*\)")  # "a) …" opens a subsection, it does not carry on
_SPACES = re.compile(r"[ \t\u00a0]+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u200b", "")).strip()


def _join_continuations(paras: list[Para]) -> list[Para]:
    """A paragraph that starts in lower case after one that does not end a sentence carries on
    the sentence (split by a page break in the document)."""
    out: list[Para] = []
    for p in paras:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not p.bullet
            and not p.heading
            and p.text[:1].islower()
            and not _LETTERED.match(p.text)
            and prev.text[-1:] not in ".:;!?"
            and not prev.heading
        ):
            prev.text = f"{prev.text} {p.text}"
            continue
        out.append(p)
    for i, p in enumerate(out):
        p.index = i
    return out


def paragraphs_from_text(text: str) -> list[Para]:
    """Pasted text (plain, or Markdown as converters write it) → paragraphs."""
    if len(text) > MAX_TEXT:
        raise DocumentRefused(
            gettext_lazy("The text is too long: paste at most 400,000 characters.")
        )
    paras: list[Para] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        heading = line.startswith("#")
        line = line.lstrip("#").strip()
        lead = ""
        if line.startswith("**") and "**" in line[2:]:
            lead = line[2 : line.index("**", 2)].strip()
        line = _clean(line.replace("**", "").replace("*", " ").replace("\\", ""))
        if not line:
            continue
        bullet = ""
        if m := _BULLET.match(line):
            bullet, line = ("+" if m.group(1) == "+" else "-"), line[m.end() :].strip()
        lead = _clean(lead.replace("*", ""))
        if lead == line:
            heading, lead = True, ""
        paras.append(Para(len(paras), line[:MAX_PARAGRAPH], lead, bullet, heading))
        if len(paras) > MAX_PARAGRAPHS:
            raise DocumentRefused(gettext_lazy("The document has too many paragraphs."))
    return _join_continuations(paras)


def _check_docx_zip(data: bytes) -> None:
    if not data:
        raise DocumentRefused(gettext_lazy("The file is empty."))
    if len(data) > MAX_UPLOAD:
        raise DocumentRefused(gettext_lazy("The file is larger than 5 MB."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocumentRefused(
            gettext_lazy(
                "The file is encrypted or an old Word (.doc) file: save it as a .docx "
                "without a password."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentRefused(gettext_lazy("The file is not a Word document (.docx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise DocumentRefused(gettext_lazy("The file has too many parts to be a plan."))
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise DocumentRefused(
                    gettext_lazy("The file unpacks to more than 50 MB: it is refused.")
                )
            names = {m.filename for m in members}
            if any(m.flag_bits & 0x1 for m in members):
                raise DocumentRefused(gettext_lazy("The file is encrypted: remove the password."))
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise DocumentRefused(gettext_lazy("The file is not a Word document (.docx)."))
            if _paragraphs_in(archive) > MAX_PARAGRAPHS:
                raise DocumentRefused(gettext_lazy("The document has too many paragraphs."))
            types = archive.read("[Content_Types].xml")
            if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
                raise DocumentRefused(
                    gettext_lazy("The file contains macros: save it as a plain .docx.")
                )
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
        raise DocumentRefused(gettext_lazy("The file is damaged and cannot be read.")) from exc


def _paragraphs_in(archive: zipfile.ZipFile) -> int:
    """Paragraph elements in the body, counted on the raw XML in chunks before python-docx
    builds its tree (which takes ~18 s for 25,000 paragraphs). A document using another
    namespace prefix is still stopped after parsing, by the count in ``add``."""
    count, tail = 0, b""
    with archive.open("word/document.xml") as body:
        while chunk := body.read(1 << 20):
            window = tail + chunk
            # every tag is 5 bytes and the kept tail 4: one cut across chunks counts once
            count += sum(window.count(tag) for tag in (b"<w:p>", b"<w:p ", b"<w:p/"))
            tail = window[-4:]
    return count


def paragraphs_from_docx(data: bytes) -> list[Para]:
    """A DOCX (checked first) → paragraphs, tables' cells in reading order."""
    _check_docx_zip(data)
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged part
        raise DocumentRefused(gettext_lazy("The file is damaged and cannot be read.")) from exc
    out: list[Para] = []
    # Paragraph style names looked up once: python-docx's ``paragraph.style`` scans every
    # style of the document for the default on each call (14 s for 10,000 paragraphs).
    # The same resolution: an unknown id, or the id of a style of another type, is the default.
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name if default is not None else "") or ""
    style_names = {
        s.style_id: s.name or ""
        for s in document.styles
        if s.type == WD_STYLE_TYPE.PARAGRAPH and s.style_id is not None
    }

    def add(paragraph: Paragraph) -> None:
        if len(out) > MAX_PARAGRAPHS:
            raise DocumentRefused(gettext_lazy("The document has too many paragraphs."))
        style_id = paragraph._p.style
        style = style_names.get(style_id, default_name) if style_id else default_name
        ppr = paragraph._p.pPr
        listed = "List" in style or (ppr is not None and ppr.numPr is not None)
        lead = ""
        for run in paragraph.runs:
            if not run.text.strip():
                lead += run.text
                continue
            if run.bold:
                lead += run.text
            else:
                break
        for n, raw in enumerate(paragraph.text.split("\n")):
            line = _clean(raw)
            if not line:
                continue
            bullet = ""
            if m := _BULLET.match(line):
                bullet, line = ("+" if m.group(1) == "+" else "-"), line[m.end() :].strip()
            elif listed and not style.startswith("Heading"):
                bullet = "-"
            first_lead = _clean(lead) if n == 0 else ""
            heading = style.startswith(("Heading", "Title")) or first_lead == line
            out.append(
                Para(
                    len(out),
                    line[:MAX_PARAGRAPH],
                    "" if first_lead == line else first_lead,
                    bullet,
                    heading,
                )
            )

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        add(paragraph)
        else:
            add(block)
    return _join_continuations(out)
