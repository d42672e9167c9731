"""The parts of a report that Decree 30/2020/NĐ-CP fixes: issuing body, number, place and date,
title, addressee, recipients ("Nơi nhận") and signature block — computed from the submission.

Appendix I of Decree 30: the issuing body in capitals at the top left (its governing body
above it, not bold), the national motto at the top right, "Số: …/BC-…" under the issuing
body, the place and date in italics under the motto (days below 10 and the months 1 and 2
written with a leading zero), the document type and subject centred in bold.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from pcmd.agencies.models import AgencyKind, AgencyRoleKind, agency_with_role
from pcmd.geo.models import Unit

from ..models import ReporterKind, Submission
from ..obligations import period_label_vi

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
PREFIXES = ("Thành phố ", "Thị xã ", "Huyện ", "Quận ", "Phường ", "Xã ", "Thị trấn ", "Tỉnh ")


def short_name(unit: Unit) -> str:
    """ "Phường Tân Lập" → "Tân Lập"; "Tỉnh Đắk Lắk" → "Đắk Lắk" (the place of a document)."""
    for prefix in PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def vn_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2018" (Decree 30: leading zero for days < 10 and months 1, 2)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


@dataclass
class DocHead:
    parent_line: str
    issuer_lines: list[str]
    number: str
    place: str
    date: datetime.date
    subject: str
    period_line: str
    addressee: str
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    title: str = "BÁO CÁO"
    # The date as written when it is not yet known (a draft: "ngày   tháng   năm 2019").
    date_text: str = ""
    # A mark above the document type, e.g. "DỰ THẢO" on a draft.
    mark: str = ""

    @property
    def place_date(self) -> str:
        return f"{self.place}, {self.date_text or vn_date(self.date)}"


def _province(unit: Unit) -> Unit:
    ancestors = unit.ancestors() if unit.level > 1 else []
    return ancestors[0] if ancestors else unit


def issuer(sub: Submission) -> tuple[str, list[str]]:
    """(governing body line, issuing body lines) in capitals."""
    if sub.agency is None:
        return "", ["ỦY BAN NHÂN DÂN", sub.unit.name.upper()]
    agency = sub.agency
    province = _province(agency.unit)
    if agency.kind == AgencyKind.POLICE:
        if agency.level == 1:
            return "BỘ CÔNG AN", [f"CÔNG AN {province.name.upper()}"]
        return f"CÔNG AN {province.name.upper()}", [agency.name.upper()]
    if agency.kind in (AgencyKind.MASS_ORGANISATION, AgencyKind.PROCURACY, AgencyKind.COURT):
        name = agency.name.upper()
        if name.endswith(" TỈNH"):
            name += " " + short_name(province).upper()
        return "", [name]
    return f"UBND {agency.unit.name.upper()}", [agency.name.upper()]


def addressee(sub: Submission) -> str:
    version = sub.form_version
    if version.addressee:
        return version.addressee
    if version.is_synthesis:
        return "Ủy ban nhân dân " + lower_first(_province(sub.unit).name)
    if version.reporter_kind == ReporterKind.UNIT:
        parent = sub.unit.parent
        return "Ủy ban nhân dân " + lower_first(parent.name) if parent else ""
    office = agency_with_role(AgencyRoleKind.STANDING_OFFICE, _province(sub.unit), sub.period_end)
    return office.name if office and office.pk != sub.agency_id else ""


def doc_date(sub: Submission) -> datetime.date:
    moment = sub.reviewed_at if sub.status == "approved" else sub.submitted_at
    return timezone.localtime(moment).date() if moment else timezone.localdate()


def number_text(sub: Submission) -> str:
    number = sub.doc_number.strip()
    suffix = sub.form_version.doc_suffix
    if "/" in number:
        return f"Số: {number}"
    return f"Số: {number or ' ' * 6}/{suffix}"


def head(sub: Submission) -> DocHead:
    from ..values import submission_period

    period = submission_period(sub)
    parent_line, lines = issuer(sub)
    place_unit = _province(sub.unit) if sub.agency_id else sub.unit
    subject = sub.form_version.title.replace("{period}", period_label_vi(period))
    return DocHead(
        parent_line=parent_line,
        issuer_lines=lines,
        number=number_text(sub),
        place=short_name(place_unit),
        date=doc_date(sub),
        subject=subject,
        period_line=(f"(Số liệu từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})"),
        addressee=addressee(sub),
        recipients=list(sub.form_version.recipients or []),
        signer_authority=sub.signer_authority or sub.form_version.signer_authority,
        signer_title=sub.signer_title or sub.form_version.signer_title,
        signer_name=sub.signer_name,
    )
