"""Hand-made cases for the figures tests (indicators, reports, reconciliation).

Seven cases in two districts of Đắk Lắk 2018, each through the actions and by the agency that
owns each stage. Expected figures are counted by hand in the docstring of :func:`build`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from pcmd.agencies.models import Agency
from pcmd.cases import actions
from pcmd.cases.models import Case, Decision, Offence
from pcmd.geo.models import Unit

D = datetime.date
TAN_LAP, TAN_TIEN, EA_SO = "24118", "24145", "24379"  # BMT (643), BMT (643), Ea Kar (651)
BMT, EA_KAR = "643", "651"


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None)


@dataclass
class Actors:
    police: Any
    procuracy: Any
    court: Any


def _case(actors: Actors, commune: str, on: datetime.date, title: str) -> Case:
    return actions.create_case(
        actors.police,
        values={
            "title": title,
            "commune": unit(commune),
            "detected_on": on,
            "detected_by": Agency.objects.get(code="CONG_AN_TINH"),
        },
        links={"offences": Offence.objects.filter(code="327.1")},
    )


def _party(actors: Actors, case: Case, role: str, standing: str, name: str) -> None:
    values = {"full_name": name, "birth_year": 1980, "sex": "male"}
    actions.add_party(actors.police, case, role=role, standing=standing, values=values)


def _decide(actor: Any, case: Case, decision: str, on: datetime.date) -> None:
    actions.decide(actor, case, decision=decision, on=on, reason="Lý do thử.")


def build(actors: Actors) -> dict[str, Case]:
    """Cases A–G. In 2018 (calendar year):

    ====  ======  ==========  =======================================  =================
    case  commune detected    path                                     handled on
    ====  ======  ==========  =======================================  =================
    A     TAN_LAP 2018-03-05  not opened 04-01                         2018-04-01
    B     TAN_TIEN 2018-05-01 opened, proposed 08-01, indicted 09-01,  2018-09-01
                              to trial 09-20, judgment 10-05
    C     TAN_LAP 2018-11-01  transferred to admin. sanction 2019-01-10 2019-01-10
    D     EA_SO   2018-06-01  opened, suspended 07-01                  —
    E     EA_SO   2018-02-01  opened, proposed 04-01 (no procuracy     —
                              decision yet)
    F     EA_SO   2018-01-10  opened, proposed 03-01, indicted 03-20   2018-03-20
                              (no court decision yet)
    G     TAN_LAP 2017-12-01  not opened 2018-01-05                    2018-01-05
    ====  ======  ==========  =======================================  =================

    Persons (sellers excluded): A owner; B owner, broker, buyer (witness) and a seller
    (victim); C protector; D pimp; E owner; F broker; G owner.
    """
    p, v, c = actors.police, actors.procuracy, actors.court
    cases: dict[str, Case] = {}
    a = cases["A"] = _case(actors, TAN_LAP, D(2018, 3, 5), "Chứa mại dâm tại nhà nghỉ")
    _party(actors, a, "owner", "suspect", "Chủ A")
    _decide(p, a, Decision.NOT_OPEN, D(2018, 4, 1))

    b = cases["B"] = _case(actors, TAN_TIEN, D(2018, 5, 1), "Chứa, môi giới tại karaoke")
    _party(actors, b, "owner", "suspect", "Chủ B")
    _party(actors, b, "broker", "suspect", "Môi giới B")
    _party(actors, b, "buyer", "witness", "Khách B")
    _party(actors, b, "seller", "victim", "Người bán B")
    _decide(p, b, Decision.OPEN, D(2018, 5, 10))
    _decide(p, b, Decision.PROPOSE_PROSECUTION, D(2018, 8, 1))
    _decide(v, b, Decision.INDICT, D(2018, 9, 1))
    _decide(c, b, Decision.BRING_TO_TRIAL, D(2018, 9, 20))
    actions.record_trial(
        c,
        b,
        values={
            "court": Agency.objects.get(code="TAND_TINH"),
            "held_on": D(2018, 10, 1),
            "venue": "Trụ sở TAND tỉnh",
            "judgment_on": D(2018, 10, 5),
        },
    )
    _decide(c, b, Decision.JUDGMENT, D(2018, 10, 5))

    cc = cases["C"] = _case(actors, TAN_LAP, D(2018, 11, 1), "Bảo kê tại quán massage")
    _party(actors, cc, "protector", "suspect", "Bảo kê C")
    _decide(p, cc, Decision.TRANSFER_ADMIN, D(2019, 1, 10))

    d = cases["D"] = _case(actors, EA_SO, D(2018, 6, 1), "Chăn dắt tại quán cà phê")
    _party(actors, d, "pimp", "suspect", "Chăn dắt D")
    _decide(p, d, Decision.OPEN, D(2018, 6, 10))
    _decide(p, d, Decision.SUSPEND, D(2018, 7, 1))

    e = cases["E"] = _case(actors, EA_SO, D(2018, 2, 1), "Chứa mại dâm tại nhà trọ")
    _party(actors, e, "owner", "suspect", "Chủ E")
    _decide(p, e, Decision.OPEN, D(2018, 2, 5))
    _decide(p, e, Decision.PROPOSE_PROSECUTION, D(2018, 4, 1))

    f = cases["F"] = _case(actors, EA_SO, D(2018, 1, 10), "Môi giới mại dâm qua mạng")
    _party(actors, f, "broker", "suspect", "Môi giới F")
    _decide(p, f, Decision.OPEN, D(2018, 1, 15))
    _decide(p, f, Decision.PROPOSE_PROSECUTION, D(2018, 3, 1))
    _decide(v, f, Decision.INDICT, D(2018, 3, 20))

    g = cases["G"] = _case(actors, TAN_LAP, D(2017, 12, 1), "Chứa mại dâm (năm trước)")
    _party(actors, g, "owner", "suspect", "Chủ G")
    _decide(p, g, Decision.NOT_OPEN, D(2018, 1, 5))
    for case in cases.values():
        case.refresh_from_db()
    return cases
