"""Emergency access (break the glass) and the review queue of access exceptions (issue 11.5)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import MODULE_ENFORCEMENT, Role
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit
from pcmd.people import access, actions, emergency
from pcmd.people.models import AccessException, AccessLog, ExceptionKind, Person
from tests.conftest import assert_reach

NAME = "Trần Thị Khẩn Thử"
ID_NUMBER = "066195054321"
REASON = "Người này đang cấp cứu tại bệnh viện, cần liên hệ người thân ngay."
REVIEW = "/people/review/"


def _commune(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level=3)


@pytest.fixture
def police_person(db: Any) -> Person:
    """A person only the police see: sanctioned in Tân Lập, never referred for support."""
    unit = _commune("24118")
    person = actions.create_person(
        None,
        unit=unit,
        values={"full_name": NAME, "id_number": ID_NUMBER, "birth_year": 1995, "sex": "female"},
    )
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=unit, source="sanction:test")
    return person


def _slot(user: User, person: Person) -> str:
    request = RequestFactory().get(f"/people/x/{person.pk}/")
    request.user = user
    return render_to_string(
        "people/_emergency.html", {"person": person, "user": user, "request": request}
    )


def _open(user: User, person: Person) -> AccessException:
    return emergency.open_emergency(user, person, REASON)


# --- breaking the glass ---------------------------------------------------------------------


def test_a_reason_is_required_in_both_languages(police_person: Person, persona: Any) -> None:
    worker = persona("ctxh.bmt")
    for reason in ("", "   ", "cần xem gấp lắm", "x" * (emergency.MIN_REASON - 1)):
        with pytest.raises(actions.PersonRefused) as refused:
            emergency.open_emergency(worker, police_person, reason)
        texts = refused.value.texts
        assert texts["vi"] != texts["en"] and "20" in texts["vi"] and "20" in texts["en"]
    assert not AccessException.objects.filter(person=police_person).exists()
    assert access.grant_for(worker, police_person) is None


def test_the_page_refuses_a_short_reason_with_400(
    police_person: Person, client_for: Any, persona: Any
) -> None:
    client = client_for("ctxh.bmt")
    url = f"/people/emergency/{police_person.pk}/"
    response = client.post(url, {"reason": "gấp"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at least 20 characters" in html and "ít nhất 20 ký tự" in html
    assert NAME not in html
    assert access.grant_for(persona("ctxh.bmt"), police_person) is None


def test_breaking_the_glass_grants_logs_and_audits(police_person: Person, persona: Any) -> None:
    worker = persona("ctxh.bmt")
    assert access.grant_for(worker, police_person) is None
    before = timezone.now()
    exception = _open(worker, police_person)
    hours = datetime.timedelta(hours=emergency.hours())
    assert exception.kind == ExceptionKind.BREAK_GLASS and exception.reason == REASON
    assert exception.expires_at is not None
    assert before + hours <= exception.expires_at <= timezone.now() + hours
    grant = access.grant_for(worker, police_person)
    assert grant is not None and grant.exception == exception
    assert access.reveal(worker, police_person, "page", path="/x/")
    assert AccessLog.objects.filter(user=worker, person=police_person, exception=exception).count()
    event = AuditEvent.objects.get(verb="person.emergency", object_id=str(police_person.pk))
    assert event.reason == REASON and event.actor == worker
    assert NAME not in f"{event.changes} {event.object_repr}"
    # a second one while the first is open is refused, with the time it ends
    with pytest.raises(actions.PersonRefused):
        _open(worker, police_person)


def test_the_emergency_page_opens_then_shows_the_identity_with_a_logged_read(
    police_person: Person, client_for: Any, persona: Any
) -> None:
    client = client_for("ctxh.bmt")
    url = f"/people/emergency/{police_person.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and NAME not in page.content.decode()
    assert 'name="reason"' in page.content.decode()
    response = client.post(url, {"reason": REASON, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == url  # never off-site
    reads = AccessLog.objects.filter(person=police_person, user=persona("ctxh.bmt"))
    assert not reads.exists()
    shown = client.get(url).content.decode()
    assert NAME in shown and ID_NUMBER in shown
    read = reads.get()
    assert read.exception is not None and read.exception.user == persona("ctxh.bmt")
    assert read.path == url
    # back to the page it came from
    again = client_for("thuongtruc").post(url, {"reason": REASON, "next": "/people/"})
    assert again.status_code == 302 and again["Location"] == "/people/"


@pytest.mark.parametrize("name", ["admin", "baovedl", "xa.tanlap", "lanhdao", "doi178"])
def test_users_without_identity_rights_cannot_break_the_glass(
    name: str, police_person: Person, client_for: Any, persona: Any
) -> None:
    user = persona(name)
    with pytest.raises(PermissionDenied):
        _open(user, police_person)
    assert (
        client_for(name)
        .post(f"/people/emergency/{police_person.pk}/", {"reason": REASON})
        .status_code
        == 403
    )
    assert _slot(user, police_person).strip() == ""
    assert not AccessException.objects.filter(person=police_person).exists()


def test_who_already_sees_the_identity_needs_no_emergency_access(
    police_person: Person, persona: Any
) -> None:
    police = persona("congan")
    assert not emergency.may_break_glass(police, police_person)
    with pytest.raises(actions.PersonRefused):
        _open(police, police_person)
    assert _slot(police, police_person).strip() == ""


def test_the_slot_offers_the_form_then_says_until_when(police_person: Person, persona: Any) -> None:
    worker = persona("ctxh.bmt")
    html = _slot(worker, police_person)
    assert f'action="/people/emergency/{police_person.pk}/"' in html
    assert 'name="reason"' in html and "3" in html
    exception = _open(worker, police_person)
    html = _slot(worker, police_person)
    assert 'name="reason"' not in html
    until = timezone.localtime(exception.expires_at).strftime("%H:%M %d/%m/%Y")
    assert until in html


def test_the_access_expires(police_person: Person, persona: Any, client_for: Any) -> None:
    worker = persona("ctxh.bmt")
    exception = _open(worker, police_person)
    AccessException.objects.filter(pk=exception.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert access.grant_for(worker, police_person) is None
    assert not access.reveal(worker, police_person, "page")
    page = client_for("ctxh.bmt").get(f"/people/emergency/{police_person.pk}/")
    assert NAME not in page.content.decode() and 'name="reason"' in page.content.decode()
    # a new reason opens it again
    assert _open(worker, police_person).pk != exception.pk


# --- the review queue -----------------------------------------------------------------------


def _pending_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="card[^"]*" id="exception-(\d+)"', html)]


def test_the_queue_is_for_reviewers(db: Any, client_for: Any) -> None:
    assert_reach(client_for, REVIEW, {"admin", "thuongtruc", "baovedl"})
    assert_reach(client_for, REVIEW + "?tab=reviewed", {"admin", "thuongtruc", "baovedl"})


def test_uses_land_in_the_queue_with_their_reads(
    police_person: Person, persona: Any, client_for: Any
) -> None:
    worker = persona("ctxh.bmt")
    first = _open(worker, police_person)
    access.reveal(worker, police_person, "page", path="/people/x/")
    override = AccessException.objects.create(
        kind=ExceptionKind.CONSENT_OVERRIDE,
        user=persona("thuongtruc"),
        person=police_person,
        reason="Chuyển gửi khẩn cấp khi chưa kịp ghi nhận đồng ý.",
        started_at=first.started_at - datetime.timedelta(hours=1),
    )
    for name in ("admin", "baovedl"):
        html = client_for(name).get(REVIEW).content.decode()
        assert _pending_ids(html) == [override.pk, first.pk], name  # oldest first
        section = html.split(f'id="exception-{first.pk}"')[1].split("</article>")[0]
        assert police_person.code in section and REASON in section and "ctxh.bmt" in section
        assert "/people/x/" in section  # what was read under it
        assert NAME not in html  # reviewers see the code, not the identity
    # the standing office reviews the others' uses, not its own override
    assert _pending_ids(client_for("thuongtruc").get(REVIEW).content.decode()) == [first.pk]


def test_a_reviewer_marks_a_use_once(police_person: Person, persona: Any, client_for: Any) -> None:
    exception = _open(persona("ctxh.bmt"), police_person)
    client = client_for("thuongtruc")
    url = f"/people/review/{exception.pk}/"
    prefix = f"r{exception.pk}"
    bad = client.post(url, {f"{prefix}-verdict": "maybe"})
    assert bad.status_code == 400 and "Verdict" in bad.content.decode()
    response = client.post(url, {f"{prefix}-verdict": "yes", f"{prefix}-note": "Có lý do."})
    assert response.status_code == 302
    exception.refresh_from_db()
    assert exception.justified is True and exception.reviewed_by == persona("thuongtruc")
    assert exception.review_note == "Có lý do." and exception.reviewed_at is not None
    assert exception.is_active()  # a justified access runs to its end
    assert AuditEvent.objects.filter(
        verb="person.exception_review", object_id=str(exception.pk)
    ).exists()
    assert exception.pk not in _pending_ids(client.get(REVIEW).content.decode())
    reviewed = client.get(REVIEW + "?tab=reviewed").content.decode()
    assert f'id="exception-{exception.pk}"' in reviewed
    filtered = client.get(REVIEW + "?tab=reviewed&verdict=no").content.decode()
    assert f'id="exception-{exception.pk}"' not in filtered
    by_user = client.get(REVIEW + "?tab=reviewed&user=ctxh.bmt&kind=break_glass").content.decode()
    assert f'id="exception-{exception.pk}"' in by_user
    nonsense = client.get(REVIEW + "?tab=reviewed&since=99/99/9999&verdict=zzz")
    assert nonsense.status_code == 200
    # once only
    with pytest.raises(actions.PersonRefused):
        emergency.review_exception(persona("admin"), exception, justified=False, note="Không.")
    again = client_for("admin").post(url, {f"{prefix}-verdict": "no", f"{prefix}-note": "Không."})
    assert again.status_code == 400
    exception.refresh_from_db()
    assert exception.justified is True


def test_no_grounds_needs_a_note_and_ends_the_access(police_person: Person, persona: Any) -> None:
    worker = persona("ctxh.bmt")
    exception = _open(worker, police_person)
    with pytest.raises(actions.PersonRefused) as refused:
        emergency.review_exception(persona("baovedl"), exception, justified=False, note=" ")
    assert refused.value.texts["vi"] != refused.value.texts["en"]
    emergency.review_exception(
        persona("baovedl"), exception, justified=False, note="Không thuộc nhiệm vụ."
    )
    exception.refresh_from_db()
    assert exception.justified is False and not exception.is_active()
    assert access.grant_for(worker, police_person) is None


def test_nobody_reviews_their_own_use(police_person: Person, persona: Any, client_for: Any) -> None:
    office = persona("thuongtruc")  # sees support identities; this person is police-only
    exception = _open(office, police_person)
    with pytest.raises(actions.PersonRefused) as refused:
        emergency.review_exception(office, exception, justified=True)
    assert "own" in refused.value.texts["en"]
    prefix = f"r{exception.pk}"
    response = client_for("thuongtruc").post(
        f"/people/review/{exception.pk}/", {f"{prefix}-verdict": "yes"}
    )
    assert response.status_code == 400
    exception.refresh_from_db()
    assert exception.reviewed_at is None
    emergency.review_exception(persona("admin"), exception, justified=True)


def test_others_cannot_review(police_person: Person, persona: Any, client_for: Any) -> None:
    exception = _open(persona("ctxh.bmt"), police_person)
    for name in ("congan", "lanhdao", "ctxh.bmt"):
        with pytest.raises(PermissionDenied):
            emergency.review_exception(persona(name), exception, justified=True)
        status = client_for(name).post(
            f"/people/review/{exception.pk}/", {f"r{exception.pk}-verdict": "yes"}
        )
        assert status.status_code == 403, name


def test_the_standing_office_reviews_the_uses_of_its_province(
    police_person: Person, persona: Any
) -> None:
    outsider = User.objects.create_user("ctxh.khac", password="x-Pass-2018!")
    other_province = Unit.objects.filter(level=1, valid_from=None).exclude(
        pk=actions.province_of(_commune("24118")).pk
    )[0]
    Assignment.objects.create(user=outsider, role=Role.SOCIAL_WORKER, unit=other_province)
    far = _open(outsider, police_person)
    near = _open(persona("ctxh.bmt"), police_person)
    assert set(emergency.pending(persona("thuongtruc"))) == {near}
    assert set(emergency.pending(persona("baovedl"))) == {far, near}
    with pytest.raises(PermissionDenied):
        emergency.review_exception(persona("thuongtruc"), far, justified=True)
    office = User.objects.create_user("thuongtruc.khac", password="x-Pass-2018!")
    Assignment.objects.create(user=office, role=Role.STANDING_OFFICE, unit=other_province)
    assert set(emergency.pending(office)) == {far}


# --- flags ----------------------------------------------------------------------------------


def test_unreviewed_uses_are_flagged_after_the_review_period(
    police_person: Person, persona: Any, client_for: Any
) -> None:
    exception = _open(persona("ctxh.bmt"), police_person)
    office = client_for("thuongtruc")
    assert emergency.queue_counts(persona("thuongtruc")) == emergency.QueueCounts(1, 0)
    assert 'id="alert-overdue-reviews"' not in office.get("/dashboard/").content.decode()
    home = office.get("/").content.decode()
    assert 'id="card-exceptions-to-review" data-count="1"' in home
    card = home.split('id="card-exceptions-to-review"')[1].split("</section>")[0]
    assert "Truy cập ngoại lệ chờ xem xét" in card and "quá hạn" not in card

    days = emergency.review_days()
    AccessException.objects.filter(pk=exception.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=days, minutes=1)
    )
    assert emergency.queue_counts(persona("thuongtruc")) == emergency.QueueCounts(1, 1)
    dashboard = office.get("/dashboard/").content.decode()
    assert 'id="alert-overdue-reviews"' in dashboard
    home = office.get("/").content.decode()
    card = home.split('id="card-exceptions-to-review"')[1].split("</section>")[0]
    assert "1 quá hạn" in card
    queue = office.get(REVIEW).content.decode()
    assert f'<article class="card highlight" id="exception-{exception.pk}"' in queue
    # not for those who do not review, nor once reviewed
    assert (
        'id="alert-overdue-reviews"' not in client_for("congan").get("/dashboard/").content.decode()
    )
    emergency.review_exception(persona("admin"), exception, justified=True)
    assert 'id="alert-overdue-reviews"' not in office.get("/dashboard/").content.decode()
    assert emergency.queue_counts(persona("thuongtruc")) == emergency.QueueCounts(0, 0)
    assert emergency.queue_counts(persona("congan")) is None


def test_emergency_access_reads_but_does_not_edit(
    police_person: Person, persona: Any, client_for: Any
) -> None:
    worker = persona("ctxh.bmt")
    _open(worker, police_person)
    assert access.grant_for(worker, police_person) is not None
    assert not actions.may_change_person(worker, police_person)
    with pytest.raises(PermissionDenied):
        actions.update_person(
            worker, police_person, version=police_person.version, values={"phone": "0912345678"}
        )
    client = client_for("ctxh.bmt")
    assert client.get(f"/people/{police_person.pk}/edit/").status_code == 403
    assert client.get(f"/people/{police_person.pk}/merge/").status_code == 403
    assert actions.may_change_person(persona("congan"), police_person)
    # the administrator runs the system but changes no identity
    assert not actions.may_change_person(persona("admin"), police_person)
