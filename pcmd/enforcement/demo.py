"""Demo violations and sanction decisions for Đắk Lắk 2018.

- Every inspection that found a violation gets one (sometimes two) violations: the
  establishment as an organisation (harbouring, facilitating) or the people found buying or
  selling sex on the premises (individuals, counted; their decisions name them).
- About forty more come from police patrols in the communes of Buôn Ma Thuột and the
  district towns (plan IV.2: street-based sex work along the city's main roads).
- Most violations get a sanction decision within two weeks; fines lie inside the type's
  range; statuses move over the year (paid, enforced, appealed, a few cancelled, the latest
  still pending).
- Each decision about individuals names fictional persons (:mod:`.demo_persons`), as many as
  the violation counts.

Types are those in force on the date (Decree 167/2013/NĐ-CP in 2018). Deterministic for a
given ``rng``; a no-op when violations exist or no inspection found one.
"""

from __future__ import annotations

import datetime
import random

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel, UnitType
from pcmd.inspections.models import Inspection, InspectionResult

from . import actions, demo_persons
from .models import (
    SanctionForm,
    SanctionStatus,
    SubjectKind,
    Violation,
    ViolationType,
)

STANDALONE = 40


def _types_on(on: datetime.date) -> tuple[list[ViolationType], list[ViolationType]]:
    """(types for individuals, types for organisations) in force on ``on``."""
    valid = list(ViolationType.objects.filter(is_active=True).valid_on(on).order_by("order"))
    individual = [
        t for t in valid if t.fine_min_individual is not None and t.fine_min_organisation is None
    ]
    organisation = [t for t in valid if t.fine_min_organisation is not None]
    return individual, organisation


def _amount(rng: random.Random, low: int, high: int) -> int:
    step = 50_000 if high - low <= 5_000_000 else 500_000
    slots = (high - low) // step
    return low + step * rng.randint(0, slots)


def _sanction(
    rng: random.Random, violation: Violation, seq: int, year: int, agencies: dict[str, Agency]
) -> None:
    vtype = violation.violation_type
    on = violation.date + datetime.timedelta(days=rng.randint(1, 14))
    year_end = datetime.date(year, 12, 31)
    if on > year_end:
        return  # decided next year
    warning = vtype.warning_allowed and rng.random() < 0.35
    amount = None
    if not warning:
        low, high = vtype.allowed_fine_range(violation.subject_kind)
        if low is None or high is None:
            return
        amount = _amount(rng, low, high)
    commune = violation.commune
    district = commune.parent
    assert district is not None  # a commune lies in a district
    small = warning or (amount or 0) <= 5_000_000
    if small:
        authority = f"Chủ tịch UBND {commune.name}"
        agency = agencies.get(f"UBND_X{commune.code}")
    elif violation.subject_kind == SubjectKind.INDIVIDUAL:
        authority = f"Trưởng Công an {district.name}"
        agency = agencies.get(f"CA_H{district.code}")
    else:
        authority = f"Chủ tịch UBND {district.name}"
        agency = agencies.get(f"UBND_H{district.code}")
    organisation = violation.subject_kind == SubjectKind.ORGANISATION
    suspension = rng.choice([3, 6]) if organisation and rng.random() < 0.4 else None
    sanction = actions.record_sanction(
        actor=None,
        violation=violation,
        number=f"{seq:03d}/QĐ-XPVPHC",
        date=on,
        authority=authority,
        agency=agency,
        form=SanctionForm.WARNING if warning else SanctionForm.FINE,
        amount=amount,
        suspension_months=suspension,
        confiscation=rng.random() < 0.3,
        other_measures="Buộc nộp lại số lợi bất hợp pháp"
        if organisation and rng.random() < 0.3
        else "",
    )
    draw = rng.random()
    later = on + datetime.timedelta(days=rng.randint(3, 25))
    if later > year_end:
        return  # still pending at the end of the year
    if warning:
        actions.change_sanction_status(
            sanction,
            actor=None,
            status=SanctionStatus.ENFORCED,
            on=later,
            note="Đã giao quyết định cho người vi phạm",
        )
    elif draw < 0.78:
        actions.change_sanction_status(
            sanction,
            actor=None,
            status=SanctionStatus.PAID,
            on=later,
            note="Đã nộp phạt tại Kho bạc",
        )
    elif draw < 0.86:
        actions.change_sanction_status(
            sanction,
            actor=None,
            status=SanctionStatus.APPEALED,
            on=later,
            note="Đương sự khiếu nại quyết định",
        )
    elif draw < 0.89:
        actions.change_sanction_status(
            sanction,
            actor=None,
            status=SanctionStatus.CANCELLED,
            on=later,
            note="Hủy quyết định do sai thẩm quyền",
        )
    elif draw < 0.95:
        enforced = later + datetime.timedelta(days=rng.randint(20, 45))
        if enforced <= year_end:
            actions.change_sanction_status(
                sanction,
                actor=None,
                status=SanctionStatus.ENFORCED,
                on=enforced,
                note="Cưỡng chế thi hành quyết định",
            )
    # else: still pending (not yet paid)


def build(rng: random.Random, year: int) -> None:
    if Violation.objects.exists():
        return
    found = list(
        Inspection.objects.filter(
            result=InspectionResult.VIOLATION, is_deleted=False, date__year=year
        )
        .select_related("establishment", "establishment__kind", "commune", "commune__parent")
        .order_by("date", "pk")
    )
    if not found:
        return
    agencies = {a.code: a for a in Agency.objects.filter(level__gte=2)}
    agencies.update({a.code: a for a in Agency.objects.filter(level=1)})
    violations: list[Violation] = []
    for inspection in found:
        individual, organisation = _types_on(inspection.date)
        if rng.random() < 0.45 and organisation:
            vtype = rng.choice(organisation)
            violations.append(
                actions.record_violation(
                    actor=None,
                    violation_type=vtype,
                    date=inspection.date,
                    subject_kind=SubjectKind.ORGANISATION,
                    people_count=1,
                    inspection=inspection,
                    description=f"Chủ cơ sở {inspection.establishment.name} để xảy ra hoạt động "
                    "mua bán dâm tại cơ sở.",
                )
            )
        if individual and (
            not violations or violations[-1].inspection_id != inspection.pk or rng.random() < 0.4
        ):
            vtype = rng.choice(individual)
            violations.append(
                actions.record_violation(
                    actor=None,
                    violation_type=vtype,
                    date=inspection.date,
                    subject_kind=SubjectKind.INDIVIDUAL,
                    people_count=rng.choice([1, 1, 2, 2, 3]),
                    inspection=inspection,
                    description="Phát hiện tại thời điểm kiểm tra; lập biên bản vi phạm hành chính.",
                )
            )
    # Patrols in the city and the district towns (street-based, no establishment).
    province = Unit.objects.filter(code="66", level=UnitLevel.PROVINCE, valid_from=None).first()
    streets = (
        list(
            Unit.objects.filter(
                level=UnitLevel.COMMUNE,
                valid_from=None,
                path__startswith=province.path if province else "/",
                unit_type__in=[UnitType.WARD, UnitType.TOWNSHIP],
            )
            .select_related("parent")
            .order_by("code")
        )
        if province
        else []
    )
    city = [u for u in streets if u.parent is not None and u.parent.code == "643"]
    for _n in range(STANDALONE if streets else 0):
        commune = rng.choice(city if city and rng.random() < 0.7 else streets)
        on = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(10, 350))
        individual, _organisation = _types_on(on)
        if not individual:
            continue
        violations.append(
            actions.record_violation(
                actor=None,
                violation_type=rng.choice(individual),
                date=on,
                subject_kind=SubjectKind.INDIVIDUAL,
                commune=commune,
                people_count=rng.choice([1, 1, 1, 2]),
                description="Phát hiện qua tuần tra của lực lượng Cảnh sát trật tự.",
            )
        )
    violations.sort(key=lambda v: (v.date, v.pk))
    seq = 0
    for violation in violations:
        if rng.random() < 0.92:
            seq += 1
            _sanction(rng, violation, seq, year, agencies)
    # The persons behind the decisions about individuals, drawn after every decision so that
    # the registers' counts and amounts are those of the demo without persons.
    demo_persons.build(rng, year)
