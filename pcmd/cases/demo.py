"""Demo criminal cases for Đắk Lắk 2018 (issue 12): a dozen case files through every stage.

- A **ring** in Buôn Ma Thuột: a karaoke bar, a massage parlour and a guest house of the demo
  registry (the first of each kind an inspection of 2018 found in violation before the raid),
  run by an owner with two brokers and a protector. Four cases: one per establishment and one
  for the organisers (Penal Code Art. 327, 328), each investigated, indicted by the procuracy,
  tried, judged with sentences and enforced. The people who sold sex there are adults and
  stand as victims or witnesses, never accused.
- A **buyer of a girl of 16** (Art. 329): the victim is under 18, so the hearing is closed
  and not mobile (Circular 02/2018/TT-TANDTC).
- A broker in Ea Kar tried in a **mobile trial** at the township's hall (no minor involved).
- Reports in Buôn Ma Thuột, Ea Kar and Krông Pắc **transferred for administrative sanction**
  (each linked to a demo violation of its commune) and one **decision not to open a case**.
- A case in Cư Kuin **suspended** because the accused fled, and one in Buôn Hồ opened in
  December 2018 whose investigation was never concluded: the **one overdue step**. Every other
  case ends closed, because "today" is the real date and any other open 2018 step would be
  overdue as well.

Every write goes through :mod:`pcmd.cases.actions` with the system as actor; every decision
falls within the stage's time limit (``data/deadlines.yaml``), two after an extension. Persons
are fictional (names, birth years, CCCD and mobile numbers in the formats of
:mod:`pcmd.enforcement.demo_persons`). Deterministic for a given ``rng``; a no-op when cases
or rings exist.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from pcmd.agencies.models import Agency
from pcmd.core.demo import DEMO_YEAR
from pcmd.enforcement import demo_persons as names
from pcmd.enforcement.models import Violation
from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots.models import Hotspot
from pcmd.inspections.models import Inspection, InspectionResult
from pcmd.people.models import Person, Sex
from pcmd.registry.models import Establishment

from . import actions
from .models import Case, Decision, Offence, PartyRole, Ring, Stage, Standing

D = datetime.date
RING_DISTRICT = "643"  # Thành phố Buôn Ma Thuột
RING_DAY = D(2018, 5, 28)  # the raid on the three establishments
RING_KINDS = ("karaoke", "massage", "nha-nghi")
PROCURACY = "VKSND_TINH"
COURT = "TAND_TINH"
COURT_VENUE = "Trụ sở Tòa án nhân dân tỉnh Đắk Lắk, số 5 Trường Chinh, TP Buôn Ma Thuột"


@dataclass(frozen=True)
class Who:
    """A person named in a case: ``kind`` draws the values (seller, buyer, owner, broker,
    protector, staff, minor); ``member`` takes the ring member of that role instead."""

    role: str
    standing: str
    kind: str
    sentence: str = ""
    months: int | None = None
    member: int | None = None  # index in RING_MEMBERS


@dataclass(frozen=True)
class Act:
    decision: str
    on: datetime.date
    reason: str = ""
    extend: str = ""  # the open stage's time limit is extended (with this reason) first


@dataclass(frozen=True)
class Hearing:
    held_on: datetime.date
    venue: str = COURT_VENUE
    closed: bool = False
    mobile: bool = False
    audience: int | None = None


@dataclass(frozen=True)
class Plan:
    title: str
    commune: str  # a commune code ("" for a ring case: where its establishment is)
    detected_on: datetime.date
    police: str  # the police agency that detects and investigates
    origin: str
    offences: tuple[str, ...]
    acts: tuple[Act, ...]
    parties: tuple[Who, ...] = ()
    kind: str = ""  # the kind of establishment concerned (in the commune, or of the ring)
    ring: bool = False  # a case of the ring: its establishment of ``kind``, or (no kind) the
    # organisers' case, about all three, in the commune of the first
    hotspot: bool = False  # link the commune's hotspot
    hearing: Hearing | None = None


# The ring's members: (role, kind of values).
RING_MEMBERS = (
    (PartyRole.OWNER, "owner"),
    (PartyRole.BROKER, "broker"),
    (PartyRole.BROKER, "broker"),
    (PartyRole.PROTECTOR, "protector"),
)

DO = Decision
S = Standing
R = PartyRole

# Reasons written as the agencies write them.
NO_CRIME = (
    "Kết quả xác minh không có sự việc phạm tội (Điều 157 khoản 1 BLTTHS): không phát hiện "
    "hoạt động chứa, môi giới mại dâm tại địa điểm bị tố giác."
)
ADMIN_ONLY = (
    "Kết quả xác minh chỉ có hành vi mua dâm, bán dâm của cá nhân, chưa đủ yếu tố cấu thành "
    "tội phạm; chuyển hồ sơ để xử phạt vi phạm hành chính theo Nghị định 167/2013/NĐ-CP."
)
ADMIN_FIRST = (
    "Chủ cơ sở để xảy ra hoạt động mua bán dâm lần đầu, không thu lợi bất chính đáng kể, chưa "
    "đủ yếu tố cấu thành tội Chứa mại dâm; chuyển hồ sơ xử phạt vi phạm hành chính."
)
ADMIN_PROTECT = (
    "Hành vi bảo kê, dung túng chưa đủ yếu tố cấu thành tội phạm; chuyển hồ sơ để xử phạt "
    "vi phạm hành chính theo Điều 24 Nghị định 167/2013/NĐ-CP."
)

PLANS: tuple[Plan, ...] = (
    # --- the ring (Buôn Ma Thuột) -----------------------------------------------------------
    Plan(
        title="Đường dây chứa, môi giới mại dâm qua các cơ sở karaoke, massage, nhà nghỉ",
        commune="",
        detected_on=RING_DAY,
        police="CONG_AN_TINH",
        origin="inspection",
        offences=("327.2", "328.2"),
        ring=True,
        parties=(
            Who(R.OWNER, S.SUSPECT, "owner", "07 năm tù về tội Chứa mại dâm", 84, member=0),
            Who(R.BROKER, S.SUSPECT, "broker", "04 năm tù về tội Môi giới mại dâm", 48, member=1),
            Who(R.BROKER, S.SUSPECT, "broker", "03 năm 06 tháng tù về tội Môi giới mại dâm", 42, 2),
            Who(R.PROTECTOR, S.SUSPECT, "protector", "05 năm tù về tội Chứa mại dâm", 60, 3),
            Who(R.SELLER, S.VICTIM, "seller"),
            Who(R.SELLER, S.VICTIM, "seller"),
        ),
        acts=(
            Act(DO.OPEN, D(2018, 6, 8)),
            Act(
                DO.PROPOSE_PROSECUTION,
                D(2018, 10, 19),
                extend="Vụ án có nhiều bị can, liên quan ba cơ sở ở nhiều phường; cần thêm thời "
                "gian xác minh nguồn thu lợi bất chính và lấy lời khai người làm chứng.",
            ),
            Act(DO.INDICT, D(2018, 11, 9)),
            Act(DO.BRING_TO_TRIAL, D(2018, 11, 26)),
            Act(DO.JUDGMENT, D(2018, 12, 6)),
            Act(DO.ENFORCE, D(2018, 12, 27)),
        ),
        hearing=Hearing(D(2018, 12, 6)),
    ),
    Plan(
        title="Chứa mại dâm tại quán karaoke",
        commune="",
        detected_on=RING_DAY,
        police="CA_H643",
        origin="inspection",
        offences=("327.1",),
        kind="karaoke",
        ring=True,
        parties=(
            Who(R.OWNER, S.SUSPECT, "staff", "02 năm 06 tháng tù về tội Chứa mại dâm", 30),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.BUYER, S.WITNESS, "buyer"),
        ),
        acts=(
            Act(DO.OPEN, D(2018, 6, 8)),
            Act(DO.PROPOSE_PROSECUTION, D(2018, 8, 24)),
            Act(DO.INDICT, D(2018, 9, 10)),
            Act(DO.BRING_TO_TRIAL, D(2018, 10, 8)),
            Act(DO.JUDGMENT, D(2018, 10, 17)),
            Act(DO.ENFORCE, D(2018, 11, 6)),
        ),
        hearing=Hearing(D(2018, 10, 17)),
    ),
    Plan(
        title="Chứa mại dâm tại cơ sở xông hơi, massage",
        commune="",
        detected_on=RING_DAY,
        police="CA_H643",
        origin="inspection",
        offences=("327.1",),
        kind="massage",
        ring=True,
        parties=(
            Who(R.OWNER, S.SUSPECT, "staff", "02 năm tù về tội Chứa mại dâm", 24),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.SELLER, S.VICTIM, "seller"),
        ),
        acts=(
            Act(DO.OPEN, D(2018, 6, 8)),
            Act(DO.PROPOSE_PROSECUTION, D(2018, 8, 29)),
            Act(DO.INDICT, D(2018, 9, 14)),
            Act(DO.BRING_TO_TRIAL, D(2018, 10, 12)),
            Act(DO.JUDGMENT, D(2018, 10, 24)),
            Act(DO.ENFORCE, D(2018, 11, 13)),
        ),
        hearing=Hearing(D(2018, 10, 24)),
    ),
    Plan(
        title="Môi giới mại dâm tại nhà nghỉ",
        commune="",
        detected_on=RING_DAY,
        police="CA_H643",
        origin="inspection",
        offences=("328.1",),
        kind="nha-nghi",
        ring=True,
        parties=(
            Who(R.BROKER, S.SUSPECT, "staff", "01 năm tù về tội Môi giới mại dâm", 12),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.BUYER, S.WITNESS, "buyer"),
        ),
        acts=(
            Act(DO.OPEN, D(2018, 6, 8)),
            Act(DO.PROPOSE_PROSECUTION, D(2018, 7, 30)),
            Act(DO.INDICT, D(2018, 8, 15)),
            Act(DO.BRING_TO_TRIAL, D(2018, 9, 5)),
            Act(DO.JUDGMENT, D(2018, 9, 18)),
            Act(DO.ENFORCE, D(2018, 10, 9)),
        ),
        hearing=Hearing(D(2018, 9, 18)),
    ),
    # --- a buyer of a minor (Art. 329): closed hearing ------------------------------------
    Plan(
        title="Mua dâm người dưới 18 tuổi tại nhà nghỉ khu vực chợ đêm",
        commune="24136",  # Phường Tân Lợi
        detected_on=D(2018, 3, 12),
        police="CA_H643",
        origin="denunciation",
        offences=("329.1",),
        hotspot=True,
        parties=(
            Who(R.BUYER, S.SUSPECT, "buyer", "02 năm tù về tội Mua dâm người dưới 18 tuổi", 24),
            Who(R.SELLER, S.VICTIM, "minor"),
            Who(R.OTHER, S.WITNESS, "staff"),
        ),
        acts=(
            Act(
                DO.OPEN,
                D(2018, 4, 16),
                extend="Cần giám định độ tuổi của người bị hại và xác minh tại cơ sở lưu trú.",
            ),
            Act(DO.PROPOSE_PROSECUTION, D(2018, 6, 29)),
            Act(DO.INDICT, D(2018, 7, 13)),
            Act(DO.BRING_TO_TRIAL, D(2018, 8, 10)),
            Act(DO.JUDGMENT, D(2018, 8, 21)),
            Act(DO.ENFORCE, D(2018, 9, 10)),
        ),
        hearing=Hearing(D(2018, 8, 21), closed=True),
    ),
    # --- administrative sanction and no case (Buôn Ma Thuột) -------------------------------
    Plan(
        title="Tin báo hoạt động chứa mại dâm ven đường Lê Duẩn",
        commune="24151",  # Phường Ea Tam
        detected_on=D(2018, 3, 2),
        police="CA_H643",
        origin="patrol",
        offences=("327.1",),
        hotspot=True,
        acts=(Act(DO.TRANSFER_ADMIN, D(2018, 3, 14), ADMIN_ONLY),),
    ),
    Plan(
        title="Tố giác chứa mại dâm tại tiệm cắt tóc",
        commune="24118",  # Phường Tân Lập
        detected_on=D(2018, 9, 10),
        police="CA_H643",
        origin="denunciation",
        offences=("327.1",),
        kind="cat-toc-thanh-nu",
        acts=(Act(DO.NOT_OPEN, D(2018, 9, 27), NO_CRIME),),
    ),
    # --- other districts ---------------------------------------------------------------------
    Plan(
        title="Môi giới mại dâm khu vực chợ thị trấn",
        commune="24373",  # Thị trấn Ea Kar
        detected_on=D(2018, 2, 6),
        police="CA_H651",
        origin="patrol",
        offences=("328.1",),
        hotspot=True,
        parties=(
            Who(R.BROKER, S.SUSPECT, "broker", "01 năm 03 tháng tù về tội Môi giới mại dâm", 15),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.BUYER, S.WITNESS, "buyer"),
        ),
        acts=(
            Act(DO.OPEN, D(2018, 2, 14)),
            Act(DO.PROPOSE_PROSECUTION, D(2018, 4, 2)),
            Act(DO.INDICT, D(2018, 4, 17)),
            Act(DO.BRING_TO_TRIAL, D(2018, 5, 7)),
            Act(DO.JUDGMENT, D(2018, 5, 18)),
            Act(DO.ENFORCE, D(2018, 6, 7)),
        ),
        hearing=Hearing(
            D(2018, 5, 18),
            venue="Hội trường Tổ dân phố 3, thị trấn Ea Kar (xét xử lưu động)",
            mobile=True,
            audience=320,
        ),
    ),
    Plan(
        title="Chứa mại dâm tại cơ sở massage",
        commune="24404",  # Xã Cư ELang, Ea Kar
        detected_on=D(2018, 6, 8),
        police="CA_H651",
        origin="inspection",
        offences=("327.1",),
        kind="massage",
        acts=(Act(DO.TRANSFER_ADMIN, D(2018, 6, 22), ADMIN_FIRST),),
    ),
    Plan(
        title="Bảo kê hoạt động mại dâm tại cơ sở xông hơi, massage",
        commune="24490",  # Thị trấn Phước An, Krông Pắc
        detected_on=D(2018, 5, 14),
        police="CA_H654",
        origin="inspection",
        offences=("327.1",),
        kind="massage",
        hotspot=True,
        acts=(Act(DO.TRANSFER_ADMIN, D(2018, 5, 29), ADMIN_PROTECT),),
    ),
    Plan(
        title="Môi giới mại dâm tại quán karaoke",
        commune="24544",  # Xã Ea Ktur, Cư Kuin
        detected_on=D(2018, 2, 20),
        police="CA_H657",
        origin="inspection",
        offences=("328.1",),
        kind="karaoke",
        parties=(
            Who(R.BROKER, S.SUSPECT, "broker"),
            Who(R.SELLER, S.WITNESS, "seller"),
        ),
        acts=(
            Act(DO.OPEN, D(2018, 3, 5)),
            Act(
                DO.SUSPEND,
                D(2018, 4, 20),
                "Bị can bỏ trốn, không biết đang ở đâu; đã ra quyết định truy nã "
                "(Điều 229 khoản 1 điểm a BLTTHS).",
            ),
        ),
    ),
    Plan(
        # The one case left open: its investigation passed its time limit in March 2019.
        title="Chứa mại dâm tại nhà nghỉ",
        commune="24311",  # Phường Thiện An, Buôn Hồ
        detected_on=D(2018, 11, 21),
        police="CA_H644",
        origin="inspection",
        offences=("327.1",),
        kind="nha-nghi",
        parties=(
            Who(R.OWNER, S.SUSPECT, "owner"),
            Who(R.SELLER, S.WITNESS, "seller"),
            Who(R.SELLER, S.WITNESS, "seller"),
        ),
        acts=(Act(DO.OPEN, D(2018, 12, 5)),),
    ),
)

# Document numbers: (prefix of the number, suffix) per decision.
DOCUMENTS: dict[str, str] = {
    DO.OPEN: "QĐ-KTVA",
    DO.NOT_OPEN: "QĐ-KKTVA",
    DO.TRANSFER_ADMIN: "CV-CSĐT",
    DO.PROPOSE_PROSECUTION: "KLĐT",
    DO.SUSPEND: "QĐ-TĐCĐT",
    DO.INDICT: "CT-VKS",
    DO.BRING_TO_TRIAL: "2018/QĐXXST-HS",
    DO.JUDGMENT: "2018/HS-ST",
    DO.ENFORCE: "2018/QĐ-CA",
}


# --- persons -------------------------------------------------------------------------------

# kind -> (share of women, youngest, oldest)
PROFILES = {
    "seller": (0.95, 19, 34),
    "buyer": (0.02, 24, 52),
    "owner": (0.5, 32, 52),
    "broker": (0.5, 24, 42),
    "protector": (0.05, 26, 40),
    "staff": (0.5, 20, 36),
}


def person_values(
    rng: random.Random, kind: str, on: datetime.date, used: set[str]
) -> dict[str, Any]:
    """Fictional values for a person of ``kind`` named in a case detected ``on``; a minor is
    a girl of 16 on that day (with her date of birth, so her age is known)."""
    women, low, high = PROFILES.get(kind, (1.0, 16, 16))
    sex = Sex.FEMALE if rng.random() < women else Sex.MALE
    female = sex == Sex.FEMALE
    ede = rng.random() < 0.12
    if ede:
        given = rng.choice(names.EDE_FEMALE if female else names.EDE_MALE)
        name = f"{given} {rng.choice(names.EDE_FAMILY)}"
    else:
        middle = rng.choice(names.MIDDLE_FEMALE if female else names.MIDDLE_MALE)
        given = rng.choice(names.GIVEN_FEMALE if female else names.GIVEN_MALE)
        name = f"{rng.choice(names.FAMILY)} {middle} {given}"
    values: dict[str, Any] = {"full_name": name, "sex": sex}
    if kind == "minor":
        born = on.replace(year=on.year - 16) - datetime.timedelta(days=rng.randint(40, 300))
        values["birth_date"] = born
        year = born.year
    else:
        year = on.year - rng.randint(low, high)
        values["birth_year"] = year
    values.update(
        id_number=names.cccd(rng, sex, year, used),
        phone=names.phone(rng, used),
        ethnicity="Ê Đê" if ede else "Kinh",
        nationality="Việt Nam",
    )
    return values


# --- links to the other registers ----------------------------------------------------------


def _commune(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.COMMUNE, valid_from=None)


def _found(on: datetime.date) -> Q:
    """Inspections of the year up to ``on`` that found a violation."""
    return Q(
        inspections__result=InspectionResult.VIOLATION,
        inspections__is_deleted=False,
        inspections__date__year=on.year,
        inspections__date__lte=on,
    )


def _establishment(kind: str, on: datetime.date, area: Q) -> Establishment | None:
    """The establishment of ``kind`` in ``area`` that an inspection found in violation first
    (up to ``on``), else the first recorded."""
    rows = Establishment.objects.filter(area, kind__code=kind, is_deleted=False)
    found = rows.filter(_found(on)).order_by("inspections__date", "pk").first()
    return found or rows.order_by("pk").first()


def _inspections(establishments: list[Establishment], on: datetime.date) -> list[Inspection]:
    return list(
        Inspection.objects.filter(
            establishment__in=establishments,
            is_deleted=False,
            date__year=on.year,
            date__lte=on,
        ).order_by("date", "pk")
    )


def _violations(commune: Unit, inspections: list[Inspection], on: datetime.date) -> list[Violation]:
    """The violations the inspections recorded, else the commune's nearest in time."""
    rows = Violation.objects.filter(commune=commune, is_deleted=False)
    linked = list(rows.filter(inspection__in=inspections).order_by("pk"))
    if linked:
        return linked
    nearest = sorted(rows.filter(date__year=on.year), key=lambda v: (abs((v.date - on).days), v.pk))
    return nearest[:1]


# --- building ------------------------------------------------------------------------------


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.agencies = {a.code: a for a in Agency.objects.filter(level=1)}
        self.agencies.update({a.code: a for a in Agency.objects.filter(code__startswith="CA_H")})
        self.offences = {o.code: o for o in Offence.objects.all()}
        self.used: set[str] = {p.id_number for p in Person.objects.all() if p.id_number}
        self.numbers: dict[str, set[int]] = {}
        self.ring: Ring | None = None
        self.ring_places: dict[str, Establishment] = {}
        self.members: list[Person] = []

    def document(self, decision: str, on: datetime.date) -> str:
        """A number that grows over the year, unique per kind of document."""
        suffix = DOCUMENTS[decision]
        number = on.timetuple().tm_yday // 4 + 1
        taken = self.numbers.setdefault(suffix, set())
        while number in taken:
            number += 1
        taken.add(number)
        return f"{number:02d}/{suffix}"

    def build_ring(self) -> None:
        district = Unit.objects.get(code=RING_DISTRICT, level=UnitLevel.DISTRICT, valid_from=None)
        area = Q(commune__parent=district)
        for kind in RING_KINDS:
            place = _establishment(kind, RING_DAY, area)
            if place is not None:
                self.ring_places[kind] = place
        self.ring = actions.create_ring(
            None,
            values={
                "name": "Đường dây chứa, môi giới mại dâm tại TP Buôn Ma Thuột",
                "unit": district,
                "detected_on": RING_DAY,
                "notes": "Chuyên án của Phòng Cảnh sát hình sự Công an tỉnh phối hợp Công an "
                "thành phố, sau các đợt kiểm tra của Đội kiểm tra liên ngành 178.",
            },
            establishments=list(self.ring_places.values()),
        )
        for role, kind in RING_MEMBERS:
            values = person_values(self.rng, kind, RING_DAY, self.used)
            member = actions.add_member(None, self.ring, role=role, values=values)
            self.members.append(member.person)

    def where(self, plan: Plan) -> tuple[Unit, list[Establishment]]:
        """The commune of the case and the establishments it concerns."""
        if plan.ring:
            places = [self.ring_places[plan.kind]] if plan.kind in self.ring_places else []
            if not plan.kind:  # the organisers: every establishment of the ring
                places = list(self.ring_places.values())
            # Where the (first) establishment is; Phường Tân Lập without the registry demo.
            return (places[0].commune if places else _commune("24118")), places
        commune = _commune(plan.commune)
        place = (
            _establishment(plan.kind, plan.detected_on, Q(commune=commune)) if plan.kind else None
        )
        return commune, [place] if place else []

    def build_case(self, plan: Plan) -> Case:
        commune, places = self.where(plan)
        inspections = _inspections(places, plan.detected_on)
        transfer = any(act.decision == DO.TRANSFER_ADMIN for act in plan.acts)
        links: dict[str, list[Any]] = {
            "offences": [self.offences[code] for code in plan.offences],
            "establishments": places,
            "inspections": inspections,
            "hotspots": list(
                Hotspot.objects.filter(commune=commune, is_deleted=False).order_by("pk")[:1]
            )
            if plan.hotspot
            else [],
            "violations": _violations(commune, inspections, plan.detected_on) if transfer else [],
        }
        case = actions.create_case(
            None,
            values={
                "title": plan.title,
                "commune": commune,
                "detected_on": plan.detected_on,
                "detected_by": self.agencies[plan.police],
                "origin": plan.origin,
                "ring": self.ring if plan.ring else None,
            },
            links=links,
        )
        parties = []
        for who in plan.parties:
            if who.member is not None:
                person = self.members[who.member]
                party = actions.add_party(
                    None, case, role=who.role, standing=who.standing, person=person
                )
            else:
                values = person_values(self.rng, who.kind, plan.detected_on, self.used)
                party = actions.add_party(
                    None, case, role=who.role, standing=who.standing, values=values
                )
            parties.append((who, party))
        for act in plan.acts:
            self.take(plan, case, act, parties)
        return case

    def agency_for(self, plan: Plan, stage: str) -> Agency:
        if stage == Stage.PROSECUTION:
            return self.agencies[PROCURACY]
        if stage in (Stage.RECEIVED, Stage.INVESTIGATION):
            return self.agencies[plan.police]
        return self.agencies[COURT]

    def take(self, plan: Plan, case: Case, act: Act, parties: list[tuple[Who, Any]]) -> None:
        if act.extend:
            actions.extend(None, case, reason=act.extend)
        step = case.current_step()
        assert step is not None, f"{plan.title}: no open stage for {act.decision}"
        document = self.document(act.decision, act.on)
        if act.decision == DO.JUDGMENT:
            assert plan.hearing is not None
            hearing = plan.hearing
            actions.record_trial(
                None,
                case,
                values={
                    "court": self.agencies[COURT],
                    "held_on": hearing.held_on,
                    "venue": hearing.venue,
                    "is_closed": hearing.closed,
                    "is_mobile": hearing.mobile,
                    "location": case.commune if hearing.mobile else None,
                    "audience": hearing.audience,
                    "judgment_number": document,
                    "judgment_on": act.on,
                },
            )
        actions.decide(
            None,
            case,
            decision=act.decision,
            on=act.on,
            document=document,
            reason=act.reason,
            agency=self.agency_for(plan, step.stage),
        )
        if act.decision == DO.JUDGMENT:
            for who, party in parties:
                if who.sentence:
                    party.refresh_from_db()
                    actions.change_party(
                        None, party, sentence=who.sentence, prison_months=who.months
                    )


def build(rng: random.Random, year: int) -> None:
    """The demo's case files (after the registry, inspections and enforcement demos, whose
    establishments, inspections, hotspots and violations they link). The plans are dated:
    other years get none."""
    if year != DEMO_YEAR or Case.objects.exists() or Ring.objects.exists():
        return
    builder = _Builder(rng)
    builder.build_ring()
    for plan in PLANS:
        builder.build_case(plan)
