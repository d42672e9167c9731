"""Who reaches which reporting page and endpoint (personas: own unit, parent, other unit)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.demo import PERSONAS
from pcmd.accounts.roles import CAPABILITIES, Capability
from tests.conftest import PERSONA_NAMES, assert_reach

from .conftest import open_report, submitted_commune, user

pytestmark = pytest.mark.django_db

# Every persona but the data protection officer, who reads the trail, not reports.
EVERYONE = [n for n in PERSONA_NAMES if n != "baovedl"]
# province-wide readers of reports (reports.view at the province; the data protection officer
# reads the trail, not reports)
PROVINCE = [
    p.username
    for p in PERSONAS
    if p.unit_code == "66" and Capability.VIEW_REPORTS in CAPABILITIES[p.role]
]
assert set(PROVINCE) == {"admin", "thuongtruc", "lanhdao", "congan", "doi178", "sovhttdl"} | {
    "vks",
    "toaan",
}


@pytest.mark.parametrize(
    "url",
    [
        "/reporting/",
        "/reporting/reports/",
        "/reporting/completeness/",
        "/reporting/quality/",
        "/reporting/reminders/",
        "/reporting/forms/",
        "/reporting/below/",
    ],
)
def test_reading_pages_for_every_persona(client_for, url) -> None:
    assert_reach(client_for, url, EVERYONE)


def test_form_designer_for_standing_office_and_admin(client_for) -> None:
    from pcmd.reporting.models import ReportForm

    form = ReportForm.objects.get(code="pcmd-6-thang")
    assert_reach(client_for, f"/reporting/forms/{form.pk}/edit/", ["admin", "thuongtruc"])


def test_a_commune_report_is_read_inside_its_subtree_only(client_for) -> None:
    sub = submitted_commune()
    allowed = ["xa.tanlap", "huyen.bmt", "ctxh.bmt", *PROVINCE]
    assert_reach(client_for, f"/reporting/reports/{sub.pk}/", allowed)
    assert_reach(client_for, f"/reporting/reports/{sub.pk}/document.docx", allowed)
    for name in EVERYONE:
        api = APIClient()
        api.force_authenticate(user(name))
        status = api.get(f"/api/v1/submissions/{sub.pk}").status_code
        assert status == (200 if name in allowed else 404), (name, status)
        listed = api.get("/api/v1/submissions").json()["count"]
        assert listed == (1 if name in allowed else 0), name


def test_edit_page_only_for_the_reporter(client_for) -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    # others who may read it are refused (403); outsiders do not see it (404)
    assert_reach(client_for, f"/reporting/reports/{sub.pk}/edit/", ["xa.tanlap"])


def test_approve_and_return_only_by_the_district(client_for) -> None:
    for name in PERSONA_NAMES:
        if name == "huyen.bmt":
            continue
        sub = submitted_commune() if name == "admin" else None
        from pcmd.reporting.models import Submission

        sub = sub or Submission.objects.get(unit__code="24118", period_code="2018-H1")
        page = client_for(name).post(
            f"/reporting/reports/{sub.pk}/approve/", {"version": sub.version}
        )
        assert page.status_code in (302, 403, 404), name
        api = APIClient()
        api.force_authenticate(user(name))
        response = api.post(f"/api/v1/submissions/{sub.pk}/approve", {}, format="json")
        assert response.status_code in (403, 404), (name, response.status_code)
        response = api.post(f"/api/v1/submissions/{sub.pk}/return", {"comment": "x"}, format="json")
        assert response.status_code in (403, 404), (name, response.status_code)
        sub.refresh_from_db()
        assert sub.status == "submitted", name
    sub = Submission.objects.get(unit__code="24118", period_code="2018-H1")
    response = client_for("huyen.bmt").post(
        f"/reporting/reports/{sub.pk}/approve/", {"version": sub.version}
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "approved"


def test_start_api_refuses_other_units() -> None:
    api = APIClient()
    api.force_authenticate(user("xa.tanlap"))
    body = {"form": "pcmd-6-thang", "period": "2018-H1", "unit": "24379"}
    assert api.post("/api/v1/submissions", body, format="json").status_code == 403
    body["unit"] = "24118"
    response = api.post("/api/v1/submissions", body, format="json")
    assert response.status_code == 201 and response.json()["unit"] == "24118"
    api.force_authenticate(user("lanhdao"))  # read-only leadership
    body = {"form": "tong-hop-6-thang", "period": "2018-H1", "agency": "SO_LDTBXH"}
    assert api.post("/api/v1/submissions", body, format="json").status_code == 403
    api.force_authenticate(user("thuongtruc"))
    assert api.post("/api/v1/submissions", body, format="json").status_code == 201


def test_anonymous_is_refused(client) -> None:
    assert client.get("/reporting/").status_code == 302
    assert APIClient().get("/api/v1/submissions").status_code == 401
