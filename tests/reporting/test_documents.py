"""The generated DOCX (Decree 30/2020 layout), XLSX and PDF, opened and checked against data."""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pcmd.reporting import actions
from pcmd.reporting.documents import docx as docx_doc
from pcmd.reporting.documents import pdf as pdf_doc
from pcmd.reporting.documents import xlsx as xlsx_doc
from pcmd.reporting.documents.header import vn_date

from .conftest import GOOD_POLICE, approved_commune, open_report, user
from .layout import assert_decree_30_layout

pytestmark = pytest.mark.django_db


def _text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _money_twice(document: docx.document.Document) -> list[str]:
    """Figures written "… đ" in a row or column that already says "đồng"."""
    found = []
    for table in document.tables:
        headers = [c.text for c in table.rows[0].cells]
        for row in table.rows[1:]:
            texts = [c.text for c in row.cells]
            for i, text in enumerate(texts):
                column = headers[i] if i < len(headers) else ""
                if text.endswith(" đ") and ("đồng" in column or "đồng" in texts):
                    found.append(f"{texts[:2]} {column}: {text}")
    return found


def _district_report():
    approved_commune()  # Phường Tân Lập, approved by the district
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    actions.save_draft(
        sub,
        actor=user("huyen.bmt"),
        expected_version=sub.version,
        values={
            "staff": 1234,
            "female_staff": 800,
            "budget_spent": 15_500_000,
            "assessment": "Tình hình cơ bản ổn định.",
        },
        doc_number="27",
        signer_name="Nguyễn Văn An",
    )
    actions.submit_submission(sub, actor=user("huyen.bmt"))
    actions.approve_submission(sub, actor=user("thuongtruc"))
    return sub


def test_district_docx_has_the_decree_30_layout_and_the_figures() -> None:
    sub = _district_report()
    document = docx.Document(io.BytesIO(docx_doc.render(sub)))
    assert_decree_30_layout(document)
    head = document.tables[0]
    issuer = head.rows[0].cells[0]
    assert issuer.text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BUÔN MA THUỘT"]
    number, place = head.rows[1].cells
    assert number.text == "Số: 27/BC-UBND"
    approved_on = timezone.localtime(sub.reviewed_at).date()
    assert place.text == f"Buôn Ma Thuột, {vn_date(approved_on)}"
    body = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in body
    assert ("Kết quả công tác phòng, chống tệ nạn mại dâm 6 tháng đầu năm 2018") in body
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk." in body
    text = _text(document)
    assert "Số lao động làm việc tại các cơ sở" in text
    figures = {row.cells[1].text: row.cells[3].text for row in document.tables[3].rows[1:]}
    assert figures["Số lao động làm việc tại các cơ sở"] == "1.234"
    assert figures["Trong đó: lao động nữ"] == "800"
    money = {
        row.cells[1].text: row.cells[3].text
        for t in document.tables
        for row in t.rows[1:]
        if len(row.cells) == 4
    }
    # the unit column says "đồng": the figure does not say "đ" again
    assert money["Kinh phí đã chi cho công tác phòng, chống mại dâm"] == "15.500.000"
    assert not _money_twice(document)
    assert "Nơi nhận:" in text and "TM. ỦY BAN NHÂN DÂN" in text and "Nguyễn Văn An" in text
    # the annex: the communes' approved figures, Tân Lập approved with 20 staff
    annex = [t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị"]
    assert annex, "the communes' annex is missing"
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in annex[0].rows}
    header = [c.text for c in annex[0].rows[0].cells]
    assert rows["Phường Tân Lập"][-1] == "Đã duyệt"
    staff_tables = [
        t
        for t in annex
        if "Số lao động làm việc tại các cơ sở" in [c.text for c in t.rows[0].cells]
    ]
    col = [c.text for c in staff_tables[0].rows[0].cells].index(
        "Số lao động làm việc tại các cơ sở"
    )
    staff = {r.cells[1].text: r.cells[col].text for r in staff_tables[0].rows}
    assert staff["Phường Tân Lập"] == "20"
    assert header[0] == "STT"


def test_police_report_header_and_xlsx_numbers() -> None:
    sub = open_report("ca-xu-phat-quy", "2018-Q2", by="congan", agency_code="CONG_AN_TINH")
    actions.save_draft(
        sub,
        actor=user("congan"),
        expected_version=sub.version,
        values={**GOOD_POLICE, "by_act": [{"act": "Mua dâm", "people": 6, "amount": 4_500_000}]},
    )
    document = docx.Document(io.BytesIO(docx_doc.render(sub)))
    assert not _money_twice(document)
    by_act = [t for t in document.tables if t.rows[0].cells[-1].text == "Số tiền phạt (đồng)"]
    assert by_act and by_act[0].rows[1].cells[-1].text == "4.500.000"
    issuer = document.tables[0].rows[0].cells[0].text.split("\n")
    assert issuer[:2] == ["BỘ CÔNG AN", "CÔNG AN TỈNH ĐẮK LẮK"]
    assert document.tables[0].rows[1].cells[0].text.strip().endswith("/BC-CAT")
    assert "quý II năm 2018" in _text(document)
    assert "Kính gửi: Sở Lao động - Thương binh và Xã hội." in _text(document)
    wb = load_workbook(io.BytesIO(xlsx_doc.render(sub)))
    ws = wb[xlsx_doc.MAIN_SHEET]
    assert ws["A2"].value.startswith("Số:")
    values = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=6).value
        for r in range(xlsx_doc.HEADER_ROW + 1, ws.max_row + 1)
    }
    assert values["amount_collected"] == 4_500_000 and values["people_sanctioned"] == 8
    assert values["warnings"] == 2
    table = wb[xlsx_doc.table_sheet_name("by_act")]
    assert [c.value for c in table[2]] == ["Mua dâm", 6, 4_500_000]
    info = {r[0].value: r[1].value for r in wb[xlsx_doc.INFO_SHEET].iter_rows()}
    assert info["form"] == "ca-xu-phat-quy" and info["period"] == "2018-Q2"


def test_synthesis_docx_xlsx_pull_targets_districts_and_agencies() -> None:
    _district_report()
    agency = open_report("nhiem-vu-6-thang", "2018-H1", by="sovhttdl", agency_code="SO_VHTTDL")
    actions.save_draft(
        agency,
        actor=user("sovhttdl"),
        expected_version=agency.version,
        values={"summary": "Kiểm tra 12 cơ sở karaoke. Xử lý 2 cơ sở."},
    )
    actions.submit_submission(agency, actor=user("sovhttdl"))
    actions.approve_submission(agency, actor=user("thuongtruc"))
    sub = open_report("tong-hop-6-thang", "2018-H1", by="thuongtruc", agency_code="SO_LDTBXH")
    assert "Kế hoạch số 1842/KH-UBND" in sub.draft_text
    assert "Sở Văn hóa - Thể thao và Du lịch: Kiểm tra 12 cơ sở karaoke." in sub.draft_text
    assert "Số báo cáo của cấp huyện đã được duyệt: 1/15." in sub.draft_text
    edited = sub.draft_text.replace(
        "(Cơ quan thường trực bổ sung kiến nghị trước khi ban hành.)",
        "Đề nghị bố trí thêm kinh phí cho cấp xã.",
    )
    actions.save_draft(
        sub,
        actor=user("thuongtruc"),
        expected_version=sub.version,
        draft_text=edited,
        doc_number="125",
    )
    document = docx.Document(io.BytesIO(docx_doc.render(sub)))
    head = document.tables[0]
    assert head.rows[0].cells[0].text.split("\n")[:2] == [
        "UBND TỈNH ĐẮK LẮK",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    ]
    assert head.rows[1].cells[0].text == "Số: 125/BC-SLĐTBXH"
    assert head.rows[1].cells[1].text.startswith("Đắk Lắk, ngày ")
    text = _text(document)
    assert "Đề nghị bố trí thêm kinh phí cho cấp xã." in text  # the official's edit
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text
    targets = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells]
        == ["STT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"]
    )
    goals = {r.cells[1].text: r.cells[2].text for r in targets.rows[1:]}
    assert (
        goals["174/184 xã, phường, thị trấn lành mạnh (94,6%); không còn xã trọng điểm"]
        == "174/184"
    )
    assert (
        goals["Đội 178 tỉnh kiểm tra từ 100 đến 150 cơ sở kinh doanh dịch vụ có điều kiện"]
        == "100–150"
    )
    wb = load_workbook(io.BytesIO(xlsx_doc.render(sub)))
    assert "Chi tieu" in wb.sheetnames and "So nganh" in wb.sheetnames
    agencies = {r[1].value: r[2].value for r in wb["So nganh"].iter_rows(min_row=2)}
    assert agencies["Sở Văn hóa - Thể thao và Du lịch"] == "Đã duyệt"
    assert agencies["Sở Y tế"] == "Chưa có báo cáo được duyệt"
    content = [c.value for c in wb["Nội dung"]["A"]]
    assert "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in content


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_converts_with_the_expected_pages() -> None:
    sub = approved_commune()
    pdf = pdf_doc.convert(docx_doc.render(sub))
    assert pdf.startswith(b"%PDF")
    # the commune report: the text and the figure tables run onto a second page
    assert pdf_doc.page_count(pdf) == 2
    district = _district_report_only()
    pdf = pdf_doc.convert(docx_doc.render(district))
    # the district report adds the annex of its 22 communes on new pages (5: the columns take
    # the widths the builder sets, so the communes' names no longer wrap in equal columns)
    assert pdf_doc.page_count(pdf) == 5


def _district_report_only():
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    actions.save_draft(
        sub,
        actor=user("huyen.bmt"),
        expected_version=sub.version,
        values={"staff": 1, "female_staff": 1, "assessment": "Ổn định."},
    )
    return sub


def test_pdf_without_libreoffice_says_so(monkeypatch, client_for) -> None:
    monkeypatch.setattr(pdf_doc, "soffice", lambda: None)
    sub = approved_commune()
    with pytest.raises(pdf_doc.PdfUnavailable) as exc:
        pdf_doc.convert(b"x")
    assert "LibreOffice" in exc.value.texts["en"]
    response = client_for("xa.tanlap").get(f"/api/v1/submissions/{sub.pk}/document.pdf")
    assert response.status_code == 503
    assert "LibreOffice" in response.json()["error"]["message_en"]


def test_page_count_reads_the_pages_tree() -> None:
    fake = (
        b"%PDF-1.4 1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj "
        b"2 0 obj << /Type /Page >> endobj 3 0 obj << /Type /Page >> endobj"
    )
    assert pdf_doc.page_count(fake) == 2
