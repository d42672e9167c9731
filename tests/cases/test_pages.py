"""The case pages: who reaches them, the action panel of the stage's owner only, refusals as
400 with the message on the field, edit conflicts as 409, and the filters of the list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from pcmd.cases import actions
from pcmd.cases.models import Case, Decision, Stage, Step
from pcmd.web.context import _NAV
from tests.conftest import assert_reach

from .conftest import D, commune

CASE_READERS = {"congan", "vks", "toaan", "admin"}


def test_case_and_ring_lists_reach_police_procuracy_court_and_admin_only(
    client_for: Any, case: Case
) -> None:
    assert_reach(client_for, "/cases/", CASE_READERS)
    assert_reach(client_for, "/cases/rings/", CASE_READERS)
    assert_reach(client_for, f"/cases/{case.pk}/", CASE_READERS)


def test_navigation_shows_criminal_cases_to_readers_only(client_for: Any) -> None:
    assert any(name == "cases:list" for name, _label, _group in _NAV)
    assert 'href="/cases/"' in client_for("congan").get("/").content.decode()
    assert 'href="/cases/"' not in client_for("thuongtruc").get("/").content.decode()


def test_list_shows_the_case_with_its_offence_and_due_date(client_for: Any, case: Case) -> None:
    html = client_for("congan").get("/cases/").content.decode()
    assert case.code in html
    assert "327.1" in html.replace("Art. 327.1", "327.1").replace("Điều 327.1", "327.1")
    due = case.current_step()
    assert due is not None and due.due_on is not None
    assert due.due_on.strftime("%d/%m/%Y") in html


def test_overdue_filter_keeps_only_open_steps_past_their_due_date(
    client_for: Any, case: Case, police: Any
) -> None:
    fresh = actions.create_case(
        police,
        values={
            "title": "Môi giới mại dâm qua mạng",
            "commune": commune("24118"),
            "detected_on": timezone.localdate(),
            "detected_by": case.detected_by,
            "origin": "patrol",
        },
    )
    client = client_for("congan")
    html = client.get("/cases/?overdue=1").content.decode()
    assert case.code in html  # detected in 2018: the verification time limit has long passed
    assert fresh.code not in html
    assert "quá hạn" in html or "overdue" in html
    # once decided, the 2018 case's verification step is closed and a new one opens (due
    # from the decision day): not overdue any more
    actions.decide(police, case, decision=Decision.OPEN, on=timezone.localdate())
    assert case.code not in client.get("/cases/?overdue=1").content.decode()


def test_filters_by_stage_handled_and_year(client_for: Any, case: Case, police: Any) -> None:
    client = client_for("congan")
    assert case.code in client.get("/cases/?stage=received&year=2018").content.decode()
    assert case.code not in client.get("/cases/?stage=trial").content.decode()
    assert case.code not in client.get("/cases/?year=2019").content.decode()
    assert case.code in client.get("/cases/?handled=no").content.decode()
    actions.decide(
        police, case, decision=Decision.TRANSFER_ADMIN, on=D(2018, 3, 20), reason="Xử phạt"
    )
    assert case.code in client.get("/cases/?handled=yes").content.decode()
    assert case.code not in client.get("/cases/?handled=no").content.decode()


def test_a_bad_filter_is_ignored_not_a_500(client_for: Any, case: Case) -> None:
    response = client_for("congan").get("/cases/?year=abc&stage=zzz&commune=999999999999")
    assert response.status_code == 200


# --- the action panel -------------------------------------------------------------------


def _panel(client: Any, case: Case) -> bool:
    return f'action="/cases/{case.pk}/decide/"' in client.get(f"/cases/{case.pk}/").content.decode()


def test_action_panel_only_for_the_owner_of_the_open_stage(
    client_for: Any, case: Case, police: Any
) -> None:
    assert _panel(client_for("congan"), case)
    for other in ("vks", "toaan", "admin"):
        assert not _panel(client_for(other), case), other
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 10))
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    assert _panel(client_for("vks"), case)
    for other in ("congan", "toaan", "admin"):
        assert not _panel(client_for(other), case), other


@pytest.mark.parametrize("username", ["vks", "toaan", "admin"])
def test_decisions_posted_by_others_than_the_owner_are_403(
    client_for: Any, case: Case, username: str
) -> None:
    client = client_for(username)
    for url, data in (
        ("decide", {"decision": "open", "on": "10/03/2018"}),
        ("extend", {"reason": "Cần xác minh thêm"}),
    ):
        assert client.post(f"/cases/{case.pk}/{url}/", data).status_code == 403, url
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED


def test_decide_moves_the_case_and_shows_it_on_the_timeline(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    response = client.post(
        f"/cases/{case.pk}/decide/",
        {"decision": "open", "on": "10/03/2018", "document": "05/QĐ-CSĐT"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    decided = case.steps.get(stage=Stage.RECEIVED)
    assert decided.agency is not None and decided.agency.kind == "police"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "05/QĐ-CSĐT" in html
    assert "Điều 172" in html  # the legal source of the open stage's time limit


def test_bad_decisions_are_400_with_the_message_on_the_field(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    # a refusal needs its reasons
    response = client.post(
        f"/cases/{case.pk}/decide/", {"decision": "not_open", "on": "10/03/2018"}
    )
    assert response.status_code == 400
    assert 'id="id_reason"' in response.content.decode()
    assert response.context["decide_form"].errors["reason"]
    # before the stage began
    response = client.post(f"/cases/{case.pk}/decide/", {"decision": "open", "on": "01/01/2018"})
    assert response.status_code == 400
    assert response.context["decide_form"].errors["on"]
    # a decision of another stage, and a date that is not one
    response = client.post(f"/cases/{case.pk}/decide/", {"decision": "indict", "on": "x"})
    assert response.status_code == 400
    errors = response.context["decide_form"].errors
    assert "decision" in errors and "on" in errors
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED


def test_suspend_then_resume(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    response = client.post(
        f"/cases/{case.pk}/decide/",
        {"decision": "suspend", "on": "12/03/2018", "reason": "Chưa xác định được đối tượng"},
    )
    assert response.status_code == 302
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/resume/"' in html
    assert (
        client_for("vks").post(f"/cases/{case.pk}/resume/", {"on": "01/04/2018"}).status_code == 403
    )
    assert client.post(f"/cases/{case.pk}/resume/", {"on": "01/04/2018"}).status_code == 302
    assert case.current_step() is not None


def test_extend_needs_a_reason_and_moves_the_due_date(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    step = case.current_step()
    assert step is not None
    assert client.post(f"/cases/{case.pk}/extend/", {"reason": ""}).status_code == 400
    assert (
        client.post(f"/cases/{case.pk}/extend/", {"reason": "Vụ việc phức tạp"}).status_code == 302
    )
    later = Step.objects.get(pk=step.pk)
    assert later.extensions == 1 and later.due_on is not None and step.due_on is not None
    assert later.due_on > step.due_on
    assert "Vụ việc phức tạp" in client.get(f"/cases/{case.pk}/").content.decode()


# --- the case form ----------------------------------------------------------------------


def _form_data(case: Case, **over: Any) -> dict[str, Any]:
    data = {
        "version": case.version,
        "title": case.title,
        "commune": case.commune_id,
        "detected_on": case.detected_on.strftime("%d/%m/%Y"),
        "detected_by": case.detected_by_id,
        "origin": case.origin,
        "offences": [o.pk for o in case.offences.all()],
    }
    data.update(over)
    return data


def test_police_record_a_case_through_the_form(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    assert client.get("/cases/new/").status_code == 200
    data = _form_data(case, title="Chứa mại dâm tại nhà nghỉ")
    del data["version"]
    response = client.post("/cases/new/", data)
    assert response.status_code == 302
    new = Case.objects.get(title="Chứa mại dâm tại nhà nghỉ")
    assert list(new.offences.values_list("code", flat=True)) == ["327.1"]
    assert new.stage == Stage.RECEIVED


@pytest.mark.parametrize("username", ["vks", "toaan", "admin", "thuongtruc"])
def test_only_police_open_the_case_form(client_for: Any, case: Case, username: str) -> None:
    client = client_for(username)
    assert client.get("/cases/new/").status_code == 403
    assert client.get(f"/cases/{case.pk}/edit/").status_code in (403, 404)


def test_case_form_bad_input_is_400_on_the_fields(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(f"/cases/{case.pk}/edit/", _form_data(case, detected_on=future))
    assert response.status_code == 400
    assert response.context["form"].errors["detected_on"]
    response = client.post(f"/cases/{case.pk}/edit/", _form_data(case, title="", commune="x"))
    assert response.status_code == 400
    assert {"title", "commune"} <= set(response.context["form"].errors)


def test_stale_case_form_is_409_with_the_conflict_message(client_for: Any, case: Case) -> None:
    client = client_for("congan")
    stale = _form_data(case, title="Tiêu đề cũ")
    assert client.post(f"/cases/{case.pk}/edit/", _form_data(case, title="Mới")).status_code == 302
    response = client.post(f"/cases/{case.pk}/edit/", stale)
    assert response.status_code == 409
    assert "Someone else saved" in response.content.decode() or "lưu" in response.content.decode()
    case.refresh_from_db()
    assert case.title == "Mới"
