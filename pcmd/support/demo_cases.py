"""Demo support cases for Đắk Lắk 2018 (issue 13): forty people followed by the districts'
social workers (người được hỗ trợ), from intake to closure.

- **Where**: Buôn Ma Thuột (643) most, then Buôn Hồ (644), Ea Kar (651), Krông Pắc (654) and
  Cư Kuin (657). Each district's social worker follows its cases: ``ctxh.bmt`` (a persona) in
  the city, and one account per other district made here (a random, unpublished password:
  the README personas are unchanged).
- **How the cases came**: 15 police hand-overs of persons the enforcement demo sanctioned for
  selling sex (the provincial police refer them, the standing office receives them, records
  their consent to support and assigns them to the district, whose social worker opens the
  case); the others came through outreach, by themselves, or from an organisation, as new
  fictional adults (names in the formats of :mod:`pcmd.enforcement.demo_persons`).
- **What they got**: a needs assessment and goals at intake; services from the catalog
  (vocational courses with their trade, loans from the Ngân hàng Chính sách xã hội with amount,
  term and repayment, job placement, HIV/STI and reproductive health, legal aid, counselling,
  peer groups, return to the family); referrals to Sở Y tế, the provincial Women's Union and
  named centres, each with the person's consent naming the organisation, except one sent by
  ``thuongtruc`` with a written override; answers and feedback; follow-ups at 1, 3 and 6
  months while the case is open.
- **How they ended**: two transfers between districts (with reasons), one case closed, reopened
  and closed again, two people who withdrew their consent (declined), and outcomes from stable
  work to lost to follow-up. Three cases stay open: "today" is the real date, so their later
  follow-ups are overdue, as they would be.
- **Statistics**: 34 of the 40 people consented to anonymous statistics; 6 did not.

Every write goes through :mod:`pcmd.support.cases` and :mod:`pcmd.people` actions. Those
actions date the standing office's receipt, assignment and closure of a hand-over "today";
the demo then sets those dates to 2018-2019, when they happened. Deterministic for a given
``rng``; a no-op once support cases exist.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pcmd.accounts import actions as account_actions
from pcmd.accounts.models import User
from pcmd.accounts.roles import MODULE_SUPPORT, Role
from pcmd.agencies.models import Agency
from pcmd.core.demo import DEMO_YEAR, generate_password
from pcmd.enforcement import demo_persons as names
from pcmd.enforcement.legal import add_months
from pcmd.enforcement.models import PersonRole, SanctionedPerson
from pcmd.enforcement.persons import source_of as sanction_source
from pcmd.geo.models import Unit, UnitLevel
from pcmd.people import actions as people_actions
from pcmd.people import consent as people_consent
from pcmd.people.models import ConsentPurpose, Involvement, Person, Referral, Sex

from . import cases
from .models import CaseOrigin, CaseOutcome, CaseStatus, GoalStatus, ServiceType, SupportCase

D = datetime.date
DAY = datetime.timedelta(days=1)
BANK = "Ngân hàng Chính sách xã hội"
LATEST_OPENING = D(2018, 12, 10)  # every case gets its first service within 2018

# District -> its social worker: (username, full name); ctxh.bmt is a README persona.
WORKERS = {
    "643": ("ctxh.bmt", ""),
    "644": ("ctxh.buonho", "Cán bộ công tác xã hội thị xã Buôn Hồ"),
    "651": ("ctxh.eakar", "Cán bộ công tác xã hội huyện Ea Kar"),
    "654": ("ctxh.krongpac", "Cán bộ công tác xã hội huyện Krông Pắc"),
    "657": ("ctxh.cukuin", "Cán bộ công tác xã hội huyện Cư Kuin"),
}

POLICE = CaseOrigin.POLICE
OUTREACH = CaseOrigin.OUTREACH
SELF = CaseOrigin.SELF
ORG = CaseOrigin.ORGANISATION
OUT = CaseOutcome


@dataclass(frozen=True)
class Plan:
    """One case. ``month``: the month opened (a police hand-over opens two to three weeks
    after the sanction instead). ``services``: letters of :data:`SERVICES`. ``months``: how
    long the case stays open (None: still open). ``refer``: keys of :data:`REFERRALS`."""

    district: str
    origin: str
    month: int
    services: str
    outcome: str
    months: int | None
    statistics: bool = True
    refer: tuple[str, ...] = ()
    note: str = ""
    transfer: tuple[str, str] | None = None  # (to district, reason), 5 months after opening
    reopen: str = ""  # reopened 2 months after the first closure (reason), closed 6 months on
    withdraw: bool = False  # the person withdraws consent to support services at closure


MOVED_HOME = (
    "Người được hỗ trợ về sống cùng gia đình tại huyện Krông Pắc; chuyển để cán bộ nơi cư trú "
    "tiếp tục theo dõi, hỗ trợ."
)
MOVED_CITY = (
    "Người được hỗ trợ chuyển đến TP Buôn Ma Thuột làm việc tại cơ sở may gia công; chuyển để "
    "cán bộ công tác xã hội thành phố tiếp tục theo dõi."
)
REOPENED = (
    "Cơ sở làm việc tạm ngừng hoạt động, người được hỗ trợ mất việc và đề nghị được tiếp tục "
    "hỗ trợ tìm việc làm."
)

PLANS: tuple[Plan, ...] = (
    # --- Thành phố Buôn Ma Thuột (18) ---------------------------------------------------------
    Plan("643", POLICE, 0, "HCT", OUT.STABLE_JOB, 9, refer=("yte",)),
    Plan("643", POLICE, 0, "HTJ", OUT.STABLE_JOB, 10),
    Plan("643", POLICE, 0, "HAC", OUT.RETURNED_FAMILY, 6, refer=("tgpl",)),
    Plan("643", POLICE, 0, "HL", OUT.STABLE_JOB, 12, refer=("lhpn",)),
    Plan("643", POLICE, 0, "C", OUT.LOST, 4, statistics=False),
    Plan("643", POLICE, 0, "HTJ", "", None, refer=("vieclam",)),
    Plan("643", POLICE, 0, "HRF", OUT.RETURNED_FAMILY, 8, transfer=("654", MOVED_HOME)),
    Plan("643", POLICE, 0, "", OUT.DECLINED, 1, withdraw=True),
    Plan("643", OUTREACH, 3, "HTL", OUT.STABLE_JOB, 11, refer=("lhpn",)),
    Plan("643", OUTREACH, 4, "RCT", OUT.STABLE_JOB, 9),
    Plan("643", OUTREACH, 5, "HA", OUT.MOVED_AWAY, 5, refer=("override",)),
    Plan("643", OUTREACH, 6, "TJ", OUT.STABLE_JOB, 8, refer=("vieclam",)),
    Plan("643", SELF, 7, "CTJ", OUT.STABLE_JOB, 6, reopen=REOPENED),
    Plan("643", SELF, 8, "HR", OUT.OTHER, 6, statistics=False),
    Plan("643", ORG, 9, "LP", OUT.STABLE_JOB, 12, refer=("lhpn",), note="Hội LHPN phường Tân Lập"),
    Plan(
        "643",
        ORG,
        10,
        "HCF",
        OUT.RETURNED_FAMILY,
        4,
        note="Trung tâm Phòng, chống HIV/AIDS tỉnh Đắk Lắk",
    ),
    Plan("643", OUTREACH, 11, "TL", "", None, refer=("ctxh",)),
    Plan("643", OUTREACH, 12, "", OUT.LOST, 3, statistics=False),
    # --- Thị xã Buôn Hồ (6) -------------------------------------------------------------------
    Plan("644", POLICE, 0, "HTJ", OUT.STABLE_JOB, 10),
    Plan("644", POLICE, 0, "HCA", OUT.RETURNED_FAMILY, 7, refer=("tgpl",)),
    Plan("644", POLICE, 0, "HL", OUT.STABLE_JOB, 11, transfer=("643", MOVED_CITY)),
    Plan("644", OUTREACH, 5, "RT", OUT.STABLE_JOB, 9),
    Plan("644", POLICE, 0, "CF", OUT.RETURNED_FAMILY, 5, statistics=False),
    Plan("644", ORG, 10, "HP", OUT.MOVED_AWAY, 4, note="Hội LHPN thị xã Buôn Hồ"),
    # --- Huyện Ea Kar (6) ---------------------------------------------------------------------
    Plan("651", POLICE, 0, "HCT", OUT.STABLE_JOB, 10, refer=("yte",)),
    Plan("651", OUTREACH, 3, "TL", OUT.STABLE_JOB, 12, refer=("lhpn",)),
    Plan("651", OUTREACH, 6, "HR", OUT.LOST, 4),
    Plan("651", SELF, 7, "CJ", OUT.STABLE_JOB, 8, refer=("vieclam",)),
    Plan("651", ORG, 9, "HA", OUT.OTHER, 6, statistics=False, note="Huyện Đoàn Ea Kar"),
    Plan("651", OUTREACH, 11, "TC", "", None),
    # --- Huyện Krông Pắc (5) ------------------------------------------------------------------
    Plan("654", OUTREACH, 2, "HF", OUT.RETURNED_FAMILY, 5),
    Plan("654", OUTREACH, 4, "TJ", OUT.STABLE_JOB, 10),
    Plan("654", SELF, 6, "HL", OUT.STABLE_JOB, 12, refer=("lhpn",)),
    Plan("654", OUTREACH, 8, "C", OUT.DECLINED, 2, statistics=False, withdraw=True),
    Plan("654", ORG, 10, "HR", OUT.MOVED_AWAY, 6, note="Trạm Y tế xã Ea Phê"),
    # --- Huyện Cư Kuin (5) --------------------------------------------------------------------
    Plan("657", POLICE, 0, "HTJ", OUT.STABLE_JOB, 9),
    Plan("657", POLICE, 0, "HCF", OUT.RETURNED_FAMILY, 6, refer=("yte",)),
    Plan("657", OUTREACH, 5, "TL", OUT.STABLE_JOB, 12),
    Plan("657", SELF, 7, "HC", OUT.LOST, 5),
    Plan("657", OUTREACH, 9, "RT", OUT.STABLE_JOB, 8),
)

TRANSFER_AFTER = 5  # months
REOPEN_AFTER = 2  # months after the first closure
SECOND_SPELL = 6  # months from the reopening to the second closure

# --- services ------------------------------------------------------------------------------

TRADES = ["May công nghiệp", "Nấu ăn", "Làm tóc, trang điểm", "Chăm sóc da, làm móng"]
TRADES += ["Pha chế đồ uống", "Trồng và chăm sóc cà phê", "Chăn nuôi gia cầm"]
EMPLOYERS = ["Cơ sở may gia công Hòa Phú", "Nhà hàng Hương Cau", "Tiệm làm tóc Ngọc Lan"]
EMPLOYERS += ["Hợp tác xã cà phê Ea Tu", "Siêu thị mini Thành Công"]
TRAINING = "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {short}"
HIV = "Trung tâm Phòng, chống HIV/AIDS tỉnh Đắk Lắk"
REPRODUCTIVE = "Trung tâm Chăm sóc sức khỏe sinh sản tỉnh Đắk Lắk"
LEGAL = "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Đắk Lắk"
JOBS = "Trung tâm Dịch vụ việc làm tỉnh Đắk Lắk"
SOCIAL = "Trung tâm Công tác xã hội tỉnh Đắk Lắk"
HOSPITAL = "Bệnh viện Đa khoa vùng Tây Nguyên"

# letter -> (service type code, days after opening)
SERVICES = {
    "H": ("health_hiv_sti", 4),
    "R": ("health_reproductive", 6),
    "C": ("counselling", 3),
    "A": ("legal_aid", 12),
    "T": ("vocational_training", 20),
    "L": ("loan", 60),
    "P": ("peer_group", 15),
    "F": ("family_reintegration", 30),
    "J": ("job_placement", 125),
}

# key -> (service type code, agency code or "", organisation named, accepted, feedback)
REFERRALS = {
    "yte": (
        "health_hiv_sti",
        "SO_YTE",
        "",
        True,
        "Đã khám, xét nghiệm HIV và các bệnh lây truyền qua đường tình dục; được tư vấn và "
        "điều trị theo phác đồ tại cơ sở y tế tuyến tỉnh.",
    ),
    "lhpn": (
        "loan",
        "HOI_LHPN_TINH",
        "",
        True,
        "Hội LHPN nhận ủy thác, đã hướng dẫn lập hồ sơ vay vốn Ngân hàng Chính sách xã hội và "
        "kết nạp vào tổ tiết kiệm và vay vốn của phường, xã.",
    ),
    "vieclam": (
        "job_placement",
        "",
        JOBS,
        True,
        "Đã giới thiệu việc làm phù hợp nghề đã học; người được hỗ trợ đã nhận việc.",
    ),
    "tgpl": (
        "legal_aid",
        "",
        LEGAL,
        True,
        "Đã tư vấn pháp luật về hộ tịch, làm lại giấy tờ tùy thân và thủ tục nuôi con.",
    ),
    "ctxh": (
        "housing",
        "",
        SOCIAL,
        False,
        "Trung tâm hiện không còn chỗ ở tạm thời; đề nghị phối hợp với Hội LHPN tìm nơi thuê trọ.",
    ),
    "override": (
        "health_hiv_sti",
        "",
        HOSPITAL,
        True,
        "Đã điều trị dự phòng sau phơi nhiễm HIV đủ 28 ngày; kết quả xét nghiệm âm tính.",
    ),
}
OVERRIDE_REASON = (
    "Người được hỗ trợ đang điều trị nội trú, không liên lạc được để lấy ý kiến đồng ý; cần "
    "chuyển gấp để được điều trị dự phòng sau phơi nhiễm HIV trong 72 giờ."
)
NOTES = {
    "health": "Cần khám sức khỏe, xét nghiệm HIV và các bệnh lây truyền qua đường tình dục.",
    "legal": "Chưa có căn cước công dân, cần làm lại giấy tờ tùy thân.",
    "income": "Không có nghề, thu nhập không ổn định; mong muốn học nghề và vay vốn.",
    "family": "Mong muốn trở về sống cùng gia đình.",
}
GOALS = {
    "health": "Được khám, xét nghiệm và điều trị đầy đủ; biết cách tự bảo vệ sức khỏe.",
    "legal": "Có lại giấy tờ tùy thân và được tư vấn pháp luật.",
    "income": "Có nghề và việc làm hoặc nguồn thu nhập ổn định.",
    "family": "Trở về sống cùng gia đình, được gia đình và cộng đồng đón nhận.",
}
DOMAIN_OF = {"H": "health", "R": "health", "A": "legal", "T": "income", "L": "income"}
DOMAIN_OF |= {"J": "income", "F": "family"}
FOLLOWUP_NOTES = [
    "Đã thăm hỏi tại nhà; người được hỗ trợ ổn định, tham gia học nghề đều.",
    "Gọi điện hỏi thăm; sức khỏe ổn định, đang làm việc.",
    "Gặp tại trụ sở; trao đổi về kế hoạch vay vốn và việc làm.",
    "Đã thăm hỏi; gia đình đón nhận, người được hỗ trợ mong tiếp tục làm việc.",
]
KINDS = ["visit", "call", "office"]


def _district(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.DISTRICT, valid_from=None)


def _worker(code: str) -> User:
    """The district's social worker: the persona in the city, an account made here elsewhere."""
    username, full_name = WORKERS[code]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_actions.create_user(
            actor=None,
            username=username,
            password=generate_password(),
            full_name=full_name,
            check_password=False,
        )
    if not user.assignments.filter(role=Role.SOCIAL_WORKER, unit__code=code).exists():
        account_actions.add_assignment(
            user,
            actor=None,
            role=Role.SOCIAL_WORKER,
            unit=_district(code),
            agency=Agency.objects.get(code=f"LDTBXH_H{code}"),
        )
    return user


def person_values(rng: random.Random, year: int, used: set[str]) -> dict[str, Any]:
    """A fictional adult (20 to 40 in ``year``), most often a woman."""
    sex = Sex.FEMALE if rng.random() < 0.95 else Sex.MALE
    female = sex == Sex.FEMALE
    ede = rng.random() < 0.12
    if ede:
        name = f"{rng.choice(names.EDE_FEMALE if female else names.EDE_MALE)} "
        name += rng.choice(names.EDE_FAMILY)
    else:
        middle = rng.choice(names.MIDDLE_FEMALE if female else names.MIDDLE_MALE)
        given = rng.choice(names.GIVEN_FEMALE if female else names.GIVEN_MALE)
        name = f"{rng.choice(names.FAMILY)} {middle} {given}"
    born = year - rng.randint(20, 40)
    return {
        "full_name": name,
        "sex": sex,
        "birth_year": born,
        "id_number": names.cccd(rng, sex, born, used),
        "phone": names.phone(rng, used),
        "ethnicity": "Ê Đê" if ede else "Kinh",
        "nationality": "Việt Nam",
    }


class Builder:
    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.office = User.objects.get(username="thuongtruc")
        self.police = User.objects.get(username="congan")
        self.workers = {code: _worker(code) for code in WORKERS}
        self.types = {t.code: t for t in ServiceType.objects.all()}
        self.agencies = {
            a.code: a for a in Agency.objects.filter(code__in=["SO_YTE", "HOI_LHPN_TINH"])
        }
        self.used: set[str] = set()
        self.sellers: dict[str, list[SanctionedPerson]] = {}
        taken: set[int] = set()
        rows = (
            SanctionedPerson.objects.filter(
                role=PersonRole.SELLING,
                sanction__date__year=year,
                sanction__date__lte=LATEST_OPENING - datetime.timedelta(days=25),
            )
            .select_related("sanction__violation__commune", "person")
            .order_by("sanction__date", "pk")
        )
        for row in rows:
            if row.person_id in taken:
                continue
            taken.add(row.person_id)
            district = row.sanction.violation.commune.parent
            assert district is not None  # a commune lies in a district
            self.sellers.setdefault(district.code, []).append(row)

    # --- intake ------------------------------------------------------------------------------

    def hand_over(self, plan: Plan) -> tuple[Person, Referral, D]:
        """The police refer a sanctioned seller; the standing office receives the hand-over,
        records the consent to support and assigns it to the district."""
        row = self.sellers[plan.district].pop(0)
        person = row.person
        sent = row.sanction.date + self.rng.randint(3, 8) * DAY
        referral = people_consent.refer_to_standing_office(
            self.police,
            person,
            source=sanction_source(row.sanction),
            note="Người bán dâm đã bị xử phạt vi phạm hành chính; chuyển để tư vấn, hỗ trợ.",
            on=sent,
        )
        received = sent + self.rng.randint(1, 3) * DAY
        people_consent.receive_referral(self.office, referral)
        assigned = received + self.rng.randint(2, 5) * DAY
        people_consent.record_consent(
            self.office, person, purpose=ConsentPurpose.SUPPORT, given=True, on=assigned
        )
        district = _district(plan.district)
        people_consent.assign_referral(self.office, referral, district=district)
        # The actions date these steps today; they happened in 2018.
        Referral.objects.filter(pk=referral.pk).update(received_on=received, assigned_on=assigned)
        Involvement.objects.filter(
            person=person, source=referral.source_tag, unit=district, ended_on=None
        ).update(started_on=assigned)
        referral.refresh_from_db()
        return person, referral, assigned + self.rng.randint(2, 6) * DAY

    def newcomer(self, plan: Plan) -> tuple[Person, D]:
        district = _district(plan.district)
        communes = list(
            Unit.objects.filter(parent=district, level=UnitLevel.COMMUNE, valid_from=None).order_by(
                "code"
            )
        )
        person = people_actions.create_person(
            None,
            unit=self.rng.choice(communes),
            values=person_values(self.rng, self.year, self.used),
        )
        return person, D(self.year, plan.month, self.rng.randint(2, 26))

    # --- one case ----------------------------------------------------------------------------

    def build(self, plan: Plan) -> SupportCase:
        referral = None
        if plan.origin == POLICE:
            person, referral, opened = self.hand_over(plan)
        else:
            person, opened = self.newcomer(plan)
        opened = min(opened, LATEST_OPENING)
        worker = self.workers[plan.district]
        case = cases.open_case(
            worker,
            person=person,
            unit=_district(plan.district),
            origin=plan.origin,
            worker=worker,
            opened_on=opened,
            origin_note=plan.note,
            referral=referral,
            statistics_consent=plan.statistics,
        )
        closed = self.close_day(plan, opened)
        events: list[tuple[D, int, Callable[[], Any]]] = []
        events.append((opened, 0, lambda: self.assess(case, plan, opened)))
        for letter in plan.services:
            code, days = SERVICES[letter]
            day = opened + days * DAY
            if closed is None or day < closed:
                events.append((day, 2, self.service_step(case, letter, day, plan)))
        for key in plan.refer:
            day = opened + 8 * DAY
            events.append((day, 3, self.referral_step(case, key, day)))
        for months in (1, 3, 6):
            day = add_months(opened, months) + self.rng.randint(0, 6) * DAY
            if closed is None or day < closed:
                events.append((day, 4, self.followup_step(case, day)))
        if plan.transfer is not None:
            to, reason = plan.transfer
            day = add_months(opened, TRANSFER_AFTER)
            events.append((day, 5, self.transfer_step(case, to, day, reason)))
        for _day, _order, step in sorted(events, key=lambda e: (e[0], e[1])):
            step()
        if closed is not None:
            self.close(case, plan, closed, referral)
        return case

    def close_day(self, plan: Plan, opened: D) -> D | None:
        if plan.months is None:
            return None
        return add_months(opened, plan.months) + self.rng.randint(0, 9) * DAY

    def actor(self, case: SupportCase) -> User:
        return User.objects.get(pk=case.worker_id)

    def assess(self, case: SupportCase, plan: Plan, on: D) -> None:
        domains = {DOMAIN_OF[s] for s in plan.services if s in DOMAIN_OF}
        levels = {d: "none" for d in ("health", "legal", "housing", "income", "family", "safety")}
        for domain in domains:
            levels[domain] = "urgent" if self.rng.random() < 0.3 else "some"
        if "C" in plan.services:
            levels["safety"] = "some"
        note = " ".join(NOTES[d] for d in sorted(domains) if d in NOTES)
        cases.assess(self.actor(case), case, on=on, levels=levels, note=note)
        for domain in sorted(domains):
            cases.add_goal(
                self.actor(case),
                case,
                domain=domain,
                text=GOALS[domain],
                due_on=add_months(on, 6),
            )

    def service_step(self, case: SupportCase, letter: str, day: D, plan: Plan) -> Callable[[], Any]:
        def step() -> None:
            code = SERVICES[letter][0]
            cases.record_service(
                self.actor(case),
                case,
                type=self.types[code],
                started_on=day,
                values=self.service_values(case, letter, day, plan),
            )

        return step

    def service_values(self, case: SupportCase, letter: str, day: D, plan: Plan) -> dict[str, Any]:
        still_open = plan.months is None
        done = "ongoing" if still_open else "completed"
        rng = self.rng
        if letter == "T":
            district = _district(plan.district)
            return {
                "provider_name": TRAINING.format(short=district.name.replace("Huyện ", "huyện ")),
                "course": rng.choice(TRADES),
                "ended_on": None if still_open else add_months(day, 3),
                "cost": Decimal(rng.choice([2_500_000, 3_000_000, 4_500_000])),
                "outcome": done,
            }
        if letter == "L":
            late = rng.random() < 0.2
            return {
                "lender": BANK,
                "loan_amount": Decimal(rng.choice([20_000_000, 30_000_000, 50_000_000])),
                "loan_term_months": 36,
                "repayment": "on_time" if still_open else ("late" if late else "repaid"),
                "outcome": "ongoing" if still_open or late else "completed",
                "note": "Vay theo chương trình cho vay hộ nghèo, hộ cận nghèo.",
            }
        if letter == "J":
            return {"provider_name": rng.choice(EMPLOYERS), "outcome": done}
        providers = {"H": HIV, "R": REPRODUCTIVE, "A": LEGAL}
        if letter in providers:
            return {
                "provider_name": providers[letter],
                "ended_on": day + 30 * DAY,
                "cost": Decimal(0),
                "outcome": "completed",
            }
        if letter == "P":
            return {"provider": self.agencies["HOI_LHPN_TINH"], "outcome": done}
        unit = case.unit
        return {
            "provider": Agency.objects.get(code=f"LDTBXH_H{unit.code}"),
            "ended_on": day + 60 * DAY,
            "outcome": "completed",
        }

    def referral_step(self, case: SupportCase, key: str, day: D) -> Callable[[], Any]:
        def step() -> None:
            code, agency_code, name, accepted, feedback = REFERRALS[key]
            agency = self.agencies.get(agency_code)
            to_name = name or (agency.name if agency is not None else "")
            if key == "override":
                row = cases.refer(
                    self.office,
                    case,
                    type=self.types[code],
                    to_name=to_name,
                    sent_on=day,
                    override_reason=OVERRIDE_REASON,
                )
            else:
                people_consent.record_consent(
                    self.actor(case),
                    case.person,
                    purpose=ConsentPurpose.REFERRAL,
                    given=True,
                    on=day,
                    organisation=to_name,
                )
                row = cases.refer(
                    self.actor(case),
                    case,
                    type=self.types[code],
                    to_name=to_name if agency is None else "",
                    to_agency=agency,
                    sent_on=day,
                )
            answered = day + self.rng.randint(2, 7) * DAY
            if not accepted:
                cases.answer(None, row, accepted=False, on=answered, feedback=feedback)
                return
            cases.answer(None, row, accepted=True, on=answered)
            cases.give_feedback(None, row, on=answered + 30 * DAY, feedback=feedback)

        return step

    def followup_step(self, case: SupportCase, day: D) -> Callable[[], Any]:
        def step() -> None:
            cases.record_followup(
                self.actor(case),
                case,
                done_on=day,
                kind=self.rng.choice(KINDS),
                note=self.rng.choice(FOLLOWUP_NOTES),
            )

        return step

    def transfer_step(self, case: SupportCase, to: str, day: D, reason: str) -> Callable[[], Any]:
        def step() -> None:
            cases.transfer(
                self.actor(case),
                case,
                to_unit=_district(to),
                to_worker=self.workers[to],
                on=day,
                reason=reason,
            )

        return step

    # --- closure -----------------------------------------------------------------------------

    def close(self, case: SupportCase, plan: Plan, closed: D, referral: Referral | None) -> None:
        if plan.withdraw:
            people_consent.record_consent(
                None,
                case.person,
                purpose=ConsentPurpose.SUPPORT,
                given=False,
                on=closed,
                note="Người được hỗ trợ không muốn tiếp tục nhận hỗ trợ.",
            )
            case.refresh_from_db()  # the withdrawal closed the case ("declined", that day)
        actor = self.actor(case)
        if plan.reopen:
            cases.close_case(actor, case, outcome=plan.outcome, on=closed)
            again = add_months(closed, REOPEN_AFTER)
            cases.reopen(actor, case, on=again, reason=plan.reopen)
            cases.record_service(
                actor,
                case,
                type=self.types["job_placement"],
                started_on=again + 10 * DAY,
                values={"provider_name": JOBS, "outcome": "completed"},
            )
            for months in (1, 3):
                cases.record_followup(
                    actor,
                    case,
                    done_on=add_months(again, months) + 2 * DAY,
                    kind="visit",
                    note=FOLLOWUP_NOTES[1],
                )
            closed = add_months(again, SECOND_SPELL)
        if case.status == CaseStatus.OPEN:
            cases.close_case(actor, case, outcome=plan.outcome, on=closed)
        status = GoalStatus.ACHIEVED
        if plan.outcome in (OUT.LOST, OUT.DECLINED, OUT.MOVED_AWAY):
            status = GoalStatus.DROPPED
        for goal in case.goals.all():
            cases.set_goal_status(actor, goal, status=status)
        if referral is not None:
            people_consent.close_referral(self.office, referral)
            Referral.objects.filter(pk=referral.pk).update(closed_on=closed)
            Involvement.objects.filter(
                person=case.person, source=referral.source_tag, module=MODULE_SUPPORT
            ).exclude(ended_on=None).exclude(ended_on__lt=closed).update(ended_on=closed)


def build(rng: random.Random, year: int) -> None:
    """The 2018 support cases. The police hand over sellers the enforcement demo sanctioned:
    without that demo (a partial build) there are no cases."""
    if year != DEMO_YEAR or SupportCase.objects.exists():
        return
    if not SanctionedPerson.objects.filter(
        role=PersonRole.SELLING, sanction__date__year=year
    ).exists():
        return
    builder = Builder(rng, year)
    for plan in PLANS:
        builder.build(plan)
