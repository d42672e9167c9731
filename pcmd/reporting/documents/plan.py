"""The plan as a document (issue 14, item 3): any plan, draft or issued, as a DOCX in the layout
of Decree 30/2020/NĐ-CP, and as a PDF through LibreOffice.

The document is shaped like the seed plan 1842/KH-UBND (shared/spec): the header table (the
issuing body, the national motto, "Số: 1842/KH-UBND", "Đắk Lắk, ngày 12 tháng 3 năm 2018"),
"KẾ HOẠCH" and its subject, the legal bases, I. objectives and targets, II. solutions (areas
with their subsections a), b)), III. funding, IV. organisation (each heading's agencies and
tasks), the closing sentence, "Nơi nhận" and the signature block. A draft has no number
("Số:      /KH-UBND"), no date and carries "DỰ THẢO".

The content is read through :func:`pcmd.plans.structure.to_data`, the one shape of a plan's
content, so a stored version (``PlanVersion.data``) renders the same way (:func:`compose`).
Layout, fonts, margins and page numbers are those of the shared builder (:mod:`.docx`). The
text is Vietnamese: Decree 30 requires it of an administrative document, whatever the reader's
interface language.

It lives in the reporting app, above plans in the layers (tests/core/test_layering.py): the
plans app imports neither the document builder nor the indicators and task reports the review
report (:mod:`.plan_review`) reads. The downloads are routed under /plans/ by name
(pcmd/plans/urls_documents.py → pcmd/reporting/urls_plan_documents.py).

Drafting conventions of the seed that the data does not store, reproduced here:

- a list of several items is written as "- item" paragraphs, a single item as a plain paragraph;
- a heading of Section IV with one task that starts in lower case runs into it ("12. Hội Liên
  hiệp phụ nữ tỉnh: chỉ đạo …"); when the heading is the subject of the sentence — a request
  to a body outside the committee's line ("Đề nghị …") or a group ("Các sở, ngành …") — it
  runs on without a colon ("9. Các sở, ngành liên quan của tỉnh căn cứ …");
- the funding lines are numbered 1., 2. when there are several.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from pcmd.agencies.models import Agency, AgencyKind
from pcmd.plans.models import Plan
from pcmd.plans.structure import to_data

from .content import Block, Text
from .docx import compose as compose_docx
from .header import DocHead, short_name
from .pdf import convert

DRAFT_MARK = "DỰ THẢO"
DOCUMENT_TYPES = {"KH": "KẾ HOẠCH", "CTr": "CHƯƠNG TRÌNH", "QĐ": "QUYẾT ĐỊNH"}
SECTION_I = "I. MỤC TIÊU, CHỈ TIÊU"
OBJECTIVES = "1. Mục tiêu chung"
TARGETS = "2. Một số chỉ tiêu cụ thể"
SECTION_II = "II. CÁC GIẢI PHÁP THỰC HIỆN"
SECTION_III = "III. KINH PHÍ THỰC HIỆN"
SECTION_IV = "IV. TỔ CHỨC THỰC HIỆN"
# Headings of Section IV that are the subject of their task's sentence (no colon).
SENTENCE_SUBJECTS = ("Đề nghị ", "Các ")
BLANK = " " * 6  # the space left for the number and the day on a draft

_WORD = re.compile(r"[^\s\-&.,/()]+")


def doc_code(agency: Agency | None, fallback: str = "UBND") -> str:
    """The issuer's letters in a document number: "UBND" for a People's Committee, else the
    initials of its short name with abbreviations kept ("Sở LĐ-TB&XH" → "SLĐTBXH", "Sở Y tế" →
    "SYT", "Công an tỉnh" → "CAT")."""
    if agency is None:
        return fallback
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return "UBND"
    words = _WORD.findall(agency.short_name or agency.name)
    return "".join(w if w.isupper() and len(w) > 1 else w[0].upper() for w in words) or fallback


def _issuer(plan: Plan) -> tuple[str, list[str]]:
    """(governing body line, issuing body lines), in capitals (Decree 30, Appendix I)."""
    agency = plan.issuer
    if agency is not None:
        if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
            return "", ["ỦY BAN NHÂN DÂN", agency.unit.name.upper()]
        if agency.kind == AgencyKind.DEPARTMENT:
            return f"UBND {agency.unit.name.upper()}", [agency.name.upper()]
        return "", [agency.name.upper()]
    if plan.issuer_name:
        return "", [plan.issuer_name.upper()]
    if plan.unit is not None:
        return "", ["ỦY BAN NHÂN DÂN", plan.unit.name.upper()]
    return "", [""]


def number_line(plan: Plan) -> str:
    """ "Số: 1842/KH-UBND"; a draft "Số:      /KH-UBND" (the number is given at issue)."""
    number = plan.number.strip()
    if "/" in number:
        return f"Số: {number}"
    fallback = "TTg" if plan.unit is None else "UBND"
    return f"Số: {number or BLANK}/{plan.kind or 'KH'}-{doc_code(plan.issuer, fallback)}"


def subject(title: str) -> str:
    """The line under "KẾ HOẠCH": the title without the document type, capitalised
    ("Kế hoạch phòng, chống … năm 2018" → "Phòng, chống … năm 2018")."""
    text = title.strip()
    for name in DOCUMENT_TYPES.values():
        if text.casefold().startswith(name.casefold() + " "):
            text = text[len(name) + 1 :].strip()
            break
    return text[:1].upper() + text[1:]


def head(plan: Plan, data: dict[str, Any]) -> DocHead:
    parent_line, lines = _issuer(plan)
    issued = plan.issued_on if plan.is_binding else None
    place = plan.place or (short_name(plan.unit) if plan.unit else "")
    recipients = [str(r).strip().rstrip(";.") for r in data.get("recipients") or [] if str(r)]
    signer = data.get("signer") or {}
    return DocHead(
        parent_line=parent_line,
        issuer_lines=lines,
        number=number_line(plan),
        place=place,
        date=issued or timezone.localdate(),
        # a draft: the day is filled in when the plan is issued
        date_text="" if issued else f"ngày{BLANK}tháng{BLANK}năm {plan.period_start.year}",
        subject=subject(plan.title),
        period_line="",
        addressee="",
        recipients=[f"{r};" for r in recipients[:-1]] + recipients[-1:],
        signer_authority=str(signer.get("authority") or plan.signer_authority),
        signer_title=str(signer.get("title") or plan.signer_title),
        signer_name=str(signer.get("name") or plan.signer_name) if issued else "",
        title=DOCUMENT_TYPES.get(plan.kind, DOCUMENT_TYPES["KH"]),
        mark="" if plan.is_binding else DRAFT_MARK,
    )


# --- the body --------------------------------------------------------------------------------


def _dmy(value: Any) -> str:
    if not value:
        return ""
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return f"{day:%d/%m/%Y}"


def _items(texts: Sequence[str], deadlines: Sequence[Any] = ()) -> list[Block]:
    """Several items as "- item" paragraphs, a single one as a plain paragraph."""
    dash = "- " if len(texts) > 1 else ""
    out: list[Block] = []
    for i, text in enumerate(texts):
        when = _dmy(deadlines[i]) if i < len(deadlines) else ""
        out.append(Text(f"{dash}{text}" + (f" (thời hạn: {when})" if when else "")))
    return out


def preamble(plan: Plan, data: dict[str, Any]) -> str:
    """The plan's own preamble, else one written from its legal bases."""
    if (data.get("preamble") or "").strip():
        return str(data["preamble"]).strip()
    bases = []
    for basis in data.get("legal_bases") or []:
        kind = "Quyết định" if "QĐ" in str(basis.get("number", "")) else "văn bản"
        parts = [f"{kind} số {basis.get('number', '')}"]
        if basis.get("date"):
            parts.append(f"ngày {_dmy(basis['date'])}")
        text = ", ".join(parts)
        if basis.get("issuer"):
            text += f" của {basis['issuer']}"
        if basis.get("title"):
            text += f" {basis['title']}"
        bases.append(text)
    issuer = plan.issuer.name if plan.issuer else (plan.issuer_name or "Ủy ban nhân dân tỉnh")
    lead = f"Thực hiện {'; '.join(bases)}, " if bases else ""
    return f"{lead}{issuer} ban hành {plan.title} với những nội dung như sau:"


def _section_i(data: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Text(SECTION_I, "heading"), Text(OBJECTIVES, "heading")]
    blocks += [Text(f"- {text}") for text in data.get("objectives") or []]
    blocks.append(Text(TARGETS, "heading"))
    blocks += [Text(f"- {t['text']}") for t in data.get("targets") or []]
    return blocks


def _section_ii(data: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Text(SECTION_II, "heading")]
    for area in data.get("solution_areas") or []:
        blocks.append(Text(f"{area['number']}. {area['title']}", "heading"))
        blocks += _items(area.get("items") or [])
        for sub in area.get("subsections") or []:
            label = f"{sub['label']}) " if sub.get("label") else ""
            blocks.append(Text(f"{label}{sub.get('title', '')}", "label"))
            blocks += _items(sub.get("items") or [])
    return blocks


def _section_iii(data: dict[str, Any]) -> list[Block]:
    funding = data.get("funding") or {}
    lines = funding.get("items") if isinstance(funding, dict) else funding
    lines = list(lines or [])
    blocks: list[Block] = [Text(SECTION_III, "heading")]
    if len(lines) > 1:
        blocks += [Text(f"{i}. {text}") for i, text in enumerate(lines, 1)]
    else:
        blocks += [Text(text) for text in lines]
    return blocks


def _heading_iv(group: dict[str, Any]) -> list[Block]:
    title = f"{group['number']}. {group['heading']}"
    items = list(group.get("items") or [])
    intro = (group.get("intro") or "").strip()
    blocks: list[Block]
    if not intro and len(items) == 1 and items[0][:1].islower():
        colon = "" if group["heading"].startswith(SENTENCE_SUBJECTS) else ":"
        deadline = _dmy((group.get("item_deadlines") or [None])[0])
        text = items[0] + (f" (thời hạn: {deadline})" if deadline else "")
        blocks = [Text(text, lead=title + colon)]
    else:
        blocks = [Text(f"{title}:", "heading")]
        if intro:
            blocks.append(Text(intro))
        blocks += _items(items, group.get("item_deadlines") or [])
    when = (group.get("deadline_note") or "").strip() or _dmy(group.get("deadline"))
    if when:
        blocks.append(Text(f"Thời gian thực hiện: {when}.", "label"))
    return blocks


def _section_iv(data: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Text(SECTION_IV, "heading")]
    for group in data.get("tasks") or []:
        blocks += _heading_iv(group)
    return blocks


def body(plan: Plan, data: dict[str, Any]) -> list[Block]:
    closing = (data.get("closing") or "").strip() or (
        f"Trên đây là {plan.title}; các Sở, ngành và địa phương căn cứ chức năng, nhiệm vụ "
        "triển khai thực hiện."
    )
    return [
        Text(preamble(plan, data)),
        *_section_i(data),
        *_section_ii(data),
        *_section_iii(data),
        *_section_iv(data),
        Text(closing),
    ]


# --- the files -------------------------------------------------------------------------------


def compose(plan: Plan, data: dict[str, Any]) -> bytes:
    """The DOCX of ``plan`` with the content ``data`` (its current content, or a version's)."""
    return compose_docx(head(plan, data), body(plan, data))


def render(plan: Plan) -> bytes:
    """The plan as it stands, as a Decree 30 DOCX (bytes)."""
    return compose(plan, to_data(plan))


def render_pdf(plan: Plan) -> bytes:
    """The same document as a PDF; raises :class:`pcmd.reporting.documents.pdf.PdfUnavailable`
    when LibreOffice is missing or fails."""
    return convert(render(plan))


def file_name(plan: Plan, extension: str) -> str:
    """ASCII download name: ``ke-hoach-1842-KH-UBND.docx``, ``ke-hoach-du-thao-2019-12.pdf``."""
    if plan.number and plan.is_binding:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", plan.number).strip("-")
        return f"ke-hoach-{stem}.{extension}"
    return f"ke-hoach-du-thao-{plan.period_start.year}-{plan.pk}.{extension}"
