"""The supervision page of support cases against the hand count of tests/support/figures_data:
caseload, cases without contact for 60 days, overdue follow-ups and referrals, people by
outcome of their services (small cells outside the case roles)."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.agencies.models import Agency
from pcmd.people import consent as people_consent
from pcmd.people.models import ConsentPurpose
from pcmd.support import cases, supervision
from pcmd.support.models import ServiceOutcome, ServiceType
from tests.support.figures_data import Built, D, build, unit

pytestmark = pytest.mark.django_db


URL = "/support/supervision/"
TODAY = D(2018, 12, 31)


@pytest.fixture
def built(persona: Any) -> Built:
    worker = persona("ctxh.bmt")
    data = build(worker)
    p5 = data.cases["P5"]
    people_consent.record_consent(
        worker,
        p5.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 12),
        organisation="Hội LHPN tỉnh",
    )
    cases.refer(
        worker,
        p5,
        type=ServiceType.objects.get(code="job_placement"),
        to_name="Hội LHPN tỉnh",
        to_agency=Agency.objects.get(code="HOI_LHPN_TINH"),
        sent_on=D(2018, 3, 12),
    )
    return data


def test_figures_against_the_hand_count(built: Built, persona: Any) -> None:
    worker = persona("ctxh.bmt")
    data = supervision.supervision(worker, TODAY)
    # P1 is closed: four open cases, all worked by ctxh.bmt
    assert [(row.worker, row.open_cases) for row in data.caseload] == [(worker, 4)]
    # last contacts: P2 05/03, P3 06/03, P4 07/03, P5 08/03 — all more than 60 days ago
    assert {c.code for c in data.without_contact} == {
        built.cases[k].code for k in ("P2", "P3", "P4", "P5")
    }
    # follow-ups at 1, 3 and 6 months (01/04, 01/06, 01/09) are overdue for the four open cases
    assert data.followups_count == 4 * 3
    assert [r.case.code for r in data.referrals] == [built.cases["P5"].code]
    # 2018 services: P1 completed (job) and ongoing (training, counselling), P2–P5 ongoing
    by_outcome = dict(data.outcomes)
    assert by_outcome[str(ServiceOutcome.COMPLETED.label)] == 1
    assert by_outcome[str(ServiceOutcome.ONGOING.label)] == 5
    # before the first follow-up date and within 60 days, nothing is late
    early = supervision.supervision(worker, D(2018, 3, 20))
    assert early.followups_count == 0 and early.without_contact_count == 0


def test_page_for_case_roles_only(built: Built, client_for: Any) -> None:
    page = client_for("ctxh.bmt").get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert built.cases["P5"].code in html
    assert "Người Được Hỗ Trợ" not in html  # codes only, never names
    assert client_for("thuongtruc").get(URL).status_code == 200
    for username in ("lanhdao", "congan", "xa.tanlap"):
        assert client_for(username).get(URL).status_code == 403, username


def test_another_districts_worker_sees_nothing(built: Built, persona: Any) -> None:
    from tests.support.test_cases import _social_worker

    other = _social_worker("ctxh.eakar.sup", "651")
    data = supervision.supervision(other, TODAY)
    assert data.caseload == [] and data.followups_count == 0 and data.referrals_count == 0


def test_small_cells_outside_case_roles(built: Built, persona: Any, client: Any) -> None:
    from pcmd.accounts.models import Assignment, User
    from pcmd.accounts.roles import Role
    from tests.conftest import sign_in

    completed = str(ServiceOutcome.COMPLETED.label)
    for username in ("ctxh.bmt", "thuongtruc"):
        assert dict(supervision.outcomes(persona(username), 2018))[completed] == 1, username
    # an administrator holds support.cases but is not a case role: "<5"
    admin = User.objects.create_user(username="admin.support", password="x-Long-Passw0rd!")
    Assignment.objects.create(user=admin, role=Role.ADMINISTRATOR, unit=unit("66"))
    assert dict(supervision.outcomes(admin, 2018))[completed] == "<5"
    sign_in(client, admin)
    assert client.get(URL).status_code == 200


def test_case_codes_link_to_the_case_page(built: Built, client_for: Any) -> None:
    from django.urls import reverse

    html = client_for("ctxh.bmt").get(URL).content.decode()
    p5 = built.cases["P5"]
    assert f'href="{reverse("support:case", args=[p5.pk])}">{p5.code}<' in html
