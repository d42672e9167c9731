import datetime as dt
from decimal import Decimal

import pytest

from pcmd.core.periods import parse_period
from pcmd.plans.models import Target
from pcmd.plans.progress import Status, goal_text, judge

pytestmark = pytest.mark.django_db

Y = parse_period("2018")
MID = dt.date(2018, 7, 2)  # half the year gone
END = dt.date(2019, 1, 5)


def target(code: str) -> Target:
    return Target.objects.get(plan__number="1842/KH-UBND", code=code)


def test_goal_texts() -> None:
    assert goal_text(target("T1")) == "100%"
    assert goal_text(target("T3")) == "100–150"
    assert goal_text(target("T6")) == "174/184"
    assert goal_text(target("T2")) == "—"


@pytest.mark.parametrize(
    ("code", "value", "today", "status"),
    [
        ("T1", 100.0, MID, Status.MET),
        ("T1", 60.0, MID, Status.ON_TRACK),  # 60% of the way, 50% of the year gone
        ("T1", 30.0, MID, Status.AT_RISK),
        ("T1", 99.0, END, Status.NOT_MET),
        ("T3", 120, END, Status.MET),
        ("T3", 160, END, Status.MET),  # above the range is still done
        ("T3", 40, MID, Status.AT_RISK),
        ("T3", 90, END, Status.NOT_MET),
        ("T6", 174, END, Status.MET),
        ("T6", 170, END, Status.NOT_MET),
        ("T2", 500, END, Status.TRACKED),
        ("T1", None, MID, Status.NO_DATA),
    ],
)
def test_judge(code, value, today, status) -> None:
    assert judge(target(code), value, Y, today)[0] == status


def test_share_of_units_for_a_district() -> None:
    # a district judged on the share 174/184 = 94.6%
    assert judge(target("T6"), Decimal("95.0"), Y, END, share=True)[0] == Status.MET
    assert judge(target("T6"), Decimal("90.0"), Y, END, share=True)[0] == Status.NOT_MET
