"""The home page's cards are kept between requests while the registers they read are unchanged
(pcmd.core.datacache, issue 15), and any write, by anyone and by any means, shows at once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcmd.accounts import actions as accounts
from pcmd.accounts.models import Assignment, User
from pcmd.core.datacache import scope_key
from pcmd.home import assemble
from pcmd.hotspots.models import Hotspot
from pcmd.reporting import actions as report_actions
from pcmd.reporting.models import Reminder
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


def _colleague(of: str, username: str) -> User:
    """Another officer of the same office: the same roles over the same units and agencies."""
    colleague = accounts.create_user(
        actor=None, username=username, password="x", full_name=username, check_password=False
    )
    for a in user(of).current_assignments:
        accounts.add_assignment(colleague, actor=None, role=a.role, unit=a.unit, agency=a.agency)
    return colleague


def test_colleagues_share_the_cards_of_their_scope_not_their_own(
    work: dict[str, Any],  # noqa: F811
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two officers with the same assignments: the second one's first home page takes the
    scope's cards the first one computed (none of them runs again), and the cards that belong
    to a person stay theirs: a reminder addressed to one is not on the other's page."""
    colleague = _colleague("huyen.bmt", "huyen.bmt.2")
    first = user("huyen.bmt")
    Reminder.objects.create(
        user=first,
        form=work["sent"].form,
        unit=first.scope_units[0],
        period_code="2018-H1",
        due_date=datetime.date(2018, 7, 15),
        message="Nhắc nộp báo cáo",
        created_at=timezone.now(),
    )
    assert scope_key(first) == scope_key(colleague)
    as_if_committed()
    mine = client_for("huyen.bmt").get("/").content.decode()
    assert "reminders" in cards(mine)

    ran: list[str] = []
    original = assemble.remember

    def counting(key: Any, compute: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            ran.append(key[-1])
            return compute()

        return original(key, run, **kwargs)

    monkeypatch.setattr(assemble, "remember", counting)
    theirs = client_for("huyen.bmt.2").get("/").content.decode()
    shared = {p.__name__ for p in assemble.BY_SCOPE}
    assert ran and not set(ran) & shared, ran  # only the colleague's own cards were computed
    assert "reminders" not in cards(theirs)
    mine_cards, their_cards = cards(mine), cards(theirs)
    del mine_cards["reminders"]
    assert their_cards == mine_cards


def test_a_colleague_with_other_roles_does_not_share(
    work: dict[str, Any],  # noqa: F811
    client_for: Any,
) -> None:
    """An assignment more, fewer or ended: another key, computed for that officer."""
    colleague = _colleague("huyen.bmt", "huyen.bmt.2")
    key = scope_key(colleague)
    Assignment.objects.filter(user=colleague).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert scope_key(User.objects.get(pk=colleague.pk)) != key
    commune_officer = _colleague("xa.tanlap", "xa.tanlap.2")
    assert scope_key(commune_officer) != key
    User.objects.filter(pk=commune_officer.pk).update(is_superuser=True)
    assert scope_key(User.objects.get(pk=commune_officer.pk)) != scope_key(user("xa.tanlap"))


def test_colleagues_share_the_dashboard_alerts(
    work: dict[str, Any],  # noqa: F811
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dashboard's register alerts name what the scope holds: computed once for the
    officers with the same assignments, again for another scope."""
    from pcmd.dashboard import views as dashboard_views

    _colleague("huyen.bmt", "huyen.bmt.2")
    calls: list[str] = []
    original = dashboard_views.register_alerts

    def counting(q: Any, user: Any, **kwargs: Any) -> Any:
        calls.append(user.username)
        return original(q, user, **kwargs)

    monkeypatch.setattr(dashboard_views, "register_alerts", counting)
    as_if_committed()
    first = client_for("huyen.bmt").get("/dashboard/?period=2018")
    assert first.status_code == 200 and calls == ["huyen.bmt"]
    assert client_for("huyen.bmt.2").get("/dashboard/?period=2018").status_code == 200
    assert calls == ["huyen.bmt"]
    assert client_for("xa.tanlap").get("/dashboard/?period=2018").status_code == 200
    assert calls == ["huyen.bmt", "xa.tanlap"]
