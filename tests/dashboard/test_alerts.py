"""Dashboard alerts (issue 9.13): a soft-deleted inspection is not a visit."""

from __future__ import annotations

import pytest

from pcmd.inspections.models import Inspection
from tests.inspections import builders as b

pytestmark = pytest.mark.django_db


def _never_inspected(client) -> str:
    html = client.get("/dashboard/?period=2018").content.decode()
    if 'id="alert-never-inspected"' not in html:
        return ""
    return html.split('id="alert-never-inspected"')[1].split("</section>")[0]


def test_an_establishment_whose_only_inspection_was_deleted_was_never_inspected(
    client_for,
) -> None:
    visited = b.establishment(name="Karaoke Đã Kiểm Tra")
    struck = b.establishment(name="Karaoke Bị Xoá Biên Bản")
    team = b.team(b.BMT)
    b.inspection(team, visited)
    deleted = b.inspection(team, struck)
    Inspection.objects.filter(pk=deleted.pk).update(is_deleted=True)
    alert = _never_inspected(client_for("huyen.bmt"))
    assert "Karaoke Bị Xoá Biên Bản" in alert
    assert "Karaoke Đã Kiểm Tra" not in alert


def test_the_no_activity_alert_names_eight_communes_then_links_the_rest(client_for) -> None:
    client = client_for("huyen.bmt")
    html = client.get("/dashboard/?period=2018").content.decode()
    alert = html.split('id="alert-no-activity"')[1].split("</section>")[0]
    count = int(alert.split("<h3>")[1].split(" ")[0])
    assert count > 8  # no activity at all in the test data: every commune of the city
    assert alert.count("<li>") == 8
    link = alert.split('<a href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/outreach/?year=2018&district=") and link.endswith("#coverage")
    assert f"và {count - 8} xã khác" in alert
    listed = client.get(link.split("#")[0]).content.decode()
    assert f"{count} xã chưa có hoạt động" in listed.split('id="coverage-missing"')[1]


def test_an_empty_monthly_trend_is_a_sentence_not_an_empty_chart(client_for) -> None:
    html = client_for("huyen.bmt").get("/dashboard/?period=2018").content.decode()
    assert 'id="trend-empty"' in html and '<svg class="chart"' not in html
    team = b.team(b.BMT)
    b.inspection(team, b.establishment(name="Karaoke Có Kiểm Tra"))
    html = client_for("huyen.bmt").get("/dashboard/?period=2018").content.decode()
    assert 'id="trend-empty"' not in html and '<svg class="chart"' in html
