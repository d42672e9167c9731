"""National demo data: more provinces, each reporting to the ministry only through its
standing office's synthesis reports (6-month and annual), most of them approved.

``build`` is a register step (``settings.PCMD_DEMO_REGISTERS``, ``make demo`` only: the test
base stays as small as before). It loads the provinces of ``settings.PCMD_DEMO_NATIONAL``
from the unit package (``"all"``: every province, the whole 2025 map of 34) and gives every
old province but the demo's own a standing office (Sở LĐ-TB&XH until 28/02/2025, the
standing role then moved to Sở Y tế: Decree 42/2025/NĐ-CP) and its synthesis reports with
made-up figures, for the demo year (2018, plan 1842's forms) and for :data:`PROGRAMME_YEAR`
(2024, under the national programme 1629/QĐ-TTg: the last year of the 63-province map, so the
ministry's default year measures 1629's targets). Reports are spread over the states the
ministry must tell apart: approved on time, approved late, submitted but not approved, draft,
and missing.

Tests build a few provinces with :func:`build_provinces` (tests/national/conftest.py).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pcmd.agencies.models import Agency, AgencyKind, AgencyRole, AgencyRoleKind
from pcmd.geo.actions import load_units
from pcmd.geo.loader import legacy_province_codes
from pcmd.geo.models import Unit, UnitLevel
from pcmd.reporting.models import FieldKind, FormVersion, ReportForm, Submission, SubmissionStatus
from pcmd.reporting.obligations import due_date, owed_periods

from .figures import synthesis_forms

DEMO_PROVINCE = "66"  # Đắk Lắk reports through pcmd.reporting.demo
# Phú Yên merged into the new Đắk Lắk: it reports here too (same map, another old province).
OFFICE_UNTIL = datetime.date(2025, 2, 28)
OFFICE_BASIS = "Nghị định 42/2025/NĐ-CP (chức năng phòng, chống tệ nạn xã hội chuyển sang Bộ Y tế từ 01/03/2025)"
# The state of each old province's report, by position in code order (a deterministic mix).
APPROVED, LATE, AWAITING, DRAFT, MISSING = "approved", "late", "awaiting", "draft", "missing"
PATTERN = (APPROVED, APPROVED, LATE, APPROVED, AWAITING, APPROVED, DRAFT, APPROVED, MISSING)
# The year under 1629/QĐ-TTg (2021–2025) the demo reports for besides the demo year.
PROGRAMME_YEAR = 2024


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _office(province: Unit) -> Agency:
    """The old province's standing office (Sở LĐ-TB&XH) until the function moved."""
    agency, _created = Agency.objects.get_or_create(
        code=f"SO_LDTBXH_{province.code}",
        defaults={
            "name": f"Sở Lao động - Thương binh và Xã hội {province.name}",
            "short_name": "Sở LĐ-TB&XH",
            "kind": AgencyKind.DEPARTMENT,
            "level": UnitLevel.PROVINCE,
            "unit": province,
            "valid_to": OFFICE_UNTIL,
        },
    )
    AgencyRole.objects.get_or_create(
        agency=agency,
        role=AgencyRoleKind.STANDING_OFFICE,
        defaults={"valid_to": OFFICE_UNTIL, "legal_basis": OFFICE_BASIS},
    )
    return agency


def _figures(rng: random.Random, version: FormVersion) -> tuple[dict[str, Any], dict[str, Any]]:
    """Made-up (typed, automatic) figures for the numeric fields of a synthesis version."""
    values: dict[str, Any] = {}
    auto: dict[str, Any] = {}
    for f in version.field_list:
        if not f.is_numeric or f.columns:
            continue
        if f.unit_label.strip() == "%":
            number: Any = round(rng.uniform(45, 100), 1)
        elif f.kind == FieldKind.MONEY or f.unit_label.strip() == "đồng":
            number = rng.randint(200, 2500) * 1_000_000
        else:
            number = rng.choice([0, 2, 3, rng.randint(5, 40), rng.randint(20, 300)])
        (auto if f.kind == FieldKind.AUTO else values)[f.code] = number
    return values, auto


def _report(
    rng: random.Random, form: ReportForm, period: Any, office: Agency, state: str
) -> Submission | None:
    if state == MISSING:
        return None
    version = form.current
    due = due_date(version, period, UnitLevel.PROVINCE)
    sent_day = due + datetime.timedelta(days=4) if state == LATE else due - datetime.timedelta(2)
    sent = _aware(sent_day, 9) if state != DRAFT else None
    status = {
        APPROVED: SubmissionStatus.APPROVED,
        LATE: SubmissionStatus.APPROVED,
        AWAITING: SubmissionStatus.SUBMITTED,
        DRAFT: SubmissionStatus.DRAFT,
    }[state]
    values, auto = _figures(rng, version)
    reviewed = _aware(sent_day + datetime.timedelta(days=3), 15) if status == "approved" else None
    return Submission.objects.create(
        form=form,
        form_version=version,
        unit=office.unit,
        agency=office,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=due,
        status=status,
        values=values,
        auto_values=auto if status != SubmissionStatus.DRAFT else {},
        signer_authority=version.signer_authority,
        signer_title=version.signer_title,
        first_submitted_at=sent,
        submitted_at=sent,
        reviewed_at=reviewed,
        doc_number=str(rng.randint(20, 400)) if sent else "",
    )


@transaction.atomic
def build_reports(
    year: int, *, rng: random.Random | None = None, states: dict[str, str] | None = None
) -> list[Unit]:
    """The synthesis reports of ``year`` of each old province loaded here other than the
    demo's own (those it does not have yet). ``states`` fixes the state of an old province's
    reports by code; the others follow :data:`PATTERN`. Returns the old provinces."""
    rng = rng or random.Random(f"national-{year}")
    provinces = list(
        Unit.objects.filter(level=UnitLevel.PROVINCE, valid_from=None)
        .exclude(code=DEMO_PROVINCE)
        .order_by("code")
    )
    forms = synthesis_forms()
    span = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    done = set(
        Submission.objects.filter(form__in=forms, unit__in=provinces).values_list(
            "unit_id", "form_id", "period_code"
        )
    )
    for index, province in enumerate(provinces):
        office = _office(province)
        state = (states or {}).get(province.code, PATTERN[index % len(PATTERN)])
        for form in forms:
            for period in owed_periods(form, form.current, since=span[0], until=span[1]):
                if (province.pk, form.pk, period.code) not in done:
                    _report(rng, form, period, office, state)
    return provinces


@transaction.atomic
def build_provinces(
    tokens: Sequence[str],
    year: int,
    *,
    rng: random.Random | None = None,
    states: dict[str, str] | None = None,
) -> list[Unit]:
    """Load the provinces ``tokens`` (with their 2025 partners), then :func:`build_reports`."""
    load_units(list(tokens), actor=None)
    return build_reports(year, rng=rng, states=states)


def national_tokens() -> list[str]:
    wanted = getattr(settings, "PCMD_DEMO_NATIONAL", "all")
    if wanted == "all":
        return legacy_province_codes()
    if isinstance(wanted, str):
        return [t.strip() for t in wanted.split(",") if t.strip()]
    return list(wanted)


def build(rng: random.Random, year: int) -> None:
    """The register step: the national demo provinces and their reports of the demo year and
    of :data:`PROGRAMME_YEAR` (see module doc)."""
    if Submission.objects.filter(agency__code__startswith="SO_LDTBXH_").exists():
        return
    build_provinces(national_tokens(), year, rng=rng)
    build_reports(PROGRAMME_YEAR, rng=rng)
