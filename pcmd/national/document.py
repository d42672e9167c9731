"""The national synthesis report (DOCX, Decree 30/2020/NĐ-CP layout), drafted from the
provinces' approved figures for one year, from the Ministry of Health to the Prime Minister.

I.   reporting by the provinces: how many of the provinces on the 2025 map sent an approved
     annual (and 6-month) synthesis report, and which did not;
II.  the national programme's targets against the provinces' results (the overview);
III. the provinces' approved figures, one row per 2025 province (the annex table).

The text is Vietnamese (Decree 30). It is a draft ("DỰ THẢO"): the number, date and signer
are left for the ministry to fill in. Only approved figures appear; small counts of people
are "<5" (:mod:`pcmd.indicators.privacy`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from pcmd.reporting.documents.content import Block, Cell, Table, Text
from pcmd.reporting.documents.docx import compose
from pcmd.reporting.documents.header import DocHead
from pcmd.reporting.documents.plan import BLANK

from .figures import APPROVED, Overview, completeness, overview

TEXT_WIDTH = 165  # mm between the Decree 30 margins
SIGNER_NAME = "……………………………"


def subject(year: int) -> str:
    return f"Tổng hợp kết quả công tác phòng, chống mại dâm năm {year} của các tỉnh, thành phố"


def head(year: int, today: datetime.date) -> DocHead:
    return DocHead(
        parent_line="",
        issuer_lines=["BỘ Y TẾ"],
        number=f"Số:{BLANK}/BC-BYT",
        place="Hà Nội",
        date=today,
        date_text=f"ngày{BLANK}tháng{BLANK}năm {today.year}",
        subject=subject(year),
        period_line=f"(Số liệu các tỉnh, thành phố đã phê duyệt, năm {year})",
        addressee="Thủ tướng Chính phủ",
        recipients=[
            "Như trên;",
            "Bộ trưởng (để báo cáo);",
            "UBND các tỉnh, thành phố trực thuộc trung ương;",
            "Lưu: VT.",
        ],
        signer_authority="KT. BỘ TRƯỞNG",
        signer_title="THỨ TRƯỞNG",
        signer_name=SIGNER_NAME,
        mark="DỰ THẢO",
    )


def _reporting_blocks(user: Any, year: int, today: datetime.date) -> list[Block]:
    table = completeness(user, year, today=today)
    total = len(table.rows)
    blocks: list[Block] = [Text("I. TÌNH HÌNH BÁO CÁO CỦA CÁC TỈNH, THÀNH PHỐ", "heading")]
    if not table.columns:
        blocks.append(
            Text(f"Năm {year} không có kỳ báo cáo tổng hợp nào của các tỉnh, thành phố đến hạn.")
        )
        return blocks
    for index, (form, period) in enumerate(table.columns):
        approved = [r for r in table.rows if r.cells[index].state == APPROVED]
        missing = [r.province.name for r in table.rows if r.cells[index].state != APPROVED]
        late = sum(1 for r in table.rows if r.cells[index].late)
        line = (
            f"{form.name} ({period.code}): {len(approved)}/{total} tỉnh, thành phố có báo cáo "
            f"được phê duyệt; {late} báo cáo chậm hạn."
        )
        if missing:
            line += " Chưa có báo cáo được phê duyệt: " + ", ".join(missing) + "."
        blocks.append(Text(line))
    return blocks


def _targets_blocks(ov: Overview) -> list[Block]:
    blocks: list[Block] = [
        Text("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA CHƯƠNG TRÌNH QUỐC GIA", "heading")
    ]
    if ov.plan is None:
        blocks.append(Text(f"Năm {ov.figures.year} không có chương trình quốc gia được ban hành."))
        return blocks
    blocks.append(
        Text(
            f"Chương trình: {ov.plan.title} ({ov.plan.kind} số {ov.plan.number}). Kết quả theo "
            "số liệu trong báo cáo tổng hợp năm đã được phê duyệt của các tỉnh, thành phố."
        )
    )
    rows = []
    for nt in ov.targets:
        if nt.spec is None:
            result = "Chưa có số liệu trong báo cáo của các tỉnh"
        else:
            unknown = len(ov.rows) - nt.met - nt.not_met
            result = f"{nt.met} tỉnh đạt, {nt.not_met} tỉnh chưa đạt"
            if unknown:
                result += f", {unknown} tỉnh chưa đủ số liệu đã phê duyệt"
        rows.append(
            [
                Cell(nt.target.code),
                Cell(nt.target.short),
                Cell(nt.goal, align="right"),
                Cell(result),
            ]
        )
    blocks.append(
        Table(
            "",
            ["Mã", "Chỉ tiêu", "Mục tiêu", "Kết quả các tỉnh"],
            rows,
            [15, 80, 20, 50],
        )
    )
    return blocks


def _province_table(ov: Overview) -> list[Block]:
    figures = ov.figures
    specs = figures.specs[:5]  # the chief figures: the page holds five columns
    headers = ["STT", "Tỉnh, thành phố", *[s.label for s in specs]]
    rest = TEXT_WIDTH - 10 - 40
    widths = [10.0, 40.0, *[rest / max(len(specs), 1)] * len(specs)]
    rows = [
        [
            Cell(str(i), align="center"),
            Cell(r.province.name),
            *[Cell(r.figures[s.code].text, align="right") for s in specs],
        ]
        for i, r in enumerate(figures.rows, 1)
    ]
    return [
        Text("III. SỐ LIỆU CỦA CÁC TỈNH, THÀNH PHỐ", "heading"),
        Text(
            f"{figures.reporting}/{len(figures.rows)} tỉnh, thành phố có báo cáo tổng hợp năm "
            f"{figures.year} được phê duyệt. Số liệu năm trước 01/7/2025 của các tỉnh đã hợp "
            "nhất được ghi cho tỉnh mới: số lượng được cộng; tỷ lệ tính trên số xã được bình "
            "quân theo số xã của các tỉnh cũ; các tỷ lệ khác được ghi riêng từng tỉnh cũ."
        ),
        Table(
            f"Bảng: Số liệu đã phê duyệt năm {figures.year}",
            headers,
            rows,
            widths,
            size=11,
        ),
    ]


def build(user: Any, year: int, *, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    ov = overview(user, year)
    body: list[Block] = [
        Text(
            "Thực hiện chức năng quản lý nhà nước về phòng, chống tệ nạn xã hội theo Nghị định "
            "số 42/2025/NĐ-CP ngày 27/02/2025 của Chính phủ, Bộ Y tế tổng hợp kết quả công tác "
            f"phòng, chống mại dâm năm {year} từ báo cáo của các tỉnh, thành phố như sau:"
        ),
        *_reporting_blocks(user, year, today),
        *_targets_blocks(ov),
        *_province_table(ov),
        Text("IV. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ", "heading"),
        Text("(Bộ Y tế bổ sung nhận định, khó khăn, vướng mắc và kiến nghị.)"),
    ]
    return compose(head(year, today), body)
