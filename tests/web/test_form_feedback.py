"""Forms help the person filling them: an error summary linking to the fields, date boxes
for dd/mm/yyyy with a numeric keypad, sensible defaults (issue 10.12)."""

from __future__ import annotations

import re

import pytest
from django import forms

from pcmd.web.forms import DateField

pytestmark = pytest.mark.django_db


def test_date_boxes_take_dd_mm_yyyy_with_a_numeric_keypad() -> None:
    class Form(forms.Form):
        on = DateField(label="On")

    html = str(Form()["on"])
    assert 'inputmode="numeric"' in html and "data-date" in html
    pattern = re.search(r'pattern="([^"]+)"', html)
    assert pattern is not None
    for typed, ok in [
        ("01/06/2018", True),
        ("1/6/2018", True),
        ("2018-06-01", True),
        ("01.06.2018", False),
        ("June 1", False),
    ]:
        assert bool(re.fullmatch(pattern.group(1), typed)) is ok, typed
    form = Form({"on": "19/06/2018"})
    assert form.is_valid() and form.cleaned_data["on"].isoformat() == "2018-06-19"
    assert 'value="19/06/2018"' in str(Form(initial={"on": form.cleaned_data["on"]})["on"])


def test_a_form_with_errors_starts_with_a_summary_linking_to_each_field(client_for) -> None:
    response = client_for("admin").post("/users/new/", {"username": "", "email": "x"})
    html = response.content.decode()
    summary = html.index("data-error-summary")
    assert summary < html.index('name="username"')
    assert 'href="#id_username"' in html and 'href="#id_email"' in html
    assert 'role="alert"' in html[summary - 200 : summary + 50]


@pytest.mark.parametrize(
    "url",
    ["/registry/new/", "/outreach/new/", "/inspections/new/", "/hotspots/new/", "/support/new/"],
)
def test_every_register_form_has_the_summary(client_for, url) -> None:
    response = client_for("admin").post(url, {"version": ""})
    assert response.status_code in (200, 400)
    assert "data-error-summary" in response.content.decode(), url


@pytest.fixture
def teams() -> None:
    """A Team 178 at the province, in Buôn Ma Thuột and in its ward Tân Lập, and one more
    commune team in the city (the district officer records for both communes' teams)."""
    from pcmd.agencies.models import Agency
    from pcmd.geo.models import Unit
    from pcmd.inspections.models import Team

    lead = Agency.objects.order_by("level", "pk").first()
    for code, level in [("66", 1), ("643", 2), ("24118", 3), ("24121", 3)]:
        # the 2018 unit of that code (open start: NULLs sort first on SQLite, last on PostgreSQL)
        unit = Unit.objects.filter(code=code, valid_from=None).first()
        assert unit is not None, code
        Team.objects.create(name=f"Đội {code}", unit=unit, level=level, lead_agency=lead)


@pytest.mark.parametrize(
    ("username", "team_unit"), [("doi178", "66"), ("huyen.bmt", "643"), ("xa.tanlap", "24118")]
)
def test_a_new_inspection_defaults_to_the_users_own_team(
    client_for, teams, username, team_unit
) -> None:
    response = client_for(username).get("/inspections/new/")
    team = response.context["form"].initial.get("team")
    assert team is not None and team.unit.code == team_unit


def test_the_administrator_defaults_to_the_broadest_team(client_for, teams) -> None:
    response = client_for("admin").get("/inspections/new/")
    assert response.context["form"].initial.get("team").unit.code == "66"


def test_a_new_budget_line_defaults_to_the_year_of_the_current_plan(client_for) -> None:
    from pcmd.plans.models import Plan

    # the province's plan, not a national programme that ends later (1629/QĐ-TTg, 2025)
    plan = Plan.objects.filter(unit__isnull=False).order_by("-period_end").first()
    response = client_for("thuongtruc").get("/budget/new/")
    assert response.context["form"].initial["year"] == plan.period_end.year
