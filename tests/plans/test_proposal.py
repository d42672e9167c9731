"""From a document to a proposed plan: the seed plan read as pasted text and as a DOCX (the 7
targets with their values, the 5 solution areas, the 14 headings of Section IV with their
agencies), hostile uploads, who may use it, and the review → draft flow through the API."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from knox.models import AuthToken
from rest_framework.test import APIClient

from benchmarks.plan_proposal import EXPECTED, SEED, compare, plain, seed_docx
from pcmd.plans import actions_proposal
from pcmd.plans.agency_match import AgencyMatcher, CatalogAgency, catalog_for, words
from pcmd.plans.models import Plan, PlanProposal, PlanStatus
from pcmd.plans.proposal import analyse_target, legal_bases, propose, to_content
from pcmd.plans.proposal_read import (
    MAX_PARAGRAPHS,
    DocumentRefused,
    paragraphs_from_docx,
    paragraphs_from_text,
)
from pcmd.plans.structure import to_data

AGENCIES = Path(__file__).resolve().parents[2] / "pcmd" / "agencies" / "data" / "dak-lak.yaml"


@pytest.fixture(scope="module")
def markdown() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher() -> AgencyMatcher:
    template = yaml.safe_load(AGENCIES.read_text(encoding="utf-8"))
    return AgencyMatcher(
        [
            CatalogAgency(a["code"], a["name"], a.get("short", ""), a["kind"])
            for a in template["province"]
        ],
        "Đắk Lắk",
    )


class _Province:
    pk, code, name, short_name = 7, "66", "Tỉnh Đắk Lắk", "Đắk Lắk"


def _seed_proposals(markdown: str, matcher: AgencyMatcher) -> dict[str, dict[str, Any]]:
    return {
        "text": propose(paragraphs_from_text(markdown), matcher, [_Province()]),
        "plain": propose(paragraphs_from_text(plain(markdown)), matcher, [_Province()]),
        "docx": propose(paragraphs_from_docx(seed_docx(markdown)), matcher, [_Province()]),
    }


@pytest.fixture(scope="module")
def seed(markdown: str, matcher: AgencyMatcher) -> dict[str, dict[str, Any]]:
    return _seed_proposals(markdown, matcher)


# --- the seed ---------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["text", "plain", "docx"])
def test_the_seed_gives_its_seven_targets_with_their_values(seed, source) -> None:
    targets = [t["value"] for t in seed[source]["targets"]]
    got = [
        (t["code"], t["kind"], t["value"], t["value_min"], t["value_max"], t["denominator"])
        for t in targets
    ]
    assert got == [
        ("T1", "percent_units", 100, None, None, None),
        ("T2", "qualitative", None, None, None, None),
        ("T3", "count_range", None, 100, 150, None),  # "từ 100 đến 150 cơ sở"
        ("T4", "percent_cases", 100, None, None, None),
        ("T5", "percent_people", 100, None, None, None),
        ("T6", "count_units", 174, None, None, 184),  # "174/184 xã, phường, thị trấn"
        ("T7", "qualitative", None, None, None, None),
    ]
    assert targets[2]["unit_label"] == "cơ sở kinh doanh dịch vụ có điều kiện"
    assert targets[5]["unit_label"] == "xã, phường, thị trấn"
    for item in seed[source]["targets"]:
        assert item["source"] == item["value"]["text"] and item["reason"]
    assert "94,6%" in seed[source]["targets"][5]["reason"]


@pytest.mark.parametrize("source", ["text", "plain", "docx"])
def test_the_seed_gives_every_part_as_transcribed(seed, expected, source) -> None:
    for part in compare(seed[source], expected):
        assert (part.name, part.found, part.right) == (part.name, part.expected, part.expected)


@pytest.mark.parametrize("source", ["text", "plain", "docx"])
def test_section_iv_headings_carry_their_agencies_and_tasks(seed, expected, source) -> None:
    groups = [g["value"] for g in seed[source]["tasks"]]
    assert [(g["number"], g["heading"], g["agencies"]) for g in groups] == [
        (w["number"], w["heading"], w["agencies"]) for w in expected["tasks"]
    ]
    assert groups[0]["intro"].startswith("Sở Lao động - Thương binh và Xã hội là cơ quan thường")
    # a sentence split by a page break is one task again
    assert any(
        item.endswith(
            "theo thẩm quyền. Tham gia thực hiện tốt nhiệm vụ của Đội kiểm tra liên ngành 178 tỉnh, huyện, xã."
        )
        for item in groups[6]["items"]
    )
    # "**9. Các sở, ngành liên quan của tỉnh** căn cứ …": the heading and its one task
    assert groups[8]["items"][0].startswith("căn cứ chức năng nhiệm vụ của ngành")


@pytest.mark.parametrize("source", ["text", "plain", "docx"])
def test_header_signature_and_unmatched_text(seed, source) -> None:
    proposal = seed[source]
    header = {k: v["value"] for k, v in proposal["header"].items()}
    assert header["number"] == "1842/KH-UBND" and header["kind"] == "KH"
    assert header["date"] == "2018-03-12" and header["place"] == "Đắk Lắk"
    assert header["province"]["code"] == "66"
    assert header["issuer_name"] == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert (header["signer_authority"], header["signer_title"], header["signer_name"]) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Tuấn Hà",
    )
    assert (header["period_start"], header["period_end"], header["plan_type"]) == (
        "2018-01-01",
        "2018-12-31",
        "yearly",
    )
    # the court's incoming stamp is the only text left over
    assert [u["text"] for u in proposal["unmatched"]] == [
        "TÒA ÁN NHÂN DÂN TỈNH ĐẮK LẮK",
        "ĐẾN Số:.....472...../TA",
        "Ngày:.....14/3/18.....",
    ]
    assert proposal["closing"]["value"].endswith("triển khai thực hiện.")


ANOTHER_LAYOUT = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 95/KH-UBND
Đắk Lắk, ngày 05 tháng 01 năm 2021
KẾ HOẠCH
Thực hiện Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025
Căn cứ Quyết định số 1629/QĐ-TTg ngày 05/10/2020 của Thủ tướng Chính phủ phê duyệt Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025;
I. MỤC ĐÍCH, YÊU CẦU
1. Mục tiêu chung
- Giảm tệ nạn mại dâm.
2. Mục tiêu cụ thể
- Phấn đấu đạt 70% số xã, phường, thị trấn có mô hình phòng, chống mại dâm.
- Hằng năm tổ chức 20 lớp tập huấn cho cán bộ.
II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Truyền thông
- Tuyên truyền.
III. KINH PHÍ
Ngân sách tỉnh.
IV. TỔ CHỨC THỰC HIỆN
1. Sở LĐ-TB&XH: chủ trì theo dõi.
- Tham mưu.
2. Hội LHPN tỉnh, Tỉnh Đoàn: phối hợp tuyên truyền.
3. Ban Dân tộc tỉnh: vận động đồng bào.
Nơi nhận:
- Bộ LĐ-TB&XH;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Phạm Ngọc Nghị
"""


def test_another_layout_with_issuer_motto_and_a_programme_period(matcher) -> None:
    out = propose(paragraphs_from_text(ANOTHER_LAYOUT), matcher, [_Province()])
    header = {k: v["value"] for k, v in out["header"].items()}
    assert header["issuer_name"] == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert (header["number"], header["date"], header["plan_type"]) == (
        "95/KH-UBND",
        "2021-01-05",
        "programme",
    )
    assert (header["period_start"], header["period_end"]) == ("2021-01-01", "2025-12-31")
    assert (header["signer_authority"], header["signer_title"], header["signer_name"]) == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Phạm Ngọc Nghị",
    )
    assert out["legal_bases"][0]["value"]["number"] == "1629/QĐ-TTg"
    assert [(t["value"]["kind"], t["value"]["value"]) for t in out["targets"]] == [
        ("percent_units", 70),
        ("count_units", 20),
    ]
    groups = [
        (g["value"]["heading"], g["value"]["agencies"], g["confidence"]) for g in out["tasks"]
    ]
    assert groups == [
        ("Sở LĐ-TB&XH", ["SO_LDTBXH"], "high"),
        ("Hội LHPN tỉnh, Tỉnh Đoàn", ["HOI_LHPN_TINH", "TINH_DOAN"], "high"),
        ("Ban Dân tộc tỉnh", [], "low"),  # not in the catalog: picked by the reviewer
    ]
    assert [u["text"] for u in out["unmatched"]] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]


def test_numbers_are_recognised_in_their_usual_forms() -> None:
    cases = {
        "Phấn đấu đạt 70% số xã có đội công tác xã hội tình nguyện.": ("percent_units", 70),
        "Tỷ lệ người bán dâm được hỗ trợ đạt 60%.": ("percent_people", 60),
        "Kiểm tra 100 - 150 cơ sở kinh doanh dịch vụ.": ("count_range", None),
        "Tổ chức 20 lớp tập huấn cho cán bộ cấp xã.": ("count_units", 20),
        "Đạt 94,5% số hộ gia đình văn hóa.": ("percent_people", 94.5),
        "Đội kiểm tra liên ngành 178 kiểm tra thường xuyên.": ("qualitative", None),
        "Thực hiện Chương trình giai đoạn 2021 - 2025 trên địa bàn.": ("qualitative", None),
        "Kiểm tra 1.500 cơ sở lưu trú.": ("count_units", 1500),
    }
    for text, (kind, value) in cases.items():
        got = analyse_target(text)
        assert (got["kind"], got["value"]) == (kind, value), text
        assert got["reason"]
    assert analyse_target("Kiểm tra 100 - 150 cơ sở.")["value_max"] == 150


def test_legal_bases_with_dates_in_both_forms() -> None:
    bases = legal_bases(
        "Căn cứ Nghị định số 178/2004/NĐ-CP ngày 15 tháng 10 năm 2004 của Chính phủ quy định "
        "chi tiết; Căn cứ Quyết định số 22/QĐ-UBND, ngày 5/1/2019 của UBND tỉnh về việc ban hành"
    )
    assert [(b["value"]["number"], b["value"]["date"], b["value"]["issuer"]) for b in bases] == [
        ("178/2004/NĐ-CP", "2004-10-15", "Chính phủ"),
        ("22/QĐ-UBND", "2019-01-05", "UBND tỉnh"),
    ]


def test_agency_names_match_without_accents_case_or_punctuation(matcher) -> None:
    cases = {
        "Sở LĐ-TB&XH": ["SO_LDTBXH"],
        "SỞ LAO ĐỘNG THƯƠNG BINH VÀ XÃ HỘI": ["SO_LDTBXH"],
        "so lao dong - thuong binh va xa hoi": ["SO_LDTBXH"],
        "Hội LHPN tỉnh": ["HOI_LHPN_TINH"],
        "Hội Phụ nữ": ["HOI_LHPN_TINH"],
        "Tỉnh Đoàn": ["TINH_DOAN"],
        "Đoàn TN": ["TINH_DOAN"],
        "MTTQ tỉnh": ["MTTQ_TINH"],
        "VKSND, TAND tỉnh": ["VKSND_TINH", "TAND_TINH"],
        "UBND các huyện, thị xã": ["UBND_HUYEN"],
        "Đội 178 tỉnh": ["DOI_178_TINH"],
        "Sở VH-TT&DL": ["SO_VHTTDL"],
        "Công an tỉnh Đắk Lắk": ["CONG_AN_TINH"],
        "Ban Dân tộc": [],
    }
    for text, codes in cases.items():
        assert [m.code for m in matcher.match(text)] == codes, text
    assert words("Sở LĐ-TB&XH") == ["so", "lao", "dong", "thuong", "binh", "xa", "hoi"]


def test_another_provinces_catalog_is_matched_by_names_not_codes() -> None:
    matcher = AgencyMatcher(
        [
            CatalogAgency("PY_SYT", "Sở Y tế tỉnh Phú Yên", "Sở Y tế", "department"),
            CatalogAgency("PY_CA", "Công an tỉnh Phú Yên", "Công an tỉnh", "police"),
        ],
        "Phú Yên",
    )
    assert [m.code for m in matcher.match("Sở Y tế, Công an tỉnh")] == ["PY_SYT", "PY_CA"]


# --- hostile input ----------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def _docx(paragraphs: int = 1) -> bytes:
    document = docx.Document()
    for i in range(paragraphs):
        document.add_paragraph(f"Đoạn văn số {i}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_member(data: bytes, name: str, extra: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, extra)
    return out.getvalue()


HOSTILE = {
    "empty": (lambda: b"", "empty"),
    "20 MB": (lambda: b"PK" + os.urandom(20 * 1024 * 1024), "larger than 5 MB"),
    "zip bomb": (
        lambda: _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * 60_000_000}),
        "more than 50 MB",
    ),
    "xlsx renamed": (_xlsx, "not a Word document"),
    "random bytes": (lambda: os.urandom(4096), "not a Word document"),
    "encrypted or .doc": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
        "encrypted",
    ),
    "macros": (lambda: _with_member(_docx(), "word/vbaProject.bin", b"\0" * 100), "macros"),
    "corrupt parts": (
        lambda: _zip({"[Content_Types].xml": b"not xml", "word/document.xml": b"<broken"}),
        "damaged",
    ),
    "many members": (
        lambda: _zip({f"word/m{i}.xml": b"" for i in range(2100)}),
        "too many parts",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_with_a_clear_message(name) -> None:
    make, words_of_message = HOSTILE[name]
    with pytest.raises(DocumentRefused) as refused:
        paragraphs_from_docx(make())
    with translation.override("en"):
        assert words_of_message in str(refused.value.message)


def test_a_zip_bomb_is_refused_without_being_inflated() -> None:
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * 60_000_000})
    tracemalloc.start()
    try:
        with pytest.raises(DocumentRefused):
            paragraphs_from_docx(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < 1_000_000 and peak < 5_000_000  # 60 MB inside, never unpacked


def test_a_docx_with_ten_thousand_paragraphs_is_read_and_left_unmatched(matcher) -> None:
    paras = paragraphs_from_docx(_docx(10_000))
    assert len(paras) == 10_000
    proposal = propose(paras, matcher, [])
    assert proposal["stats"]["unmatched"] == 10_000 and proposal["targets"] == []


def test_paragraph_styles_are_read_as_python_docx_resolves_them() -> None:
    """Styles are looked up once per document (python-docx scans every style on each
    ``paragraph.style``): the same names, an unknown or non-paragraph style id included."""
    document = docx.Document()
    document.add_paragraph("Kế hoạch", style="Title")
    document.add_paragraph("Mục đích", style="Heading 1")
    document.add_paragraph("Rà soát cơ sở", style="List Bullet")
    document.add_paragraph("Đoạn thường")
    for style_id in ("KhongCo", "Heading1Char"):  # unknown; a character style's id
        paragraph = document.add_paragraph(f"Kiểu {style_id}")
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    out = io.BytesIO()
    document.save(out)
    paras = paragraphs_from_docx(out.getvalue())
    read = docx.Document(io.BytesIO(out.getvalue()))
    names = [p.style.name for p in read.paragraphs]
    assert names == ["Title", "Heading 1", "List Bullet", "Normal", "Normal", "Normal"]
    assert [(p.heading, p.bullet) for p in paras] == [
        (True, ""),
        (True, ""),
        (False, "-"),
        (False, ""),
        (False, ""),
        (False, ""),
    ]


def test_too_many_paragraphs_or_too_long_a_text_is_refused() -> None:
    with pytest.raises(DocumentRefused):
        paragraphs_from_text("dòng\n" * (MAX_PARAGRAPHS + 5))
    with pytest.raises(DocumentRefused):
        paragraphs_from_text("x" * 400_001)


@pytest.mark.parametrize("tag", [b"<w:p/>", b"<w:p>x</w:p>", b'<w:p w:rsidR="1"/>'])
def test_too_many_paragraphs_in_a_docx_are_refused_before_it_is_parsed(tag) -> None:
    # the parts are not a valid document: only a count on the raw XML can refuse it this way
    body = b"<w:body>" + tag * (MAX_PARAGRAPHS + 1) + b"</w:body>"
    data = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": body})
    with pytest.raises(DocumentRefused) as refused, translation.override("en"):
        paragraphs_from_docx(data)
    with translation.override("en"):
        assert "too many paragraphs" in str(refused.value.message)
    # exactly at the limit it goes on to the parser (which finds these parts damaged)
    body = b"<w:body>" + tag * MAX_PARAGRAPHS + b"</w:body>"
    with pytest.raises(DocumentRefused) as refused:
        paragraphs_from_docx(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": body}))
    with translation.override("en"):
        assert "damaged" in str(refused.value.message)


# --- who may use it, and the review → draft flow ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,allowed",
    [
        ("admin", True),
        ("thuongtruc", True),
        ("lanhdao", False),
        ("congan", False),
        ("doi178", False),
        ("sovhttdl", False),
        ("huyen.bmt", False),
        ("xa.tanlap", False),
        ("baovedl", False),
        ("vks", False),
        ("toaan", False),
    ],
)
def test_only_plan_editors_may_read_documents(persona, markdown, username, allowed) -> None:
    user = persona(username)
    if allowed:
        row = actions_proposal.create_proposal(actor=user, text=markdown)
        assert row.owner == user and row.unit is not None and row.unit.code == "66"
        assert len(row.proposal["targets"]) == 7
    else:
        with pytest.raises(PermissionDenied):
            actions_proposal.create_proposal(actor=user, text=markdown)
        assert not PlanProposal.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_the_database_catalog_matches_all_section_iv_agencies(persona, markdown, expected) -> None:
    row = actions_proposal.create_proposal(actor=persona("thuongtruc"), text=markdown)
    assert [g["value"]["agencies"] for g in row.proposal["tasks"]] == [
        w["agencies"] for w in expected["tasks"]
    ]
    assert catalog_for(row.unit).choices()


@pytest.mark.django_db
def test_accepting_a_reviewed_proposal_makes_a_draft(persona, markdown) -> None:
    user = persona("thuongtruc")
    row = actions_proposal.create_proposal(actor=user, data=seed_docx(markdown), filename="kh.docx")
    reviewed = row.proposal
    reviewed["targets"][1]["dropped"] = True  # the reviewer drops T2
    reviewed["targets"][2]["value"]["value_max"] = 160  # and fixes T3's maximum
    header = actions_proposal.draft_header(reviewed, {"title": "Kế hoạch năm 2018 (bản đọc)"})
    plan = actions_proposal.accept_proposal(
        row, actor=user, header=header, content=to_content(reviewed)
    )
    assert plan.status == PlanStatus.DRAFT and plan.number == ""
    assert plan.title == "Kế hoạch năm 2018 (bản đọc)" and plan.period_start.year == 2018
    data = to_data(plan)
    assert [t["code"] for t in data["targets"]] == ["T1", "T3", "T4", "T5", "T6", "T7"]
    assert data["targets"][1]["value_max"] == 160
    assert len(data["solution_areas"]) == 5 and len(data["tasks"]) == 14
    assert set(data["tasks"][13]["agencies"]) == {"MTTQ_TINH", "HOI_LHPN_TINH", "TINH_DOAN"}
    assert len(data["legal_bases"]) == 2 and len(data["recipients"]) == 5
    row.refresh_from_db()
    assert row.plan == plan
    with pytest.raises(PermissionDenied):  # another user's proposal
        actions_proposal.accept_proposal(
            row, actor=persona("admin"), header=header, content=to_content(reviewed)
        )


@pytest.mark.django_db
def test_a_bad_item_is_named_in_the_error(persona, markdown) -> None:
    user = persona("thuongtruc")
    row = actions_proposal.create_proposal(actor=user, text=markdown)
    reviewed = row.proposal
    reviewed["targets"][0]["value"]["value"] = 250  # a percentage above 100
    reviewed["tasks"][3]["value"]["agencies"] = []
    with pytest.raises(ValidationError) as error:
        actions_proposal.accept_proposal(
            row,
            actor=user,
            header=actions_proposal.draft_header(reviewed),
            content=to_content(reviewed),
        )
    assert {"targets[0].value", "tasks[3].agencies"} <= set(error.value.message_dict)
    assert not Plan.objects.filter(proposals=row).exists()


@pytest.mark.django_db
def test_an_unreadable_document_is_a_validation_error(persona) -> None:
    with pytest.raises(ValidationError) as error:
        actions_proposal.create_proposal(actor=persona("thuongtruc"), data=b"not a zip")
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions_proposal.create_proposal(actor=persona("thuongtruc"), text="   ")
    assert "text" in error.value.message_dict


# --- the API ----------------------------------------------------------------------------------


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AuthToken.objects.create(user)[1]}")
    return client


@pytest.mark.django_db
def test_api_upload_read_accept(persona, markdown) -> None:
    client = _api(persona("thuongtruc"))
    upload = io.BytesIO(seed_docx(markdown))
    upload.name = "ke-hoach.docx"
    created = client.post("/api/v1/plan-proposals", {"file": upload}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["province"] == "66" and body["filename"] == "ke-hoach.docx"
    assert len(body["proposal"]["targets"]) == 7
    read = client.get(f"/api/v1/plan-proposals/{body['id']}")
    assert read.status_code == 200 and read.json()["id"] == body["id"]
    accepted = client.post(f"/api/v1/plan-proposals/{body['id']}/accept", {}, format="json")
    assert accepted.status_code == 201, accepted.content
    plan = Plan.objects.get(pk=accepted.json()["plan"])
    assert plan.status == PlanStatus.DRAFT and plan.targets.count() == 7
    # someone else cannot read it
    other = _api(persona("admin")).get(f"/api/v1/plan-proposals/{body['id']}")
    assert other.status_code == 404 and other.json()["error"]["status"] == 404


@pytest.mark.django_db
def test_the_api_schema_has_the_proposal_operations(persona) -> None:
    schema = _api(persona("admin")).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/plan-proposals"]
    assert "get" in paths["/api/v1/plan-proposals/{id}"]
    assert "post" in paths["/api/v1/plan-proposals/{id}/accept"]
    body = paths["/api/v1/plan-proposals"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)


@pytest.mark.django_db
def test_api_errors_are_bilingual_and_name_the_field(persona, markdown) -> None:
    client = _api(persona("thuongtruc"))
    bad = io.BytesIO(_xlsx())
    bad.name = "plan.docx"
    refused = client.post("/api/v1/plan-proposals", {"file": bad}, format="multipart")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert "file" in error["fields"] and "Word" in error["message_en"]
    assert error["message"] != error["message_en"]
    created = client.post("/api/v1/plan-proposals", {"text": markdown}, format="json").json()
    content = to_content(created["proposal"])
    content["targets"][2]["value_min"] = 500  # above its maximum
    wrong = client.post(
        f"/api/v1/plan-proposals/{created['id']}/accept", {"content": content}, format="json"
    )
    assert wrong.status_code == 400
    assert "targets[2].value_max" in wrong.json()["error"]["fields"]
    big = io.BytesIO(b"PK" + b"\0" * (6 * 1024 * 1024))
    big.name = "big.docx"
    too_big = client.post("/api/v1/plan-proposals", {"file": big}, format="multipart")
    assert too_big.status_code == 400 and "file" in too_big.json()["error"]["fields"]
    denied = _api(persona("congan")).post(
        "/api/v1/plan-proposals", {"text": markdown}, format="json"
    )
    assert denied.status_code == 403 and denied.json()["error"]["status"] == 403
