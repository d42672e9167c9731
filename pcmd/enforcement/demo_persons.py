"""Fictional persons behind the demo's sanctions of individuals (issue 11).

Every decision about an individual names as many persons as its violation counts, so the
counts of the registers stay what they were; a few persons are sanctioned twice (a new
violation within the Art. 7 period). The values are invented: Vietnamese names (Kinh and
Ê Đê), a sex, a birth year, a CCCD number and a mobile number.

CCCD numbers follow Circular 59/2021/TT-BCA Art. 4 (as Circular 07/2016/TT-BCA before it):
3 digits for the province of birth registration (Đắk Lắk **066**), 1 digit for the century
of birth and the sex (1900s: male 0, female 1; 2000s: male 2, female 3), the last 2 digits
of the birth year, then 6 random digits. Mobile numbers are 10 digits starting 09.
"""

from __future__ import annotations

import random
from typing import Any

from pcmd.people.models import Person, Sex

from . import persons
from .models import PersonRole, Sanction, SubjectKind

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
FAMILY += ["Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Mai", "Lâm"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị Thu", "Thị Ngọc", "Thị Thanh", "Thị Kim", "Ngọc", "Thu"]
MIDDLE_MALE = ["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh"]
GIVEN_FEMALE = ["Hà", "Lan", "Hương", "Mai", "Trang", "Linh", "Thảo", "Nhung", "Yến", "Vân"]
GIVEN_FEMALE += ["Phương", "Hằng", "Diễm", "My", "Tuyết", "Loan", "Oanh", "Nga", "Ly", "Hạnh"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Sơn", "Thắng", "Cường", "Phúc"]
GIVEN_MALE += ["Quang", "Trung", "Bình", "Khánh", "Tài", "Lợi", "Vinh", "Hiếu", "Toàn", "Đạt"]
EDE_FEMALE = ["H'Lan", "H'Nga", "H'Mai", "H'Yim", "H'Loan", "H'Duyên"]
EDE_MALE = ["Y Sơn", "Y Khuê", "Y Bhim", "Y Thắng", "Y Kông"]
EDE_FAMILY = ["Niê", "Mlô", "Êban", "Ktla", "Adrơng", "Byă", "Buôn Yă"]

REPEAT_SHARE = 0.06  # persons sanctioned again (a second violation within the period)


def role_of(code: str) -> str:
    if "mua-dam" in code:
        return PersonRole.BUYING
    if "ban-dam" in code:
        return PersonRole.SELLING
    return PersonRole.ORGANISING


def cccd(rng: random.Random, sex: str, year: int, used: set[str]) -> str:
    century = (year // 100) - 19  # 1900s → 0, 2000s → 1
    digit = century * 2 + (1 if sex == Sex.FEMALE else 0)
    while True:
        number = f"066{digit}{year % 100:02d}{rng.randint(0, 999_999):06d}"
        if number not in used:
            used.add(number)
            return number


def phone(rng: random.Random, used: set[str]) -> str:
    while True:
        number = f"09{rng.randint(0, 99_999_999):08d}"
        if number not in used:
            used.add(number)
            return number


def person_values(rng: random.Random, role: str, demo_year: int, used: set[str]) -> dict[str, Any]:
    if role == PersonRole.SELLING:
        sex = Sex.FEMALE if rng.random() < 0.95 else Sex.MALE
    elif role == PersonRole.BUYING:
        sex = Sex.MALE if rng.random() < 0.97 else Sex.FEMALE
    else:
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
    female = sex == Sex.FEMALE
    ede = rng.random() < 0.12
    if ede:
        name = f"{rng.choice(EDE_FEMALE if female else EDE_MALE)} {rng.choice(EDE_FAMILY)}"
    else:
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        name = f"{rng.choice(FAMILY)} {middle} {given}"
    low = 18 if role == PersonRole.SELLING else 20
    year = demo_year - rng.randint(low, 52 if role == PersonRole.BUYING else 40)
    return {
        "full_name": name,
        "sex": sex,
        "birth_year": year,
        "id_number": cccd(rng, sex, year, used),
        "phone": phone(rng, used),
        "ethnicity": "Ê Đê" if ede else "Kinh",
        "nationality": "Việt Nam",
    }


def build(rng: random.Random, year: int) -> None:
    """Name the persons of every demo decision about an individual (after the decisions)."""
    sanctions = list(
        Sanction.objects.filter(violation__subject_kind=SubjectKind.INDIVIDUAL)
        .select_related("violation", "violation__violation_type", "violation__commune")
        .order_by("date", "pk")
    )
    used: set[str] = set()
    earlier: dict[tuple[str, int | None], list[Person]] = {}
    for sanction in sanctions:
        violation = sanction.violation
        role = role_of(violation.violation_type.code)
        district = violation.commune.parent_id
        named: set[int] = set()
        for _n in range(violation.people_count):
            pool = [p for p in earlier.get((role, district), []) if p.pk not in named]
            if pool and rng.random() < REPEAT_SHARE:
                person = rng.choice(pool)
                persons.name_person(actor=None, sanction=sanction, role=role, person=person)
            else:
                values = person_values(rng, role, year, used)
                row = persons.name_person(actor=None, sanction=sanction, role=role, values=values)
                person = row.person
                earlier.setdefault((role, district), []).append(person)
            named.add(person.pk)
