"""Hotspot pages: persona matrix, phone forms, overdue view, bounded lists."""

import pytest

from pcmd.core.models import AuditEvent
from pcmd.hotspots import actions
from pcmd.hotspots.models import Hotspot, HotspotStatus, Patrol
from tests.conftest import assert_reach

from .conftest import EA_SO, TAN_HOA, TAN_LAP, D, commune

pytestmark = pytest.mark.django_db

VIEWERS = [
    "admin",
    "thuongtruc",
    "lanhdao",
    "congan",
    "doi178",
    "huyen.bmt",
    "xa.tanlap",
    "xa.easo",
]
EDITORS = ["admin", "thuongtruc", "congan", "huyen.bmt", "xa.tanlap", "xa.easo"]
PROVINCE_VIEWERS = ["admin", "thuongtruc", "lanhdao", "congan", "doi178"]
PROVINCE_EDITORS = ["admin", "thuongtruc", "congan"]


def test_pages_by_capability(client_for) -> None:
    for url in ["/hotspots/", "/hotspots/overdue/", "/hotspots/patrols/"]:
        assert_reach(client_for, url, VIEWERS)
    for url in ["/hotspots/new/", "/hotspots/patrols/new/"]:
        assert_reach(client_for, url, EDITORS)


def test_detail_and_edit_follow_the_scope(client_for, make_hotspot) -> None:
    tan_lap, ea_so = make_hotspot(TAN_LAP), make_hotspot(EA_SO)
    assert_reach(
        client_for, f"/hotspots/{tan_lap.pk}/", [*PROVINCE_VIEWERS, "huyen.bmt", "xa.tanlap"]
    )
    assert_reach(client_for, f"/hotspots/{ea_so.pk}/", [*PROVINCE_VIEWERS, "xa.easo"])
    for suffix in ["edit/", "status/", "delete/"]:
        assert_reach(
            client_for,
            f"/hotspots/{tan_lap.pk}/{suffix}",
            [*PROVINCE_EDITORS, "huyen.bmt", "xa.tanlap"],
        )
        assert_reach(client_for, f"/hotspots/{ea_so.pk}/{suffix}", [*PROVINCE_EDITORS, "xa.easo"])
    p = actions.record_patrol(actor=None, on=D(2018, 5, 1), force="CA", hotspot=ea_so)
    assert_reach(client_for, f"/hotspots/patrols/{p.pk}/edit/", [*PROVINCE_EDITORS, "xa.easo"])


def test_lists_show_only_the_scope(client_for, make_hotspot) -> None:
    make_hotspot(TAN_LAP, name="Điểm Tân Lập")
    make_hotspot(TAN_HOA, name="Điểm Tân Hòa")
    make_hotspot(EA_SO, name="Điểm Ea Sô")
    for name, expected in [
        ("xa.tanlap", {"Điểm Tân Lập"}),
        ("huyen.bmt", {"Điểm Tân Lập", "Điểm Tân Hòa"}),
        ("congan", {"Điểm Tân Lập", "Điểm Tân Hòa", "Điểm Ea Sô"}),
        ("xa.easo", {"Điểm Ea Sô"}),
    ]:
        rows = client_for(name).get("/hotspots/").context["page"].object_list
        assert {h.name for h in rows} == expected, name


def test_record_a_patrol_on_a_phone_form(client_for, make_hotspot) -> None:
    h = make_hotspot(TAN_LAP)
    h.refresh_from_db()
    actions.change_hotspot_status(
        h, actor=None, expected_version=h.version, status=HotspotStatus.CLEARED, on=D(2018, 8, 15)
    )
    client = client_for("xa.tanlap")
    page = client.get(f"/hotspots/patrols/new/?hotspot={h.pk}")
    assert page.context["form"].initial["hotspot"] == h
    bad = client.post(
        "/hotspots/patrols/new/",
        {
            "on": "10/09/2018",
            "hotspot": h.pk,
            "force": "Công an phường Tân Lập",
            "people_found": "1",
            "people_sanctioned": "2",
            "people_referred": "0",
        },
    )
    assert bad.status_code == 200 and "people_sanctioned" in bad.context["form"].errors
    response = client.post(
        "/hotspots/patrols/new/",
        {
            "on": "10/09/2018",
            "hotspot": h.pk,
            "force": "Công an phường Tân Lập",
            "people_found": "0",
            "people_sanctioned": "0",
            "people_referred": "0",
            "action_taken": "Không phát hiện",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/hotspots/{h.pk}/"
    h.refresh_from_db()
    assert h.next_check_due == D(2018, 10, 10)
    assert Patrol.objects.get().commune.code == TAN_LAP


def test_area_patrol_needs_a_commune_of_the_patrol_date(client_for) -> None:
    client = client_for("huyen.bmt")
    response = client.post(
        "/hotspots/patrols/new/",
        {
            "on": "10/09/2018",
            "force": "CA",
            "people_found": "0",
            "people_sanctioned": "0",
            "people_referred": "0",
        },
    )
    assert "commune" in response.context["form"].errors
    response = client.post(
        "/hotspots/patrols/new/",
        {
            "on": "10/09/2018",
            "force": "CA",
            "commune": commune(TAN_HOA).pk,
            "people_found": "2",
            "people_sanctioned": "1",
            "people_referred": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/hotspots/patrols/"
    assert Patrol.objects.get().hotspot is None


def test_create_hotspot_and_change_status_through_pages(client_for) -> None:
    client = client_for("congan")
    response = client.post(
        "/hotspots/new/",
        {
            "name": "Đường Y Jút (đoạn giữa)",
            "kind": "street",
            "location": "Vỉa hè",
            "on": "12/03/2018",
            "commune": commune(TAN_LAP).pk,
            "first_seen": "01/02/2018",
            "status": "active",
        },
    )
    h = Hotspot.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hotspots/{h.pk}/"
    response = client.post(
        f"/hotspots/{h.pk}/status/",
        {"status": "cleared", "on": "15/08/2018", "note": "", "version": h.version},
    )
    assert response.status_code == 302
    stale = h.version
    response = client.post(
        f"/hotspots/{h.pk}/status/",
        {"status": "active", "on": "20/08/2018", "note": "", "version": stale},
    )
    assert response.status_code == 409
    h.refresh_from_db()
    assert h.status == "cleared" and h.history.count() == 2
    detail = client.get(f"/hotspots/{h.pk}/").content.decode()
    assert "15/08/2018" in detail and "14/09/2018" in detail
    assert AuditEvent.objects.filter(object_id=str(h.pk), verb="hotspot.status").exists()


def test_overdue_view(client_for, make_hotspot) -> None:
    late, fresh, active = (
        make_hotspot(name="Quá hạn"),
        make_hotspot(name="Mới"),
        make_hotspot(name="Đang hoạt động"),
    )
    for h, on in [(late, D(2018, 8, 1)), (fresh, D(2018, 12, 20))]:
        h.refresh_from_db()
        actions.change_hotspot_status(
            h, actor=None, expected_version=h.version, status=HotspotStatus.CLEARED, on=on
        )
    client = client_for("huyen.bmt")
    rows = client.get("/hotspots/overdue/?as_of=31/12/2018").context["rows"]
    assert [h.name for h in rows] == ["Quá hạn"]
    assert rows[0].days_overdue == (D(2018, 12, 31) - D(2018, 8, 31)).days
    listed = client.get("/hotspots/?overdue=on&as_of=31/12/2018").context["page"].object_list
    assert [h.name for h in listed] == ["Quá hạn"]
    assert len(client.get("/hotspots/overdue/").context["rows"]) == 2  # today: both are late
    assert active.name not in client.get("/hotspots/overdue/").content.decode()


def test_lists_are_bounded(client_for, make_hotspot, django_assert_max_num_queries) -> None:
    client = client_for("thuongtruc")
    h = make_hotspot()
    actions.record_patrol(actor=None, on=D(2018, 5, 1), force="CA", hotspot=h)
    counts = {}
    for url in ["/hotspots/", "/hotspots/overdue/", "/hotspots/patrols/"]:
        with django_assert_max_num_queries(15) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    for i in range(30):
        h = make_hotspot(TAN_HOA if i % 2 else EA_SO)
        h.refresh_from_db()
        actions.change_hotspot_status(
            h,
            actor=None,
            expected_version=h.version,
            status=HotspotStatus.CLEARED,
            on=D(2018, 2, 1),
        )
        actions.record_patrol(actor=None, on=D(2018, 5, 1), force="CA", hotspot=h)
        actions.record_patrol(actor=None, on=D(2018, 6, 1), force="CA", hotspot=h)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(url)
