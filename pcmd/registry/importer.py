"""The XLSX import of establishments: template, row checks, duplicates.

Every row is checked before anything is saved; each problem names the spreadsheet row, the
column (its Vietnamese header) and the reason in Vietnamese and English. Units, kinds and
existing keys are loaded once into dictionaries, so the check runs no query per row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_paths
from pcmd.core.messages import bilingual
from pcmd.core.xlsx_import import Column, ImportSpec, ParseResult, Problem

from .actions import (
    LAT_RANGE,
    LON_RANGE,
    NewEstablishment,
    clean_registration_no,
)
from .models import Establishment, EstablishmentKind, EstablishmentStatus, LicenceKind
from .normalise import dedup_key
from .scope import CommuneResolver

STATUS_LABELS: dict[str, str] = {
    "Đang hoạt động": EstablishmentStatus.OPEN,
    "Tạm ngừng hoạt động": EstablishmentStatus.SUSPENDED,
    "Đã đóng cửa": EstablishmentStatus.CLOSED,
}
LICENCE_LABELS: dict[str, str] = {
    "Đăng ký kinh doanh": LicenceKind.BUSINESS,
    "Chứng nhận đủ điều kiện ANTT": LicenceKind.SECURITY,
    "Giấy phép kinh doanh karaoke/vũ trường": LicenceKind.CULTURE,
    "Giấy phép y tế (xoa bóp/xông hơi)": LicenceKind.HEALTH,
    "Giấy phép khác": LicenceKind.OTHER,
}

H_NAME = "Tên cơ sở"
H_KIND = "Loại hình"
H_ADDRESS = "Địa chỉ"
H_COMMUNE = "Xã/phường/thị trấn (mã hoặc tên)"
H_DISTRICT = "Huyện/thị xã/thành phố"
H_AS_OF = "Ngày số liệu"
H_REG = "Số đăng ký kinh doanh"
H_OPENED = "Hoạt động từ ngày"
H_CLOSED = "Ngày đóng cửa"
H_STAFF = "Tổng số nhân viên"
H_FEMALE = "Số nhân viên nữ"
H_LIC_KIND = "Loại giấy phép"
H_LIC_NO = "Số giấy phép"
H_LIC_ISSUED = "Ngày cấp"
H_LIC_EXPIRES = "Ngày hết hạn"
H_LAT = "Vĩ độ"
H_LON = "Kinh độ"

INSTRUCTIONS = (
    "Mỗi dòng là một cơ sở. Ngày ghi dd/mm/yyyy. Cột xã/phường/thị trấn nhận mã GSO (ví dụ "
    "24118) hoặc tên (ví dụ Phường Tân Lập); khi tên trùng ở nhiều huyện, ghi thêm huyện. Xã "
    "phải thuộc địa bàn của bạn và tồn tại vào 'Ngày số liệu' (để trống: hôm nay) — số liệu "
    "năm 2018 ghi theo bản đồ hành chính năm 2018. 'Ngày số liệu' cũng là ngày của số nhân "
    "viên. Cơ sở trùng số đăng ký kinh doanh, hoặc trùng tên và địa chỉ trong cùng xã, được "
    "báo lỗi và không tạo hai lần. Có lỗi ở bất kỳ dòng nào thì không dòng nào được lưu."
)


def spec(kinds: list[EstablishmentKind] | None = None) -> ImportSpec:
    kinds = kinds if kinds is not None else list(EstablishmentKind.objects.filter(is_active=True))
    return ImportSpec(
        "Cơ sở kinh doanh",
        [
            Column("name", H_NAME, required=True, max_length=200),
            Column(
                "kind",
                H_KIND,
                kind="choice",
                required=True,
                choices={k.name: k.code for k in kinds},
            ),
            Column(
                "address",
                H_ADDRESS,
                required=True,
                max_length=300,
                help="Số nhà, đường, thôn/tổ dân phố",
            ),
            Column(
                "commune",
                H_COMMUNE,
                required=True,
                max_length=120,
                help="Mã GSO (5 chữ số) hoặc tên xã/phường/thị trấn",
            ),
            Column(
                "district",
                H_DISTRICT,
                max_length=120,
                help="Chỉ cần khi tên xã trùng ở nhiều huyện",
            ),
            Column(
                "as_of",
                H_AS_OF,
                kind="date",
                help="Ngày của số liệu và của bản đồ hành chính; để trống: hôm nay",
            ),
            Column("owner_name", "Chủ cơ sở/người quản lý", max_length=150),
            Column("registration_no", H_REG, max_length=50),
            Column(
                "status",
                "Tình trạng",
                kind="choice",
                choices=STATUS_LABELS,
                help="Để trống: Đang hoạt động",
            ),
            Column("opened_on", H_OPENED, kind="date"),
            Column("closed_on", H_CLOSED, kind="date"),
            Column("staff", H_STAFF, kind="int", min_value=0),
            Column("female_staff", H_FEMALE, kind="int", min_value=0),
            Column("licence_kind", H_LIC_KIND, kind="choice", choices=LICENCE_LABELS),
            Column("licence_no", H_LIC_NO, max_length=60),
            Column("licence_issuer", "Cơ quan cấp", max_length=150),
            Column("licence_issued", H_LIC_ISSUED, kind="date"),
            Column("licence_expires", H_LIC_EXPIRES, kind="date"),
            Column("lat", H_LAT, kind="decimal"),
            Column("lon", H_LON, kind="decimal"),
            Column("notes", "Ghi chú"),
        ],
        instructions=INSTRUCTIONS,
    )


def template() -> bytes:
    return spec().template()


@dataclass
class Checked:
    rows: int = 0
    records: list[NewEstablishment] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _problem(row: int, column: str, message: Any, **params: Any) -> Problem:
    texts = bilingual(message, **params)
    return Problem(row, column, texts["vi"], texts["en"])


class _RowChecker:
    """The ``clean_row`` callback of ImportSpec.parse: cross-column rules, commune, kind,
    duplicates within the file. Builds the records to create."""

    def __init__(self, actor: Any, kinds: list[EstablishmentKind]) -> None:
        self.today = timezone.localdate()
        self.resolver = CommuneResolver(actor)
        self.kinds = {k.code: k for k in kinds}
        self.seen_reg: dict[str, int] = {}
        self.seen_key: dict[tuple[int, str], int] = {}
        self.records: list[NewEstablishment] = []
        self.row_numbers: list[int] = []

    def __call__(self, row: dict[str, Any], number: int, result: ParseResult) -> None:
        # problems of this row so far: the cells that failed to convert (ImportSpec.parse
        # calls this after converting the row)
        before = len(result.problems)
        while before and result.problems[before - 1].row == number:
            before -= 1
        add = result.add

        def flagged(header: str) -> bool:
            return any(p.column == header for p in result.problems[before:])

        on: datetime.date = row["as_of"] or self.today
        for key, header in (
            ("as_of", H_AS_OF),
            ("opened_on", H_OPENED),
            ("closed_on", H_CLOSED),
            ("licence_issued", H_LIC_ISSUED),
        ):
            if row[key] and row[key] > self.today:
                add(
                    number,
                    header,
                    _("The date %(date)s is in the future."),
                    date=row[key].strftime("%d/%m/%Y"),
                )
        if row["opened_on"] and row["closed_on"] and row["closed_on"] < row["opened_on"]:
            add(number, H_CLOSED, _("The closing date is before the opening date."))
        staff, female = row["staff"], row["female_staff"]
        if female is not None and staff is None and not flagged(H_STAFF):
            add(number, H_STAFF, _("Give the number of staff when the female staff is given."))
        elif staff is not None and female is not None and female > staff:
            add(
                number,
                H_FEMALE,
                _("Female staff (%(female)s) cannot be more than all staff (%(staff)s)."),
                female=female,
                staff=staff,
            )
        has_licence = any(
            row[k] is not None
            for k in (
                "licence_kind",
                "licence_no",
                "licence_issuer",
                "licence_issued",
                "licence_expires",
            )
        )
        if has_licence:
            if row["licence_kind"] is None and not flagged(H_LIC_KIND):
                add(number, H_LIC_KIND, _("Give the kind of licence."))
            if not row["licence_no"] and not flagged(H_LIC_NO):
                add(number, H_LIC_NO, _("Give the licence number."))
            if (
                row["licence_issued"]
                and row["licence_expires"]
                and row["licence_expires"] < row["licence_issued"]
            ):
                add(number, H_LIC_EXPIRES, _("The expiry date is before the date of issue."))
        lat = float(row["lat"]) if row["lat"] is not None else None
        lon = float(row["lon"]) if row["lon"] is not None else None
        if (lat is None) != (lon is None) and not flagged(H_LAT) and not flagged(H_LON):
            add(
                number,
                H_LAT if lat is None else H_LON,
                _("Give both latitude and longitude, or neither."),
            )
        if lat is not None and not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
            add(number, H_LAT, _("Latitude %(value)s is outside Vietnam (8 to 24)."), value=lat)
        if lon is not None and not LON_RANGE[0] <= lon <= LON_RANGE[1]:
            add(number, H_LON, _("Longitude %(value)s is outside Vietnam (102 to 110)."), value=lon)
        commune = None
        if row["commune"] and not flagged(H_AS_OF):  # without its date a commune can't be judged
            commune, reason = self.resolver.resolve(row["commune"], row["district"] or "", on)
            if commune is None:
                self._commune_problem(result, number, row, on, reason)
        kind = self.kinds.get(row["kind"]) if row["kind"] else None
        reg = clean_registration_no(row["registration_no"])
        if reg:
            first = self.seen_reg.setdefault(reg, number)
            if first != number:
                add(number, H_REG, _("Same registration number as row %(row)s."), row=first)
        name_address = ""
        if commune is not None and row["name"] and row["address"]:
            name_address = dedup_key(row["name"], row["address"])
            place = (commune.pk, name_address)
            first = self.seen_key.setdefault(place, number)
            if first != number:
                add(number, H_NAME, _("Same name and address as row %(row)s."), row=first)
        if len(result.problems) > before or commune is None or kind is None:
            return
        licences = []
        if has_licence:
            licences.append(
                {
                    "kind": row["licence_kind"],
                    "number": row["licence_no"],
                    "issuer": row["licence_issuer"] or "",
                    "issued_on": row["licence_issued"],
                    "expires_on": row["licence_expires"],
                }
            )
        counts = []
        if staff is not None:
            counts.append(
                {"as_of": on, "staff": staff, "female_staff": female if female is not None else 0}
            )
        self.records.append(
            NewEstablishment(
                values={
                    "name": row["name"],
                    "kind": kind,
                    "address": row["address"],
                    "commune": commune,
                    "owner_name": row["owner_name"] or "",
                    "registration_no": reg,
                    "status": row["status"] or EstablishmentStatus.OPEN,
                    "opened_on": row["opened_on"],
                    "closed_on": row["closed_on"],
                    "lat": lat,
                    "lon": lon,
                    "notes": row["notes"] or "",
                },
                licences=licences,
                staff_counts=counts,
                _key=name_address,
            )
        )
        self.row_numbers.append(number)

    def _commune_problem(
        self, result: ParseResult, number: int, row: dict[str, Any], on: datetime.date, reason: str
    ) -> None:
        date = on.strftime("%d/%m/%Y")
        value = row["commune"]
        if reason == "ambiguous":
            names = ", ".join(
                sorted(
                    {
                        f"{u.name} ({u.parent.name})"
                        for u in self.resolver.candidates(value, on)
                        if u.parent is not None
                    }
                )
            )
            result.add(
                number,
                H_DISTRICT if row["district"] else H_COMMUNE,
                _(
                    "'%(value)s' matches several communes on %(date)s (%(names)s): give "
                    "the GSO code or the district."
                ),
                value=value,
                date=date,
                names=names,
            )
        elif reason == "invalid_on":
            result.add(
                number,
                H_COMMUNE,
                _(
                    "'%(value)s' did not exist on %(date)s: check the date in '%(column)s' "
                    "or use the commune valid on that date."
                ),
                value=value,
                date=date,
                column=H_AS_OF,
            )
        else:
            result.add(
                number,
                H_COMMUNE,
                _("'%(value)s' is not a commune in your area (GSO code or name)."),
                value=value,
            )


def check_file(
    data: bytes, *, actor: Any, progress: Callable[[int], None] | None = None
) -> Checked:
    kinds = list(EstablishmentKind.objects.filter(is_active=True))
    checker = _RowChecker(actor, kinds)
    import_spec = spec(kinds)
    result = import_spec.parse(data, clean_row=checker, progress=progress)
    checked = Checked(rows=len(result.rows), problems=list(result.problems))
    if not checked.problems:
        checked.records = checker.records
        checked.row_numbers = checker.row_numbers
        checked.problems = existing_duplicates(checker.records, checker.row_numbers, actor)
    elif checker.records:
        # Report clashes with the database for the good rows too: one pass fixes everything.
        checked.problems += existing_duplicates(checker.records, checker.row_numbers, actor)
    order = {c.header: i for i, c in enumerate(import_spec.columns)}
    checked.problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return checked


def _chunks(values: list[str], size: int = 900) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def existing_duplicates(
    records: list[NewEstablishment], numbers: list[int], actor: Any
) -> list[Problem]:
    """Rows that repeat an establishment already recorded (a few queries, not one per row).

    The other record is named when the uploader may see it, else only its existence is told.
    """
    paths = scope_paths(actor)

    def label(name: str, path: str) -> str:
        if paths is None or any(path.startswith(p) for p in paths):
            return name
        return str(_("another commune"))

    regs = sorted({r.values["registration_no"] for r in records if r.values["registration_no"]})
    keys = sorted({r.key for r in records})
    live = Establishment.objects.filter(is_deleted=False)
    by_reg: dict[str, str] = {}
    for chunk in _chunks(regs):
        for name, path, reg in live.filter(registration_no__in=chunk).values_list(
            "name", "commune__path", "registration_no"
        ):
            by_reg.setdefault(reg, label(name, path))
    by_key: dict[tuple[int, str], str] = {}
    for chunk in _chunks(keys):
        for name, path, commune_id, key in live.filter(dedup_key__in=chunk).values_list(
            "name", "commune__path", "commune_id", "dedup_key"
        ):
            by_key.setdefault((commune_id, key), label(name, path))
    problems = []
    for record, number in zip(records, numbers, strict=True):
        values = record.values
        reg = values["registration_no"]
        if reg and reg in by_reg:
            problems.append(
                _problem(
                    number,
                    H_REG,
                    _("This registration number is already recorded: %(other)s."),
                    other=by_reg[reg],
                )
            )
            continue
        place = (values["commune"].pk, record.key)
        if place in by_key:
            problems.append(
                _problem(
                    number,
                    H_NAME,
                    _(
                        "An establishment with this name and address is already recorded: %(other)s."
                    ),
                    other=by_key[place],
                )
            )
    return problems
