"""Data-subject requests: the register (deadlines, overdue, closing, one extension), who
reaches it, and the "my data" document (an identity read, logged; who may produce it)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone, translation
from docx import Document

from pcmd.accounts.roles import MODULE_ENFORCEMENT, MODULE_SUPPORT
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit
from pcmd.people import access, actions, requests
from pcmd.people.models import (
    AccessException,
    AccessLog,
    ExceptionKind,
    Person,
    RequestStatus,
    SubjectRequest,
)
from tests.conftest import assert_reach

NAME = "Phạm Thị Yêu Cầu"
ID_NUMBER = "066192033444"


def _commune() -> Unit:
    return Unit.objects.get(code="24118", valid_from=None, level=3)


@pytest.fixture
def person(db: Any) -> Person:
    p = actions.create_person(
        None,
        unit=_commune(),
        values={"full_name": NAME, "id_number": ID_NUMBER, "birth_year": 1992, "sex": "female"},
    )
    actions.involve(None, p, module=MODULE_ENFORCEMENT, unit=_commune(), source="sanction:7")
    actions.involve(None, p, module=MODULE_SUPPORT, unit=_commune(), source="referral:7")
    return p


def _today() -> datetime.date:
    return timezone.localdate()


def test_deadline_follows_the_kind(person: Person, persona: Any) -> None:
    day = _today() - datetime.timedelta(days=3)
    row = requests.register_request(
        persona("baovedl"), person=person, kind="withdrawal", received_on=day
    )
    assert row.deadline == day + datetime.timedelta(days=15)
    with override_settings(
        PCMD_DSR_DEADLINE_DAYS={**requests.settings.PCMD_DSR_DEADLINE_DAYS, "access": 7}
    ):
        assert requests.due_date("access", day) == day + datetime.timedelta(days=7)
    event = AuditEvent.objects.get(verb="subject_request.create", object_id=str(row.pk))
    assert NAME not in str(event.changes) and person.code in str(event.changes)


def test_overdue_requests_are_flagged(person: Person, persona: Any, client_for: Any) -> None:
    late = requests.register_request(
        persona("baovedl"),
        person=person,
        kind="access",
        received_on=_today() - datetime.timedelta(days=40),
    )
    fresh = requests.register_request(
        persona("baovedl"), person=person, kind="access", received_on=_today()
    )
    assert late.is_overdue() and not fresh.is_overdue()
    assert list(SubjectRequest.objects.overdue()) == [late]
    page = client_for("baovedl").get("/people/requests/", {"status": "overdue"}).content.decode()
    assert f"/people/requests/{late.pk}/" in page and f"/people/requests/{fresh.pk}/" not in page
    home = client_for("baovedl").get("/people/privacy/").content.decode()
    assert 'id="overdue-count"' in home
    # a closed request is not overdue any more
    requests.update_request(
        persona("baovedl"), late, version=late.version, status="done", outcome="Sent the data."
    )
    assert not SubjectRequest.objects.overdue().exists()


def test_closing_needs_an_outcome_and_extension_is_once(person: Person, persona: Any) -> None:
    dpo = persona("baovedl")
    row = requests.register_request(dpo, person=person, kind="deletion", received_on=_today())
    with pytest.raises(actions.PersonRefused) as refused:
        requests.update_request(dpo, row, version=row.version, status="refused", outcome=" ")
    assert refused.value.texts["vi"] != refused.value.texts["en"]
    due = row.deadline
    requests.extend_request(dpo, row, version=row.version, reason="Needs the police file.")
    assert row.deadline == due + datetime.timedelta(days=15)
    with pytest.raises(actions.PersonRefused):
        requests.extend_request(dpo, row, version=row.version, reason="Again.")
    requests.update_request(
        dpo, row, version=row.version, status="refused", outcome="Kept under Law 15/2012."
    )
    row.refresh_from_db()
    assert row.status == RequestStatus.REFUSED and row.closed_on == _today()
    assert row.handled_by == dpo


def test_only_request_handlers_write(person: Person, persona: Any) -> None:
    for name in ("congan", "ctxh.bmt", "lanhdao", "xa.tanlap"):
        with pytest.raises(PermissionDenied):
            requests.register_request(
                persona(name), person=person, kind="access", received_on=_today()
            )


@pytest.mark.django_db
def test_register_reach(client_for: Any) -> None:
    allowed = {"admin", "baovedl", "thuongtruc"}
    for url in ("/people/requests/", "/people/requests/new/", "/people/privacy/"):
        assert_reach(client_for, url, allowed)


def test_register_a_request_through_the_page(person: Person, client_for: Any) -> None:
    client = client_for("baovedl")
    bad = client.post(
        "/people/requests/new/",
        {"code": "ĐL-1999-999999", "kind": "access", "received_on": "01/12/2026"},
    )
    assert bad.status_code == 400
    assert "ĐL-1999-999999" in bad.content.decode()
    ok = client.post(
        "/people/requests/new/",
        {
            "code": person.code.lower(),
            "kind": "correction",
            "received_on": _today().strftime("%d/%m/%Y"),
        },
    )
    assert ok.status_code == 302
    row = SubjectRequest.objects.get(person=person)
    assert row.kind == "correction"
    page = client.get(f"/people/requests/{row.pk}/").content.decode()
    assert NAME not in page and person.code in page


def test_menu_entry_for_dpo_and_admin(client_for: Any, db: Any) -> None:
    for name, shown in (("baovedl", True), ("admin", True), ("congan", False)):
        page = client_for(name).get("/").content.decode()
        assert ('href="/people/privacy/"' in page) is shown, name


# --- the "my data" document ------------------------------------------------------------------


def _row(person: Person, persona: Any) -> SubjectRequest:
    return requests.register_request(
        persona("baovedl"), person=person, kind="access", received_on=_today()
    )


def test_standing_office_produces_the_document(
    person: Person, persona: Any, client_for: Any
) -> None:
    row = _row(person, persona)
    access.reveal(persona("congan"), person, "page", path="/x/")  # an earlier read
    before = AccessLog.objects.filter(person=person, surface="document").count()
    response = client_for("thuongtruc").get(f"/people/requests/{row.pk}/document.docx")
    assert response.status_code == 200
    assert AccessLog.objects.filter(person=person, surface="document").count() == before + 1
    doc = Document(io.BytesIO(response.content))
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert NAME in cells and ID_NUMBER in cells and person.code in text
    with translation.override("vi"):
        assert "xử phạt vi phạm hành chính" in cells.lower()  # involvement module
    assert "Công an" in cells or "công an" in cells.lower()  # the earlier reader, by role
    assert "1992" in cells
    assert "Nơi nhận:" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_dpo_and_admin_need_an_emergency_access(
    person: Person, persona: Any, client_for: Any
) -> None:
    row = _row(person, persona)
    for name in ("baovedl", "admin"):
        response = client_for(name).get(f"/people/requests/{row.pk}/document.docx")
        assert response.status_code == 403, name
        assert "emergency access" in response.content.decode()
    assert not AccessLog.objects.filter(person=person, surface="document").exists()
    dpo = persona("baovedl")
    AccessException.objects.create(
        kind=ExceptionKind.BREAK_GLASS,
        user=dpo,
        person=person,
        reason="Data-subject request in person",
        expires_at=timezone.now() + datetime.timedelta(hours=3),
    )
    response = client_for("baovedl").get(f"/people/requests/{row.pk}/document.docx")
    assert response.status_code == 200
    entry = AccessLog.objects.get(person=person, surface="document")
    assert entry.exception is not None and entry.purpose == requests.PURPOSE


def test_police_with_a_grant_but_no_request_role_cannot(person: Person, persona: Any) -> None:
    assert access.grant_for(persona("congan"), person) is not None
    with pytest.raises(PermissionDenied):
        requests.own_data_document(persona("congan"), person)


def test_no_document_once_the_identity_is_removed(
    person: Person, persona: Any, client_for: Any
) -> None:
    from pcmd.people import retention

    row = _row(person, persona)
    retention.pseudonymise(None, [person])
    response = client_for("thuongtruc").get(f"/people/requests/{row.pk}/document.docx")
    assert response.status_code == 400
    assert person.code in response.content.decode()


def test_handle_and_extend_through_the_page(person: Person, client_for: Any, persona: Any) -> None:
    row = _row(person, persona)
    client = client_for("thuongtruc")
    url = f"/people/requests/{row.pk}/"
    empty = client.post(url, {"status": "done", "outcome": "", "version": row.version})
    assert empty.status_code == 400
    with translation.override("vi"):
        assert "Hãy ghi kết quả" in empty.content.decode()
    assert "Write the outcome" in empty.content.decode()
    stale = client.post(url, {"status": "done", "outcome": "x", "version": row.version + 5})
    assert stale.status_code == 409
    extend = client.post(
        f"{url}extend/", {"reason": "Waiting for the police file.", "version": row.version}
    )
    assert extend.status_code == 302
    row.refresh_from_db()
    assert row.extended and row.deadline == _today() + datetime.timedelta(days=25)
    done = client.post(url, {"status": "done", "outcome": "Data given.", "version": row.version})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.status == "done" and row.handled_by == persona("thuongtruc")
    verbs = set(
        AuditEvent.objects.filter(
            object_type="people.subjectrequest", object_id=str(row.pk)
        ).values_list("verb", flat=True)
    )
    assert verbs == {"subject_request.create", "subject_request.extend", "subject_request.update"}


def test_a_deletion_request_removes_the_identity(
    person: Person, persona: Any, client_for: Any
) -> None:
    row = requests.register_request(
        persona("thuongtruc"), person=person, kind="deletion", received_on=_today()
    )
    url = f"/people/requests/{row.pk}/"
    # only an administrator sees and uses the button
    assert 'id="erase-form"' not in client_for("thuongtruc").get(url).content.decode()
    assert (
        client_for("thuongtruc").post(f"{url}erase/", {"version": row.version}).status_code == 403
    )
    admin = client_for("admin")
    assert 'id="erase-form"' in admin.get(url).content.decode()
    assert admin.post(f"{url}erase/", {"version": row.version}).status_code == 302
    person.refresh_from_db()
    row.refresh_from_db()
    assert person.pseudonymised_at is not None and person.full_name == ""
    assert person.involvements.count() == 2  # counts stay
    assert row.status == "done" and row.outcome
    event = AuditEvent.objects.get(verb="person.pseudonymise", object_id=str(person.pk))
    assert event.reason == f"data-subject request {row.pk}"
    # another kind of request never removes the identity
    other = requests.register_request(
        persona("thuongtruc"), person=person, kind="access", received_on=_today()
    )
    with pytest.raises(actions.PersonRefused):
        requests.erase_for_request(persona("admin"), other, version=other.version)
