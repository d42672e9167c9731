"""DOCX in the Decree 30/2020/NĐ-CP layout (Appendix I), written with python-docx.

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, body 14 pt,
tables 11–13 pt; page numbers centred in the header from page 2 (a different first page);
header table (issuing body | national motto, number | place and date), "BÁO CÁO" and the
subject, addressee, body, annexes, then "Nơi nhận" and the signature block.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..models import Submission
from .content import Block, Table, build
from .header import MOTTO, MOTTO_2, DocHead, head

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_MM = 165  # 210 - 30 - 15
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}


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
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    indent: bool = False,
    space_after: float = 3,
    justify: bool = False,
) -> Any:
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = 1.1
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if justify else ALIGN[align]
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _short_rule(cell: Any, indent_mm: float) -> None:
    """The short horizontal line under the issuing body and the motto (a bottom border)."""
    p = cell.add_paragraph()
    p.paragraph_format.left_indent = Mm(indent_mm)
    p.paragraph_format.right_indent = Mm(indent_mm)
    p.paragraph_format.space_after = Pt(2)
    _bottom_border(p)
    run = p.add_run()
    _font(run, 4)


def _bottom_border(p: Any) -> None:
    ppr = p._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _cell_text(cell: Any, lines: Sequence[tuple[str, float, bool, bool]], align: str) -> None:
    first = True
    for text, size, bold, italic in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = ALIGN[align]
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(text), size, bold=bold, italic=italic)


def _no_borders(table: Any) -> None:
    tbl_pr = table._element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _grid(table: Any) -> None:
    tbl_pr = table._element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ):
            el.set(qn(key), value)
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Any, widths: list[float]) -> None:
    """Column widths in mm, on the grid (LibreOffice lays columns out from it) and on each cell
    (Word reads the cells)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Mm(width)


def _page_number_header(section: Any) -> None:
    """Page numbers centred at the top from page 2 (the first page's header stays empty)."""
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


def _setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    _page_number_header(section)


def _header(doc: Any, h: DocHead) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left, right = table.rows[0].cells
    lines = ([(h.parent_line, 13, False, False)] if h.parent_line else []) + [
        (line, 13, True, False) for line in h.issuer_lines
    ]
    _cell_text(left, lines, "center")
    _short_rule(left, 20)
    _cell_text(right, [(MOTTO, 12, True, False), (MOTTO_2, 14, True, False)], "center")
    _short_rule(right, 22)
    number, place = table.rows[1].cells
    _cell_text(number, [(h.number, 13, False, False)], "center")
    _cell_text(place, [(h.place_date, 14, False, True)], "center")
    _widths(table, [65, 100])
    _para(doc, "", space_after=6)
    if h.mark:
        _para(doc, h.mark, size=14, bold=True, align="center", space_after=6)
    _para(doc, h.title, size=14, bold=True, align="center", space_after=0)
    _para(doc, h.subject, size=14, bold=True, align="center", space_after=0)
    if h.period_line:
        _para(doc, h.period_line, size=13, italic=True, align="center", space_after=6)
    else:
        _short_rule_under(doc)
    if h.addressee:
        _para(doc, f"Kính gửi: {h.addressee}.", size=14, align="center", space_after=8)


def _table(doc: Any, block: Table) -> None:
    if block.title:
        _para(doc, block.title, size=BODY_PT, bold=True, space_after=3)
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid(table)
    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        _cell_text(cell, [(text, block.size, True, False)], "center")
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        bold = block.total_row and index == len(block.rows) - 1
        for cell, value in zip(cells, row, strict=True):
            _cell_text(cell, [(value.text, block.size, bold, False)], value.align)
    _widths(table, block.widths)
    _para(doc, "", space_after=4)


def _short_rule_under(doc: Any) -> None:
    """The short line under a document's subject when no period line follows (a plan)."""
    p = _para(doc, "", align="center", space_after=8)
    p.paragraph_format.left_indent = Mm(60)
    p.paragraph_format.right_indent = Mm(60)
    _bottom_border(p)


def _lead_para(doc: Any, lead: str, text: str) -> None:
    """A body paragraph that opens with bold words: "12. Hội Liên hiệp phụ nữ tỉnh: chỉ đạo …"."""
    p = _para(doc, indent=True, justify=True)
    _font(p.add_run(lead), BODY_PT, bold=True)
    if text:
        _font(p.add_run(" " + text), BODY_PT)


def _blocks(doc: Any, blocks: list[Block]) -> None:
    for block in blocks:
        if isinstance(block, Table):
            _table(doc, block)
        elif block.lead:
            _lead_para(doc, block.lead, block.text)
        elif block.style == "heading":
            _para(doc, block.text, bold=True, space_after=3, justify=True)
        elif block.style == "label":
            _para(doc, block.text, italic=True, indent=True, space_after=2)
        else:
            _para(doc, block.text, indent=True, justify=True)


def _footer(doc: Any, h: DocHead) -> None:
    _para(doc, "", space_after=6)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell_text(
        left,
        [("Nơi nhận:", 12, True, True)]
        + [(f"- {line}", 11, False, False) for line in h.recipients],
        "left",
    )
    lines = [(h.signer_authority.upper(), 14, True, False)] if h.signer_authority else []
    lines += [(h.signer_title.upper(), 14, True, False)] if h.signer_title else []
    lines += [("", 14, False, False)] * 4
    lines += [(h.signer_name, 14, True, False)] if h.signer_name else []
    _cell_text(right, lines or [("", 14, False, False)], "center")
    _widths(table, [80, 85])


def compose(h: DocHead, body: Sequence[Block], annexes: Sequence[Block] = ()) -> bytes:
    """A Decree 30 document (bytes): header ``h``, the body, the recipients and signature
    block, then the annexes. Other apps' documents (e.g. pcmd.cases.document) use it too."""
    doc = Document()
    _setup(doc)
    _header(doc, h)
    _blocks(doc, list(body))
    _footer(doc, h)
    if annexes:
        # Decree 30: annexes follow the signed text, starting on a new page.
        doc.add_page_break()
        _blocks(doc, list(annexes))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(sub: Submission, user: Any = None) -> bytes:
    """The report as a DOCX file (bytes), as ``user`` (who downloads it) may see it."""
    content = build(sub, user)
    return compose(head(sub), content.body, content.annexes)
