"""The 2026 demo (issue 14, item 6): the new Đắk Lắk's plan drafted in the app from 1842, its
personas, and a few months of 2026 data on the two-tier map."""

from __future__ import annotations

import datetime
import random
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.module_loading import import_string

from pcmd.accounts.demo import PERSONAS, PERSONAS_2026
from pcmd.accounts.models import User
from pcmd.accounts.permissions import allows
from pcmd.accounts.roles import Role
from pcmd.geo.demo_2026 import months, new_communes, new_province, window
from pcmd.geo.models import Unit, UnitLevel
from pcmd.inspections.models import Inspection
from pcmd.outreach.models import Activity
from pcmd.plans import demo_2026
from pcmd.plans.models import Plan, PlanStatus
from pcmd.plans.selectors import in_force, provinces_of
from pcmd.plans.structure import to_data

pytestmark = pytest.mark.django_db

STEPS = [p for p in settings.PCMD_DEMO_REGISTERS if ".demo_2026." in p]
YEAR_2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def _build() -> None:
    for path in STEPS:
        import_string(path)(random.Random(f"1842-{path}"), 2018)


def _province() -> Unit:
    province = new_province()
    assert province is not None
    return province


def _plan() -> Plan:
    return Plan.objects.get(unit=_province(), number=demo_2026.NUMBER)


def test_the_2026_steps_come_last_in_the_register_list() -> None:
    assert STEPS == settings.PCMD_DEMO_REGISTERS[-len(STEPS) :]
    assert STEPS[0] == "pcmd.plans.demo_2026.build"
    assert len(STEPS) == 6


def test_the_new_personas_hold_the_new_province_and_two_factor(persona: Any) -> None:
    province = _province()
    soyte, committee = persona("soyte"), persona("ubnd.tinh")
    own = [a for a in soyte.active_assignments if a.role == Role.STANDING_OFFICE]
    assert [(a.unit_id, a.agency.code) for a in own] == [(province.pk, "SO_YTE")]
    # the standing office of the new province reads the history of both old provinces
    history = {a.unit.code for a in soyte.active_assignments if a.role == Role.LEADERSHIP}
    assert history == {"66", "54"}
    assert all(a.unit.valid_to is not None for a in soyte.active_assignments if a.unit != province)
    assert [(a.role, a.unit_id) for a in committee.active_assignments] == [
        (Role.LEADERSHIP, province.pk)
    ]
    for name in ("soyte", "ubnd.tinh"):
        out = StringIO()
        call_command("demo_otp", name, stdout=out, stderr=StringIO())
        assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6
    # the 2018 personas keep their 2018 units
    assert {p.username for p in PERSONAS}.isdisjoint({p.username for p in PERSONAS_2026})
    assert persona("thuongtruc").active_assignments[0].unit.valid_from is None


def test_the_2026_plan_is_drafted_from_1842_and_issued() -> None:
    source = Plan.objects.get(number="1842/KH-UBND")
    before = to_data(source)
    versions_before = source.versions.count()
    _build()
    plan = _plan()
    province = _province()
    assert plan.status == PlanStatus.ISSUED
    assert plan.unit == province and plan.copied_from == source
    assert (plan.period_start, plan.period_end) == YEAR_2026
    assert plan.issued_on == datetime.date(2026, 1, 23)
    assert source.unit_id in provinces_of(province)  # one province across the reform
    # the standing office is Sở Y tế; no district committees, no ended departments
    groups = list(plan.task_groups.filter(withdrawn=False).order_by("pk"))
    first = next(g for g in groups if g.number == "1")
    assert first.heading.startswith("Sở Y tế") and first.lead and first.lead.code == "SO_YTE"
    assert "cơ quan thường trực" in first.intro and "42/2025/NĐ-CP" in first.intro
    codes = {a.code for g in groups for a in g.agencies.all()}
    codes |= {a.code for t in plan.targets.all() for a in t.responsible.all()}
    assert "UBND_XA" in codes
    assert not codes & {"UBND_HUYEN", "SO_LDTBXH", "SO_TTTT"}
    assert sorted(int(g.number) for g in groups) == list(range(1, 13))
    text = str(to_data(plan))
    assert "huyện, thị xã" not in text and "Lao động - Thương binh" not in text
    # targets on the 102 communes, no district level
    t6 = plan.targets.get(code="T6")
    assert (t6.value, t6.denominator) == (97, 102) and "97/102" in t6.text
    assert all("district" not in t.applies_at for t in plan.targets.all())
    bases = [b["number"] for b in plan.legal_bases]
    assert bases[:2] == ["361/QĐ-TTg", "1794/QĐ-UBND"]
    assert {"1629/QĐ-TTg", "42/2025/NĐ-CP", "202/2025/QH15"} <= set(bases)
    # the history: draft → review → issued, by the standing office then the committee
    history = list(plan.versions.order_by("number").values_list("status", "actor__username"))
    statuses = [s for s, _u in history]
    assert statuses[0] == PlanStatus.DRAFT and statuses[-2:] == ["review", "issued"]
    assert statuses.count(PlanStatus.DRAFT) >= 4  # the copy and the edits
    assert history[-1][1] == "ubnd.tinh" and {u for _s, u in history[:-1]} == {"soyte"}
    comments = list(plan.comments.order_by("pk"))
    assert [c.agency.code for c in comments if c.agency] == ["CONG_AN_TINH", "SO_VHTTDL"]
    assert all(c.resolved for c in comments)
    # 1842 and its data are untouched
    source.refresh_from_db()
    assert to_data(source) == before and source.versions.count() == versions_before


def test_the_steps_are_idempotent() -> None:
    _build()
    counts = (Plan.objects.count(), Inspection.objects.count(), Activity.objects.count())
    _build()
    assert (Plan.objects.count(), Inspection.objects.count(), Activity.objects.count()) == counts


def test_the_data_lie_on_new_communes_in_the_complete_months() -> None:
    _build()
    province = _province()
    span = window()
    assert span is not None and span[1] < datetime.date.today().replace(day=1)
    assert len(months()) == span[1].month
    inspections = Inspection.objects.filter(commune__parent=province)
    assert inspections.exists()
    assert all(span[0] <= d <= span[1] for d in inspections.values_list("date", flat=True))
    assert {i.team.unit_id for i in inspections} == {province.pk}
    assert {i.team.lead_agency.code for i in inspections} == {"SO_YTE"}
    reached = Activity.objects.filter(unit__parent=province).values("unit").distinct().count()
    assert 0 < reached < len(new_communes(province))  # on its way to the 100% target


def test_soyte_dashboard_2026_uses_the_2026_plan_on_the_new_map(client_for: Any) -> None:
    _build()
    province = _province()
    soyte = User.objects.get(username="soyte")
    assert in_force(province, *YEAR_2026, user=soyte) == _plan()
    response = client_for("soyte").get(reverse("dashboard:home"), {"period": "2026"})
    assert response.status_code == 200
    q = response.context["q"]
    assert q.root == province and q.plan == _plan()
    progress = {p.target.code: p for p in response.context["progress"]}
    assert progress["T1"].result is not None and progress["T1"].result.total > 0
    assert progress["T2"].result is not None and progress["T2"].result.total > 0
    # the breakdown is by commune: no district between the province and its communes
    rows = response.context["rows"]
    assert len(rows) == 102 and {r["unit"].level for r in rows} == {UnitLevel.COMMUNE}


def test_the_2026_map_has_two_tiers_and_colour(client_for: Any) -> None:
    _build()
    response = client_for("soyte").get(reverse("dashboard:map"), {"period": "2026"})
    assert response.status_code == 200
    thematic = response.context["map"]
    assert len(thematic.areas) == 102
    assert thematic.outlines == [] and not thematic.by_district
    assert all(a.district == "" for a in thematic.areas)
    assert len({a.fill for a in thematic.areas}) > 1  # coloured: communes differ


def test_soyte_reads_the_old_provinces_history(client_for: Any) -> None:
    _build()
    soyte = User.objects.get(username="soyte")
    source = Plan.objects.get(number="1842/KH-UBND")
    assert Plan.objects.visible_to(soyte).filter(pk=source.pk).exists()
    old = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)
    response = client_for("soyte").get(
        reverse("dashboard:home"), {"period": "2018", "unit": old.pk}
    )
    assert response.status_code == 200 and response.context["q"].plan == source
    # read-only there: no plan drafting on the old province
    assert not allows(soyte, "plan.edit", unit=old)
    assert allows(soyte, "plan.edit", unit=_province())
