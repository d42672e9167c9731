import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pcmd.geo.models import Unit
from pcmd.hotspots.models import Patrol
from pcmd.indicators.models import Boundary
from tests.conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db


def province() -> Unit:
    return Unit.objects.get(code="66", level=1, valid_from=None)


@pytest.mark.parametrize("username", [n for n in PERSONA_NAMES if n != "baovedl"])
def test_every_persona_gets_a_dashboard_for_their_scope(client_for, persona, username) -> None:
    response = client_for(username).get("/dashboard/")
    assert response.status_code == 200
    root = sorted(persona(username).scope_units, key=lambda u: u.depth)[0]
    html = response.content.decode()
    assert root.name in html
    assert 'id="card-T1"' in html and 'id="card-T6"' in html


def test_commune_officer_cannot_open_the_province(client_for) -> None:
    assert client_for("xa.tanlap").get(f"/dashboard/?unit={province().pk}").status_code == 404
    assert (
        client_for("huyen.bmt")
        .get(f"/dashboard/?unit={Unit.objects.get(code='24118').pk}")
        .status_code
        == 200
    )


def test_breakdown_drills_down_and_exports(client_for) -> None:
    Patrol.objects.create(on="2018-04-01", force="CSTT", commune=Unit.objects.get(code="24118"))
    client = client_for("thuongtruc")
    html = client.get("/dashboard/?period=2018").content.decode()
    bmt = Unit.objects.get(code="643")
    assert f"unit={bmt.pk}" in html  # a district row links down to its communes
    district = client.get(f"/dashboard/?period=2018&unit={bmt.pk}").content.decode()
    assert "Phường Tân Lập" in district
    response = client.get(f"/dashboard/export.csv?period=2018&unit={province().pk}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã đơn vị hành chính (TCTK)", "Đơn vị"] or rows[0][0]
    assert len(rows) == 1 + 15
    assert {r[0] for r in rows[1:]} == {str(c) for c in range(643, 658)}
    xlsx = client.get(f"/dashboard/export.xlsx?period=2018&unit={province().pk}")
    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb.active.max_row == 16


def test_bad_period_is_explained(client_for) -> None:
    response = client_for("admin").get("/dashboard/?period=2018-H9")
    assert response.status_code == 200
    assert "2018-H1" in response.content.decode()


def test_map_points_and_legend(client_for) -> None:
    Patrol.objects.create(on="2018-04-01", force="CSTT", commune=Unit.objects.get(code="24118"))
    html = (
        client_for("thuongtruc")
        .get("/dashboard/map/?indicator=patrols&period=2018")
        .content.decode()
    )
    assert html.count('class="cell"') == 184  # one polygon per commune
    assert "Phường Tân Lập: 1" in html
    assert 'id="map-legend"' in html
    pair = r"-?\d+\.\d,-?\d+\.\d"
    for d in re.findall(r'class="cell" data-unit="\d+" d="([^"]*)"', html):
        assert re.fullmatch(rf"(M{pair}( {pair})*Z)+", d), d[:60]  # "12.5,3.0", never "12,5"


def test_boundary_import_makes_polygons(client_for) -> None:
    tan_lap = Unit.objects.get(code="24118")
    feature = {
        "type": "Feature",
        "properties": {"code": "24118"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[108.06, 12.66], [108.09, 12.66], [108.09, 12.69], [108.06, 12.66]]],
        },
    }
    bad = {"type": "Feature", "properties": {"code": "99999"}, "geometry": feature["geometry"]}
    admin = client_for("admin")
    upload = SimpleUploadedFile(
        "b.geojson", json.dumps({"type": "FeatureCollection", "features": [feature, bad]}).encode()
    )
    response = admin.post("/dashboard/boundaries/", {"file": upload, "on": "01/01/2018"})
    assert response.status_code == 400 and "99999" in response.content.decode()
    assert not Boundary.objects.exists()  # all or nothing
    upload = SimpleUploadedFile(
        "b.geojson", json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    )
    assert (
        admin.post("/dashboard/boundaries/", {"file": upload, "on": "01/01/2018"}).status_code
        == 302
    )
    assert Boundary.objects.get().unit == tan_lap
    html = admin.get(
        f"/dashboard/map/?indicator=communes&unit={tan_lap.parent.pk}"
    ).content.decode()
    assert "<path" in html
    assert client_for("thuongtruc").get("/dashboard/boundaries/").status_code == 403


def test_indicator_definitions_page(client_for) -> None:
    html = client_for("xa.easo").get("/dashboard/indicators/").content.decode()
    assert 'id="ind-communication_coverage"' in html and "communes_with_activity" in html


def api(username: str, persona) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(username))
    return client


def test_api_values_and_progress(persona) -> None:
    Patrol.objects.create(
        on="2018-04-01", force="CSTT", commune=Unit.objects.get(code="24118"), people_found=3
    )
    client = api("thuongtruc", persona)
    assert len(client.get("/api/v1/indicators").json()) >= 20
    body = client.get("/api/v1/indicators/patrols/values?unit=66&period=2018&by=unit").json()
    assert body["total"] == 1
    assert {v["key"]: v["value"] for v in body["values"]}["643"] == 1
    found = client.get("/api/v1/indicators/people_found_patrols/values?unit=66&period=2018").json()
    assert found["total"] == 3  # the standing office sees small cells
    leader = (
        api("lanhdao", persona)
        .get("/api/v1/indicators/people_found_patrols/values?unit=66&period=2018")
        .json()
    )
    assert leader["total"] == "<5"
    plan_id = next(
        p["id"]
        for p in client.get("/api/v1/plans").json()["results"]
        if p["number"] == "1842/KH-UBND"  # not the national programmes listed with it
    )
    progress = client.get(f"/api/v1/plans/{plan_id}/progress?unit=66&period=2018").json()
    assert [t["code"] for t in progress["targets"]] == [f"T{i}" for i in range(1, 8)]
    t3 = progress["targets"][2]
    assert t3["goal"] == "100–150" and t3["indicator"] == "establishments_inspected_province_team"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/indicators/patrols/values?unit=66&period=2018-H3", 400),
        ("/api/v1/indicators/patrols/values?period=2018", 400),
        ("/api/v1/indicators/patrols/values?unit=66&period=2018&by=colour", 400),
        ("/api/v1/indicators/patrols/values?unit=66&period=2018&map=flat", 400),
        ("/api/v1/indicators/nope/values?unit=66&period=2018", 404),
    ],
)
def test_api_bad_parameters(persona, url, status) -> None:
    assert api("thuongtruc", persona).get(url).status_code == status


def test_api_scope(persona) -> None:
    assert (
        api("xa.tanlap", persona)
        .get("/api/v1/indicators/patrols/values?unit=66&period=2018")
        .status_code
        == 403
    )
    assert (
        api("xa.tanlap", persona)
        .get("/api/v1/indicators/patrols/values?unit=24118&period=2018")
        .status_code
        == 200
    )


def test_dashboard_shows_report_completeness(client_for) -> None:
    import datetime as dt

    from pcmd.reporting.stats import completeness

    html = client_for("thuongtruc").get("/dashboard/?period=2018").content.decode()
    section = html.split('id="report-completeness"')[1].split("</section>")[0]
    stats = completeness(province(), "2018", today=dt.date.today())
    assert stats.expected > 0
    assert f"{stats.submitted} / {stats.expected}" in " ".join(
        section.replace("trên", "/").replace("of", "/").split()
    ) or (str(stats.expected) in section)
    assert "/reporting/completeness/" in section


def test_small_counts_of_people_are_hidden_outside_person_level_roles(client_for, persona) -> None:
    from pcmd.support.models import SupportCount

    tan_lap = Unit.objects.get(code="24118")
    SupportCount.objects.create(
        commune=tan_lap,
        period_start="2018-01-01",
        period_end="2018-06-30",
        vocational_training=2,
        employment=1,
    )
    Patrol.objects.create(on="2018-04-01", force="CSTT", commune=tan_lap, people_found=2)
    url = f"/dashboard/?period=2018&unit={tan_lap.pk}"
    leader = client_for("lanhdao").get(url).content.decode()
    card = leader.split('id="card-T7"')[1].split("</section>")[0]
    assert "&lt;5" in card and "<meter" not in card
    office = client_for("thuongtruc").get(url).content.decode()
    assert 'class="big">3' in office.split('id="card-T7"')[1].split("</section>")[0]
    # the map: one "<5" class, no exact value in tooltips or legend
    html = (
        client_for("lanhdao")
        .get(f"/dashboard/map/?indicator=people_found_patrols&period=2018&unit={tan_lap.parent.pk}")
        .content.decode()
    )
    assert "Phường Tân Lập: &lt;5" in html

    legend = html.split('id="map-legend"')[1].split("</ul>")[0]
    texts = re.findall(r'<span class="label">([^<]*)</span>', legend)
    assert texts == ["0", "&lt;5"]
    # hand-made totals on the patrol list follow the same rule
    assert (
        "&lt;5"
        in client_for("lanhdao")
        .get("/hotspots/patrols/")
        .content.decode()
        .split('id="patrol-totals"')[1][:300]
    )
    assert (
        "&lt;5"
        not in client_for("congan")
        .get("/hotspots/patrols/")
        .content.decode()
        .split('id="patrol-totals"')[1][:300]
    )


def test_indicator_values_need_the_registers_read_right(persona) -> None:
    assert (
        api("sovhttdl", persona)
        .get("/api/v1/indicators/patrols/values?unit=66&period=2018")
        .status_code
        == 403
    )
    assert (
        api("sovhttdl", persona)
        .get("/api/v1/indicators/activities/values?unit=66&period=2018")
        .status_code
        == 200
    )


def test_engine_refusal_is_explained_in_both_languages(persona) -> None:
    response = api("thuongtruc", persona).get(
        "/api/v1/indicators/communes/values?unit=66&period=2018&by=month"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "no event date" in error["message_en"]
    assert error["message"] != error["message_en"]
