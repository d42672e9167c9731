"""Support case management (issue 13), the foundation: intake with consent, consent gating
each referral (refused, then overridden with a reason and logged), transfer out of the old
unit's sight, the follow-up schedule and overdue flags, closure and reopening."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from pcmd.accounts.models import Assignment, User
from pcmd.accounts.roles import Role
from pcmd.agencies.models import Agency
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit
from pcmd.people import actions as people_actions
from pcmd.people import consent as people_consent
from pcmd.people.models import AccessException, ConsentPurpose, ExceptionKind, Person
from pcmd.support import cases
from pcmd.support.models import (
    CaseStatus,
    FollowUp,
    ServiceReferralStatus,
    ServiceType,
    SupportCase,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


@pytest.fixture
def worker(persona: Any) -> User:
    return persona("ctxh.bmt")


@pytest.fixture
def person(worker: User) -> Person:
    return people_actions.create_person(
        worker,
        unit=_unit("643"),
        values={"full_name": "Người Được Hỗ Trợ Thử", "birth_year": 1996, "sex": "female"},
    )


@pytest.fixture
def case(worker: User, person: Person) -> SupportCase:
    return cases.open_case(
        worker,
        person=person,
        unit=_unit("643"),
        origin="outreach",
        origin_note="Nhóm đồng đẳng",
        worker=worker,
        opened_on=D(2018, 3, 1),
        statistics_consent=True,
    )


def _social_worker(username: str, unit_code: str) -> User:
    user = User.objects.create_user(username=username, password="x-Long-Passw0rd!")
    Assignment.objects.create(
        user=user, role=Role.SOCIAL_WORKER, unit=_unit(unit_code), agency=None
    )
    return user


def test_intake_records_consent_and_schedules_follow_ups(case: SupportCase) -> None:
    assert case.code.startswith("HT-2018-")
    assert people_consent.has_support_consent(case.person)
    assert cases.counted_in_statistics(case)
    assert [f.due_on for f in case.followups.all()] == [
        D(2018, 4, 1),
        D(2018, 6, 1),
        D(2018, 9, 1),
        D(2019, 3, 1),
    ]
    assert set(cases.overdue_followups(D(2018, 4, 2)).values_list("case", flat=True)) == {case.pk}
    assert not cases.overdue_followups(D(2018, 3, 31)).exists()
    row = cases.record_followup(case.worker, case, done_on=D(2018, 4, 3), kind="visit")
    assert row.due_on == D(2018, 4, 1)
    assert not cases.overdue_followups(D(2018, 5, 31)).filter(case=case).exists()
    assert case.last_contact_on == D(2018, 4, 3)
    assert not cases.without_contact(60, D(2018, 6, 1)).filter(pk=case.pk).exists()
    assert cases.without_contact(60, D(2018, 6, 3)).filter(pk=case.pk).exists()


def test_a_second_open_case_for_the_same_person_is_refused(case: SupportCase, worker: User) -> None:
    with pytest.raises(ValidationError) as err:
        cases.open_case(
            worker,
            person=case.person,
            unit=case.unit,
            origin="self",
            worker=worker,
            opened_on=D(2018, 3, 2),
        )
    assert "person" in err.value.message_dict


def test_consent_gates_each_referral(case: SupportCase, worker: User, persona: Any) -> None:
    training = ServiceType.objects.get(code="vocational_training")
    centre = "Trung tâm Dịch vụ việc làm tỉnh"
    with pytest.raises(ValidationError) as err:
        cases.refer(worker, case, type=training, to_name=centre, sent_on=D(2018, 3, 10))
    assert "to_name" in err.value.message_dict
    # a social worker may not override a missing consent
    with pytest.raises(ValidationError) as err:
        cases.refer(
            worker,
            case,
            type=training,
            to_name=centre,
            sent_on=D(2018, 3, 10),
            override_reason="Cần gấp",
        )
    assert "override_reason" in err.value.message_dict
    # the standing office may, with a reason: an exception to review, and an audit row
    office = persona("thuongtruc")
    referral = cases.refer(
        office,
        case,
        type=training,
        to_name=centre,
        sent_on=D(2018, 3, 10),
        override_reason="Người được hỗ trợ đồng ý bằng lời qua điện thoại; sẽ ký sau.",
    )
    assert referral.override is not None
    assert referral.override.kind == ExceptionKind.CONSENT_OVERRIDE
    assert AccessException.objects.filter(person=case.person, user=office).count() == 1
    assert AuditEvent.objects.filter(verb="support_case.refer", reason__contains="điện").exists()
    # with consent naming the organisation, no override is needed
    people_consent.record_consent(
        worker,
        case.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 12),
        organisation="Hội LHPN tỉnh",
    )
    women = Agency.objects.get(code="HOI_LHPN_TINH")
    second = cases.refer(
        worker,
        case,
        type=ServiceType.objects.get(code="loan"),
        to_name="Hội LHPN tỉnh",
        to_agency=women,
        sent_on=D(2018, 3, 12),
    )
    assert second.override is None and second.due_on == D(2018, 3, 22)
    assert set(cases.overdue_referrals(D(2018, 3, 23))) == {referral, second}
    # the receiving agency answers; others may not
    with pytest.raises(PermissionDenied):
        cases.answer(persona("sovhttdl"), second, accepted=True, on=D(2018, 3, 15))
    with pytest.raises(ValidationError):
        cases.answer(worker, second, accepted=False, on=D(2018, 3, 15))  # no reason
    cases.answer(worker, second, accepted=True, on=D(2018, 3, 15))
    cases.give_feedback(
        worker, second, on=D(2018, 5, 2), feedback="Đã giải ngân 20 triệu đồng, kỳ hạn 24 tháng."
    )
    second.refresh_from_db()
    assert second.status == ServiceReferralStatus.COMPLETED
    assert set(cases.overdue_referrals(D(2018, 6, 1))) == {referral}


def test_a_transferred_case_leaves_the_old_workers_sight(case: SupportCase, worker: User) -> None:
    assert SupportCase.objects.visible_to(worker).filter(pk=case.pk).exists()
    other = _social_worker("ctxh.eakar", "651")
    assert not SupportCase.objects.visible_to(other).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError) as err:  # the new worker must be of the new unit
        cases.transfer(
            worker, case, to_unit=_unit("651"), to_worker=worker, on=D(2018, 5, 1), reason="x"
        )
    assert "to_worker" in err.value.message_dict
    cases.transfer(
        worker,
        case,
        to_unit=_unit("651"),
        to_worker=other,
        on=D(2018, 5, 1),
        reason="Người được hỗ trợ chuyển về sống cùng gia đình ở Ea Kar.",
    )
    assert not SupportCase.objects.visible_to(worker).filter(pk=case.pk).exists()
    assert SupportCase.objects.visible_to(other).filter(pk=case.pk).exists()
    from pcmd.people import access

    assert access.granted_in(other, case.person, "support")
    assert not access.granted_in(worker, case.person, "support")
    with pytest.raises(PermissionDenied):
        cases.record_followup(worker, case, done_on=D(2018, 5, 2), kind="call")


def test_services_need_consent_and_loans_their_terms(case: SupportCase, worker: User) -> None:
    loan = ServiceType.objects.get(code="loan")
    with pytest.raises(ValidationError) as err:
        cases.record_service(worker, case, type=loan, started_on=D(2018, 4, 1))
    assert "loan_amount" in err.value.message_dict
    cases.record_service(
        worker,
        case,
        type=loan,
        started_on=D(2018, 4, 1),
        values={
            "loan_amount": 20_000_000,
            "lender": "Ngân hàng Chính sách xã hội",
            "loan_term_months": 24,
        },
    )
    people_consent.record_consent(
        worker, case.person, purpose=ConsentPurpose.SUPPORT, given=False, on=D(2018, 6, 1)
    )
    with pytest.raises(ValidationError):
        cases.record_service(
            worker,
            case,
            type=ServiceType.objects.get(code="counselling"),
            started_on=D(2018, 6, 2),
        )


def test_close_and_reopen(case: SupportCase, worker: User) -> None:
    with pytest.raises(ValidationError):
        cases.close_case(worker, case, outcome="vanished", on=D(2018, 9, 1))
    cases.close_case(worker, case, outcome="stable_job", on=D(2018, 9, 1))
    assert case.status == CaseStatus.CLOSED
    assert not cases.overdue_followups(D(2019, 6, 1)).filter(case=case).exists()
    with pytest.raises(ValidationError):
        cases.record_followup(worker, case, done_on=D(2018, 9, 2), kind="visit")
    cases.reopen(worker, case, on=D(2019, 1, 5), reason="Mất việc, xin hỗ trợ lại.")
    assert case.status == CaseStatus.OPEN and case.outcome == ""
    assert FollowUp.objects.filter(case=case, due_on=D(2019, 2, 5)).exists()


@override_settings(PCMD_FOLLOWUP_MONTHS=[2])
def test_the_follow_up_schedule_is_a_setting(worker: User, person: Person) -> None:
    case = cases.open_case(
        worker,
        person=person,
        unit=_unit("643"),
        origin="self",
        worker=worker,
        opened_on=D(2018, 1, 31),
    )
    assert [f.due_on for f in case.followups.all()] == [D(2018, 3, 31)]
    assert not cases.counted_in_statistics(case)


def test_only_social_workers_and_the_standing_office_follow_cases(
    case: SupportCase, persona: Any
) -> None:
    for name in ("congan", "huyen.bmt", "xa.tanlap", "lanhdao", "vks", "sovhttdl"):
        user = persona(name)
        assert not SupportCase.objects.visible_to(user).exists(), name
        with pytest.raises(PermissionDenied):
            cases.record_followup(user, case, done_on=D(2018, 4, 3), kind="visit")
    assert SupportCase.objects.visible_to(persona("thuongtruc")).filter(pk=case.pk).exists()


def test_a_withdrawal_closes_what_the_consent_covered(case: SupportCase, worker: User) -> None:
    training = ServiceType.objects.get(code="vocational_training")
    centre = "Trung tâm Dịch vụ việc làm tỉnh"
    people_consent.record_consent(
        worker,
        case.person,
        purpose=ConsentPurpose.REFERRAL,
        given=True,
        on=D(2018, 3, 5),
        organisation=centre,
    )
    referral = cases.refer(worker, case, type=training, to_name=centre, sent_on=D(2018, 3, 6))
    people_consent.record_consent(
        worker,
        case.person,
        purpose=ConsentPurpose.REFERRAL,
        given=False,
        on=D(2018, 3, 8),
        organisation=centre.upper(),
    )
    referral.refresh_from_db()
    assert referral.status == ServiceReferralStatus.DECLINED
    assert case.status == CaseStatus.OPEN  # the referral only
    people_consent.record_consent(
        worker, case.person, purpose=ConsentPurpose.SUPPORT, given=False, on=D(2018, 4, 2)
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (
        CaseStatus.CLOSED,
        "declined",
        D(2018, 4, 2),
    )
    assert not cases.overdue_followups(D(2019, 6, 1)).filter(case=case).exists()
