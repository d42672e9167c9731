"""Demo 2026: communication activities on the communes and wards of the new Đắk Lắk.

From January to the last complete month: monthly press and radio items of the province, and
one to three activities in about three communes out of four (plan 2026 T1 asks for all of
them: the figure is on its way). No district level any more: activities are the commune
committees', the mass organisations', the commune police's and Sở Y tế's (counselling of
people at risk, the standing office since 01/03/2025). Bulk-written like the 2018 demo, with
one audit row; deterministic for a given ``rng``; a no-op when an activity lies in the new
province.
"""

from __future__ import annotations

import datetime
import random

from pcmd.core import audit
from pcmd.geo.demo_2026 import months, new_communes, new_province, window

from .demo import TOPICS, _Maker
from .models import Activity

SHARE = 0.75
# (agency, form choices, audiences, organiser)
COMMUNE_ACTIVITIES = [
    ("UBND_XA", ["meeting"], ["public"], "Ủy ban nhân dân {name} — họp dân cư"),
    ("HOI_LHPN_TINH", ["meeting", "leaflets"], ["womens_union", "public"], "Hội LHPN {name}"),
    ("TINH_DOAN", ["school", "online"], ["youth_union", "students"], "Đoàn Thanh niên {name}"),
    ("CONG_AN_TINH", ["meeting", "leaflets"], ["public", "business"], "Công an {name}"),
    ("SO_VHTTDL", ["mobile_info", "film"], ["public"], "Đội Thông tin lưu động tỉnh tại {name}"),
    ("SO_YTE", ["meeting"], ["high_risk"], "Sở Y tế — tư vấn, tiếp cận cộng đồng tại {name}"),
]


def build(rng: random.Random, year: int) -> None:
    province = new_province()
    span = window()
    if province is None or span is None:
        return
    communes = new_communes(province)
    unit_ids = [province.pk, *(c.pk for c in communes)]
    if not communes or Activity.objects.filter(unit_id__in=unit_ids).exists():
        return
    start, end = span
    last_day = max(start, end - datetime.timedelta(days=7))  # records made within a week
    maker = _Maker(rng, start.year)
    for first, _last in months():
        maker.add(
            province,
            "SO_VHTTDL",
            "mass_media",
            ["public"],
            rng.choice(TOPICS),
            rng.choice(["Báo và Phát thanh, Truyền hình Đắk Lắk", "Cổng thông tin điện tử tỉnh"]),
            copies=rng.randint(2, 6),
            day=min(first + datetime.timedelta(days=rng.randint(2, 25)), last_day),
        )
    reached = rng.sample(communes, round(len(communes) * SHARE))
    for commune in sorted(reached, key=lambda c: c.code):
        for _n in range(rng.choice([1, 1, 2, 2, 3])):
            agency, forms, audiences, organiser = rng.choice(COMMUNE_ACTIVITIES)
            day = start + datetime.timedelta(days=rng.randint(0, (last_day - start).days))
            maker.add(
                commune,
                agency,
                rng.choice(forms),
                audiences,
                rng.choice(TOPICS),
                organiser.format(name=commune.name),
                participants=rng.randint(25, 180),
                day=day,
            )
    count = maker.save()
    audit.record(
        actor=None,
        verb="outreach.demo",
        object_type="outreach.activity",
        changes={"activities": [None, count]},
        reason="Demo data for 2026 (new Đắk Lắk)",
    )
