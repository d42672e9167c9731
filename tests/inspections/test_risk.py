"""The risk score on a hand-built case: each factor separately, then the ranking, the page,
the API and the number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from pcmd.enforcement import actions as enforcement
from pcmd.enforcement.models import ViolationType
from pcmd.inspections import actions
from pcmd.inspections.models import RiskWeights
from pcmd.inspections.risk import distance_km, months_before, score_rows
from pcmd.registry.models import Establishment
from tests.stamps import as_if_committed

from . import builders as b

pytestmark = pytest.mark.django_db

ON = datetime.date(2020, 6, 30)


@pytest.fixture
def weights():
    return b.weights(
        kind_multiplier=3,
        violation_points=5,
        violation_window_months=24,
        violation_cap=100,
        points_per_month_uninspected=2,
        months_cap=40,
        never_inspected_points=50,
        hotspot_points=7,
        hotspot_distance_km=1.5,
        tip_points=4,
        tip_window_months=12,
        tip_cap=100,
    )


def parts(row):
    return {p.key: p.points for p in row.parts}


def ranking(qs=None, on=ON):
    with translation.override("en"):
        rows = score_rows(qs if qs is not None else Establishment.objects.all(), on)
    return {r.establishment.name: r for r in rows}, rows


def test_kind_weight(weights) -> None:
    b.establishment(b.TAN_LAP, name="A", kind_obj=b.kind("k-four", 4))
    b.establishment(b.TAN_LAP, name="B", kind_obj=b.kind("k-nine", 9))
    rows, _ = ranking()
    assert parts(rows["A"])["kind"] == 12 and parts(rows["B"])["kind"] == 27
    assert "× 3" in rows["B"].parts[0].reason


def test_never_inspected_scores_highest_and_months_count(weights) -> None:
    team = b.team(b.province())
    never = b.establishment(b.TAN_LAP, name="never")
    recent = b.establishment(b.TAN_LAP, name="recent")
    old = b.establishment(b.TAN_LAP, name="old")
    b.inspection(team, recent, on=datetime.date(2020, 1, 15))  # 5 whole months before ON
    b.inspection(team, old, on=datetime.date(2016, 1, 1))  # 53 months: capped at 40
    b.inspection(team, never, on=datetime.date(2020, 7, 5))  # after ON: does not count
    rows, ordered = ranking()
    assert parts(rows["never"])["inspection"] == 50
    assert rows["never"].parts[2].reason == "never inspected"
    assert rows["recent"].parts[2].reason == "15/01/2020, 5 months ago"
    assert parts(rows["recent"])["inspection"] == 10
    assert parts(rows["old"])["inspection"] == 40
    assert [r.establishment.name for r in ordered] == ["never", "old", "recent"]


def test_violations_in_the_window_only(weights) -> None:
    est = b.establishment(b.TAN_LAP, name="V")
    vtype = ViolationType.objects.get(code="nd167-d25-chua-moi-gioi")
    for on in [
        datetime.date(2019, 3, 1),
        datetime.date(2020, 2, 1),  # inside 24 months
        datetime.date(2018, 5, 1),  # before 30/06/2018: outside
        datetime.date(2020, 7, 2),
    ]:  # after ON
        enforcement.record_violation(
            actor=None,
            violation_type=vtype,
            date=on,
            establishment=est,
            subject_kind="organisation",
        )
    deleted = enforcement.record_violation(
        actor=None,
        violation_type=vtype,
        date=datetime.date(2020, 3, 1),
        establishment=est,
        subject_kind="organisation",
    )
    enforcement.delete_violation(deleted, actor=None, reason="nhầm")
    rows, _ = ranking()
    assert rows["V"].violations == 2
    assert parts(rows["V"])["violations"] == 10


def test_violation_points_are_capped(weights) -> None:
    b.weights(violation_cap=12)
    est = b.establishment(b.TAN_LAP, name="V")
    vtype = ViolationType.objects.get(code="nd167-d22-k1-mua-dam")
    for day in range(1, 5):
        enforcement.record_violation(
            actor=None,
            violation_type=vtype,
            date=datetime.date(2020, 1, day),
            establishment=est,
            subject_kind="individual",
        )
    rows, _ = ranking()
    assert rows["V"].violations == 4 and parts(rows["V"])["violations"] == 12


def test_hotspot_same_commune_distance_and_status_over_time(weights) -> None:
    other = b.other_commune_in(b.BMT, b.TAN_LAP)
    same = b.establishment(b.TAN_LAP, name="same commune")
    near = b.establishment(other, name="near", lat=12.6800, lon=108.0500)
    far = b.establishment(other, name="far", lat=12.7200, lon=108.0500)
    nowhere = b.establishment(b.EA_SO, name="no coordinates")
    # Active in Tân Lập; 0.9 km from "near" (in Tân Lập too, but with coordinates).
    b.hotspot(b.TAN_LAP, name="Đường Y Jút", lat=12.6881, lon=108.0500)
    # Cleared before ON in Ea Sô: does not count.
    b.hotspot(
        b.EA_SO,
        name="cleared",
        history=[("active", datetime.date(2017, 1, 1)), ("cleared", datetime.date(2019, 1, 1))],
    )
    # Appears only after ON in the other commune: does not count.
    b.hotspot(other, name="later", first_seen=datetime.date(2020, 8, 1))
    assert 0.85 < distance_km(12.68, 108.05, 12.6881, 108.05) < 0.95
    rows, _ = ranking()
    assert parts(rows["same commune"])["hotspot"] == 7
    assert "same commune" in rows["same commune"].parts[3].reason
    assert parts(rows["near"])["hotspot"] == 7
    assert "0,9 km" in rows["near"].parts[3].reason
    assert parts(rows["far"])["hotspot"] == 0  # 4.5 km away
    assert parts(rows["no coordinates"])["hotspot"] == 0
    assert same and near and far and nowhere
    # Reappearance: active again after being cleared.
    b.hotspot(
        b.EA_SO,
        name="back",
        history=[
            ("active", datetime.date(2017, 1, 1)),
            ("cleared", datetime.date(2018, 1, 1)),
            ("active", datetime.date(2020, 5, 1)),
        ],
    )
    rows, _ = ranking()
    assert parts(rows["no coordinates"])["hotspot"] == 7


def test_tips_in_the_window(weights) -> None:
    est = b.establishment(b.TAN_LAP, name="T")
    for on in [
        datetime.date(2019, 7, 1),
        datetime.date(2020, 1, 1),
        datetime.date(2020, 6, 30),
        datetime.date(2019, 6, 30),
    ]:  # the last is exactly 12 months before: outside
        actions.record_tip(actor=None, establishment=est, received_on=on, source_kind="hotline")
    rows, _ = ranking()
    assert rows["T"].tips == 3 and parts(rows["T"])["tips"] == 12


def test_full_score_is_the_sum_and_closed_are_left_out(weights) -> None:
    team = b.team(b.province())
    est = b.establishment(b.TAN_LAP, name="full", kind_obj=b.kind("k-five", 5))
    b.establishment(b.TAN_LAP, name="closed one", status="closed")
    b.inspection(team, est, on=datetime.date(2020, 3, 30))  # 3 months
    enforcement.record_violation(
        actor=None,
        violation_type=ViolationType.objects.get(code="nd167-d22-k1-mua-dam"),
        date=datetime.date(2020, 3, 30),
        establishment=est,
        subject_kind="individual",
    )
    actions.record_tip(
        actor=None, establishment=est, received_on=datetime.date(2020, 2, 1), source_kind="citizen"
    )
    b.hotspot(b.TAN_LAP)
    rows, _ = ranking()
    assert "closed one" not in rows
    assert parts(rows["full"]) == {
        "kind": 15,
        "violations": 5,
        "inspection": 6,
        "hotspot": 7,
        "tips": 4,
    }
    assert rows["full"].score == 37


def test_weights_are_data(weights, client_for) -> None:
    est = b.establishment(b.TAN_LAP, name="W", kind_obj=b.kind("k-two", 2))
    rows, _ = ranking()
    before = rows["W"].score
    page = client_for("admin").get("/inspections/next/weights/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items()}
    data.update(
        {
            "kind_multiplier": 10,
            "hotspot_distance_km": "1.5",
            "is_active": "on",
            "source": "Ban chỉ đạo tỉnh",
        }
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client_for("admin").post("/inspections/next/weights/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows, _ = ranking()
    assert rows["W"].score == before - 6 + 20
    assert est


def test_never_inspected_must_stay_highest(client_for, weights) -> None:
    page = client_for("admin").get("/inspections/next/weights/")
    data = {
        k: ("on" if v is True else v)
        for k, v in page.context["form"].initial.items()
        if v is not False
    }
    data.update({"never_inspected_points": 10, "months_cap": 40})
    response = client_for("admin").post("/inspections/next/weights/", data)
    assert response.status_code == 400
    assert "never_inspected_points" in response.context["form"].errors
    assert RiskWeights.objects.get(is_active=True).never_inspected_points == 50


def test_queries_do_not_grow_with_establishments(weights, settings) -> None:
    settings.PCMD_ANSWER_CACHE = False  # the ranking's own work (kept answers: tests/core)
    team = b.team(b.province())
    b.hotspot(b.TAN_LAP)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            score_rows(Establishment.objects.all(), ON)
        return len(ctx.captured_queries)

    for _ in range(3):
        b.inspection(team, b.establishment(b.TAN_LAP), on=datetime.date(2020, 1, 2))
    few = count()
    for _ in range(30):
        est = b.establishment(b.EA_SO, lat=12.8, lon=108.4)
        b.inspection(team, est, on=datetime.date(2020, 1, 2))
        actions.record_tip(
            actor=None,
            establishment=est,
            received_on=datetime.date(2020, 1, 3),
            source_kind="hotline",
        )
    # establishments, their kinds and communes, three grouped facts, hotspots and their history
    assert count() == few <= 9


def test_page_shows_the_breakdown_in_the_team_area(client_for, weights) -> None:
    bmt = b.team(b.BMT)
    b.establishment(b.TAN_LAP, name="Karaoke Trong Vùng")
    b.establishment(b.EA_SO, name="Karaoke Ngoài Vùng")
    html = (
        client_for("doi178").get(f"/inspections/next/?team={bmt.pk}&on=30/06/2020").content.decode()
    )
    assert "Karaoke Trong Vùng" in html and "Karaoke Ngoài Vùng" not in html
    assert "+50" in html and "+12" in html  # never inspected; kind 4 × 3
    # Team area ∩ user scope: the commune officer sees only their commune.
    b.establishment(b.other_commune_in(b.BMT, b.TAN_LAP), name="Karaoke Phường Bên")
    html = client_for("xa.tanlap").get(f"/inspections/next/?team={bmt.pk}").content.decode()
    assert "Karaoke Trong Vùng" in html and "Karaoke Phường Bên" not in html


def test_page_queries_are_bounded(
    client_for, weights, django_assert_max_num_queries, settings
) -> None:
    settings.PCMD_ANSWER_CACHE = False  # the ranking's own work (kept answers: tests/core)
    team = b.team(b.province())
    for _ in range(40):
        b.establishment(b.TAN_LAP)
    client = client_for("doi178")
    # 19: includes reading the ids of the units of the scope, the province and the team's
    # area (pcmd.geo.subtree), a small indexed query each
    with django_assert_max_num_queries(19):
        assert client.get(f"/inspections/next/?team={team.pk}").status_code == 200


def test_api_ranking_with_breakdown(weights) -> None:
    team = b.team(b.province())
    top = b.establishment(b.TAN_LAP, name="top", kind_obj=b.kind("k-nine", 9))
    low = b.establishment(b.TAN_LAP, name="low", kind_obj=b.kind("k-one", 1))
    b.inspection(team, low, on=datetime.date(2020, 6, 1))
    b.establishment(b.EA_SO, name="elsewhere")
    client = APIClient()
    from pcmd.accounts.models import User

    client.force_authenticate(User.objects.get(username="huyen.bmt"))
    body = client.get("/api/v1/risk?unit=643&on=2020-06-30").json()
    names = [r["name"] for r in body["results"]]
    assert names == ["top", "low"] and body["count"] == 2
    first = body["results"][0]
    assert first["rank"] == 1 and first["score"] == 27 + 50
    assert {p["key"]: p["points"] for p in first["parts"]}["inspection"] == 50
    assert top and low
    assert client.get("/api/v1/risk").json()["error"]["fields"].keys() == {"unit"}
    assert client.get("/api/v1/risk?unit=99999").status_code == 400
    assert client.get("/api/v1/risk?unit=651").status_code == 404  # outside the scope
    assert client.get("/api/v1/risk?unit=643&on=30-06-2020").json()["error"]["fields"].keys() == {
        "on"
    }


def test_months_before() -> None:
    assert months_before(datetime.date(2020, 6, 30), 24) == datetime.date(2018, 6, 30)
    assert months_before(datetime.date(2020, 3, 31), 1) == datetime.date(2020, 2, 29)
    assert months_before(datetime.date(2021, 3, 31), 1) == datetime.date(2021, 2, 28)


def test_the_ranking_is_kept_for_the_same_rows_and_follows_every_write(weights) -> None:
    """Kept by the SQL of its rows (pcmd.core.datacache): the same rows, another user or
    request, read it again; other rows or a new inspection compute it again."""
    team = b.team(b.province())
    first, second = b.establishment(b.TAN_LAP), b.establishment(b.EA_SO)
    as_if_committed()
    whole = score_rows(Establishment.objects.all(), ON)
    assert whole[0].last_inspected is None
    with CaptureQueriesContext(connection) as kept:
        again = score_rows(Establishment.objects.all(), ON)
        assert len(again) == len(whole)
    assert len(kept) == 2  # the weights in use, the stamps of what the ranking read
    with CaptureQueriesContext(connection) as other:
        assert {
            r.establishment.pk for r in score_rows(Establishment.objects.filter(pk=first.pk), ON)
        } == {first.pk}
    assert len(other) > 2
    for est in (first, second):
        b.inspection(team, est, on=datetime.date(2020, 6, 1))
    assert all(
        r.last_inspected == datetime.date(2020, 6, 1)
        for r in score_rows(Establishment.objects.filter(pk__in=[first.pk, second.pk]), ON)
    )
    assert score_rows(Establishment.objects.all(), ON)[-1].last_inspected is not None
