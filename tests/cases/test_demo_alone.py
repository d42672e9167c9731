"""The demo case files on a base without the other registers (tests/cases/test_demo.py
builds them once for its own tests)."""

from __future__ import annotations

import pytest

from pcmd.cases import actions
from pcmd.cases.models import Case, Ring
from tests.cases.test_demo import build

pytestmark = pytest.mark.django_db


def test_without_the_other_registers_the_demo_still_builds() -> None:
    """The test base has no establishments, inspections or violations: the cases are built
    all the same, with no links."""
    build("cases")
    assert Case.objects.count() == 12
    assert Ring.objects.get().establishments.count() == 0
    assert len(actions.overdue_steps()) == 1
