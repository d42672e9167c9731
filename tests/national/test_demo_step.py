"""The national demo step (``make demo``) on one small province: the ministry's pages open on
a year of the 2021–2025 programme and measure its target N1."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from pcmd.national import demo
from pcmd.national.figures import default_year, overview
from pcmd.reporting.models import Submission

pytestmark = pytest.mark.django_db

LAI_CHAU = "12"  # not merged on 01/07/2025: its own share is the new province's


@override_settings(PCMD_DEMO_NATIONAL=LAI_CHAU)
def test_the_demo_step_opens_on_a_programme_year_with_n1_measured(persona: Any) -> None:
    demo.build(random.Random("national-test"), 2018)
    assert default_year() == demo.PROGRAMME_YEAR == 2024
    ov = overview(persona("boyte"), default_year())
    assert ov.plan is not None and ov.plan.number == "1629/QĐ-TTg"
    assert [t.target.code for t in ov.measured] == ["N1"]
    n1 = ov.measured[0]
    cell = {row.province.code: cells[0] for row, cells in ov.rows}[LAI_CHAU]
    sub = Submission.objects.get(unit__code=LAI_CHAU, form__code="tong-hop-nam-2021")
    share = Decimal(str(sub.auto_values["communication_coverage"]))
    assert 0 <= share <= 100
    assert cell.met is (share >= 70)
    assert (n1.met, n1.not_met) == ((1, 0) if share >= 70 else (0, 1))
    # the 2018 reports are still built, on plan 1842's form
    assert Submission.objects.filter(unit__code=LAI_CHAU, form__code="tong-hop-nam").exists()
    # run again: nothing added
    count = Submission.objects.count()
    demo.build(random.Random("national-test"), 2018)
    assert Submission.objects.count() == count
