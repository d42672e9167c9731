"""The demo names fictional persons behind its sanctions of individuals, and every figure the
demo showed before persons existed stays the same."""

from __future__ import annotations

import random
import re

import pytest
from django.db.models import Sum
from django.utils.module_loading import import_string

from pcmd.core.demo import DEMO_YEAR, SEED
from pcmd.core.periods import parse_period
from pcmd.enforcement.models import SanctionedPerson, SubjectKind, Violation
from pcmd.geo.models import Unit
from pcmd.indicators.engine import evaluate
from pcmd.indicators.models import Indicator
from pcmd.people.models import Involvement, Person, Sex

pytestmark = pytest.mark.django_db

# Measured on main before persons existed (registry, inspections and enforcement builders of
# the demo, Đắk Lắk 2018, by district): the totals and the Buôn Ma Thuột (643) figures.
BEFORE = {
    "violations": (123, 56),
    "violations_handled": (112, 47),
    "sanctions": (112, 47),
    "sanctions_warnings": (11, 4),
    "sanctions_fines": (101, 43),
    "fine_amount": (1_271_050_000, 422_250_000),
    "inspections": (313, 95),
}
PEOPLE_BEFORE = 172  # Σ Violation.people_count


def build_demo_registers() -> None:
    """The demo builders that make establishments, inspections, violations and sanctions,
    seeded as ``pcmd.core.demo.load_registers`` seeds them."""
    for app in ("registry", "inspections", "enforcement"):
        builder = import_string(f"pcmd.{app}.demo.build")
        builder(random.Random(f"{SEED}-{app}-{DEMO_YEAR}"), DEMO_YEAR)


def _value(code: str, root: Unit, by: str | None = None) -> tuple[object, dict]:
    result = evaluate(Indicator.objects.get(code=code), root, parse_period(str(DEMO_YEAR)), by=by)
    return result.total, result.values


def test_demo_persons_leave_every_figure_unchanged() -> None:
    build_demo_registers()
    province = Unit.objects.get(code="66", valid_from=None)
    bmt = Unit.objects.get(code="643", valid_from=None)
    for code, (total, city) in BEFORE.items():
        got_total, by_unit = _value(code, province, by="unit")
        assert (got_total, by_unit[bmt.pk]) == (total, city), code
    assert Violation.objects.aggregate(n=Sum("people_count"))["n"] == PEOPLE_BEFORE

    # Every decision about individuals names as many persons as its violation counts.
    individual = Violation.objects.filter(
        subject_kind=SubjectKind.INDIVIDUAL, sanctions__isnull=False
    ).distinct()
    for violation in individual:
        named = (
            SanctionedPerson.objects.filter(sanction__violation=violation)
            .values("person")
            .distinct()
            .count()
        )
        assert named == violation.people_count, violation.pk
    assert not SanctionedPerson.objects.filter(
        sanction__violation__subject_kind=SubjectKind.ORGANISATION
    ).exists()

    # Persons: fictional values in the documented formats; some sanctioned twice.
    people = list(Person.objects.all())
    rows = SanctionedPerson.objects.count()
    assert 100 < len(people) < rows
    for person in people:
        assert re.fullmatch(r"066[0-3]\d{8}", person.id_number), person.code
        year = person.birth_year
        assert person.id_number[4:6] == f"{year % 100:02d}"
        century = 0 if year < 2000 else 2  # Circular 59/2021: 1900s male 0 / female 1, 2000s 2 / 3
        assert person.id_number[3] == str(century + (1 if person.sex == Sex.FEMALE else 0))
        assert re.fullmatch(r"09\d{8}", person.phone)
        assert person.full_name and person.sex in (Sex.FEMALE, Sex.MALE)
    assert len({p.id_number for p in people}) == len(people)
    assert Involvement.objects.filter(module="enforcement").count() == rows

    # The person indicators count distinct persons of the decisions not cancelled.
    distinct = (
        SanctionedPerson.objects.filter(sanction__date__year=DEMO_YEAR)
        .exclude(sanction__status="cancelled")
        .values("sanction__violation__commune", "person")
        .distinct()
        .count()
    )
    total, _values = _value("sanctioned_people", province)
    assert total == distinct
    female, _values = _value("sanctioned_people_female", province)
    warned, _values = _value("sanctioned_people_warned", province)
    fined, _values = _value("sanctioned_people_fined", province)
    assert 0 < female < total and warned + fined >= total > 0
