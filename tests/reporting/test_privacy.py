"""Small cells (DESIGN.md §4), the reminder redirect, the start permission, reminder text."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from pcmd.agencies.models import Agency
from pcmd.reporting import actions
from pcmd.reporting.definitions import DefinitionError, clean_definition
from pcmd.reporting.models import Reminder, ReportForm, Submission
from pcmd.reporting.seed import read_seed

from .conftest import GOOD_COMMUNE, approved_commune, unit, user

pytestmark = pytest.mark.django_db


def _small_commune() -> Submission:
    """An approved report of Phường Tân Lập with 3 people found by patrols (snapshot)."""
    sub = approved_commune(values={**GOOD_COMMUNE, "staff": 21})
    Submission.objects.filter(pk=sub.pk).update(
        auto_values={**sub.auto_values, "people_found": 3, "patrols": 2}
    )
    return Submission.objects.get(pk=sub.pk)


def _below(client_for, name: str) -> str:
    form = ReportForm.objects.get(code="pcmd-6-thang")
    response = client_for(name).get(
        f"/reporting/below/?form={form.pk}&unit={unit('643').pk}&period=2018-H1"
    )
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('data-unit="24118"') :].split("</tr>", 1)[0]


def test_aggregation_page_suppresses_small_people_counts_for_leadership(client_for) -> None:
    _small_commune()
    row = _below(client_for, "lanhdao")
    assert "&lt;5" in row
    assert ">3 " not in row and ">3<" not in row
    assert ">2<" in row or ">2 " in row  # patrols are activities: never suppressed
    exact = _below(client_for, "thuongtruc")
    assert "&lt;5" not in exact
    assert ">3" in exact


def test_api_returns_lt5_and_lists_suppressed_fields() -> None:
    sub = _small_commune()

    def get(name: str) -> dict:
        api = APIClient()
        api.force_authenticate(user(name))
        response = api.get(f"/api/v1/submissions/{sub.pk}")
        assert response.status_code == 200
        return response.json()

    leader = get("lanhdao")
    assert leader["auto_values"]["people_found"] == "<5"
    assert leader["auto_values"]["patrols"] == 2
    assert "people_found" in leader["suppressed"]
    office = get("thuongtruc")
    assert office["auto_values"]["people_found"] == 3
    assert office["suppressed"] == []
    # the reporter sees their own figures
    assert get("xa.tanlap")["auto_values"]["people_found"] == 3


def test_docx_downloaded_by_leadership_has_lt5(client_for) -> None:
    sub = _small_commune()
    response = client_for("lanhdao").get(f"/reporting/reports/{sub.pk}/document.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    found = [r for r in rows if any("Số người phát hiện qua tuần tra" in c for c in r)]
    assert found and found[0][-1] == "<5"
    office = client_for("thuongtruc").get(f"/reporting/reports/{sub.pk}/document.docx")
    rows = [
        [c.text for c in r.cells]
        for t in docx.Document(io.BytesIO(office.content)).tables
        for r in t.rows
    ]
    assert [r for r in rows if any("Số người phát hiện qua tuần tra" in c for c in r)][0][-1] == "3"


def test_typed_people_counts_are_flagged_and_checked() -> None:
    police = next(s for s in read_seed() if s["code"] == "ca-xu-phat-thang")
    spec = clean_definition(police)
    fields = {f["code"]: f for s in spec["sections"] for f in s["fields"]}
    assert fields["people_sanctioned"]["small_cells"] is True
    assert fields["people_sanctioned"]["source"] == "sanctions"
    assert fields["amount_collected"]["small_cells"] is False
    people = next(c for c in fields["by_act"]["columns"] if c["key"] == "people")
    assert people.get("small_cells") is True
    bad = {
        **police,
        "sections": [
            {
                "title": "I",
                "fields": [
                    {"code": "x", "label": "X", "kind": "money", "small_cells": True},
                    {
                        "code": "y",
                        "label": "Y",
                        "kind": "integer",
                        "small_cells": True,
                        "source": "nowhere",
                    },
                ],
            }
        ],
        "rules": [],
    }
    with pytest.raises(DefinitionError) as exc:
        clean_definition(bad)
    assert any("small_cells" in p for p in exc.value.problems)
    assert any("source" in p for p in exc.value.problems)


def test_remind_redirect_refuses_another_site(client_for) -> None:
    form = ReportForm.objects.get(code="pcmd-6-thang")
    client = client_for("huyen.bmt")
    data = {"form": form.pk, "period": "2018-H1"}
    evil = client.post("/reporting/remind/", {**data, "next": "https://evil.example/x"})
    assert evil.status_code == 302 and evil["Location"] == "/reporting/completeness/"
    scheme = client.post("/reporting/remind/", {**data, "next": "//evil.example/x"})
    assert scheme["Location"] == "/reporting/completeness/"
    local = client.post("/reporting/remind/", {**data, "next": "/reporting/?year=2018"})
    assert local["Location"] == "/reporting/?year=2018"


def test_start_out_of_scope_gives_the_generic_refusal() -> None:
    form = ReportForm.objects.get(code="pcmd-6-thang")
    # a commune elsewhere, and an agency that does not report on a unit form
    with pytest.raises(PermissionDenied):
        actions.start_submission(form, "2018-H1", actor=user("xa.tanlap"), unit=unit("24379"))
    agency = Agency.objects.get(code="CONG_AN_TINH")
    with pytest.raises(PermissionDenied):
        actions.start_submission(form, "2018-H1", actor=user("xa.tanlap"), agency=agency)


def test_reminder_is_rendered_in_the_readers_language(client_for) -> None:
    from django.utils import translation

    from pcmd.reporting.templatetags.reporting_tags import reminder_text

    form = ReportForm.objects.get(code="pcmd-6-thang")
    import datetime

    reminder = Reminder.objects.create(
        user=user("xa.tanlap"),
        form=form,
        unit=unit("24118"),
        period_code="2018-H1",
        due_date=datetime.date(2018, 6, 16),
        message="",
        created_at=datetime.datetime(2018, 7, 1, tzinfo=datetime.UTC),
    )
    with translation.override("en"):
        text = reminder_text(reminder)
    assert "16/06/2018" in text and "Phường Tân Lập" in text and "2018-H1" in text
    assert "has not been sent" in text
    page = client_for("xa.tanlap").get("/reporting/reminders/").content.decode()
    assert "16/06/2018" in page and form.name in page


def test_xlsx_downloaded_by_leadership_has_lt5(client_for) -> None:
    sub = _small_commune()
    label = "Số người phát hiện qua tuần tra"

    def row(name: str) -> list:
        response = client_for(name).get(f"/reporting/reports/{sub.pk}/document.xlsx")
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        book = openpyxl.load_workbook(io.BytesIO(content))
        rows = [list(r) for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
        return next(r for r in rows if any(label in str(c) for c in r if c is not None))

    assert "<5" in row("lanhdao") and 3 not in row("lanhdao") and "3" not in row("lanhdao")
    assert 3 in row("thuongtruc") or "3" in row("thuongtruc")
