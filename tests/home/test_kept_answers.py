"""The home page's cards are kept between requests while the registers they read are unchanged
(pcmd.core.datacache, issue 15), and any write, by anyone and by any means, shows at once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcmd.accounts.models import Assignment
from pcmd.hotspots.models import Hotspot
from pcmd.reporting import actions as report_actions
from tests.home.test_home import cards, user, work  # noqa: F401 - the fixture
from tests.stamps import as_if_committed

pytestmark = pytest.mark.django_db


def test_kept_cards_follow_every_write(work: dict[str, Any], client_for: Any) -> None:  # noqa: F811
    district = client_for("huyen.bmt")
    as_if_committed()
    first = cards(district.get("/").content.decode())
    assert first["hotspot-rechecks"] == "1" and first["reports-to-approve"] == "1"
    with CaptureQueriesContext(connection) as kept:
        assert cards(district.get("/").content.decode()) == first
    assert len(kept) <= 10  # session, user, assignments, the stamps, the live card, the menu

    # a second hotspot overdue, inserted by bulk_create (no save() and no signal)
    spot = work["spot"]
    Hotspot.objects.bulk_create(
        [
            Hotspot(
                **{
                    f.name: getattr(spot, f.name)
                    for f in Hotspot._meta.concrete_fields
                    if f.name not in {"id", "created_at", "updated_at"}
                }
                | {"name": "Điểm thứ hai"}
            )
        ]
    )
    assert cards(district.get("/").content.decode())["hotspot-rechecks"] == "2"
    # someone else approves the report waiting for the district
    report_actions.approve_submission(work["sent"], actor=user("huyen.bmt"))
    assert cards(district.get("/").content.decode())["reports-to-approve"] == "0"


def test_a_role_that_ends_ends_its_cards_at_once(work: dict[str, Any], client_for: Any) -> None:  # noqa: F811
    district = client_for("huyen.bmt")
    assert "reports-to-approve" in cards(district.get("/").content.decode())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(user=user("huyen.bmt")).update(valid_to=yesterday)
    assert "reports-to-approve" not in cards(district.get("/").content.decode())


def test_each_language_keeps_its_own_cards(work: dict[str, Any], client_for: Any) -> None:  # noqa: F811
    district = client_for("huyen.bmt")
    assert "Báo cáo chờ duyệt" in district.get("/").content.decode()
    district.cookies.load({"django_language": "en"})
    english = district.get("/").content.decode()
    assert "Reports to approve" in english and "Báo cáo chờ duyệt" not in english
