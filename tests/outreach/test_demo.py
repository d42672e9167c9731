"""The 2018 demo: plausible figures, the plan's agencies, deterministic, a no-op on re-run."""

import datetime
import random
from collections import Counter

import pytest

from pcmd.core.demo import SEED
from pcmd.outreach import demo
from pcmd.outreach.models import Activity, Officer, Training, TrainingParticipant
from pcmd.outreach.stats import commune_coverage, trained_share

pytestmark = pytest.mark.django_db


def build() -> None:
    demo.build(random.Random(f"{SEED}-outreach-2018"), 2018)


def snapshot() -> list:
    activities = sorted(
        Activity.objects.values_list(
            "date", "unit__code", "agency__code", "form__code", "title", "participants", "copies"
        )
    )
    officers = sorted(
        Officer.objects.values_list(
            "full_name", "commune__code", "position", "is_social_evils_officer"
        )
    )
    participants = sorted(
        TrainingParticipant.objects.values_list("training__title", "full_name", "unit__code")
    )
    return [activities, officers, participants]


def wipe() -> None:
    TrainingParticipant.objects.all().delete()
    Training.objects.all().delete()
    Officer.objects.all().delete()
    Activity.audiences.through.objects.all().delete()
    Activity.objects.all().delete()


def test_demo_figures(persona) -> None:
    build()
    user = persona("thuongtruc")
    coverage = commune_coverage(user, 2018)
    assert coverage.total == 184
    assert 165 <= coverage.covered <= 175 < 184  # most communes, not all
    share = trained_share(user, 2018)
    assert 0.85 <= share.trained / share.total <= 0.95
    per_commune = Counter(Officer.objects.values_list("commune__code", flat=True))
    assert len(per_commune) == 184 and set(per_commune.values()) <= {1, 2}
    levels = Counter(Training.objects.values_list("level", flat=True))
    assert levels["province"] >= 2 and levels["district"] >= 3
    agencies = set(Activity.objects.values_list("agency__code", flat=True))
    assert {"SO_VHTTDL", "SO_TTTT", "HOI_LHPN_TINH", "TINH_DOAN", "MTTQ_TINH"} <= agencies
    assert any(code.startswith("UBND_X") for code in agencies)
    assert list(Activity.objects.dates("date", "year")) == [datetime.date(2018, 1, 1)]
    # the personas' pages have something to show
    assert commune_coverage(persona("huyen.bmt"), 2018).covered > 15


def test_demo_is_deterministic_and_idempotent() -> None:
    build()
    first = snapshot()
    build()  # a no-op when rows exist
    assert snapshot() == first
    wipe()
    build()
    assert snapshot() == first
