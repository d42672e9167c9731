"""DOCX documents of privacy administration, in the layout of Decree 30/2020/NĐ-CP as
pcmd/reporting/documents/docx.py lays out reports (A4 portrait; margins top/bottom 20 mm,
left 30 mm, right 15 mm; Times New Roman 14 pt, tables 11 pt; issuing body | national motto,
number | place and date; title and subject centred in bold; "Nơi nhận" and signature block).

The people app sits below reporting (reporting → enforcement → people), so it cannot import
that module; the few layout helpers are repeated here, small. Text is written in English
through gettext and rendered in Vietnamese (the document goes to a Vietnamese reader).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
TEXT_WIDTH_MM = 165


def vn_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2026" (Decree 30: leading zero for days < 10, months 1–2)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)


@dataclass
class Paper:
    """What a document says; ``body`` holds paragraphs (str) and tables in order."""

    issuer_lines: list[str]
    number: str
    place: str
    day: datetime.date
    title: str
    subject: str
    body: list[str | Table]
    recipients: list[str] = field(default_factory=list)
    signer_title: str = ""


def _font(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _para(
    container: Any,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.LEFT,
    space_after: float = 3,
) -> Any:
    p = container.add_paragraph()
    p.paragraph_format.space_after = Pt(space_after)
    p.alignment = align
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _cell(cell: Any, lines: Sequence[tuple[str, float, bool, bool]], align: Any) -> None:
    for index, (text, size, bold, italic) in enumerate(lines):
        p = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(text), size, bold=bold, italic=italic)


def _borders(table: Any, value: str) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    table._element.tblPr.append(borders)


def _widths(table: Any, widths: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Mm(width)


def _setup(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def _table(doc: Any, block: Table) -> None:
    if block.title:
        _para(doc, block.title, bold=True)
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, "single")
    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        _cell(cell, [(text, 11, True, False)], WD_ALIGN_PARAGRAPH.CENTER)
    for row in block.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            _cell(cell, [(text, 11, False, False)], WD_ALIGN_PARAGRAPH.LEFT)
    n = len(block.headers)
    _widths(table, block.widths or [TEXT_WIDTH_MM / n] * n)
    _para(doc, "", space_after=4)


def render(paper: Paper) -> bytes:
    with translation.override("vi"):
        doc = Document()
        _setup(doc)
        head = doc.add_table(rows=2, cols=2)
        _borders(head, "nil")
        left, right = head.rows[0].cells
        _cell(
            left,
            [(line, 13, True, False) for line in paper.issuer_lines],
            WD_ALIGN_PARAGRAPH.CENTER,
        )
        _cell(
            right, [(MOTTO, 12, True, False), (MOTTO_2, 14, True, False)], WD_ALIGN_PARAGRAPH.CENTER
        )
        number, place = head.rows[1].cells
        _cell(number, [(paper.number, 13, False, False)], WD_ALIGN_PARAGRAPH.CENTER)
        dated = f"{paper.place}, {vn_date(paper.day)}" if paper.place else vn_date(paper.day)
        _cell(place, [(dated, 14, False, True)], WD_ALIGN_PARAGRAPH.CENTER)
        _widths(head, [65, 100])
        _para(doc, "", space_after=6)
        _para(doc, paper.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        _para(doc, paper.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
        for block in paper.body:
            if isinstance(block, Table):
                _table(doc, block)
            else:
                _para(doc, block, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        foot = doc.add_table(rows=1, cols=2)
        _borders(foot, "nil")
        left, right = foot.rows[0].cells
        _cell(
            left,
            [("Nơi nhận:", 12, True, True)]
            + [(f"- {line}", 11, False, False) for line in paper.recipients],
            WD_ALIGN_PARAGRAPH.LEFT,
        )
        _cell(right, [(paper.signer_title.upper(), 14, True, False)], WD_ALIGN_PARAGRAPH.CENTER)
        _widths(foot, [80, 85])
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
