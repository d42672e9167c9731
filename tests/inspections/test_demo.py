"""The demo: realistic counts for 2018, deterministic, a no-op when rows exist."""

import datetime
import random

import pytest
from django.db.models import Count

from pcmd.enforcement import demo as enforcement_demo
from pcmd.enforcement.models import Sanction, SanctionStatusChange, Violation
from pcmd.geo.models import Unit, UnitLevel
from pcmd.inspections import demo
from pcmd.inspections.models import Inspection, InspectionPlan, Team, TeamMember, Tip
from pcmd.registry.models import EstablishmentKind

from . import builders as b

pytestmark = pytest.mark.django_db


def _establishments(n: int = 180) -> None:
    rng = random.Random(7)
    kinds = list(EstablishmentKind.objects.all()) or [b.kind()]
    communes = list(
        Unit.objects.filter(
            level=UnitLevel.COMMUNE, valid_from=None, path__startswith=b.province().path
        ).order_by("code")
    )
    bmt = [c for c in communes if c.parent.code == b.BMT]
    for i in range(n):
        commune = rng.choice(bmt if i % 5 < 3 else communes)
        b.establishment(commune, name=f"Cơ sở mẫu {i}", kind_obj=rng.choice(kinds))


def _signature() -> dict:
    return {
        "teams": list(Team.objects.order_by("pk").values_list("name", "level", "unit__code")),
        "members": list(
            TeamMember.objects.order_by("pk").values_list("person_name", "agency__code")
        ),
        "plans": list(
            InspectionPlan.objects.order_by("pk").values_list("title", "target_count", "target_max")
        ),
        "inspections": list(
            Inspection.objects.order_by("pk").values_list(
                "team__name", "establishment__name", "date", "result", "follow_up_needed"
            )
        ),
        "tips": list(
            Tip.objects.order_by("pk").values_list(
                "establishment__name", "received_on", "source_kind"
            )
        ),
        "violations": list(
            Violation.objects.order_by("pk").values_list(
                "violation_type__code", "date", "subject_kind", "people_count", "commune__code"
            )
        ),
        "sanctions": list(
            Sanction.objects.order_by("pk").values_list(
                "number", "date", "form", "amount", "status"
            )
        ),
    }


def _wipe() -> None:
    SanctionStatusChange.objects.all().delete()
    Sanction.objects.all().delete()
    Violation.objects.all().delete()
    Inspection.objects.all().delete()
    Tip.objects.all().delete()
    InspectionPlan.objects.all().delete()
    TeamMember.objects.all().delete()
    Team.objects.all().delete()


def _run(seed: str = "1842") -> None:
    demo.build(random.Random(f"{seed}-inspections"), 2018)
    enforcement_demo.build(random.Random(f"{seed}-enforcement"), 2018)


def test_no_establishments_no_demo() -> None:
    _run()
    assert not Team.objects.exists() and not Violation.objects.exists()


def test_demo_counts_and_determinism() -> None:
    _establishments()
    _run()
    first = _signature()
    province_team = Team.objects.get(level=1)
    assert province_team.lead_agency.code == "SO_LDTBXH"
    assert {m.agency.code for m in province_team.members.all()} >= {
        "SO_LDTBXH",
        "CONG_AN_TINH",
        "SO_VHTTDL",
        "SO_YTE",
        "SO_CONGTHUONG",
    }
    plan = province_team.plans.get()
    assert (plan.target_count, plan.target_max) == (100, 150)
    assert (plan.period_start, plan.period_end) == (
        datetime.date(2018, 1, 1),
        datetime.date(2018, 12, 31),
    )
    inspected = province_team.inspections.values("establishment").distinct().count()
    assert 100 <= inspected <= 130
    assert Team.objects.filter(level=2).count() >= 10
    total = Inspection.objects.count()
    assert inspected + 40 <= total <= 400  # district and commune teams too
    results = dict(Inspection.objects.values_list("result").annotate(n=Count("pk")))
    assert results["violation"] > 0.1 * total and results["no_violation"] > 0.6 * total
    assert all(i.date.year == 2018 for i in Inspection.objects.all())
    assert Violation.objects.count() >= results["violation"]
    # Fines inside the ranges; statuses over time.
    for s in Sanction.objects.select_related("violation__violation_type"):
        if s.form == "fine":
            low, high = s.violation.violation_type.fine_range(s.violation.subject_kind)
            assert low <= s.amount <= high
    statuses = set(Sanction.objects.values_list("status", flat=True))
    assert {"paid", "pending"} <= statuses
    assert Tip.objects.count() > 20
    # Same seed, same data.
    _wipe()
    _run()
    assert _signature() == first
    # A second run is a no-op.
    _run("other")
    assert _signature() == first
