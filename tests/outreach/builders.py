"""Builders for outreach and support rows (code, not pk fixtures)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook

from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.roles import CAPABILITIES, Capability
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit
from pcmd.outreach.models import (
    Activity,
    Audience,
    CommunicationForm,
    Officer,
    Training,
    TrainingParticipant,
)
from pcmd.support.models import SupportCount

TAN_LAP = "24118"  # Phường Tân Lập, TP Buôn Ma Thuột (643) — xa.tanlap
EA_SO = "24379"  # Xã Ea Sô, huyện Ea Kar (651) — xa.easo
BMT = "643"
EA_KAR = "651"
PROVINCE = "66"
DAY = datetime.date(2018, 5, 10)

PROVINCE_ROLES = ["admin", "thuongtruc", "lanhdao", "congan", "sovhttdl"]
# who reads and who records communication and training, from the roles (not Team 178, the data
# protection officer, the procuracy or the court)
VIEWERS = [p.username for p in PERSONAS if Capability.VIEW_OUTREACH in CAPABILITIES[p.role]]
EDITORS = [p.username for p in PERSONAS if Capability.EDIT_OUTREACH in CAPABILITIES[p.role]]


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def activity(
    code: str = TAN_LAP,
    *,
    day: datetime.date = DAY,
    title: str = "Họp tổ dân phố",
    form: str = "meeting",
    audiences: tuple[str, ...] = ("public",),
    agency_code: str | None = None,
    **extra: Any,
) -> Activity:
    where = unit(code)
    row = Activity.objects.create(
        date=day,
        unit=where,
        form=CommunicationForm.objects.get(code=form),
        title=title,
        agency=agency(agency_code or (f"UBND_X{code}" if where.level == 3 else "SO_VHTTDL")),
        **extra,
    )
    row.audiences.set(Audience.objects.filter(code__in=audiences))
    return row


def officer(code: str = TAN_LAP, name: str = "Nguyễn Thị Hoa", **extra: Any) -> Officer:
    extra.setdefault("position", "Công chức Văn hóa - Xã hội")
    return Officer.objects.create(full_name=name, commune=unit(code), **extra)


def training(
    code: str = PROVINCE,
    *,
    start: datetime.date = DAY,
    level: str = "province",
    title: str = "Tập huấn cán bộ cấp xã",
    **extra: Any,
) -> Training:
    return Training.objects.create(
        title=title,
        level=level,
        agency=agency(extra.pop("agency_code", "SO_LDTBXH")),
        start_date=start,
        end_date=extra.pop("end", start + datetime.timedelta(days=1)),
        unit=unit(code),
        **extra,
    )


def attend(course: Training, person: Officer) -> TrainingParticipant:
    return TrainingParticipant.objects.create(
        training=course,
        officer=person,
        full_name=person.full_name,
        position=person.position,
        unit=person.commune,
    )


def support_count(
    code: str = TAN_LAP,
    start: datetime.date = datetime.date(2018, 1, 1),
    end: datetime.date = datetime.date(2018, 6, 30),
    **counts: int,
) -> SupportCount:
    return SupportCount.objects.create(
        commune=unit(code), period_start=start, period_end=end, **counts
    )


def workbook(header: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
