"""Status history, re-check reminders and reappearance (plan 1842/KH-UBND II.3.b)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pcmd.core.concurrency import EditConflict
from pcmd.core.models import AuditEvent
from pcmd.hotspots import actions
from pcmd.hotspots.models import Hotspot, HotspotStatus, HotspotStatusChange, Patrol

from .conftest import EA_SO, TAN_HOA, TAN_LAP, D, commune

pytestmark = pytest.mark.django_db
A, W, C = HotspotStatus.ACTIVE, HotspotStatus.UNDER_WATCH, HotspotStatus.CLEARED


def status(h, value, on, actor=None, note=""):
    h.refresh_from_db()
    return actions.change_hotspot_status(
        h, actor=actor, expected_version=h.version, status=value, on=on, note=note
    )


def patrol(h, on, found=0, **extra):
    return actions.record_patrol(
        actor=None, on=on, force="Công an phường", hotspot=h, people_found=found, **extra
    )


def test_clearing_sets_the_recheck_and_history(make_hotspot) -> None:
    h = make_hotspot()
    assert (h.status, h.next_check_due) == (A, None)
    status(h, C, D(2018, 8, 15), note="Triệt xóa")
    h.refresh_from_db()
    assert (h.status, h.status_since, h.next_check_due) == (C, D(2018, 8, 15), D(2018, 9, 14))
    assert list(h.history.values_list("status", "on")) == [(A, D(2017, 6, 1)), (C, D(2018, 8, 15))]


def test_recheck_days_come_from_the_setting(make_hotspot, settings) -> None:
    settings.PCMD_HOTSPOT_RECHECK_DAYS = 10
    h = make_hotspot()
    status(h, W, D(2018, 3, 1))
    h.refresh_from_db()
    assert h.next_check_due == D(2018, 3, 11)


def test_patrol_finding_nobody_moves_the_recheck_on(make_hotspot) -> None:
    h = make_hotspot()
    status(h, C, D(2018, 8, 15))
    patrol(h, D(2018, 9, 10))
    h.refresh_from_db()
    assert (h.status, h.next_check_due) == (C, D(2018, 10, 10))
    patrol(h, D(2018, 8, 20))  # recorded late, earlier date: never moves the date back
    h.refresh_from_db()
    assert h.next_check_due == D(2018, 10, 10)
    assert Hotspot.objects.overdue(D(2018, 10, 11)).filter(pk=h.pk).exists()
    assert not Hotspot.objects.overdue(D(2018, 10, 10)).filter(pk=h.pk).exists()


def test_same_status_again_is_a_recheck(make_hotspot) -> None:
    h = make_hotspot()
    status(h, C, D(2018, 8, 15))
    status(h, C, D(2018, 9, 30), note="Kiểm tra lại")
    h.refresh_from_db()
    assert (h.status_since, h.next_check_due) == (D(2018, 8, 15), D(2018, 10, 30))
    assert AuditEvent.objects.filter(verb="hotspot.recheck", object_id=str(h.pk)).exists()


def test_patrol_finding_people_at_a_cleared_hotspot_records_reappearance(make_hotspot) -> None:
    h = make_hotspot()
    status(h, C, D(2018, 4, 10))
    p = patrol(h, D(2018, 6, 20), found=3, people_sanctioned=2, people_referred=1)
    h.refresh_from_db()
    assert (h.status, h.status_since, h.next_check_due) == (A, D(2018, 6, 20), None)
    last = h.history.order_by("-on", "-pk").first()
    assert (last.status, last.reappeared, last.patrol) == (A, True, p)
    event = AuditEvent.objects.get(verb="patrol.record", object_id=str(p.pk))
    assert event.changes["hotspot.status"] == [C, A]


def test_active_again_after_clearing_is_a_reappearance_but_not_after_watch_only(
    make_hotspot,
) -> None:
    cleared, watched = make_hotspot(), make_hotspot()
    status(cleared, C, D(2018, 4, 10))
    status(cleared, W, D(2018, 5, 10))
    change = status(cleared, A, D(2018, 6, 1))
    assert change.reappeared
    status(watched, W, D(2018, 4, 10))
    assert not status(watched, A, D(2018, 6, 1)).reappeared
    assert HotspotStatusChange.objects.filter(reappeared=True).count() == 1


def test_status_dates_are_checked(make_hotspot) -> None:
    h = make_hotspot()
    status(h, C, D(2018, 8, 15))
    with pytest.raises(ValidationError) as err:
        status(h, A, D(2018, 8, 1))
    assert "on" in err.value.message_dict
    with pytest.raises(ValidationError):
        status(h, A, D(2099, 1, 1))


def test_stale_status_change_is_refused(make_hotspot) -> None:
    h = make_hotspot()
    stale = Hotspot.objects.get(pk=h.pk)
    status(h, C, D(2018, 8, 15))
    with pytest.raises(EditConflict):
        actions.change_hotspot_status(
            stale, actor=None, expected_version=stale.version, status=W, on=D(2018, 9, 1)
        )
    h.refresh_from_db()
    assert h.status == C and h.history.count() == 2


def test_patrol_counts_are_checked(make_hotspot) -> None:
    h = make_hotspot()
    with pytest.raises(ValidationError) as err, translation.override("en"):
        patrol(h, D(2018, 5, 1), found=2, people_sanctioned=3, people_referred=4)
    assert set(err.value.message_dict) == {"people_sanctioned", "people_referred"}
    assert "cannot be more than people found (2)" in err.value.message_dict["people_sanctioned"][0]
    with pytest.raises(ValidationError) as err:
        actions.record_patrol(
            actor=None, on=D(2018, 5, 1), force="CA", hotspot=h, commune=commune(TAN_HOA)
        )
    assert "commune" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        actions.record_patrol(actor=None, on=D(2018, 5, 1), force="CA")
    assert "commune" in err.value.message_dict
    assert Patrol.objects.count() == 0


def test_scope_of_writes(make_hotspot, persona) -> None:
    h = make_hotspot(TAN_LAP)
    with pytest.raises(PermissionDenied):
        actions.record_patrol(actor=persona("xa.easo"), on=D(2018, 5, 1), force="CA", hotspot=h)
    with pytest.raises(PermissionDenied):  # Team 178 reads hotspots but does not record them
        actions.record_patrol(actor=persona("doi178"), on=D(2018, 5, 1), force="CA", hotspot=h)
    p = actions.record_patrol(actor=persona("xa.tanlap"), on=D(2018, 5, 1), force="CA", hotspot=h)
    assert p.commune.code == TAN_LAP
    with pytest.raises(PermissionDenied):
        actions.create_hotspot(
            actor=persona("huyen.bmt"),
            name="X",
            kind="street",
            location="Y",
            commune=commune(EA_SO),
            first_seen=D(2018, 1, 1),
            on=D(2018, 1, 1),
        )


def test_update_patrol_with_version(make_hotspot) -> None:
    h = make_hotspot()
    p = patrol(h, D(2018, 5, 1), found=2)
    version = p.version
    actions.update_patrol(p, actor=None, expected_version=version, people_sanctioned=1)
    stale = Patrol.objects.get(pk=p.pk)
    with pytest.raises(EditConflict):
        actions.update_patrol(stale, actor=None, expected_version=version, people_found=9)
    p.refresh_from_db()
    assert (p.people_found, p.people_sanctioned) == (2, 1)
