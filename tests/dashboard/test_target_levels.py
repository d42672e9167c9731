"""Targets at every level (issue 10.3) and drill-down by clicking (issue 10.4)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import lxml.html
import pytest

from pcmd.core.periods import parse_period
from pcmd.dashboard.charts import Bar, bar_chart, nice_step, nice_ticks
from pcmd.geo.models import Unit
from pcmd.plans.models import Target
from pcmd.plans.progress import TONES, GoalMode, Status, goal_at, judge_at, targets_for

pytestmark = pytest.mark.django_db

Y = parse_period("2018")
END = dt.date(2019, 1, 5)
CSS = Path(__file__).parents[2] / "pcmd/dashboard/static/dashboard/dashboard.css"


def target(code: str) -> Target:
    return Target.objects.get(plan__number="1842/KH-UBND", code=code)


def bmt() -> Unit:
    return Unit.objects.get(code="643")


def tan_lap() -> Unit:
    return Unit.objects.get(code="24118")


def province() -> Unit:
    return Unit.objects.get(code="66", level=1, valid_from=None)


def page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def card(doc: Any, code: str) -> Any:
    (found,) = doc.xpath(f'//section[@id="card-{code}"]')
    return found


def text(node: Any) -> str:
    return " ".join(node.text_content().split())


# --- goals per level (data in the plan YAML: applies_at + scaling) ---


def test_the_plan_data_says_where_each_target_applies() -> None:
    assert target("T3").applies_at == ["province"] and target("T3").scaling == "province_only"
    assert target("T6").scaling == "share"
    assert target("T6").applies_at == ["province", "district", "commune"]


def test_goal_at_each_level() -> None:
    assert goal_at(target("T3"), province()).mode == GoalMode.PLAN
    assert goal_at(target("T3"), bmt()).mode == GoalMode.MONITOR
    assert goal_at(target("T3"), tan_lap()).mode == GoalMode.MONITOR
    assert goal_at(target("T6"), province()).text == "174/184"
    share = goal_at(target("T6"), bmt())
    assert share.mode == GoalMode.SHARE and share.value == pytest.approx(94.565, abs=0.01)
    assert goal_at(target("T1"), tan_lap()).text == "100%"  # a percentage applies unchanged


def test_an_allocation_sets_a_district_goal_and_monitors_the_others() -> None:
    t3 = target("T3")
    t3.scaling, t3.applies_at, t3.allocations = "allocation", ["province", "district"], {"643": 12}
    goal = goal_at(t3, bmt())
    assert goal.mode == GoalMode.ALLOCATION and goal.value == 12
    assert judge_at(t3, goal, 12, Y, END)[0] == Status.MET
    assert judge_at(t3, goal, 5, Y, END)[0] == Status.NOT_MET
    other = Unit.objects.get(code="644")
    assert goal_at(t3, other).mode == GoalMode.MONITOR
    assert goal_at(t3, tan_lap()).mode == GoalMode.MONITOR  # commune not in applies_at


def test_a_monitored_target_has_no_status_colour() -> None:
    goal = goal_at(target("T3"), bmt())
    assert judge_at(target("T3"), goal, 52, Y, END) == (Status.MONITORED, None)


def test_targets_for_gives_statuses_for_a_unit(persona) -> None:
    rows = {p.target.code: p for p in targets_for(persona("huyen.bmt"), bmt(), Y, today=END)}
    assert rows["T3"].status == Status.MONITORED and rows["T3"].tone == "none"
    assert rows["T6"].goal.mode == GoalMode.SHARE
    assert targets_for(persona("xa.tanlap"), province(), Y) == []  # outside the scope


# --- the dashboard cards ---


@pytest.mark.parametrize(("username", "unit"), [("huyen.bmt", bmt), ("xa.tanlap", tan_lap)])
def test_lower_level_cards_monitor_t3_and_judge_t6_as_a_share(client_for, username, unit) -> None:
    doc = page(client_for(username), f"/dashboard/?period=2018&unit={unit().pk}")
    t3 = card(doc, "T3")
    assert "theo dõi" in text(t3)
    assert "100–150" not in text(t3) and "không đạt" not in text(t3)
    assert "tone-none" in t3.get("class")
    assert not t3.xpath('.//svg[@class="progress"]')  # no bar without a goal
    t6 = card(doc, "T6")
    goal = text(t6.xpath('.//span[@class="goal"]')[0])
    assert goal == "mục tiêu 94,6%"  # the share of healthy communes, not 174 of them
    assert re.search(r"\d+(,\d)?%", t6.xpath('.//p[@class="big"]')[0].text_content())


def test_province_cards_keep_the_plan_goals(client_for) -> None:
    doc = page(client_for("thuongtruc"), "/dashboard/?period=2018")
    assert "100–150" in text(card(doc, "T3"))
    assert "174/184" in text(card(doc, "T6"))


@pytest.mark.parametrize("username", ["thuongtruc", "huyen.bmt", "xa.tanlap"])
def test_status_colour_is_one_per_card(client_for, username) -> None:
    doc = page(client_for(username), "/dashboard/?period=2018")
    cards = doc.xpath('//section[contains(@class, "target-card")]')
    assert cards
    labels = {str(s.label): s.value for s in Status}
    for node in cards:
        status = node.get("data-status")
        assert f"tone-{TONES[status]}" in node.get("class").split()
        classes = [c for c in node.get("class").split() if c.startswith("tone-")]
        assert len(classes) == 1  # border, bar and badge all read this one tone
        (chip,) = node.xpath('.//span[contains(@class, "chip")]')
        assert labels[chip.text_content().strip()] == status
        assert not node.xpath(".//meter")  # a <meter> is painted green whatever the status


def test_every_tone_has_one_colour_and_the_card_parts_use_it() -> None:
    css = CSS.read_text()
    for tone in set(TONES.values()):
        assert re.search(rf"\.tone-{tone} \{{ --tone: #[0-9a-f]{{6}}; --tone-bg: #", css), tone
    assert "border-left: 6px solid var(--tone)" in css
    assert re.search(r"\.progress \.fill \{ fill: var\(--tone\); \}", css)
    assert re.search(r"\.chip \{[^}]*color: var\(--tone\)", css)
    # no other rule colours a card by status
    assert "status-" not in css


# --- drill-down ---


def _links(doc: Any) -> list[str]:
    return [a.get("href") for a in doc.xpath('//table[@class="breakdown"]//tbody//a')]


def _assert_no_repeated_parameter(doc: Any) -> None:
    for href in doc.xpath("//a/@href"):
        if "?" not in href:
            continue
        keys = [k for k, _v in parse_qsl(urlsplit(href).query, keep_blank_values=True)]
        assert len(keys) == len(set(keys)), href


def _unit_of(href: str) -> int:
    return int(dict(parse_qsl(urlsplit(href).query))["unit"])


def test_drill_down_province_district_commune(client_for) -> None:
    client = client_for("thuongtruc")
    doc = page(client, "/dashboard/?period=2018")
    districts = _links(doc)
    assert len(districts) == 15
    _assert_no_repeated_parameter(doc)
    to_bmt = next(h for h in districts if _unit_of(h) == bmt().pk)
    doc = page(client, "/dashboard/" + to_bmt)
    communes = _links(doc)
    assert communes and tan_lap().pk in {_unit_of(h) for h in communes}
    _assert_no_repeated_parameter(doc)
    # every commune row links to the commune's dashboard
    rows = doc.xpath('//table[@class="breakdown"]/tbody/tr')
    assert len(rows) == len(communes)
    to_tan_lap = next(h for h in communes if _unit_of(h) == tan_lap().pk)
    doc = page(client, "/dashboard/" + to_tan_lap)
    assert "Phường Tân Lập" in text(doc.xpath("//nav[@class='crumbs']")[0])
    _assert_no_repeated_parameter(doc)
    crumbs = doc.xpath("//nav[@class='crumbs']/a/@href")
    assert {_unit_of(h) for h in crumbs} >= {province().pk, bmt().pk}


def test_breakdown_cells_are_judged_at_the_row_level(client_for) -> None:
    doc = page(client_for("thuongtruc"), "/dashboard/?period=2018")
    heads = [text(th) for th in doc.xpath('//table[@class="breakdown"]/thead//th')]
    t6 = next(h for h in heads if h.startswith("T6"))
    assert "94,6%" in t6
    t3 = next((h for h in heads if h.startswith("T3")), None)
    if t3 is not None:
        assert "theo dõi" in t3


# --- chart axes ---


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (52, [0, 20, 40, 60]),
        (100, [0, 20, 40, 60, 80, 100]),
        (101, [0, 50, 100, 150]),
        (7, [0, 2, 4, 6, 8]),
        (3, [0, 1, 2, 3]),
        (1234, [0, 500, 1000, 1500]),
        (0.73, [0, 0.2, 0.4, 0.6, 0.8]),
    ],
)
def test_round_ticks(top, ticks) -> None:
    assert nice_ticks(top) == ticks


@pytest.mark.parametrize("top", [0.3, 1, 3, 7, 13, 52, 99, 173, 999, 12345, 86050000])
def test_ticks_step_is_1_2_or_5_times_a_power_of_ten(top) -> None:
    step = nice_step(top)
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1, 2, 5)
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 6


def test_count_axes_have_whole_ticks_and_the_chart_uses_them() -> None:
    assert nice_ticks(1, integer=True) == [0, 1]
    chart = bar_chart([Bar("01/18", 3, ""), Bar("02/18", 52, "")])
    assert [t["v"] for t in chart["ticks"]] == ["0", "20", "40", "60"]
    # the tallest bar reaches 52/60 of the plot, not the top
    tallest = max(b["h"] for b in chart["bars"])
    assert tallest == pytest.approx((chart["base"] - chart["ticks"][-1]["y"]) * 52 / 60, abs=0.2)


def test_plan_page_says_how_each_target_carries_down(client_for) -> None:
    plan = target("T3").plan
    doc = page(client_for("lanhdao"), f"/plans/{plan.pk}/")
    assert "chỉ ở cấp ban hành kế hoạch" in text(doc.xpath('//tr[@id="target-T3"]')[0])
    assert "theo tỷ lệ" in text(doc.xpath('//tr[@id="target-T6"]')[0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"applies_at": ["region"]}, "applies_at"),
        ({"scaling": "half"}, "scaling"),
        ({"scaling": "province_only"}, "applies_at"),
        ({"scaling": "allocation"}, "allocations"),
    ],
)
def test_plan_data_with_bad_levels_is_refused_by_name(tmp_path, change, message) -> None:
    import yaml

    from pcmd.plans.actions import DATA_DIR, import_plan

    data = yaml.safe_load((DATA_DIR / "kh-1842-2018.yaml").read_text(encoding="utf-8"))
    data["targets"][0].update(change)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from pcmd.plans.structure import StructureError

    with pytest.raises(StructureError) as refused:
        import_plan(path, actor=None)
    assert f"targets[0].{message}" in refused.value.errors


def test_api_progress_judges_at_the_unit_level(persona) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(persona("huyen.bmt"))
    plan_id = target("T3").plan_id
    body = client.get(f"/api/v1/plans/{plan_id}/progress?unit=643&period=2018").json()
    targets = {t["code"]: t for t in body["targets"]}
    assert targets["T3"]["status"] == "monitored" and targets["T3"]["goal_mode"] == "monitor"
    assert targets["T6"]["goal_mode"] == "share"
    assert all(c["status"] == "monitored" for c in targets["T3"]["children"])


def test_progress_by_children_judges_the_root_as_progress_alone() -> None:
    """The dashboard evaluates the plan once, by children, for both the root's cards and the
    table: every root figure, goal and status equals the evaluation without children."""
    from pcmd.indicators.engine import AS_IS, AS_WAS
    from pcmd.plans.progress import plan_progress
    from pcmd.plans.selectors import in_force
    from tests.inspections import builders as b

    team = b.team(b.province())
    for i, code in enumerate([b.TAN_LAP, b.TAN_LAP, b.EA_SO]):
        est = b.establishment(code, name=f"Cơ sở {i}")
        b.inspection(team, est, on=dt.date(2018, 3 + i, 10))
    compared = nonzero = 0
    for period in (Y, parse_period("2018-H1")):
        for mapping, as_is_on in ((AS_WAS, None), (AS_IS, dt.date(2025, 7, 1))):
            for root in (province(), bmt(), tan_lap()):
                plan = in_force(root, period.start, period.end)
                assert plan is not None
                alone = plan_progress(plan, root, period, mapping=mapping, as_is_on=as_is_on)
                both = plan_progress(
                    plan, root, period, by_children=True, mapping=mapping, as_is_on=as_is_on
                )
                for a, c in zip(alone, both, strict=True):
                    compared += 1
                    nonzero += bool(a.value)
                    assert (a.target, a.status, a.goal, a.fraction, a.share, a.extra) == (
                        c.target,
                        c.status,
                        c.goal,
                        c.fraction,
                        c.share,
                        c.extra,
                    ), (period.code, mapping, root.code, a.target.code)
                    assert a.value == c.value and (a.result is None) == (c.result is None)
                    if a.result is not None and c.result is not None:
                        assert a.result.note == c.result.note
    assert compared > 50 and nonzero >= 6, (compared, nonzero)
