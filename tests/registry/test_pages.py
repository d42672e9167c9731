"""Registry pages: who reaches and edits what (persona matrix), forms, bounded lists."""

import datetime

import pytest
from django.urls import reverse

from pcmd.core.models import AuditEvent
from pcmd.registry import actions
from pcmd.registry.models import Establishment, LicenceKind
from tests.conftest import assert_reach

from .conftest import EA_SO, TAN_HOA, TAN_LAP, commune, kind

pytestmark = pytest.mark.django_db

VIEWERS = [
    "admin",
    "thuongtruc",
    "lanhdao",
    "congan",
    "doi178",
    "sovhttdl",
    "huyen.bmt",
    "xa.tanlap",
    "xa.easo",
]
EDITORS = ["admin", "thuongtruc", "congan", "doi178", "huyen.bmt", "xa.tanlap", "xa.easo"]
PROVINCE_VIEWERS = ["admin", "thuongtruc", "lanhdao", "congan", "doi178", "sovhttdl"]
PROVINCE_EDITORS = ["admin", "thuongtruc", "congan", "doi178"]


def test_list_and_forms_by_capability(client_for) -> None:
    assert_reach(client_for, "/registry/", VIEWERS)
    for url in ["/registry/new/", "/registry/import/", "/registry/import/template.xlsx"]:
        assert_reach(client_for, url, EDITORS)


def test_detail_and_edit_follow_the_unit_scope(client_for, make_est) -> None:
    tan_lap = make_est(TAN_LAP)
    ea_so = make_est(EA_SO)
    assert_reach(
        client_for, f"/registry/{tan_lap.pk}/", [*PROVINCE_VIEWERS, "huyen.bmt", "xa.tanlap"]
    )
    assert_reach(client_for, f"/registry/{ea_so.pk}/", [*PROVINCE_VIEWERS, "xa.easo"])
    for suffix in ["edit/", "close/", "delete/", "licences/new/", "staff/new/"]:
        assert_reach(
            client_for,
            f"/registry/{tan_lap.pk}/{suffix}",
            [*PROVINCE_EDITORS, "huyen.bmt", "xa.tanlap"],
        )
        assert_reach(client_for, f"/registry/{ea_so.pk}/{suffix}", [*PROVINCE_EDITORS, "xa.easo"])
    assert client_for("xa.easo").get(f"/registry/{tan_lap.pk}/").status_code == 404
    assert client_for("ctxh.bmt").get(f"/registry/{tan_lap.pk}/").status_code == 403


def test_list_shows_only_the_scope(client_for, make_est) -> None:
    make_est(TAN_LAP, name="Karaoke Tân Lập")
    make_est(TAN_HOA, name="Karaoke Tân Hòa")
    make_est(EA_SO, name="Karaoke Ea Sô")
    seen = {}
    for name in ["xa.tanlap", "huyen.bmt", "doi178", "xa.easo"]:
        html = client_for(name).get("/registry/").content.decode()
        seen[name] = {
            n for n in ["Karaoke Tân Lập", "Karaoke Tân Hòa", "Karaoke Ea Sô"] if n in html
        }
    assert seen["xa.tanlap"] == {"Karaoke Tân Lập"}
    assert seen["huyen.bmt"] == {"Karaoke Tân Lập", "Karaoke Tân Hòa"}
    assert seen["doi178"] == {"Karaoke Tân Lập", "Karaoke Tân Hòa", "Karaoke Ea Sô"}
    assert seen["xa.easo"] == {"Karaoke Ea Sô"}


def test_out_of_scope_writes_change_nothing(client_for, make_est) -> None:
    est = make_est(TAN_LAP, name="Karaoke Gốc")
    response = client_for("xa.easo").post(
        f"/registry/{est.pk}/edit/",
        {
            "name": "Bị sửa",
            "kind": kind().pk,
            "address": "1",
            "on": "12/03/2018",
            "commune": commune(TAN_LAP).pk,
            "status": "open",
            "version": est.version,
        },
    )
    assert response.status_code == 404
    assert (
        client_for("lanhdao")
        .post(f"/registry/{est.pk}/delete/", {"reason": "thử xóa", "version": est.version})
        .status_code
        == 403
    )
    est.refresh_from_db()
    assert (est.name, est.is_deleted) == ("Karaoke Gốc", False)
    # a commune officer cannot put a new establishment in another commune
    response = client_for("xa.tanlap").post(
        "/registry/new/",
        {
            "name": "Nhà nghỉ Lạ",
            "kind": kind("nha-nghi").pk,
            "address": "5 Y Jút",
            "on": "12/03/2018",
            "commune": commune(EA_SO).pk,
            "status": "open",
        },
    )
    assert response.status_code == 200 and "commune" in response.context["form"].errors
    assert not Establishment.objects.filter(name="Nhà nghỉ Lạ").exists()


def test_create_on_the_2018_map(client_for) -> None:
    client = client_for("xa.tanlap")
    page = client.get("/registry/new/")
    # demo accounts hold units of the map that ended on 30/06/2025: the form opens on it
    assert page.context["form"].initial["on"] == datetime.date(2025, 6, 30)
    refreshed = client.post("/registry/new/", {"on": "12/03/2018", "refresh": "1"})
    choices = list(refreshed.context["form"].fields["commune"].queryset)
    assert [u.code for u in choices] == [TAN_LAP]
    response = client.post(
        "/registry/new/",
        {
            "name": "Karaoke Hoàng Gia",
            "kind": kind().pk,
            "address": "12 Lê Duẩn",
            "on": "12/03/2018",
            "commune": commune(TAN_LAP).pk,
            "status": "open",
            "opened_on": "05/03/2015",
            "registration_no": "6001112223",
        },
    )
    est = Establishment.objects.get(name="Karaoke Hoàng Gia")
    assert response.status_code == 302 and response["Location"] == f"/registry/{est.pk}/"
    assert est.opened_on == datetime.date(2015, 3, 5)


def test_district_officer_sees_merged_commune_on_2018_map(client_for) -> None:
    client = client_for("huyen.bmt")
    on_2018 = client.post("/registry/new/", {"on": "12/03/2018", "refresh": "1"})
    on_2025 = client.post("/registry/new/", {"on": "01/01/2025", "refresh": "1"})
    codes_2018 = {u.code for u in on_2018.context["form"].fields["commune"].queryset}
    codes_2025 = {u.code for u in on_2025.context["form"].fields["commune"].queryset}
    assert len(codes_2018) == 21 and "24127" in codes_2018
    assert len(codes_2025) == 19 and "24127" not in codes_2025
    labels = [label for _v, label in on_2018.context["form"].fields["commune"].choices]
    assert any(label.startswith("Phường Thắng Lợi") for label in labels)  # 24133 in 2018


def test_edit_conflict_is_shown_and_saves_nothing(client_for, make_est) -> None:
    est = make_est(TAN_LAP, name="Karaoke Gốc")
    stale = est.version
    actions.update_establishment(est, actor=None, expected_version=stale, notes="đã sửa")
    response = client_for("xa.tanlap").post(
        f"/registry/{est.pk}/edit/",
        {
            "name": "Karaoke Ghi Đè",
            "kind": kind().pk,
            "address": est.address,
            "on": "12/03/2018",
            "commune": est.commune_id,
            "status": "open",
            "version": stale,
        },
    )
    assert response.status_code == 409
    # the message is shown in Vietnamese and in English
    assert "Someone else saved this record" in response.content.decode()
    est.refresh_from_db()
    assert (est.name, est.notes) == ("Karaoke Gốc", "đã sửa")


def test_edit_close_delete_licence_staff_through_pages(client_for, make_est) -> None:
    est = make_est(TAN_LAP)
    client = client_for("xa.tanlap")
    response = client.post(
        f"/registry/{est.pk}/edit/",
        {
            "name": "Karaoke Mới",
            "kind": kind().pk,
            "address": est.address,
            "on": "",
            "commune": est.commune_id,
            "status": "suspended",
            "version": est.version,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/registry/{est.pk}/licences/new/",
        {
            "kind": LicenceKind.CULTURE,
            "number": "45/GP-SVHTTDL",
            "issuer": "Sở VH-TT&DL",
            "issued_on": "01/02/2016",
            "expires_on": "01/02/2021",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/registry/{est.pk}/staff/new/", {"as_of": "30/06/2018", "staff": "4", "female_staff": "6"}
    )
    assert response.status_code == 200 and "female_staff" in response.context["form"].errors
    response = client.post(
        f"/registry/{est.pk}/staff/new/", {"as_of": "30/06/2018", "staff": "8", "female_staff": "6"}
    )
    assert response.status_code == 302
    detail = client.get(f"/registry/{est.pk}/").content.decode()
    assert "45/GP-SVHTTDL" in detail and "Karaoke Mới" in detail
    est.refresh_from_db()
    lic = est.licences.get()
    response = client.post(
        f"/registry/{est.pk}/licences/{lic.pk}/",
        {
            "kind": LicenceKind.CULTURE,
            "number": "46/GP-SVHTTDL",
            "issued_on": "01/02/2016",
            "expires_on": "01/02/2021",
            "version": lic.version,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/registry/{est.pk}/close/", {"on": "15/09/2018", "reason": "", "version": est.version}
    )
    assert response.status_code == 302
    est.refresh_from_db()
    response = client.post(
        f"/registry/{est.pk}/delete/", {"reason": "Nhập nhầm cơ sở", "version": est.version}
    )
    assert response.status_code == 302
    assert est.pk not in [e.pk for e in client.get("/registry/").context["rows"]]
    verbs = set(AuditEvent.objects.filter(object_id=str(est.pk)).values_list("verb", flat=True))
    assert {
        "establishment.update",
        "establishment.licence_add",
        "establishment.licence_update",
        "establishment.staff_count",
        "establishment.close",
        "establishment.delete",
    } <= verbs


def test_list_filters(client_for, make_est) -> None:
    a = make_est(TAN_LAP, name="Karaoke Hoàng Gia", address="12 Lê Duẩn")
    b = make_est(TAN_HOA, name="Nhà nghỉ Thanh Bình", kind_code="nha-nghi", address="5 Y Jút")
    c = make_est(
        EA_SO, name="Massage Sen Vàng", kind_code="massage", status="suspended", address="Thôn 3"
    )
    actions.add_licence(
        a,
        actor=None,
        kind=LicenceKind.CULTURE,
        number="1",
        issued_on=datetime.date(2013, 1, 1),
        expires_on=datetime.date(2018, 2, 1),
    )
    actions.add_licence(
        b,
        actor=None,
        kind=LicenceKind.SECURITY,
        number="2",
        issued_on=datetime.date(2013, 1, 1),
        expires_on=datetime.date(2018, 4, 1),
    )
    client = client_for("thuongtruc")

    def names(query: str) -> set[str]:
        return {e.name for e in client.get(f"/registry/?{query}").context["rows"]}

    assert names("q=hoang+gia") == {a.name}  # accents optional
    assert names("q=Lê+Duẩn") == {a.name}
    assert names("kind=massage") == {c.name}
    assert names(f"district={commune(TAN_LAP).parent_id}") == {a.name, b.name}
    assert names(f"commune={commune(TAN_HOA).pk}") == {b.name}
    assert names("status=suspended") == {c.name}
    assert names("licence=expired&as_of=01/03/2018") == {a.name}
    assert names("licence=expiring&days=60&as_of=01/03/2018") == {b.name}
    assert names("licence=expired&as_of=01/05/2018") == {a.name, b.name}


def test_list_runs_a_bounded_number_of_queries(
    client_for, make_est, django_assert_max_num_queries
) -> None:
    client = client_for("thuongtruc")
    for i in range(3):
        est = make_est(TAN_LAP)
        actions.add_licence(est, actor=None, kind=LicenceKind.BUSINESS, number=str(i))
        actions.record_staff_count(
            est, actor=None, as_of=datetime.date(2018, 6, 30), staff=4, female_staff=2
        )
    with django_assert_max_num_queries(14) as few:
        client.get("/registry/")
    for i in range(60):
        est = make_est(TAN_HOA if i % 2 else EA_SO)
        actions.add_licence(est, actor=None, kind=LicenceKind.BUSINESS, number=f"x{i}")
        actions.record_staff_count(
            est, actor=None, as_of=datetime.date(2018, 6, 30), staff=4, female_staff=2
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/registry/")
    assert len(response.context["rows"]) == 50
    assert reverse("registry:list") == "/registry/"
