"""The receiving agency's side of service referrals (issue 13, item 4): the inbox shows the
referrals to the officer's agency only, with the minimum data; the name and phone only while
the officer's acceptance stands, in a session with a second factor, each showing logged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import Role
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit
from pcmd.people import access
from pcmd.people import actions as people_actions
from pcmd.people import consent as people_consent
from pcmd.people.models import AccessLog, ConsentPurpose, Person
from pcmd.support import cases, receive
from pcmd.support.models import ServiceReferral, ServiceReferralStatus, ServiceType, SupportCase
from tests.conftest import sign_in

D = datetime.date
pytestmark = pytest.mark.django_db
NAME = "Người Được Hỗ Trợ Nhận"
PHONE = "0912345678"
WOMEN = "Hội LHPN tỉnh"


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


def _officer(username: str, agency_code: str) -> User:
    user = User.objects.create_user(username=username, password="x-Long-Passw0rd!")
    Assignment.objects.create(
        user=user,
        role=Role.AGENCY_OFFICER,
        unit=_unit("66"),
        agency=Agency.objects.get(code=agency_code),
    )
    return user


def _client(user: User, *, device: bool = True) -> Client:
    if device:
        TOTPDevice.objects.create(user=user, name="totp", key="00" * 20, confirmed=True)
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def worker(persona: Any) -> User:
    return persona("ctxh.bmt")


@pytest.fixture
def case(worker: User) -> SupportCase:
    person = people_actions.create_person(
        worker,
        unit=_unit("643"),
        values={"full_name": NAME, "birth_year": 1996, "sex": "female", "phone": PHONE},
    )
    return cases.open_case(
        worker,
        person=person,
        unit=_unit("643"),
        origin="outreach",
        worker=worker,
        opened_on=D(2018, 3, 1),
    )


@pytest.fixture
def referral(worker: User, case: SupportCase) -> ServiceReferral:
    people_consent.record_consent(
        worker,
        case.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 12),
        organisation=WOMEN,
    )
    return cases.refer(
        worker,
        case,
        type=ServiceType.objects.get(code="loan"),
        to_name=WOMEN,
        to_agency=Agency.objects.get(code="HOI_LHPN_TINH"),
        sent_on=D(2018, 3, 12),
    )


@pytest.fixture
def women_officer() -> User:
    return _officer("hoilhpn", "HOI_LHPN_TINH")


def _page(client: Client, referral: ServiceReferral) -> str:
    response = client.get(reverse("support:referral", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _logs(referral: ServiceReferral) -> int:
    return AccessLog.objects.filter(
        person=referral.case.person, purpose=f"referral {referral.pk}", surface="page"
    ).count()


def test_the_inbox_lists_the_referrals_to_the_officers_agency_only(
    referral: ServiceReferral, women_officer: User, worker: User
) -> None:
    health = _officer("nhan.soyte", "SO_YTE")
    assert list(receive.inbox(women_officer)) == [referral]
    assert list(receive.inbox(health)) == []
    page = _client(women_officer).get(reverse("support:referrals")).content.decode()
    assert referral.case.code in page and "overdue" in page  # due 22/03/2018, long past
    assert "1995–1999" in page and NAME not in page
    assert (
        referral.case.code not in _client(health).get(reverse("support:referrals")).content.decode()
    )


def test_other_users_are_refused(
    referral: ServiceReferral, client_for: Any, women_officer: User
) -> None:
    health = _officer("nhan.soyte", "SO_YTE")
    url = reverse("support:referral", args=[referral.pk])
    assert _client(health).get(url).status_code == 404
    assert _client(health).post(url, {"action": "answer"}).status_code == 404
    for name in ("sovhttdl", "thuongtruc", "congan", "ctxh.bmt", "xa.tanlap"):
        client = client_for(name)
        assert client.get(url).status_code in (403, 404), name
        assert client.post(url, {"action": "answer"}).status_code in (403, 404), name
    nobody = User.objects.create_user(username="noagency", password="x-Long-Passw0rd!")
    Assignment.objects.create(user=nobody, role=Role.SOCIAL_WORKER, unit=_unit("643"))
    assert _client(nobody).get(reverse("support:referrals")).status_code == 403
    inbox = client_for("sovhttdl").get(reverse("support:referrals"))
    assert inbox.status_code == 200 and referral.case.code not in inbox.content.decode()
    referral.refresh_from_db()
    assert referral.status == ServiceReferralStatus.SENT


def test_identity_only_while_accepted_and_every_showing_logged(
    referral: ServiceReferral, women_officer: User
) -> None:
    client = _client(women_officer)
    page = _page(client, referral)
    assert NAME not in page and PHONE not in page
    assert "1995–1999" in page  # the minimum data: band of birth years, sex, commune
    assert _logs(referral) == 0
    # declining needs a reason, shown on the field
    url = reverse("support:referral", args=[referral.pk])
    refused = client.post(
        url, {"action": "answer", "answer-decision": "decline", "answer-on": "15/03/2018"}
    )
    assert refused.status_code == 400 and 'id="answer-form"' in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == ServiceReferralStatus.SENT
    # accepted: name and phone, one log row per showing
    done = client.post(
        url, {"action": "answer", "answer-decision": "accept", "answer-on": "15/03/2018"}
    )
    assert done.status_code == 302
    page = _page(client, referral)
    assert NAME in page and PHONE in page
    assert _logs(referral) == 1
    _page(client, referral)
    assert _logs(referral) == 2
    # feedback completes the referral: the identity is no longer shown
    done = client.post(
        url,
        {"action": "feedback", "feedback-on": "02/05/2018", "feedback-feedback": "Đã giải ngân."},
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ServiceReferralStatus.COMPLETED
    page = _page(client, referral)
    assert NAME not in page and PHONE not in page
    assert _logs(referral) == 2


def test_a_declined_referral_never_shows_the_identity(
    referral: ServiceReferral, women_officer: User
) -> None:
    cases.answer(
        women_officer, referral, accepted=False, on=D(2018, 3, 15), feedback="Hết chỉ tiêu."
    )
    referral.refresh_from_db()
    page = _page(_client(women_officer), referral)
    assert NAME not in page and "Hết chỉ tiêu." in page
    assert not access.reveal_for_referral(women_officer, referral, verified=True)
    assert _logs(referral) == 0


def test_without_a_second_factor_the_identity_waits(
    referral: ServiceReferral, women_officer: User
) -> None:
    cases.answer(women_officer, referral, accepted=True, on=D(2018, 3, 15))
    referral.refresh_from_db()
    page = _page(_client(women_officer, device=False), referral)
    assert NAME not in page and 'id="identity-hidden"' in page
    assert reverse("two_factor_enrol") in page
    assert _logs(referral) == 0


def test_the_grant_is_narrow(referral: ServiceReferral, women_officer: User, persona: Any) -> None:
    """Accepting does not widen the officer's identity rights anywhere else."""
    cases.answer(women_officer, referral, accepted=True, on=D(2018, 3, 15))
    referral.refresh_from_db()
    person = referral.case.person
    assert access.grant_for(women_officer, person) is None
    assert not Person.objects.filter(access.identity_q(women_officer), pk=person.pk).exists()
    assert not access.reveal_for_referral(persona("sovhttdl"), referral, verified=True)
    assert not access.reveal_for_referral(women_officer, referral, verified=False)
    assert access.reveal_for_referral(women_officer, referral, verified=True)
    assert _logs(referral) == 1


def test_year_band() -> None:
    assert receive.year_band(1996) == "1995–1999"
    assert receive.year_band(2000) == "2000–2004"
    assert receive.year_band(None) == ""
