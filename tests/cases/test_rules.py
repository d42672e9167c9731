"""The case rules: deadlines from the data table, stage ownership per agency, people who sell
sex never prosecuted, the trial rules for minors, and what counts as handled."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from pcmd.cases import actions, legal, rules
from pcmd.cases.models import Case, CaseParty, Decision, Offence, Stage, Standing

from .conftest import D, commune


def test_offence_catalog_categories_follow_the_prison_bands(db: Any) -> None:
    by_code = {o.code: o for o in Offence.objects.all()}
    assert by_code["328.1"].category == legal.Category.LESS_SERIOUS  # 6 months–3 years
    assert by_code["327.1"].category == legal.Category.SERIOUS  # 1–5 years
    assert by_code["327.3"].category == legal.Category.VERY_SERIOUS  # 10–15 years
    assert by_code["327.4"].category == legal.Category.PARTICULARLY_SERIOUS  # up to life
    assert by_code["329.1"].minor_victim
    assert "Điều 329" in by_code["329.1"].source


@pytest.mark.parametrize(
    ("stage", "category", "extensions", "expected"),
    [
        ("received", None, 0, D(2018, 1, 31)),  # Art. 147: 20 days
        ("received", None, 1, D(2018, 3, 11)),  # up to 2 months
        ("investigation", "less_serious", 0, D(2018, 3, 11)),  # Art. 172: 2 months
        ("investigation", "serious", 0, D(2018, 4, 11)),  # 3 months
        ("investigation", "very_serious", 2, D(2019, 1, 11)),  # 4 + 4 + 4 months
        ("prosecution", "serious", 0, D(2018, 1, 31)),  # Art. 240: 20 days
        ("prosecution", "particularly_serious", 1, D(2018, 3, 12)),  # 30 + 30 days
        ("trial_preparation", "very_serious", 1, D(2018, 4, 10)),  # Art. 277: 2 months + 30 d
        ("trial", None, 0, D(2018, 1, 26)),  # Art. 277(3): 15 days
        ("investigation", "less_serious", 9, D(2018, 5, 11)),  # capped at the last extension
    ],
)
def test_deadlines_come_from_the_data_table(
    stage: str, category: str | None, extensions: int, expected: datetime.date
) -> None:
    limits = legal.stage_limits()[stage]
    assert limits.due(D(2018, 1, 11), category, extensions) == expected
    assert "BLTTHS" in limits.source


def test_month_limits_end_on_the_last_day_of_a_short_month() -> None:
    assert legal.add_duration(D(2018, 12, 31), "2m") == D(2019, 2, 28)


def test_each_agency_decides_only_its_own_stage(case: Case, persona: Any) -> None:
    police, vks, court = persona("congan"), persona("vks"), persona("toaan")
    assert case.stage == Stage.RECEIVED
    assert case.current_step().due_on == D(2018, 3, 25)  # 20 days from detection
    for other in (vks, court, persona("thuongtruc"), persona("admin")):
        with pytest.raises(PermissionDenied):
            actions.decide(other, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20), document="01/QĐ")
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION and case.handled_on is None
    # serious (Art. 327.1): 3 months of investigation from the decision to open
    assert case.current_step().due_on == D(2018, 6, 20)
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 30))
    with pytest.raises(PermissionDenied):
        actions.decide(police, case, decision=Decision.INDICT, on=D(2018, 6, 10))
    with pytest.raises(PermissionDenied):
        actions.decide(court, case, decision=Decision.INDICT, on=D(2018, 6, 10))
    actions.decide(vks, case, decision=Decision.INDICT, on=D(2018, 6, 10), document="12/CT")
    case.refresh_from_db()
    assert case.stage == Stage.TRIAL_PREPARATION
    assert case.handled_on == D(2018, 6, 10) and case.outcome == Decision.INDICT
    with pytest.raises(PermissionDenied):
        actions.decide(vks, case, decision=Decision.BRING_TO_TRIAL, on=D(2018, 7, 1))
    actions.decide(court, case, decision=Decision.BRING_TO_TRIAL, on=D(2018, 7, 1))
    with pytest.raises(ValidationError):  # no judgment without a trial
        actions.decide(court, case, decision=Decision.JUDGMENT, on=D(2018, 7, 10))
    actions.record_trial(
        court,
        case,
        values={
            "court": court.active_assignments[0].agency,
            "held_on": D(2018, 7, 10),
            "venue": "Hội trường UBND phường Tân Lập",
            "is_mobile": True,
            "location": commune("24118"),
            "audience": 250,
        },
    )
    actions.decide(court, case, decision=Decision.JUDGMENT, on=D(2018, 7, 10), document="45/HSST")
    case.refresh_from_db()
    assert case.stage == Stage.ENFORCEMENT
    assert case.handled_on == D(2018, 6, 10) and case.outcome == Decision.JUDGMENT


def test_decisions_need_reasons_and_valid_dates(case: Case, police: Any) -> None:
    with pytest.raises(ValidationError) as err:
        actions.decide(police, case, decision=Decision.NOT_OPEN, on=D(2018, 3, 10))
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 1))
    assert "on" in err.value.message_dict
    with pytest.raises(ValidationError):
        actions.decide(police, case, decision=Decision.INDICT, on=D(2018, 3, 10))
    actions.decide(
        police,
        case,
        decision=Decision.TRANSFER_ADMIN,
        on=D(2018, 3, 10),
        reason="Không đủ yếu tố cấu thành tội phạm; chuyển xử phạt hành chính.",
    )
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.handled_on == D(2018, 3, 10)
    assert case.current_step() is None


def test_suspension_stops_the_clock_and_extensions_follow_the_law(case: Case, police: Any) -> None:
    step = actions.extend(police, case, reason="Vụ việc phức tạp, cần xác minh thêm.")
    assert step.due_on == D(2018, 5, 5)  # up to 2 months
    actions.extend(police, case, reason="Viện kiểm sát gia hạn.")
    with pytest.raises(ValidationError):
        actions.extend(police, case, reason="Lần nữa")
    actions.decide(
        police, case, decision=Decision.SUSPEND, on=D(2018, 4, 1), reason="Chờ giám định."
    )
    assert case.current_step() is None
    assert not actions.overdue_steps(D(2030, 1, 1)).filter(case=case).exists()
    step = actions.resume(police, case, on=D(2018, 5, 1))
    assert step.stage == Stage.RECEIVED and step.due_on == D(2018, 5, 21)
    assert actions.overdue_steps(D(2018, 5, 22)).filter(case=case).exists()


def _person(name: str, **values: Any) -> dict[str, Any]:
    return {"full_name": name, **values}


def test_a_person_who_sells_sex_is_never_prosecuted(case: Case, police: Any) -> None:
    person = _person("Người Bán Thử", birth_year=1990, sex="female")
    for standing in (Standing.SUSPECT, Standing.ACCUSED, Standing.DEFENDANT):
        with pytest.raises(ValidationError) as err:
            actions.add_party(police, case, values=person, role="seller", standing=standing)
        assert "standing" in err.value.message_dict
    party = actions.add_party(police, case, values=person, role="seller", standing="victim")
    with pytest.raises(ValidationError):
        actions.change_party(police, party, standing=Standing.DEFENDANT)
    # the database refuses it too, whatever code writes
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseParty.objects.filter(pk=party.pk).update(standing=Standing.DEFENDANT)
    owner = _person("Chủ Chứa Thử", birth_year=1975, sex="male")
    actions.add_party(police, case, values=owner, role="owner", standing="suspect")
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    standings = dict(case.parties.values_list("role", "standing"))
    assert standings == {"seller": "victim", "owner": "accused"}


def test_trial_rules_for_minors(case: Case, police: Any, persona: Any) -> None:
    court = persona("toaan")
    minor = _person("Em Nhỏ Thử", birth_date=D(2001, 6, 1), sex="female")
    party = actions.add_party(police, case, values=minor, role="seller", standing="victim")
    assert party.is_minor
    case.refresh_from_db()
    assert case.has_minor
    actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 3, 20))
    actions.decide(police, case, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    actions.decide(persona("vks"), case, decision=Decision.INDICT, on=D(2018, 5, 15))
    actions.decide(court, case, decision=Decision.BRING_TO_TRIAL, on=D(2018, 6, 1))
    values = {
        "court": court.active_assignments[0].agency,
        "held_on": D(2018, 6, 10),
        "venue": "Trụ sở TAND tỉnh",
        "is_mobile": True,
        "location": commune("24118"),
        "is_closed": False,
    }
    with pytest.raises(ValidationError) as err:
        actions.record_trial(court, case, values=values)
    assert {"is_mobile", "is_closed"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        actions.record_trial(court, case, values={**values, "is_mobile": False})
    assert set(err.value.message_dict) == {"is_closed"}
    trial = actions.record_trial(
        court, case, values={**values, "is_mobile": False, "is_closed": True}
    )
    assert trial.is_closed and trial.location is None


def test_moves_table_is_complete() -> None:
    for stage in rules.OWNERS:
        assert rules.decisions_for(stage), stage
        assert stage in legal.stage_limits()
    assert rules.HANDLED_DECISIONS == {
        "not_open",
        "transfer_admin",
        "discontinue",
        "indict",
        "not_prosecute",
        "judgment",
    }


def test_persons_in_cases_are_known_only_to_case_roles(
    case: Case, police: Any, persona: Any
) -> None:
    from pcmd.people import access
    from pcmd.people import actions as people_actions

    party = actions.add_party(
        police,
        case,
        values=_person("Người Liên Quan Thử", birth_year=1980),
        role="owner",
        standing="suspect",
    )
    for name in ("congan", "vks", "toaan"):
        assert access.may_know(persona(name), party.person), name
        assert access.grant_for(persona(name), party.person) is not None, name
    # (the standing office and the data protection officer see every code: they answer
    # data-subject requests)
    for name in ("huyen.bmt", "lanhdao", "ctxh.bmt", "doi178", "xa.tanlap"):
        assert not access.may_know(persona(name), party.person), name
    # the police change the person record; the procuracy and court read it
    assert people_actions.may_change_person(police, party.person)
    assert not people_actions.may_change_person(persona("vks"), party.person)
