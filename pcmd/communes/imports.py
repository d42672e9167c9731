"""XLSX template and import of commune assessments.

Layout (documented in the template's guide sheet): ONE ROW PER COMMUNE, one column per
criterion code of the template valid in the chosen year (A1, A2, …). A blank cell leaves the
criterion unscored. Rows are saved as drafts (or update a draft / returned assessment);
the commune then checks and submits in the application. Any bad row: nothing is saved.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

from django.utils.translation import gettext_lazy as _

from pcmd.core.xlsx_import import Column, ImportSpec, ParseResult
from pcmd.geo.models import Unit, UnitLevel

from . import actions
from .models import EDITABLE_STATUSES, Assessment, AssessmentTemplate

CODE = "Mã đơn vị hành chính"
NAME = "Tên xã, phường, thị trấn"

INSTRUCTIONS = (
    "Mỗi dòng là một xã, phường, thị trấn; mỗi tiêu chí là một cột mang mã tiêu chí (A1, A2…). "
    "Ghi số điểm nguyên từ 0 đến điểm tối đa của tiêu chí; để trống nếu chưa chấm. "
    "Năm đánh giá chọn khi tải tệp lên. Tệp chỉ được nhận khi mọi dòng hợp lệ; các bản đánh giá "
    "được lưu ở trạng thái nháp để xã kiểm tra và gửi. / One row per commune, one column per "
    "criterion code; whole points from 0 to the criterion's maximum, blank = not scored. "
    "The year is chosen when uploading. Nothing is saved unless every row is valid."
)


def spec_for(template: AssessmentTemplate) -> ImportSpec:
    columns = [
        Column(
            "commune_code",
            CODE,
            required=True,
            max_length=10,
            help="Mã GSO của xã, phường, thị trấn, ví dụ 24118",
        ),
        Column("commune_name", NAME, max_length=120, help="Để đối chiếu với mã"),
    ]
    for c in template.criteria.all():
        columns.append(
            Column(
                f"c_{c.code}",
                c.code,
                kind="int",
                min_value=0,
                help=f"{c.text} (0–{c.max_points} điểm"
                f"{', tiêu chí bắt buộc' if c.is_critical else ''})",
            )
        )
    return ImportSpec(
        f"Chấm điểm xã {template.valid_from_year}", columns, instructions=INSTRUCTIONS
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def parse(data: bytes, year: int, *, actor: Any) -> tuple[ParseResult, AssessmentTemplate | None]:
    """Clean rows carry ``commune`` (a Unit) and ``points`` ({code: int | None})."""
    template = AssessmentTemplate.objects.for_year(year)
    if template is None:
        result = ParseResult()
        result.add(0, "", _("No assessment template is valid in %(year)s."), year=year)
        return result, None
    criteria = list(template.criteria.all())
    on = datetime.date(year, 12, 31)
    units = {u.code: u for u in Unit.objects.valid_on(on).filter(level=UnitLevel.COMMUNE)}
    existing = {a.commune_id: a for a in Assessment.objects.filter(year=year)}
    seen: dict[str, int] = {}

    def clean_row(row: dict[str, Any], number: int, result: ParseResult) -> None:
        code = row.get("commune_code")
        row["points"] = {c.code: row.get(f"c_{c.code}") for c in criteria}
        for c in criteria:
            value = row["points"][c.code]
            if value is not None and value > c.max_points:
                result.add(
                    number,
                    c.code,
                    _("Criterion %(code)s: points must be a whole number from 0 to %(max)s."),
                    code=c.code,
                    max=c.max_points,
                )
        if not code:
            return
        unit = units.get(str(code))
        if unit is None:
            result.add(
                number,
                CODE,
                _("No commune-level unit with code %(code)s existed on %(date)s."),
                code=code,
                date=on.strftime("%d/%m/%Y"),
            )
            return
        row["commune"] = unit
        if code in seen:
            result.add(
                number,
                CODE,
                _("Commune %(code)s already appears on row %(row)s."),
                code=code,
                row=seen[code],
            )
        seen[code] = number
        name = row.get("commune_name")
        if name and _fold(name) not in _fold(unit.name) and _fold(unit.name) not in _fold(name):
            result.add(
                number,
                NAME,
                _("The name '%(name)s' does not match code %(code)s (%(official)s)."),
                name=name,
                code=code,
                official=unit.name,
            )
        if not actions.can_fill(actor, unit):
            result.add(
                number, CODE, _("You may not fill in the assessment of %(unit)s."), unit=unit.name
            )
        current = existing.get(unit.pk)
        if current is not None and current.status not in EDITABLE_STATUSES:
            result.add(
                number,
                CODE,
                _(
                    "The %(year)s assessment of %(unit)s is %(status)s and "
                    "can no longer be changed."
                ),
                year=year,
                unit=unit.name,
                status=current.get_status_display(),
            )

    return spec_for(template).parse(data, clean_row), template
