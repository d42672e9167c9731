"""Consent per purpose and the police → standing office hand-over (issue 11 items 7, 12;
plan 1842 Section IV.2): who gains the identity at each step, consent before assignment,
the override with a reason, withdrawal honoured."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pcmd.accounts.roles import MODULE_ENFORCEMENT, MODULE_SUPPORT
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit, UnitLevel
from pcmd.people import access, actions
from pcmd.people import consent as flow
from pcmd.people.models import (
    AccessException,
    AccessLog,
    ExceptionKind,
    Involvement,
    Person,
    Referral,
    ReferralStatus,
)

NAME = "Trần Thị Mai Thử"
ID_NUMBER = "066195054321"
# The demo's year: the standing office of plan 1842 is Sở LĐ-TB&XH until 28/02/2025.
SENT = datetime.date(2018, 9, 10)
OTHERS = ("ctxh.bmt", "huyen.bmt", "lanhdao", "admin", "baovedl", "xa.tanlap", "doi178")


def _unit(code: str, level: int) -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level=level)


@pytest.fixture
def sanctioned(db: Any) -> Person:
    """A person sanctioned in Tân Lập (enforcement involvement), as the sanctions record it."""
    unit = _unit("24118", UnitLevel.COMMUNE)
    person = actions.create_person(
        None,
        unit=unit,
        values={"full_name": NAME, "id_number": ID_NUMBER, "birth_year": 1995, "sex": "female"},
    )
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=unit, source="sanction:901")
    return person


@pytest.fixture
def referral(sanctioned: Person, persona: Any) -> Referral:
    return flow.refer_to_standing_office(
        persona("congan"), sanctioned, source="sanction:901", note="Bị xử phạt bán dâm.", on=SENT
    )


def _district() -> Unit:
    return _unit("643", UnitLevel.DISTRICT)


def test_police_refer_and_only_the_standing_office_gains(sanctioned: Person, persona: Any) -> None:
    before = {name: access.grant_for(persona(name), sanctioned) for name in OTHERS}
    assert access.grant_for(persona("thuongtruc"), sanctioned) is None
    referral = flow.refer_to_standing_office(
        persona("congan"), sanctioned, source="sanction:901", note="Bị xử phạt bán dâm.", on=SENT
    )
    assert referral.to_agency.code == "SO_LDTBXH"
    assert referral.to_unit.level == UnitLevel.PROVINCE
    assert referral.from_unit.code == "66" and referral.from_agency.code == "CONG_AN_TINH"
    inv = Involvement.objects.get(source=f"referral:{referral.pk}")
    assert (inv.module, inv.unit_id, inv.agency_id) == (
        MODULE_SUPPORT,
        referral.to_unit_id,
        referral.to_agency_id,
    )
    assert access.grant_for(persona("thuongtruc"), sanctioned) is not None
    for name in OTHERS:
        assert access.grant_for(persona(name), sanctioned) is None, name
        assert before[name] is None, name
    # the disclosure is audited, without identity values; no read is logged by sending
    event = AuditEvent.objects.get(verb="referral.send", object_id=str(referral.pk))
    text = f"{event.object_repr} {event.changes} {event.reason}"
    assert sanctioned.code in text and NAME not in text and ID_NUMBER not in text
    assert not AccessLog.objects.filter(person=sanctioned).exists()


def test_only_police_who_see_the_person_may_refer(sanctioned: Person, persona: Any) -> None:
    for name in ("thuongtruc", "xa.tanlap", "doi178", "admin", "ctxh.bmt"):
        with pytest.raises(PermissionDenied):
            flow.refer_to_standing_office(
                persona(name), sanctioned, source="sanction:901", note="x", on=SENT
            )
    with pytest.raises(actions.PersonRefused) as wrong:
        flow.refer_to_standing_office(
            persona("congan"), sanctioned, source="sanction:999", note="x"
        )
    assert (
        "sanction:999" in wrong.value.texts["vi"]
        and wrong.value.texts["vi"] != (wrong.value.texts["en"])
    )
    with pytest.raises(actions.PersonRefused):
        flow.refer_to_standing_office(
            persona("congan"), sanctioned, source="sanction:901", note=" ", on=SENT
        )
    flow.refer_to_standing_office(
        persona("congan"), sanctioned, source="sanction:901", note="x", on=SENT
    )
    with pytest.raises(actions.PersonRefused) as twice:
        flow.refer_to_standing_office(
            persona("congan"), sanctioned, source="sanction:901", note="x", on=SENT
        )
    assert "sanction:901" in twice.value.texts["en"]


def test_opening_the_referral_logs_the_receiving_read(
    referral: Referral, client_for: Any, persona: Any
) -> None:
    response = client_for("thuongtruc").get(f"/people/referrals/{referral.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html and ID_NUMBER in html
    row = AccessLog.objects.get(person=referral.person)
    assert row.user == persona("thuongtruc") and row.surface == "page"
    # the inbox lists codes only and logs nothing
    inbox = client_for("thuongtruc").get("/people/referrals/").content.decode()
    assert referral.person.code in inbox and NAME not in inbox
    assert AccessLog.objects.filter(person=referral.person).count() == 1


def test_who_reaches_the_referral(referral: Referral, client_for: Any) -> None:
    url = f"/people/referrals/{referral.pk}/"
    for name in OTHERS:
        assert client_for(name).get(url).status_code in (403, 404), name
    assert client_for("congan").get(url).status_code == 200  # the sender follows it up
    assert client_for("admin").get("/people/referrals/").status_code == 403


def _receive(referral: Referral, persona: Any) -> Referral:
    return flow.receive_referral(persona("thuongtruc"), referral)


def test_assignment_without_consent_is_refused_in_both_languages(
    referral: Referral, persona: Any
) -> None:
    _receive(referral, persona)
    with pytest.raises(actions.PersonRefused) as refused:
        flow.assign_referral(persona("thuongtruc"), referral, district=_district())
    vi, en = refused.value.texts["vi"], refused.value.texts["en"]
    assert "consented" in en and "đồng ý" in vi
    assert access.grant_for(persona("ctxh.bmt"), referral.person) is None
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.RECEIVED


def test_with_consent_the_district_social_worker_gains(referral: Referral, persona: Any) -> None:
    _receive(referral, persona)
    today = timezone.localdate()
    flow.record_consent(
        persona("thuongtruc"), referral.person, purpose="support", given=True, on=today
    )
    flow.assign_referral(persona("thuongtruc"), referral, district=_district())
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUPPORT_STARTED and referral.override is None
    assert access.grant_for(persona("ctxh.bmt"), referral.person) is not None
    for name in ("huyen.bmt", "lanhdao", "admin", "baovedl", "xa.tanlap"):
        assert access.grant_for(persona(name), referral.person) is None, name


def test_after_the_2025_reform_a_case_goes_to_a_commune(
    referral: Referral, persona: Any, client_for: Any
) -> None:
    """From 01/07/2025 there are no districts: a referral sent then is assigned to a
    commune of the province of that day (old Đắk Lắk's referrals: the new Đắk Lắk)."""
    assert _district() in flow.districts_for(referral)  # 2018: the districts
    Referral.objects.filter(pk=referral.pk).update(sent_on=datetime.date(2026, 3, 2))
    referral.refresh_from_db()
    units = list(flow.districts_for(referral))
    on = referral.sent_on
    assert units and {u.level for u in units} == {UnitLevel.COMMUNE}
    assert all(u.is_valid_on(on) for u in units)
    provinces = {u.path.strip("/").split("/")[0] for u in units}
    assert len(provinces) == 1
    province = Unit.objects.get(pk=int(provinces.pop()))
    assert province.level == UnitLevel.PROVINCE and province.is_valid_on(on)
    assert province.pk != referral.to_unit.pk  # old Đắk Lắk ended on 30/06/2025
    _receive(referral, persona)
    page = client_for("thuongtruc").get(f"/people/referrals/{referral.pk}/").content.decode()
    assert "Giao cho cán bộ công tác xã hội cấp xã" in page
    flow.record_consent(
        persona("thuongtruc"), referral.person, purpose="support", given=True, on=on
    )
    with pytest.raises(actions.PersonRefused):
        flow.assign_referral(persona("thuongtruc"), referral, district=_district())
    flow.assign_referral(persona("thuongtruc"), referral, district=units[0])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUPPORT_STARTED
    assert referral.assigned_unit == units[0]


def test_override_with_a_reason_creates_the_exception(referral: Referral, persona: Any) -> None:
    _receive(referral, persona)
    office = persona("thuongtruc")
    flow.assign_referral(
        office, referral, district=_district(), override_reason="Người này đang gặp nguy hiểm."
    )
    exception = AccessException.objects.get(person=referral.person)
    assert exception.kind == ExceptionKind.CONSENT_OVERRIDE
    assert exception.user == office and exception.expires_at is None
    assert exception.reason == "Người này đang gặp nguy hiểm." and exception.reviewed_at is None
    referral.refresh_from_db()
    assert referral.override == exception
    assert access.grant_for(persona("ctxh.bmt"), referral.person) is not None


def test_override_needs_the_capability(referral: Referral, persona: Any) -> None:
    """Only people.override holders may assign without consent: take it from the office."""
    from pcmd.accounts import roles

    _receive(referral, persona)
    caps = roles.CAPABILITIES[roles.Role.STANDING_OFFICE]
    try:
        roles.CAPABILITIES[roles.Role.STANDING_OFFICE] = caps - {"people.override"}
        with pytest.raises(actions.PersonRefused) as refused:
            flow.assign_referral(
                persona("thuongtruc"), referral, district=_district(), override_reason="x"
            )
    finally:
        roles.CAPABILITIES[roles.Role.STANDING_OFFICE] = caps
    assert refused.value.texts["vi"] != refused.value.texts["en"]
    assert not AccessException.objects.filter(person=referral.person).exists()


def test_withdrawal_ends_the_social_workers_access(referral: Referral, persona: Any) -> None:
    _receive(referral, persona)
    today = timezone.localdate()
    office = persona("thuongtruc")
    flow.record_consent(office, referral.person, purpose="support", given=True, on=today)
    flow.assign_referral(office, referral, district=_district())
    worker = persona("ctxh.bmt")
    assert access.grant_for(worker, referral.person) is not None
    flow.record_consent(worker, referral.person, purpose="support", given=False, on=today)
    assert access.grant_for(worker, referral.person) is None
    assert access.grant_for(office, referral.person) is not None  # the office keeps its own
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    history = [(c.purpose, c.given) for c in referral.person.consents.latest_first()]
    assert history == [("support", False), ("support", True)]  # kept, append-only
    assert not flow.has_support_consent(referral.person)


def test_consent_per_purpose_and_organisation(referral: Referral, persona: Any) -> None:
    office = persona("thuongtruc")
    person = referral.person
    today = timezone.localdate()
    flow.record_consent(
        office, person, purpose="sharing", given=True, on=today, organisation="Hội LHPN tỉnh"
    )
    flow.record_consent(
        office, person, purpose="referral", given=False, on=today, organisation="Bệnh viện"
    )
    current = {(c.purpose, c.organisation): c.given for c in flow.current_consents(person)}
    assert current == {("referral", "Bệnh viện"): False, ("sharing", "Hội LHPN tỉnh"): True}
    assert not flow.has_support_consent(person)
    with pytest.raises(actions.PersonRefused) as unnamed:
        flow.record_consent(office, person, purpose="sharing", given=True, on=today)
    assert unnamed.value.texts["vi"] != unnamed.value.texts["en"]
    with pytest.raises(actions.PersonRefused):
        flow.record_consent(
            office, person, purpose="support", given=True, on=today + datetime.timedelta(days=1)
        )
    flow.record_consent(office, person, purpose="support", given=True, on=today)
    with pytest.raises(actions.PersonRefused):  # before the last change of the purpose
        flow.record_consent(
            office, person, purpose="support", given=False, on=today - datetime.timedelta(days=3)
        )
    events = AuditEvent.objects.filter(verb="consent.record", object_id=str(person.pk))
    assert events.count() == 3
    assert all(NAME not in f"{e.changes} {e.object_repr}" for e in events)


def test_outside_the_support_module_no_consent_may_be_recorded(
    referral: Referral, persona: Any, client_for: Any
) -> None:
    today = timezone.localdate()
    for name in ("congan", "ctxh.bmt", "admin", "baovedl", "lanhdao", "xa.tanlap"):
        with pytest.raises(PermissionDenied):
            flow.record_consent(
                persona(name), referral.person, purpose="support", given=True, on=today
            )
    url = f"/people/consent/{referral.person.pk}/"
    data = {"purpose": "support", "given": "1", "on": today.strftime("%d/%m/%Y")}
    for name in ("congan", "ctxh.bmt", "admin", "baovedl"):
        assert client_for(name).post(url, data).status_code in (403, 404), name
    assert not referral.person.consents.exists()
    response = client_for("thuongtruc").post(url, data)
    assert response.status_code == 302
    assert flow.has_support_consent(referral.person)


def test_the_consent_page_refuses_bad_input_in_both_languages(
    referral: Referral, client_for: Any
) -> None:
    url = f"/people/consent/{referral.person.pk}/"
    on = timezone.localdate().strftime("%d/%m/%Y")
    response = client_for("thuongtruc").post(url, {"purpose": "sharing", "given": "1", "on": on})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Name the service or organisation" in html and "tổ chức" in html
    assert client_for("thuongtruc").post(url, {"purpose": "nope"}).status_code == 400


def test_the_web_flow_receive_assign_close(
    referral: Referral, client_for: Any, persona: Any
) -> None:
    office = client_for("thuongtruc")
    base = f"/people/referrals/{referral.pk}"
    assert office.post(f"{base}/assign/", {"district": _district().pk}).status_code == 400
    assert office.post(f"{base}/receive/").status_code == 302
    refused = office.post(f"{base}/assign/", {"district": _district().pk})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "has not consented" in html and "đồng ý" in html
    assert office.post(f"{base}/nothing/").status_code == 404
    assert client_for("congan").post(f"{base}/receive/").status_code == 403
    done = office.post(f"{base}/assign/", {"district": _district().pk, "override_reason": "Khẩn"})
    assert done.status_code == 302
    assert access.grant_for(persona("ctxh.bmt"), referral.person) is not None
    worker_inbox = client_for("ctxh.bmt").get("/people/referrals/").content.decode()
    assert f"/people/referrals/{referral.pk}/" in worker_inbox
    assert office.post(f"{base}/close/").status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert access.grant_for(persona("ctxh.bmt"), referral.person) is None
    assert access.grant_for(persona("thuongtruc"), referral.person) is not None


def test_the_police_refer_from_the_web(sanctioned: Person, client_for: Any) -> None:
    police = client_for("congan")
    url = f"/people/referrals/new/{sanctioned.pk}/"
    assert police.get(url).status_code == 200
    assert client_for("thuongtruc").get(url).status_code in (403, 404)
    assert (
        police.post(
            url, {"source": "sanction:901", "note": "", "sent_on": "10/09/2018"}
        ).status_code
        == 400
    )
    post = {"source": "sanction:901", "note": "Bán dâm, đã xử phạt.", "sent_on": "10/09/2018"}
    response = police.post(url, post)
    assert response.status_code == 302
    referral = Referral.objects.get(person=sanctioned)
    assert response["Location"] == f"/people/referrals/{referral.pk}/"


def test_the_home_card_shows_while_referrals_wait(
    referral: Referral, client_for: Any, persona: Any
) -> None:
    page = client_for("thuongtruc").get("/").content.decode()
    assert 'id="card-referrals-to-receive" data-count="1"' in page
    assert f"/people/referrals/{referral.pk}/" in page
    for name in ("congan", "ctxh.bmt", "admin", "lanhdao"):
        assert "card-referrals-to-receive" not in client_for(name).get("/").content.decode()
    _receive(referral, persona)
    assert "card-referrals-to-receive" not in client_for("thuongtruc").get("/").content.decode()


def test_the_consent_slot_shows_only_to_support_users(
    referral: Referral, persona: Any, rf: Any
) -> None:
    from django.template.loader import render_to_string

    def slot(name: str) -> str:
        request = rf.get("/")
        request.user = persona(name)
        return render_to_string(
            "people/_consent.html", {"person": referral.person, "request": request}
        )

    assert 'id="consent-quick"' in slot("thuongtruc")
    police = slot("congan")
    assert 'id="consent-quick"' not in police and f"referrals/{referral.pk}/" in police
    for name in ("ctxh.bmt", "admin", "baovedl", "lanhdao"):
        assert "consent-panel" not in slot(name), name


def test_the_referral_goes_to_the_standing_office_of_its_date(
    sanctioned: Person, persona: Any
) -> None:
    """From 01/03/2025 Sở Y tế holds the standing role (Decree 42/2025): a referral sent
    now reaches its officers, not the 2018 office's."""
    referral = flow.refer_to_standing_office(
        persona("congan"), sanctioned, source="sanction:901", note="x"
    )
    assert referral.to_agency.code == "SO_YTE" and referral.sent_on == timezone.localdate()
    assert access.grant_for(persona("thuongtruc"), sanctioned) is None
    assert not flow.may_handle(persona("thuongtruc"), referral)
    with pytest.raises(actions.PersonRefused):
        flow.refer_to_standing_office(
            persona("congan"),
            sanctioned,
            source="sanction:901",
            note="x",
            on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_the_inbox_runs_the_same_queries_for_one_or_many_referrals(
    referral: Referral, client_for: Any, persona: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = client_for("thuongtruc")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get("/people/referrals/").status_code == 200
        return len(captured)

    one = queries()
    unit = _unit("24118", UnitLevel.COMMUNE)
    for i in range(4):
        person = actions.create_person(None, unit=unit, values={"full_name": f"Người {i}"})
        actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=unit, source=f"sanction:{i}")
        flow.refer_to_standing_office(
            persona("congan"), person, source=f"sanction:{i}", note="x", on=SENT
        )
    assert queries() == one
