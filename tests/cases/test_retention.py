"""Identities named in case files are kept while a case is open and for the configured years
after the last one closed."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from pcmd.cases import actions
from pcmd.cases.models import Case, Decision
from pcmd.cases.retention import retention_date
from pcmd.people import retention

from .conftest import D


@override_settings(PCMD_RETENTION_YEARS={"cases": 10})
def test_kept_while_open_then_for_the_configured_years(case: Case, police: Any) -> None:
    party = actions.add_party(
        police,
        case,
        values={"full_name": "Chủ Quán Lưu Thử", "birth_year": 1970, "sex": "male"},
        role="owner",
        standing="suspect",
    )
    person = party.person
    assert retention_date(person) is None
    assert retention.removable_from(person) is None
    actions.decide(
        police,
        case,
        decision=Decision.TRANSFER_ADMIN,
        on=D(2018, 3, 20),
        reason="Chuyển xử phạt vi phạm hành chính.",
    )
    assert retention_date(person) == D(2028, 3, 21)
    assert retention.describe("cases") == str(retention.RULE_DESCRIPTIONS["cases"])
    # a ring naming the person whose case is still open keeps the identity
    ring = actions.create_ring(
        police, values={"name": "Đường dây thử", "unit": case.commune, "detected_on": D(2018, 4, 1)}
    )
    actions.add_member(police, ring, role="owner", person=person)
    assert retention_date(person) is None  # a ring without a case is still worked on
    other = actions.create_case(
        police,
        values={
            "title": "Vụ thứ hai",
            "commune": case.commune,
            "detected_on": D(2018, 5, 2),
            "detected_by": case.detected_by,
            "ring": ring,
        },
    )
    assert retention_date(person) is None
    actions.decide(
        police, other, decision=Decision.NOT_OPEN, on=D(2018, 6, 1), reason="Không có dấu hiệu."
    )
    assert retention_date(person) == D(2028, 6, 2)
