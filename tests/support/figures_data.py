"""Support cases for the figures tests (indicators, T7, supervision, home cards), with the
hand count each test checks against. Everything in 2018, district 643 (Buôn Ma Thuột):

====  ==========  ===================  ======================================  ===============
case  unit        statistics consent   services (started)                      other
====  ==========  ===================  ======================================  ===============
P1    Tân Lập     given                training 05/03, job 01/06 (completed),  closed 01/09
                                       counselling 10/03                       stable_job
P2    Tân Lập     given, withdrawn     training 05/03                          —
P3    Tân Lập     never asked          training 06/03                          —
P4    district    given                training 07/03                          —
P5    Tân Lập     given                loan 08/03                              —
====  ==========  ===================  ======================================  ===============

Counts register (SupportCount): Tân Lập 2018 training 3 + jobs 2 (a commune-period that
records cases: not added to T7), Tân Tiến 2018-H1 training 4 + jobs 1 (counts only: added).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from pcmd.accounts.models import User
from pcmd.geo.models import Unit
from pcmd.people import actions as people_actions
from pcmd.people import consent as people_consent
from pcmd.people.models import ConsentPurpose
from pcmd.support import cases
from pcmd.support.models import ServiceType, SupportCase, SupportCount

D = datetime.date
BMT, TAN_LAP, TAN_TIEN = "643", "24118", "24145"


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


@dataclass
class Built:
    cases: dict[str, SupportCase] = field(default_factory=dict)


def _service(
    worker: User, case: SupportCase, code: str, on: datetime.date, **values: object
) -> None:
    cases.record_service(
        worker, case, type=ServiceType.objects.get(code=code), started_on=on, values=values
    )


def build(worker: User, supervisor: User | None = None) -> Built:
    """The five cases and two counts rows above (other support data in 643 is cleared)."""
    district = unit(BMT)
    SupportCount.objects.filter(commune__path__startswith=district.path).delete()
    SupportCase.objects.filter(unit__path__startswith=district.path).delete()
    built = Built()
    specs = [
        ("P1", TAN_LAP, True),
        ("P2", TAN_LAP, True),
        ("P3", TAN_LAP, False),
        ("P4", BMT, True),
        ("P5", TAN_LAP, True),
    ]
    for n, (label, code, consent) in enumerate(specs):
        person = people_actions.create_person(
            worker,
            unit=district,
            values={
                "full_name": f"Người Được Hỗ Trợ {label}",
                "birth_year": 1990 + n,
                "sex": "female",
            },
        )
        built.cases[label] = cases.open_case(
            worker,
            person=person,
            unit=unit(code),
            origin="outreach",
            worker=worker,
            supervisor=supervisor,
            opened_on=D(2018, 3, 1),
            statistics_consent=consent,
        )
    c = built.cases
    _service(worker, c["P1"], "vocational_training", D(2018, 3, 5))
    _service(worker, c["P1"], "job_placement", D(2018, 6, 1), outcome="completed")
    _service(worker, c["P1"], "counselling", D(2018, 3, 10))
    _service(worker, c["P2"], "vocational_training", D(2018, 3, 5))
    people_consent.record_consent(
        worker, c["P2"].person, purpose=ConsentPurpose.STATISTICS, given=False, on=D(2018, 5, 1)
    )
    _service(worker, c["P3"], "vocational_training", D(2018, 3, 6))
    _service(worker, c["P4"], "vocational_training", D(2018, 3, 7))
    _service(
        worker,
        c["P5"],
        "loan",
        D(2018, 3, 8),
        loan_amount=10_000_000,
        lender="Ngân hàng Chính sách xã hội",
    )
    cases.close_case(worker, c["P1"], outcome="stable_job", on=D(2018, 9, 1))
    SupportCount.objects.create(
        commune=unit(TAN_LAP),
        period_start=D(2018, 1, 1),
        period_end=D(2018, 12, 31),
        vocational_training=3,
        employment=2,
    )
    SupportCount.objects.create(
        commune=unit(TAN_TIEN),
        period_start=D(2018, 1, 1),
        period_end=D(2018, 6, 30),
        vocational_training=4,
        employment=1,
    )
    for case in c.values():
        case.refresh_from_db()
    return built
