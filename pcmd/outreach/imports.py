"""XLSX templates and row checks for the outreach imports (activities, roster, participants).

Parsing only: every row is converted and checked with the same rules the actions apply, and
each problem names the row and the column. Saving is done by the ``import_*`` actions, all
rows in one transaction or nothing.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.core.xlsx_import import Column, ImportSpec, ParseResult

from . import actions
from .models import Activity, Audience, CommunicationForm, Officer, Training
from .scope import pick_unit, units_by_code


def norm(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split()).casefold()


def _report(result: ParseResult, row: int, exc: ValidationError, headers: dict[str, str]) -> None:
    """Add a ValidationError raised by an action's check as row problems."""
    for field, errors in exc.error_dict.items():
        for error in errors:
            result.add(row, headers.get(field, ""), error.message, **(error.params or {}))


def _check(result: ParseResult, row: int, headers: dict[str, str], check: Callable[[], Any]) -> Any:
    try:
        return check()
    except ValidationError as exc:
        _report(result, row, exc, headers)
        return None


# --- communication activities ---------------------------------------------------------------

ACTIVITY_HEADERS = {
    "date": "Ngày",
    "unit": "Mã đơn vị hành chính",
    "agency": "Cơ quan tổ chức",
    "organiser_detail": "Đơn vị thực hiện cụ thể",
    "form": "Hình thức",
    "audiences": "Đối tượng",
    "title": "Nội dung",
    "participants": "Số người tham dự",
    "copies": "Số bản, số lần phát",
    "notes": "Ghi chú",
}


def activity_spec() -> ImportSpec:
    forms = {f.name: f.code for f in CommunicationForm.objects.active()}
    audiences = "; ".join(a.name for a in Audience.objects.active())
    h = ACTIVITY_HEADERS
    return ImportSpec(
        "Hoạt động tuyên truyền",
        [
            Column("date", h["date"], kind="date", required=True),
            Column(
                "unit",
                h["unit"],
                required=True,
                help="Mã GSO của xã, huyện hoặc tỉnh nơi tổ chức, ví dụ 24118",
            ),
            Column(
                "agency",
                h["agency"],
                required=True,
                max_length=200,
                help="Mã cơ quan (ví dụ UBND_X24118, SO_VHTTDL) hoặc tên đầy đủ",
            ),
            Column(
                "organiser_detail",
                h["organiser_detail"],
                max_length=200,
                help="Ví dụ: Chi hội Phụ nữ tổ dân phố 3",
            ),
            Column("form", h["form"], kind="choice", required=True, choices=forms),
            Column(
                "audiences",
                h["audiences"],
                help=f"Các đối tượng cách nhau bằng dấu chấm phẩy (;): {audiences}",
            ),
            Column("title", h["title"], required=True, max_length=300),
            Column("participants", h["participants"], kind="int", min_value=0),
            Column(
                "copies",
                h["copies"],
                kind="int",
                min_value=0,
                help="Tờ rơi, áp phích, tin bài hoặc số lần phát sóng",
            ),
            Column("notes", h["notes"]),
        ],
        instructions="Mỗi dòng là một hoạt động tuyên truyền. Tệp chỉ được lưu khi mọi dòng "
        "đều hợp lệ.",
    )


class AgencyIndex:
    """Agencies by code, full name and short name (one query for the whole file)."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Agency]] = {}
        for agency in Agency.objects.all():
            for key in {norm(agency.code), norm(agency.name), norm(agency.short_name)}:
                if key:
                    self.by_key.setdefault(key, []).append(agency)

    def find(self, text: str, on: datetime.date | None) -> tuple[Agency | None, bool]:
        """(agency, ambiguous)."""
        rows = self.by_key.get(norm(text), [])
        if on is not None:
            rows = [
                a
                for a in rows
                if (a.valid_from is None or a.valid_from <= on)
                and (a.valid_to is None or a.valid_to >= on)
            ]
        if len(rows) > 1:
            return None, True
        return (rows[0] if rows else None), False


def parse_activities(
    data: bytes, actor: Any, progress: Callable[[int], None] | None = None
) -> ParseResult:
    spec = activity_spec()
    audiences: dict[str, Audience] = {}
    for a in Audience.objects.active():
        audiences[norm(a.name)] = a
        audiences[norm(a.code)] = a
    forms = {f.code: f for f in CommunicationForm.objects.active()}
    result = spec.parse(data, progress=progress)
    if not result.rows:
        return result
    units = units_by_code({str(r["unit"]) for r in result.rows if r.get("unit")})
    agencies = AgencyIndex()
    h = ACTIVITY_HEADERS
    today = timezone.localdate()
    for row in result.rows:
        n = row["_row"]
        on = row.get("date")
        if on is not None and on > today:
            result.add(
                n,
                h["date"],
                _("The date %(date)s is in the future: record what took place."),
                date=on.strftime("%d/%m/%Y"),
            )
            continue
        unit = None
        if row.get("unit"):
            unit = pick_unit(units.get(str(row["unit"]), []), None, actor)
            if unit is None:
                result.add(
                    n, h["unit"], _("No unit with code %(code)s in your scope."), code=row["unit"]
                )
            elif on is not None:
                unit = pick_unit(units.get(str(row["unit"]), []), on, actor) or unit
        agency = None
        if row.get("agency"):
            agency, ambiguous = agencies.find(row["agency"], on)
            if ambiguous:
                result.add(
                    n,
                    h["agency"],
                    _("Several agencies are called '%(value)s': write the agency's code."),
                    value=row["agency"],
                )
            elif agency is None:
                result.add(
                    n,
                    h["agency"],
                    _("No agency '%(value)s' existed on that date."),
                    value=row["agency"],
                )
        chosen: list[Audience] = []
        for part in str(row.get("audiences") or "").replace(",", ";").split(";"):
            if not part.strip():
                continue
            audience = audiences.get(norm(part))
            if audience is None:
                result.add(
                    n,
                    h["audiences"],
                    _("'%(value)s' is not one of the audiences."),
                    value=part.strip(),
                )
            else:
                chosen.append(audience)
        row["audiences"] = chosen
        form = forms.get(row.get("form") or "")
        if on is None or unit is None or agency is None or form is None or not row.get("title"):
            continue
        row.update(unit=unit, agency=agency, form=form)
        candidate = Activity(
            date=on,
            unit=unit,
            agency=agency,
            form=form,
            title=row["title"],
            participants=row.get("participants"),
            copies=row.get("copies"),
        )
        _check(result, n, h, partial(actions._check_activity, candidate, new_form=True))
    return result


# --- roster of officers ----------------------------------------------------------------------

OFFICER_HEADERS = {
    "full_name": "Họ và tên",
    "position": "Chức vụ",
    "commune": "Mã xã",
    "valid_from": "Từ ngày",
    "valid_to": "Đến ngày",
    "is_social_evils_officer": "Làm công tác phòng, chống TNXH",
    "notes": "Ghi chú",
}


def officer_spec() -> ImportSpec:
    h = OFFICER_HEADERS
    return ImportSpec(
        "Cán bộ",
        [
            Column("full_name", h["full_name"], required=True, max_length=150),
            Column("position", h["position"], required=True, max_length=200),
            Column("commune", h["commune"], required=True, help="Mã GSO của xã, ví dụ 24118"),
            Column("valid_from", h["valid_from"], kind="date", help="Ngày bắt đầu đảm nhiệm"),
            Column("valid_to", h["valid_to"], kind="date", help="Để trống nếu còn đảm nhiệm"),
            Column(
                "is_social_evils_officer",
                h["is_social_evils_officer"],
                kind="bool",
                help="Có / Không; để trống là Có",
            ),
            Column("notes", h["notes"]),
        ],
        instructions="Danh sách cán bộ trực tiếp làm công tác phòng, chống tệ nạn xã hội ở xã, "
        "phường, thị trấn (chỉ tiêu 100% được tập huấn).",
    )


def parse_officers(data: bytes, actor: Any) -> ParseResult:
    result = officer_spec().parse(data)
    if not result.rows:
        return result
    units = units_by_code({str(r["commune"]) for r in result.rows if r.get("commune")})
    h = OFFICER_HEADERS
    existing = {
        (norm(o.full_name), o.commune_id): o.pk
        for o in Officer.objects.editable_by(actor).filter(valid_to__isnull=True)
    }
    seen: dict[tuple[str, int], int] = {}
    for row in result.rows:
        n = row["_row"]
        if row.get("is_social_evils_officer") is None:
            row["is_social_evils_officer"] = True
        commune = None
        if row.get("commune"):
            commune = pick_unit(units.get(str(row["commune"]), []), row.get("valid_from"), actor)
            if commune is None:
                result.add(
                    n,
                    h["commune"],
                    _("No unit with code %(code)s in your scope."),
                    code=row["commune"],
                )
        if commune is None or not row.get("full_name") or not row.get("position"):
            continue
        row["commune"] = commune
        key = (norm(row["full_name"]), commune.pk)
        if key in existing:
            result.add(
                n,
                h["full_name"],
                _("%(name)s is already on the roster of this commune (ID %(id)s)."),
                name=row["full_name"],
                id=existing[key],
            )
        elif key in seen:
            result.add(n, h["full_name"], _("Same person as on row %(row)s."), row=seen[key])
        seen[key] = n
        candidate = Officer(
            full_name=row["full_name"],
            position=row["position"],
            commune=commune,
            valid_from=row.get("valid_from"),
            valid_to=row.get("valid_to"),
        )
        _check(result, n, h, partial(actions._check_officer, candidate))
    return result


# --- training participants -------------------------------------------------------------------

PARTICIPANT_HEADERS = {
    "full_name": "Họ và tên",
    "position": "Chức vụ",
    "unit": "Mã đơn vị hành chính",
    "officer": "Mã cán bộ trong danh sách",
}


def participant_spec() -> ImportSpec:
    h = PARTICIPANT_HEADERS
    return ImportSpec(
        "Học viên",
        [
            Column(
                "full_name",
                h["full_name"],
                max_length=150,
                help="Bắt buộc, trừ khi ghi Mã cán bộ trong danh sách",
            ),
            Column("position", h["position"], max_length=200),
            Column(
                "unit",
                h["unit"],
                help="Mã GSO của xã, huyện hoặc tỉnh; bắt buộc, trừ khi "
                "ghi Mã cán bộ trong danh sách",
            ),
            Column(
                "officer",
                h["officer"],
                kind="int",
                min_value=1,
                help="Số ID trong danh sách cán bộ; để trống thì tìm theo họ tên và xã",
            ),
        ],
        instructions="Mỗi dòng là một người tham dự lớp tập huấn. Cán bộ có trong danh sách "
        "cán bộ của xã được nhận ra theo ID hoặc theo họ tên và mã xã.",
    )


def parse_participants(data: bytes, training: Training, actor: Any) -> ParseResult:
    result = participant_spec().parse(data)
    if not result.rows:
        return result
    h = PARTICIPANT_HEADERS
    units = units_by_code({str(r["unit"]) for r in result.rows if r.get("unit")})
    roster = list(
        Officer.objects.visible_to(actor)
        .serving_in(training.start_date, training.end_date)
        .select_related("commune")
    )
    by_id = {o.pk: o for o in roster}
    by_name: dict[tuple[str, int], list[Officer]] = {}
    for o in roster:
        by_name.setdefault((norm(o.full_name), o.commune_id), []).append(o)
    already = set(training.participants.exclude(officer=None).values_list("officer", flat=True))
    seen: dict[int, int] = {}
    for row in result.rows:
        n = row["_row"]
        unit = None
        if row.get("unit"):
            unit = pick_unit(units.get(str(row["unit"]), []), training.start_date, actor)
            if unit is None:
                result.add(
                    n,
                    h["unit"],
                    _("No unit with code %(code)s in your scope on %(date)s."),
                    code=row["unit"],
                    date=training.start_date.strftime("%d/%m/%Y"),
                )
        officer = None
        if row.get("officer"):
            officer = by_id.get(row["officer"])
            if officer is None:
                result.add(
                    n,
                    h["officer"],
                    _("No officer with ID %(id)s in post at the time of the course."),
                    id=row["officer"],
                )
            elif row.get("full_name") and norm(row["full_name"]) != norm(officer.full_name):
                result.add(
                    n,
                    h["full_name"],
                    _("ID %(id)s is %(name)s on the roster."),
                    id=officer.pk,
                    name=officer.full_name,
                )
        elif unit is not None and row.get("full_name"):
            matches = by_name.get((norm(row["full_name"]), unit.pk), [])
            officer = matches[0] if len(matches) == 1 else None
        if officer is not None:
            if officer.pk in already:
                result.add(
                    n,
                    h["full_name"],
                    _("%(name)s is already a participant."),
                    name=officer.full_name,
                )
            elif officer.pk in seen:
                result.add(
                    n, h["full_name"], _("Same person as on row %(row)s."), row=seen[officer.pk]
                )
            seen[officer.pk] = n
        elif not row.get("officer"):
            if not row.get("full_name"):
                result.add(n, h["full_name"], _("'%(column)s' is required."), column=h["full_name"])
            if not row.get("unit") and unit is None:
                result.add(n, h["unit"], _("'%(column)s' is required."), column=h["unit"])
        row["unit"] = unit
        row["officer"] = officer
    return result
