"""Tracking across years: each period is judged against the plan in force for it, and a target
is followed year by year (2017 baseline → 2018 → 2019) on each year's map or today's."""

from __future__ import annotations

import datetime
import re

import pytest
from rest_framework.test import APIClient

from pcmd.core.periods import year_period
from pcmd.geo.models import Unit
from pcmd.plans import actions
from pcmd.plans.models import Plan
from pcmd.plans.structure import to_data
from pcmd.plans.tracking import lineage, year_by_year
from pcmd.reporting.synthesis import plan_for
from tests.conftest import PERSONA_NAMES, assert_reach

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


@pytest.fixture
def plan2019(plan2018, persona) -> Plan:
    """2018 copied into a 2019 draft with T2 (now 120–160 inspections) and T5 (90 %) changed,
    submitted by the standing office and issued by the People's Committee."""
    office = persona("thuongtruc")
    draft = actions.copy_plan(
        plan2018, actor=office, period_start=D(2019, 1, 1), period_end=D(2019, 12, 31)
    )
    data = to_data(draft)
    for t in data["targets"]:
        if t["code"] == "T2":
            t.update(kind="count_range", value_min=120, value_max=160, value=None)
        if t["code"] == "T5":
            t["value"] = 90
    actions.save_content(draft, data, actor=office, version=draft.version, note="T2, T5")
    actions.submit(draft, actor=office)
    return actions.issue(
        draft,
        actor=persona("lanhdao"),
        number="520/KH-UBND",
        issued_on=D(2019, 3, 1),
        signer_name="Nguyễn Tuấn Hà",
        signer_title="PHÓ CHỦ TỊCH",
    )


def _card(html: str, code: str) -> str:
    return html.split(f'id="card-{code}"')[1].split("</section>")[0]


def _goal(card: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


# ---- the done-when of issue 14 ----------------------------------------------------------------


def test_a_2019_plan_shows_its_own_progress_while_2018_keeps_its_own(
    plan2018, plan2019, client_for, persona
) -> None:
    client = client_for("thuongtruc")
    y2018 = client.get("/dashboard/?period=2018").content.decode()
    y2019 = client.get("/dashboard/?period=2019").content.decode()
    assert "1842/KH-UBND" in y2018 and "520/KH-UBND" not in y2018
    assert "520/KH-UBND" in y2019
    assert "100%" in _goal(_card(y2018, "T5")) and "90%" not in _goal(_card(y2018, "T5"))
    assert "90%" in _goal(_card(y2019, "T5"))
    assert "120–160" in _goal(_card(y2019, "T2")) and "120–160" not in _goal(_card(y2018, "T2"))

    api = APIClient()
    api.force_authenticate(persona("thuongtruc"))
    own = {
        plan.number: {
            t["code"]: t["goal"]
            for t in api.get(f"/api/v1/plans/{plan.pk}/progress?unit=66").json()["targets"]
        }
        for plan in (plan2018, plan2019)
    }
    assert own["1842/KH-UBND"]["T5"] == "100%" and own["520/KH-UBND"]["T5"] == "90%"
    assert own["1842/KH-UBND"]["T2"] == "—" and own["520/KH-UBND"]["T2"] == "120–160"

    province = plan2018.unit
    assert plan_for(province, year_period(2018)) == plan2018  # the synthesis report of 2018
    assert plan_for(province, year_period(2019)) == plan2019
    plan2018.refresh_from_db()
    assert plan2018.targets.get(code="T5").value == 100  # the old plan is untouched


# ---- a target year by year ----------------------------------------------------------------------


def test_the_lineage_follows_the_copy_chain(plan2018, plan2019) -> None:
    chain = lineage(plan2019.targets.get(code="T5"))
    assert [(t.plan.number, t.code) for t in chain] == [
        ("1842/KH-UBND", "T5"),
        ("520/KH-UBND", "T5"),
    ]


def test_year_by_year_has_the_baseline_and_each_years_plan(plan2018, plan2019, persona) -> None:
    user = persona("thuongtruc")
    result = year_by_year(plan2018.targets.get(code="T5"), plan2018.unit, user)
    rows = {r.year: r for r in result.rows}
    assert list(rows) == [2017, 2018, 2019]
    assert rows[2017].baseline and rows[2017].plan is None and rows[2017].goal == ""
    assert rows[2018].plan == plan2018 and rows[2018].goal == "100%"
    assert rows[2019].plan == plan2019 and rows[2019].goal == "90%"
    assert len(result.chart["bars"]) == 3


def test_the_tracking_page(plan2018, plan2019, client_for) -> None:
    province = plan2018.unit
    client = client_for("thuongtruc")
    html = client.get(f"/plans/tracking/?target=T5&unit={province.pk}").content.decode()
    table = html.split('id="tracking-table"')[1]
    years = re.findall(r'data-year="(\d+)"', table)
    assert years == ["2017", "2018", "2019"]
    assert "520/KH-UBND" in table and "1842/KH-UBND" in table
    assert 'id="tracking-chart"' in html and "<script" not in html.split("<main")[-1]
    assert f"/dashboard/?period=2019&amp;map=as_was&amp;unit={province.pk}" in table
    today = client.get(f"/plans/tracking/?target=T5&unit={province.pk}&map=as_is")
    assert today.status_code == 200 and "map=as_is" in today.content.decode()


def test_a_target_dropped_in_a_later_plan_shows_the_gap(plan2018, persona, client_for) -> None:
    office = persona("thuongtruc")
    draft = actions.copy_plan(
        plan2018, actor=office, period_start=D(2019, 1, 1), period_end=D(2019, 12, 31)
    )
    data = to_data(draft)
    data["targets"] = [t for t in data["targets"] if t["code"] != "T3"]
    actions.save_content(draft, data, actor=office, version=draft.version)
    actions.submit(draft, actor=office)
    actions.issue(
        draft,
        actor=persona("lanhdao"),
        number="9/KH-UBND",
        issued_on=D(2019, 2, 1),
        signer_name="X",
        signer_title="PHÓ CHỦ TỊCH",
    )
    result = year_by_year(plan2018.targets.get(code="T3"), plan2018.unit, office)
    last = result.rows[-1]
    assert last.year == 2019 and last.plan.number == "9/KH-UBND" and last.target is None


def test_small_counts_of_people_stay_hidden_year_by_year(plan2018, client_for) -> None:
    from pcmd.support.models import SupportCount

    tan_lap = Unit.objects.get(code="24118")
    SupportCount.objects.create(
        commune=tan_lap,
        period_start="2018-01-01",
        period_end="2018-06-30",
        vocational_training=2,
        employment=1,
    )
    url = f"/plans/tracking/?target=T7&unit={plan2018.unit.pk}"
    leader = client_for("lanhdao").get(url).content.decode()
    row = leader.split('data-year="2018"')[1].split("</tr>")[0]
    assert "&lt;5" in row and ">3<" not in row
    office = client_for("thuongtruc").get(url).content.decode()
    assert "&lt;5" not in office.split('data-year="2018"')[1].split("</tr>")[0]


def test_a_hidden_figure_draws_no_bar(plan2018, persona) -> None:
    from pcmd.plans.tracking import year_chart

    result = year_by_year(plan2018.targets.get(code="T6"), plan2018.unit, persona("lanhdao"))
    rows = result.rows
    rows[0].display, rows[1].display = "<5", 12
    bars = year_chart(rows)["bars"]
    assert [b["has_value"] for b in bars] == [False, True]
    # the goal 174/184 is drawn as the share it means at the province (94.6 %) when shown as %
    assert bars[1]["goal_y"] is not None


@pytest.mark.parametrize(
    "query, status, text",
    [
        ("target=T5&map=sideways", 200, "as_was"),
        ("target=Z9", 200, "Z9"),
        ("target=99999999", 200, "99999999"),
        ("target=T5&unit=abc", 404, ""),
        ("target=T5&unit=99999999", 404, ""),
        ("target=" + "x" * 500, 200, ""),
    ],
)
def test_bad_parameters_are_refused_or_ignored_never_a_500(
    plan2018, client_for, query, status, text
) -> None:
    response = client_for("thuongtruc").get(f"/plans/tracking/?{query}")
    assert response.status_code == status
    if text:
        assert text in response.content.decode()


def test_the_unit_is_limited_to_the_users_scope(plan2018, client_for) -> None:
    province = plan2018.unit
    commune = client_for("xa.easo")
    assert commune.get(f"/plans/tracking/?target=T1&unit={province.pk}").status_code == 404
    own = commune.get("/plans/tracking/?target=T1")
    assert own.status_code == 200
    picker = own.content.decode().split('id="t-unit"')[1].split("</select>")[0]
    assert f'value="{province.pk}"' not in picker


def test_who_reaches_the_tracking_page(plan2018, client_for, persona) -> None:
    allowed = [n for n in PERSONA_NAMES if persona(n).can("dashboard.view")]
    assert {"thuongtruc", "lanhdao", "huyen.bmt", "xa.easo"} <= set(allowed)
    assert_reach(client_for, "/plans/tracking/?target=T1", allowed)


# ---- the other places that chose "the newest plan" now choose the plan in force ----------


def test_the_budget_year_ignores_national_programmes_and_other_years(
    plan2018, plan2019, client_for
) -> None:
    # 1629/QĐ-TTg (2021–2025) is the latest plan by end date, but it is not the province's
    assert Plan.objects.filter(number="1629/QĐ-TTg", unit__isnull=True).exists()
    response = client_for("thuongtruc").get("/budget/")
    assert response.status_code == 200 and response.context["year"] == 2019


def _issue_copy(
    source: Plan, persona, *, start: D, end: D, number: str, t6: int, issued: D, **kw
) -> Plan:
    office = persona("thuongtruc")
    draft = actions.copy_plan(source, actor=office, period_start=start, period_end=end, **kw)
    data = to_data(draft)
    for t in data["targets"]:
        if t["code"] == "T6":
            t["value"] = t6
    actions.save_content(draft, data, actor=office, version=draft.version)
    actions.submit(draft, actor=office)
    return actions.issue(
        draft,
        actor=persona("lanhdao"),
        number=number,
        issued_on=issued,
        signer_name="X",
        signer_title="PHÓ CHỦ TỊCH",
    )


def test_the_healthy_communes_target_is_the_plan_in_force_for_the_year(plan2018, persona) -> None:
    from pcmd.communes.views import plan_target

    # the yearly plan for 2019 and a programme plan for 2019–2020 issued after it: for 2019 the
    # yearly plan rules, whatever the order of issue
    _issue_copy(
        plan2018,
        persona,
        start=D(2019, 1, 1),
        end=D(2020, 12, 31),
        number="7/CTr-UBND",
        t6=176,
        issued=D(2019, 2, 1),
        plan_type="programme",
    )
    _issue_copy(
        plan2018,
        persona,
        start=D(2019, 1, 1),
        end=D(2019, 12, 31),
        number="11/KH-UBND",
        t6=178,
        issued=D(2019, 1, 15),
    )
    office = persona("thuongtruc")
    assert plan_target(office, 2018).value == 174
    assert plan_target(office, 2019).value == 178
    assert plan_target(office, 2020).value == 176
    assert plan_target(office, 2015) is None


def test_task_reports_open_on_the_plan_in_force_not_the_newest(plan2018, persona, client_for):
    office = persona("soyte")
    # a plan for a year to come (of the new province, the old one ended in 2025), issued
    # already: the newest, but not in force today
    future = actions.copy_plan(
        plan2018,
        actor=office,
        unit=Unit.objects.get(code="66", level=1, valid_from__isnull=False),
        period_start=D(2099, 1, 1),
        period_end=D(2099, 12, 31),
    )
    actions.submit(future, actor=office)
    actions.issue(
        future,
        actor=persona("ubnd.tinh"),
        number="1/KH-UBND-2099",
        issued_on=D(2026, 11, 1),
        signer_name="X",
        signer_title="PHÓ CHỦ TỊCH",
    )
    response = client_for("thuongtruc").get("/taskreports/")
    assert response.status_code == 200
    assert response.context["plan"] == plan2018
    options = [p.number for p in response.context["plans"]]
    assert "1629/QĐ-TTg" not in options and "361/QĐ-TTg" not in options
