"""XLSX template and all-or-nothing import of budget lines (one row per line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.core.xlsx_import import Column, ImportSpec, ParseResult

from . import actions
from .models import BudgetCategory, FundingSource

# Vietnamese labels of the funding sources as they appear in the file.
SOURCES = {
    "Ngân sách Trung ương": FundingSource.CENTRAL,
    "Ngân sách tỉnh": FundingSource.PROVINCIAL,
    "Ngân sách huyện": FundingSource.DISTRICT,
    "Ngân sách xã": FundingSource.COMMUNE,
    "Nguồn hợp pháp khác": FundingSource.OTHER,
}
HEADERS = {
    "year": "Năm",
    "agency": "Mã cơ quan",
    "category": "Hạng mục",
    "source": "Nguồn kinh phí",
    "description": "Nội dung hoạt động",
    "planned": "Dự toán (đồng)",
    "spent": "Đã chi (đồng)",
    "note": "Ghi chú",
}
INSTRUCTIONS = (
    "Mỗi dòng là một khoản kinh phí. Số tiền ghi bằng đồng, số nguyên không âm (ví dụ "
    "15000000 hoặc 15.000.000). Khi số đã chi lớn hơn dự toán phải ghi rõ lý do ở cột Ghi chú. "
    "Tệp chỉ được nhận khi mọi dòng hợp lệ. / One row per budget line; amounts in whole đồng; "
    "a note is required when spending exceeds the plan. Nothing is saved unless every row is "
    "valid."
)


def spec() -> ImportSpec:
    categories = {c.name: c.code for c in BudgetCategory.objects.filter(is_active=True)}
    return ImportSpec(
        "Kinh phí",
        [
            Column("year", HEADERS["year"], kind="int", required=True, min_value=2000),
            Column(
                "agency",
                HEADERS["agency"],
                required=True,
                max_length=40,
                help="Mã cơ quan trong PCMD, ví dụ SO_LDTBXH, UBND_H643",
            ),
            Column(
                "category", HEADERS["category"], kind="choice", required=True, choices=categories
            ),
            Column(
                "source",
                HEADERS["source"],
                kind="choice",
                required=True,
                choices={k: str(v) for k, v in SOURCES.items()},
            ),
            Column("description", HEADERS["description"], required=True, max_length=300),
            Column("planned", HEADERS["planned"], kind="int", required=True, min_value=0),
            Column("spent", HEADERS["spent"], kind="int", min_value=0),
            Column("note", HEADERS["note"]),
        ],
        instructions=INSTRUCTIONS,
    )


def parse(data: bytes, *, actor: Any, progress: Callable[[int], None] | None = None) -> ParseResult:
    agencies = {a.code: a for a in Agency.objects.select_related("unit")}
    categories = {c.code: c for c in BudgetCategory.objects.filter(is_active=True)}

    def clean_row(row: dict[str, Any], number: int, result: ParseResult) -> None:
        row["spent"] = row.get("spent") or 0
        row["note"] = row.get("note") or ""
        code = row.get("agency")
        agency = agencies.get(code) if code else None
        if code and agency is None:
            result.add(number, HEADERS["agency"], _("No agency with code %(code)s."), code=code)
        elif agency is not None and not actions.can_record(actor, agency):
            result.add(
                number,
                HEADERS["agency"],
                _("You may not record the budget of %(agency)s."),
                agency=agency.name,
            )
        row["agency"] = agency
        row["category"] = categories.get(row.get("category") or "")
        if None in (
            row["agency"],
            row["category"],
            row.get("year"),
            row.get("source"),
            row.get("planned"),
        ) or not row.get("description"):
            return  # already reported by the column checks
        try:
            actions.validate(row)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    result.add(
                        number, HEADERS.get(field, ""), error.message, **(error.params or {})
                    )

    return spec().parse(data, clean_row, progress=progress)
