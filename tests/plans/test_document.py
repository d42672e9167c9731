"""The plan as a document (issue 14, item 3): the 2018 plan rendered from its data passes the
Decree 30 layout check and reproduces the seed's structure and wording; a draft carries no
number and "DỰ THẢO"; the downloads follow who may read the plan."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest

from pcmd.agencies.models import Agency
from pcmd.plans import actions
from pcmd.plans.models import Plan
from pcmd.reporting.documents import pdf as pdf_doc
from pcmd.reporting.documents import plan as document
from tests.conftest import PERSONA_NAMES, assert_reach
from tests.reporting.layout import all_paragraphs, assert_decree_30_layout

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "ke-hoach-1842-KH-UBND-2018.md"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADINGS = [
    "I. MỤC TIÊU, CHỈ TIÊU",
    "1. Mục tiêu chung",
    "2. Một số chỉ tiêu cụ thể",
    "II. CÁC GIẢI PHÁP THỰC HIỆN",
    "1. Công tác chỉ đạo",
    "2. Công tác tuyên truyền, giáo dục phòng ngừa",
    "3. Nâng cao hiệu quả công tác đấu tranh phòng, chống tệ nạn mại dâm",
    "a) Nâng cao hiệu quả công tác quản lý nhà nước trong phòng, chống tệ nạn mại dâm",
    "b) Tăng cường công tác đấu tranh phòng, chống tệ nạn mại dâm",
    "4. Tăng cường công tác thanh tra, kiểm tra",
    "5. Nâng cao năng lực bộ máy cán bộ làm công tác phòng, chống mại dâm",
    "III. KINH PHÍ THỰC HIỆN",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Sở Lao động - Thương binh và Xã hội:",
    "2. Công an tỉnh:",
    "3. Sở Văn hóa - Thể thao và Du lịch:",
    "4. Sở Y tế:",
    "5. Sở Giáo dục và Đào tạo:",
    "6. Sở Thông tin và Truyền thông:",
    "7. Sở Công Thương:",
    "8. Sở Tài chính:",
    "10. Ủy ban nhân dân các huyện, thị xã, thành phố:",
    "11. Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh:",
]
# Headings of Section IV that run into their one task, as in the seed.
RUN_IN = [
    "9. Các sở, ngành liên quan của tỉnh căn cứ chức năng",
    "12. Hội Liên hiệp phụ nữ tỉnh: chỉ đạo các cấp Hội",
    "13. Tỉnh Đoàn thanh niên: đẩy mạnh tuyên truyền",
    "14. Đề nghị Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên phối hợp",
]
# The plan's text must carry at least this share of the seed's paragraphs, word for word.
FIDELITY = 0.95
# What the transcription (pcmd/plans/data/kh-1842-2018.yaml) changed on purpose: three OCR
# typos corrected, and the page mark after the closing sentence left out.
CORRECTIONS = {
    "chặn dất": "chặn dắt",
    "khi đề phát sinh": "khi để phát sinh",
    "dịch vụ để bị lợi dụng": "dịch vụ dễ bị lợi dụng",
    "thực hiện. / 32": "thực hiện.",
}
LABEL = re.compile(r"^[a-zđ]\) ")


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


def _open(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def normalise(text: str) -> str:
    """Markdown marks, list markers ("- ", "+ ") and runs of whitespace removed."""
    text = re.sub(r"^#+\s*", "", text.strip())
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"^[-+]\s+", "", text.strip())
    return " ".join(text.split())


def seed_paragraphs() -> list[str]:
    """The seed's paragraphs. Lines holding a tab are the court's receiving stamp, added on
    the copy after issue (not the plan's text); a paragraph that starts in lower case continues
    the one before it across a page break of the scanned original."""
    paragraphs: list[str] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            continue
        text = normalise(line)
        if not text:
            continue
        if text[0].islower() and not LABEL.match(text) and paragraphs:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
    return paragraphs


def document_paragraphs(document_: Any) -> list[str]:
    return [t for t in (normalise(p.text) for p in all_paragraphs(document_)) if t]


def test_the_2018_plan_has_the_decree_30_layout_and_the_seed_structure(plan2018) -> None:
    rendered = _open(document.render(plan2018))
    assert_decree_30_layout(rendered)
    issuer, motto = rendered.tables[0].rows[0].cells
    assert issuer.text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK"]
    number, place = rendered.tables[0].rows[1].cells
    assert number.text == "Số: 1842/KH-UBND"
    assert place.text == "Đắk Lắk, ngày 12 tháng 3 năm 2018"
    body = [p.text for p in rendered.paragraphs]
    assert "KẾ HOẠCH" in body
    assert "Phòng, chống tệ nạn mại dâm trên địa bàn tỉnh năm 2018" in body
    assert "DỰ THẢO" not in body
    # every heading of the seed, in the seed's order, set off in bold (a), b) in italics)
    marked = [
        p.text for p in rendered.paragraphs if p.runs and (p.runs[0].bold or p.runs[0].italic)
    ]
    positions = [marked.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    for start in RUN_IN:
        assert any(p.startswith(start) for p in body), start
    text = "\n".join(body)
    for target in plan2018.targets.filter(withdrawn=False):
        assert f"- {target.text}" in body, target.code
    assert plan2018.targets.filter(withdrawn=False).count() == 7
    assert text.index("Thực hiện Quyết định số 361/QĐ-TTg") < text.index("I. MỤC TIÊU")
    assert body.index("III. KINH PHÍ THỰC HIỆN") < body.index("IV. TỔ CHỨC THỰC HIỆN")
    footer = rendered.tables[-1].rows[0].cells
    assert footer[0].text.split("\n")[:3] == [
        "Nơi nhận:",
        "- CT, PCT UBND tỉnh;",
        "- Các Sở, ngành, đơn vị và địa phương có tên trong kế hoạch (phần IV);",
    ]
    assert footer[0].text.endswith("- Lưu VT, KGVX (Th. 40b)")
    signature = [line for line in footer[1].text.split("\n") if line.strip()]
    assert signature == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Tuấn Hà"]


def test_the_2018_plan_reproduces_the_seed_text(plan2018) -> None:
    seed = seed_paragraphs()
    assert len(seed) > 100
    rendered = set(document_paragraphs(_open(document.render(plan2018))))
    missing = [p for p in seed if p not in rendered]
    share = 1 - len(missing) / len(seed)
    print(f"\nseed paragraphs found in the document: {len(seed) - len(missing)}/{len(seed)}")
    print(f"fidelity: {share:.1%}; not found: {missing}")
    assert share >= FIDELITY, missing
    # and every paragraph not found differs only by the transcription's corrections
    for paragraph in missing:
        corrected = paragraph
        for wrong, right in CORRECTIONS.items():
            corrected = corrected.replace(wrong, right)
        assert corrected in rendered, paragraph


def test_a_draft_says_du_thao_and_has_no_number_date_or_signer(plan2018, persona) -> None:
    draft = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
    )
    rendered = _open(document.render(draft))
    assert_decree_30_layout(rendered)
    body = [p.text for p in rendered.paragraphs]
    assert body.index("DỰ THẢO") < body.index("KẾ HOẠCH")
    assert "Phòng, chống tệ nạn mại dâm trên địa bàn tỉnh năm 2019" in body
    number, place = rendered.tables[0].rows[1].cells
    assert re.fullmatch(r"Số: +/KH-UBND", number.text), number.text
    assert re.fullmatch(r"Đắk Lắk, ngày +tháng +năm 2019", place.text), place.text
    assert "Nguyễn Tuấn Hà" not in rendered.tables[-1].rows[0].cells[1].text
    assert document.file_name(draft, "docx") == f"ke-hoach-du-thao-2019-{draft.pk}.docx"


def test_deadlines_of_a_heading_and_a_task_are_written(plan2018, persona) -> None:
    draft = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
    )
    from pcmd.plans.structure import to_data

    data = to_data(draft)
    data["tasks"][1]["deadline_note"] = "thường xuyên"
    data["tasks"][4]["item_deadlines"] = ["2019-06-30"]
    actions.save_content(draft, data, actor=persona("thuongtruc"), version=draft.version)
    body = [p.text for p in _open(document.render(draft)).paragraphs]
    assert "Thời gian thực hiện: thường xuyên." in body
    assert any(p.endswith("(thời hạn: 30/06/2019)") for p in body)


@pytest.mark.parametrize(
    ("short_name", "kind", "code"),
    [
        ("UBND tỉnh", "ubnd", "UBND"),
        ("Sở LĐ-TB&XH", "department", "SLĐTBXH"),
        ("Sở Y tế", "department", "SYT"),
        ("Công an tỉnh", "police", "CAT"),
        ("Sở VH-TT&DL", "department", "SVHTTDL"),
    ],
)
def test_issuer_letters_in_a_number(short_name: str, kind: str, code: str) -> None:
    assert document.doc_code(Agency(name="x", short_name=short_name, kind=kind)) == code


def test_the_pdf_is_converted(plan2018) -> None:
    pdf = document.render_pdf(plan2018)
    assert pdf.startswith(b"%PDF")
    assert pdf_doc.page_count(pdf) >= 5  # the seed runs to 8 pages


def test_the_plan_downloads_for_every_reader(plan2018, client_for) -> None:
    url = f"/plans/{plan2018.pk}/document.docx"
    assert_reach(client_for, url, PERSONA_NAMES)
    response = client_for("xa.easo").get(url)
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-1842-KH-UBND.docx"'
    assert "Số: 1842/KH-UBND" in _open(response.content).tables[0].rows[1].cells[0].text


def test_a_draft_downloads_for_those_who_may_read_drafts(plan2018, persona, client_for) -> None:
    draft = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
    )
    url = f"/plans/{draft.pk}/document.docx"
    # drafts: the province's bodies that draft, comment on or issue plans — not the districts,
    # communes or the privacy officer (Plan.objects.visible_to)
    readers = [
        n
        for n in PERSONA_NAMES
        if n not in ("baovedl", "huyen.bmt", "ctxh.bmt", "xa.tanlap", "xa.easo")
    ]
    assert_reach(client_for, url, readers)
    body = [p.text for p in _open(client_for("sovhttdl").get(url).content).paragraphs]
    assert "DỰ THẢO" in body


def test_the_pdf_without_libreoffice_says_so_in_both_languages(
    plan2018, client_for, monkeypatch
) -> None:
    monkeypatch.setattr(pdf_doc, "soffice", lambda: None)
    response = client_for("lanhdao").get(f"/plans/{plan2018.pk}/document.pdf")
    assert response.status_code == 503
    html = response.content.decode()
    assert "LibreOffice" in html and "soffice" in html
    assert 'lang="vi"' in html and 'lang="en"' in html
    assert client_for("lanhdao").get("/plans/999999/document.pdf").status_code == 404
