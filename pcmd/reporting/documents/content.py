"""The body of a report as blocks (paragraphs and tables), shared by the DOCX and XLSX writers.

Figures are those of the report: a draft's automatic figures are live, a submitted or approved
report's are its snapshot. A district's (or province's) report adds an annex with the approved
figures of the level below; the synthesis adds the plan's targets, the districts, the
indicators and the agencies' reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import FieldKind, FormField, Submission, SubmissionStatus
from ..privacy import NOTHING, Suppression, for_submission
from ..taskreports_link import rows as task_report_rows
from ..values import Aggregate, aggregate, current_auto, format_number
from ..values import submission_period as period_of_submission

STATUS_VI = {
    SubmissionStatus.DRAFT: "Đang soạn",
    SubmissionStatus.SUBMITTED: "Đã gửi",
    SubmissionStatus.APPROVED: "Đã duyệt",
    SubmissionStatus.RETURNED: "Trả lại",
    "": "Chưa gửi",
}
WORK_STATUS_VI = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa triển khai",
    "not_applicable": "Không áp dụng",
}


@dataclass
class Cell:
    text: str
    value: Any = None  # the raw figure (numbers stay numbers in XLSX)
    align: str = "left"

    @classmethod
    def number(cls, value: Any, kind: str = "integer") -> Cell:
        return cls(format_number(value, kind) if value is not None else "—", value, "right")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # millimetres, summing to the text width (165 mm)
    sheet: str = ""  # XLSX sheet name
    size: int = 13
    total_row: bool = False


@dataclass
class Text:
    text: str
    style: str = "body"  # heading | label | body | note
    # Words in bold before the text, in the same paragraph ("12. Hội Liên hiệp phụ nữ tỉnh: …").
    lead: str = ""


Block = Table | Text


@dataclass
class Content:
    body: list[Block] = field(default_factory=list)
    annexes: list[Block] = field(default_factory=list)


def _says_dong(unit_text: str) -> bool:
    """Whether a unit column or a column header already names the currency."""
    return "đồng" in unit_text.casefold() or "vnd" in unit_text.casefold()


def _value_cell(f: FormField, value: Any) -> Cell:
    """The figure of a field; money carries "đ" only when its unit column does not already
    say "đồng" (never "27.000.000 đ" beside "đồng")."""
    if f.kind == FieldKind.MONEY and not _says_dong(f.unit_label or ""):
        return Cell.number(value, "money")
    return Cell.number(value)


def field_blocks(sub: Submission, auto: dict[str, Any], hide: Suppression = NOTHING) -> list[Block]:
    """Each section: its figures as a table (STT, content, unit, figure), then texts/tables.

    ``hide``: the small counts of people shown as "<5" to the downloading user.
    """
    blocks: list[Block] = []
    version = sub.form_version
    by_section: dict[int, list[FormField]] = {}
    for f in version.field_list:
        by_section.setdefault(f.section_id, []).append(f)
    task_rows = None
    for section in sorted({f.section for f in version.field_list}, key=lambda s: s.order):
        blocks.append(Text(section.title, "heading"))
        fields = by_section[section.pk]
        numeric = [f for f in fields if f.is_numeric]
        if numeric:
            rows = []
            for i, f in enumerate(numeric, 1):
                value = hide.value(
                    f.code, auto.get(f.code) if f.is_auto else sub.values.get(f.code)
                )
                rows.append(
                    [
                        Cell(str(i), i, "center"),
                        Cell(f.label),
                        Cell(f.unit_label, align="center"),
                        _value_cell(f, value),
                    ]
                )
            blocks.append(
                Table(
                    "",
                    ["STT", "Nội dung", "Đơn vị tính", "Số liệu"],
                    rows,
                    [14, 96, 25, 30],
                    sheet=f"Muc {section.order}",
                )
            )
        for f in fields:
            if f.kind == FieldKind.TEXT:
                text = str(sub.values.get(f.code) or "").strip()
                if text:
                    blocks.append(Text(f.label + ":", "label"))
                    blocks.extend(Text(p) for p in text.splitlines() if p.strip())
            elif f.kind == FieldKind.TABLE:
                rows = []
                for r in hide.rows(f.code, sub.values.get(f.code) or []):
                    rows.append(
                        [
                            Cell.number(
                                r.get(c["key"]),
                                "integer"
                                if c["kind"] == "money" and _says_dong(str(c.get("label", "")))
                                else c["kind"],
                            )
                            if c["kind"] != "text"
                            else Cell(str(r.get(c["key"]) or ""))
                            for c in f.columns
                        ]
                    )
                if rows:
                    width = 165 / len(f.columns)
                    blocks.append(
                        Table(
                            f.label,
                            [c["label"] for c in f.columns],
                            rows,
                            [width] * len(f.columns),
                            sheet=f.code[:31],
                        )
                    )
            elif f.kind == FieldKind.TASK_REPORTS and sub.agency_id:
                if task_rows is None:
                    task_rows = task_report_rows(period_of_submission(sub), [sub.agency_id])
                if task_rows:
                    blocks.append(
                        Table(
                            f.label,
                            ["Nhóm nhiệm vụ", "Tiến độ", "Kết quả"],
                            [
                                [
                                    Cell(r.heading),
                                    Cell(WORK_STATUS_VI.get(r.status_code, r.status)),
                                    Cell(r.done),
                                ]
                                for r in task_rows
                            ],
                            [50, 30, 85],
                            sheet="Nhiem vu",
                            size=12,
                        )
                    )
    return blocks


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def aggregate_tables(agg: Aggregate, title: str, sheet: str) -> list[Block]:
    """The level below, approved figures, four fields per table to fit A4 portrait."""
    blocks: list[Block] = [Text(title, "heading")]
    for n, fields in enumerate(_chunks(agg.fields, 4), 1):
        headers = ["STT", "Đơn vị"] + [f.label for f in fields] + ["Tình trạng"]
        rows = []
        for i, row in enumerate(agg.rows, 1):
            rows.append(
                [Cell(str(i), i, "center"), Cell(row.name)]
                + [_value_cell(f, row.approved.get(f.code)) for f in fields]
                + [Cell(STATUS_VI.get(row.status, row.status))]
            )
        rows.append(
            [Cell(""), Cell("Tổng cộng (đã duyệt)")]
            + [_value_cell(f, agg.totals_approved.get(f.code)) for f in fields]
            + [Cell(f"{agg.approved_count}/{len(agg.rows)}")]
        )
        width = (165 - 10 - 38 - 22) / max(1, len(fields))
        blocks.append(
            Table(
                "",
                headers,
                rows,
                [10, 38] + [width] * len(fields) + [22],
                sheet=f"{sheet} {n}",
                size=11,
                total_row=True,
            )
        )
    return blocks


def build(sub: Submission, user: Any = None) -> Content:
    """The document's blocks as ``user`` (who downloads it) may see them (DESIGN.md §4)."""
    auto = current_auto(sub)
    content = Content()
    version = sub.form_version
    hide = for_submission(sub, user)
    if version.is_synthesis:
        return _synthesis(sub, auto, hide, user)
    content.body = field_blocks(sub, auto, hide)
    if version.reporter_kind == "unit" and sub.agency_id is None:
        agg = aggregate(sub.form, sub.unit, period_of_submission(sub), user=user)
        if agg is not None and agg.rows:
            content.annexes = aggregate_tables(
                agg, "PHỤ LỤC: SỐ LIỆU ĐÃ DUYỆT CỦA CÁC ĐƠN VỊ CẤP DƯỚI", "Cap duoi"
            )
    return content


def _synthesis(sub: Submission, auto: dict[str, Any], hide: Suppression, user: Any) -> Content:
    from ..synthesis import gather

    data = gather(sub, user=user)
    content = Content()
    for line in (sub.draft_text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        is_heading = line.split(".", 1)[0] in ("I", "II", "III", "IV", "V", "VI", "VII")
        content.body.append(Text(line, "heading" if is_heading else "body"))
    for f in sub.form_version.field_list:
        if f.kind == FieldKind.TEXT and str(sub.values.get(f.code) or "").strip():
            content.body.append(Text(f.label + ":", "label"))
            content.body.extend(Text(p) for p in str(sub.values[f.code]).splitlines() if p.strip())
    annex: list[Block] = [Text("PHỤ LỤC 1: KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "heading")]
    annex.append(
        Table(
            "",
            ["STT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"],
            [
                [
                    Cell(str(i), i, "center"),
                    Cell(t.target.short),
                    Cell(t.goal, align="center"),
                    Cell(t.value_text, t.value, "right"),
                    Cell(t.status_vi),
                ]
                for i, t in enumerate(data.targets, 1)
            ],
            [12, 75, 22, 22, 34],
            sheet="Chi tieu",
        )
    )
    annex.append(Text("PHỤ LỤC 2: SỐ LIỆU CHỦ YẾU TOÀN TỈNH", "heading"))
    annex.extend(b for b in field_blocks(sub, auto, hide) if isinstance(b, Table))
    annex.append(
        Table(
            "Các chỉ số theo dõi",
            ["STT", "Chỉ số", "Đơn vị tính", "Giá trị"],
            [
                [
                    Cell(str(i), i, "center"),
                    Cell(ind.name),
                    Cell(ind.unit_label, align="center"),
                    Cell.number(value),
                ]
                for i, (ind, value) in enumerate(data.indicators, 1)
            ],
            [12, 100, 25, 28],
            sheet="Chi so",
            size=12,
        )
    )
    if data.districts is not None and data.districts.rows:
        annex.extend(
            aggregate_tables(
                data.districts,
                "PHỤ LỤC 3: SỐ LIỆU ĐÃ DUYỆT CỦA CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ",
                "Huyen",
            )
        )
    annex.append(Text("PHỤ LỤC 4: BÁO CÁO CỦA CÁC SỞ, NGÀNH", "heading"))
    annex.append(
        Table(
            "",
            ["STT", "Cơ quan", "Tình trạng", "Tóm tắt"],
            [
                [
                    Cell(str(i), i, "center"),
                    Cell(r.agency.name),
                    Cell("Đã duyệt" if r.submissions else "Chưa có báo cáo được duyệt"),
                    Cell(r.summary),
                ]
                for i, r in enumerate(data.agencies, 1)
            ],
            [12, 50, 30, 73],
            sheet="So nganh",
            size=12,
        )
    )
    if data.task_reports:
        annex.append(
            Table(
                "Tiến độ nhiệm vụ (sổ báo cáo nhiệm vụ)",
                ["Cơ quan", "Nhóm nhiệm vụ", "Tiến độ", "Kết quả"],
                [
                    [
                        Cell(r.agency_name),
                        Cell(r.heading),
                        Cell(WORK_STATUS_VI.get(r.status_code, r.status)),
                        Cell(r.done),
                    ]
                    for r in data.task_reports
                ],
                [40, 45, 25, 55],
                sheet="Nhiem vu",
                size=11,
            )
        )
    content.annexes = annex
    return content
