"""The "as is" map for a unit that has no successor today, and engine refusals (issue 9.4).

Districts were abolished on 1 July 2025 (DESIGN.md §3): district 643 has no successor, so
its figures are shown on today's communes that its communes became, labelled as such. A
question the engine still cannot answer gets a 400 in both languages on every page and
endpoint, never a 500.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from pcmd.core.periods import parse_period
from pcmd.geo.models import Unit, UnitLevel, UnitType
from pcmd.hotspots.models import Patrol
from pcmd.indicators.engine import AS_IS, AS_WAS, evaluate
from pcmd.indicators.models import Indicator
from pcmd.plans.models import Plan

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "huyen.bmt"]


def district() -> Unit:
    return Unit.objects.get(code="643", level=UnitLevel.DISTRICT)


def urls(unit: Unit) -> list[str]:
    plan = Plan.objects.order_by("pk").first()
    assert plan is not None
    q = f"map=as_is&period=2018&unit={unit.pk}"
    return [
        f"/dashboard/?{q}",
        f"/dashboard/map/?{q}",
        f"/dashboard/map/?{q}&indicator=patrols",
        f"/dashboard/export.csv?{q}",
        f"/dashboard/export.xlsx?{q}",
        f"/api/v1/plans/{plan.pk}/progress?unit={unit.code}&map=as_is",
        f"/api/v1/indicators/patrols/values?unit={unit.code}&map=as_is&period=2018",
        f"/api/v1/indicators/patrols/values?unit={unit.code}&map=as_is&period=2018&by=unit",
    ]


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("username", PERSONAS)
def test_a_district_without_successor_is_shown_on_todays_communes(client_for, username) -> None:
    Patrol.objects.create(on="2018-04-01", force="CSTT", commune=Unit.objects.get(code="24118"))
    client = client_for(username)
    # As reported: each user's own default unit (the province for admin, 643 for huyen.bmt).
    for url in [
        "/dashboard/?map=as_is",
        "/dashboard/map/?map=as_is",
        "/dashboard/export.csv?map=as_is",
    ]:
        assert client.get(url).status_code == 200, url
    for url in urls(district()):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, _body(response)[:300])
    page = client.get(f"/dashboard/?map=as_is&period=2018&unit={district().pk}").content.decode()
    assert 'id="engine-note"' in page
    api = client.get("/api/v1/indicators/patrols/values?unit=643&map=as_is&period=2018&by=unit")
    data = api.json()
    assert data["total"] == 1
    assert "no longer exists" in data["note"]["message_en"]
    assert data["note"]["message"] != data["note"]["message_en"]
    # The figure sits on the commune that Phường Tân Lập became, not on a vanished unit.
    (hit,) = [v for v in data["values"] if v["value"]]
    today = datetime.date.today()
    assert Unit.objects.get(code=hit["key"], level=UnitLevel.COMMUNE, valid_to=None).is_valid_on(
        today
    )
    csv_rows = list(
        csv.reader(
            io.StringIO(
                _body(
                    client.get(f"/dashboard/export.csv?map=as_is&period=2018&unit={district().pk}")
                ).decode("utf-8-sig")
            )
        )
    )
    assert hit["key"] in {r[0] for r in csv_rows[1:]}
    xlsx = client.get(f"/dashboard/export.xlsx?map=as_is&period=2018&unit={district().pk}")
    assert load_workbook(io.BytesIO(_body(xlsx))).active.max_row == len(csv_rows)


def test_as_is_keeps_the_districts_total_and_reads_only_its_rows() -> None:
    Patrol.objects.create(on="2018-04-01", force="CSTT", commune=Unit.objects.get(code="24118"))
    Patrol.objects.create(on="2018-05-01", force="CSTT", commune=Unit.objects.get(code="24379"))
    patrols = Indicator.objects.get(code="patrols")
    period = parse_period("2018")
    was = evaluate(patrols, district(), period, by="unit", mapping=AS_WAS)
    now = evaluate(patrols, district(), period, by="unit", mapping=AS_IS)
    assert was.total == now.total == 1
    assert now.note is not None and was.note is None
    assert all(Unit.objects.get(pk=k).level == UnitLevel.COMMUNE for k in now.values)


def _orphan() -> Unit:
    """A commune of district 643 that ended without a successor."""
    unit = Unit.objects.create(
        code="99999",
        name="Xã Không Kế Thừa",
        level=UnitLevel.COMMUNE,
        unit_type=UnitType.COMMUNE,
        parent=district(),
        valid_to=datetime.date(2020, 12, 31),
    )
    unit.set_path()
    unit.save(update_fields=["path"])
    return unit


@pytest.mark.parametrize("username", PERSONAS)
def test_an_engine_refusal_is_a_bilingual_400_everywhere(client_for, username) -> None:
    unit = _orphan()
    client = client_for(username)
    for url in urls(unit):
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code)
        body = _body(response).decode()
        if url.startswith("/api/"):
            error = response.json()["error"]
            assert error["status"] == 400
            assert "Xã Không Kế Thừa has no successor" in error["message_en"]
            assert "không có đơn vị kế thừa" in error["message"]
        else:
            assert 'id="engine-refusal"' in body
            assert "has no successor" in body and "không có đơn vị kế thừa" in body
            assert "map=as_was" in body  # the nearest question that has an answer


def test_refusals_are_answered_in_one_place() -> None:
    """Views leave EngineError to pcmd.indicators.refusals; only the optional monthly trend,
    which some registers cannot have, is left out when refused."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    catching = sorted(
        str(path.relative_to(root))
        for path in (root / "pcmd").rglob("*.py")
        if "except EngineError" in path.read_text(encoding="utf-8")
    )
    assert catching == ["pcmd/dashboard/views.py"]
