"""The Decree 30/2020/NĐ-CP layout check (Appendix I), for every generated DOCX: the reports
(tests/reporting/test_documents.py), the plan and its annual review (tests/plans)."""

from __future__ import annotations

from typing import Any

from docx.document import Document

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def all_paragraphs(document: Document) -> list[Any]:
    """The body's paragraphs then those of every table cell (tables inside cells too)."""
    found = list(document.paragraphs)

    def walk(tables: list[Any]) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    found.extend(cell.paragraphs)
                    walk(cell.tables)

    walk(document.tables)
    return found


def assert_decree_30_layout(document: Document) -> None:
    """A4 portrait, margins (top/bottom 20–25 mm, left 30–35, right 15–20), page numbers in
    the header from page 2 only, the header table with the national motto, Times New Roman
    everywhere, body text 13–14 pt."""
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    # page numbers from page 2: a different first page, a PAGE field in the other header
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    head = document.tables[0]
    assert head.rows[0].cells[1].text.split("\n")[:2] == MOTTO
    assert head.rows[1].cells[0].text.startswith("Số:")
    fonts = {r.font.name for p in all_paragraphs(document) for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    sizes = {
        r.font.size.pt
        for p in document.paragraphs
        for r in p.runs
        if r.text.strip() and r.font.size is not None
    }
    assert sizes and min(sizes) >= 13 and max(sizes) <= 14, sizes
