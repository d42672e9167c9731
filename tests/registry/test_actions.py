"""Writes to the registry: validation, duplicates, scope, optimistic locking, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pcmd.core.concurrency import EditConflict
from pcmd.core.models import AuditEvent
from pcmd.registry import actions
from pcmd.registry.models import Establishment, EstablishmentStatus, LicenceKind, StaffCount

from .conftest import EA_SO, MAP_2018, TAN_HOA, TAN_LAP, commune, kind

pytestmark = pytest.mark.django_db


def test_kind_catalog_is_seeded_from_the_plan() -> None:
    from pcmd.registry.models import EstablishmentKind

    names = list(EstablishmentKind.objects.values_list("name", flat=True))
    for expected in [
        "Khách sạn",
        "Nhà nghỉ",
        "Nhà trọ",
        "Vũ trường",
        "Karaoke",
        "Quán bar",
        "Massage/xông hơi",
        "Nhà hàng",
        "Cà phê vườn/chòi",
        "Cắt tóc thanh nữ",
        "Khác",
    ]:
        assert expected in names
    assert all("," not in n for n in names)  # the template's drop-down splits on commas
    assert kind("massage").risk_weight > kind("nha-hang").risk_weight


def test_create_records_and_audits(persona) -> None:
    est = actions.create_establishment(
        actor=persona("xa.tanlap"),
        name=" Karaoke Hoàng Gia ",
        kind=kind(),
        address="12 Lê Duẩn",
        commune=commune(TAN_LAP),
        on=MAP_2018,
        registration_no="600 123 4567",
    )
    assert est.name == "Karaoke Hoàng Gia"
    assert est.registration_no == "6001234567"
    assert est.dedup_key == "karaoke hoang gia|12 le duan"
    event = AuditEvent.objects.get(verb="establishment.create", object_id=str(est.pk))
    assert event.actor_name == "xa.tanlap" and event.changes["name"][1] == "Karaoke Hoàng Gia"


def test_commune_must_be_in_scope_and_exist_on_the_map_date(persona) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_establishment(
            actor=persona("xa.tanlap"),
            name="X",
            kind=kind(),
            address="1 A",
            commune=commune(EA_SO),
            on=MAP_2018,
        )
    with pytest.raises(PermissionDenied):  # the social worker has no registry.edit
        actions.create_establishment(
            actor=persona("ctxh.bmt"),
            name="X",
            kind=kind(),
            address="1 A",
            commune=commune(TAN_LAP),
            on=MAP_2018,
        )
    thong_nhat = commune("24127")  # merged on 01/11/2024
    with pytest.raises(ValidationError) as err:
        actions.create_establishment(
            actor=persona("huyen.bmt"),
            name="X",
            kind=kind(),
            address="1 A",
            commune=thong_nhat,
            on=datetime.date(2025, 1, 1),
        )
    assert "commune" in err.value.message_dict
    est = actions.create_establishment(
        actor=persona("huyen.bmt"),
        name="X",
        kind=kind(),
        address="1 A",
        commune=thong_nhat,
        on=MAP_2018,
    )
    assert est.commune == thong_nhat


def test_duplicates_are_refused(make_est, persona) -> None:
    make_est(name="Karaoke Hoàng Gia", address="12 Lê Duẩn", registration_no="6001234567")
    officer = persona("huyen.bmt")
    with pytest.raises(ValidationError) as err:
        actions.create_establishment(
            actor=officer,
            name="Other",
            kind=kind(),
            address="9 B",
            commune=commune(TAN_HOA),
            on=MAP_2018,
            registration_no="6001234567",
        )
    assert "registration_no" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # same name and address, normalised
        actions.create_establishment(
            actor=officer,
            name="KARAOKE hoang-gia",
            kind=kind(),
            address="12, Lê  Duẩn",
            commune=commune(TAN_LAP),
            on=MAP_2018,
        )
    assert "Karaoke Hoàng Gia" in err.value.message_dict["name"][0]
    # the same name and address in another commune is another place ("Thôn 3" is everywhere)
    other = actions.create_establishment(
        actor=officer,
        name="Karaoke Hoàng Gia",
        kind=kind(),
        address="12 Lê Duẩn",
        commune=commune(TAN_HOA),
        on=MAP_2018,
    )
    assert other.pk


def test_duplicate_outside_scope_is_not_named(make_est, persona) -> None:
    make_est(EA_SO, name="Nhà nghỉ Bí Mật", registration_no="6009990001")
    with pytest.raises(ValidationError) as err:
        actions.create_establishment(
            actor=persona("xa.tanlap"),
            name="Y",
            kind=kind(),
            address="3 C",
            commune=commune(TAN_LAP),
            on=MAP_2018,
            registration_no="6009990001",
        )
    message = err.value.message_dict["registration_no"][0]
    assert "Bí Mật" not in message


def test_two_edits_from_the_same_version(make_est, persona) -> None:
    est = make_est()
    first = Establishment.objects.get(pk=est.pk)
    second = Establishment.objects.get(pk=est.pk)
    version = first.version
    actions.update_establishment(
        first, actor=persona("xa.tanlap"), expected_version=version, name="Karaoke Sửa Lần Một"
    )
    with pytest.raises(EditConflict):
        actions.update_establishment(
            second,
            actor=persona("huyen.bmt"),
            expected_version=version,
            name="Karaoke Sửa Lần Hai",
            address="99 Đường Khác",
        )
    est.refresh_from_db()
    assert (est.name, est.version) == ("Karaoke Sửa Lần Một", version + 1)
    assert est.address != "99 Đường Khác"
    assert (
        AuditEvent.objects.filter(verb="establishment.update", object_id=str(est.pk)).count() == 1
    )


def test_update_moves_dedup_key_and_checks_new_commune(make_est, persona) -> None:
    est = make_est()
    actions.update_establishment(
        est,
        actor=persona("huyen.bmt"),
        expected_version=est.version,
        name="Quán Mới",
        commune=commune(TAN_HOA),
        on=MAP_2018,
    )
    est.refresh_from_db()
    assert est.dedup_key.startswith("quan moi|") and est.commune.code == TAN_HOA
    with pytest.raises(PermissionDenied):  # out of the district officer's district
        actions.update_establishment(
            est,
            actor=persona("huyen.bmt"),
            expected_version=est.version,
            commune=commune(EA_SO),
            on=MAP_2018,
        )
    with pytest.raises(PermissionDenied):  # the record is outside the commune officer's
        actions.update_establishment(
            est, actor=persona("xa.tanlap"), expected_version=est.version, name="Z"
        )


def test_close_and_soft_delete(make_est, persona) -> None:
    est = make_est(opened_on=datetime.date(2015, 1, 1))
    officer = persona("xa.tanlap")
    with pytest.raises(ValidationError):
        actions.close_establishment(
            est, actor=officer, expected_version=est.version, on=datetime.date(2014, 1, 1)
        )
    actions.close_establishment(
        est,
        actor=officer,
        expected_version=est.version,
        on=datetime.date(2018, 9, 1),
        reason="Chủ cơ sở ngừng KD",
    )
    est.refresh_from_db()
    assert est.status == EstablishmentStatus.CLOSED and est.closed_on.day == 1
    with pytest.raises(ValidationError):
        actions.delete_establishment(est, actor=officer, expected_version=est.version, reason="")
    actions.delete_establishment(
        est, actor=officer, expected_version=est.version, reason="Nhập trùng"
    )
    assert not Establishment.objects.visible_to(officer).filter(pk=est.pk).exists()
    assert Establishment.objects.filter(pk=est.pk, is_deleted=True).exists()
    assert AuditEvent.objects.get(verb="establishment.delete").reason == "Nhập trùng"


def test_licences(make_est, persona) -> None:
    est = make_est()
    officer = persona("xa.tanlap")
    with pytest.raises(ValidationError) as err:
        actions.add_licence(
            est,
            actor=officer,
            kind=LicenceKind.CULTURE,
            number="12/GP",
            issued_on=datetime.date(2018, 5, 1),
            expires_on=datetime.date(2017, 5, 1),
        )
    assert "expires_on" in err.value.message_dict
    lic = actions.add_licence(
        est,
        actor=officer,
        kind=LicenceKind.CULTURE,
        number="12/GP",
        issuer="Sở VH-TT&DL",
        issued_on=datetime.date(2016, 5, 1),
        expires_on=datetime.date(2021, 5, 1),
    )
    actions.update_licence(lic, actor=officer, expected_version=lic.version, number="13/GP")
    stale = type(lic).objects.get(pk=lic.pk)
    stale.version -= 1
    with pytest.raises(EditConflict):
        actions.update_licence(stale, actor=officer, expected_version=stale.version, number="14/GP")
    lic.refresh_from_db()
    assert lic.number == "13/GP"


def test_staff_count_female_cannot_exceed_staff(make_est, persona) -> None:
    est = make_est()
    officer = persona("xa.tanlap")
    with pytest.raises(ValidationError) as err, translation.override("en"):
        actions.record_staff_count(
            est, actor=officer, as_of=datetime.date(2018, 6, 30), staff=3, female_staff=5
        )
    assert "cannot be more than all staff" in err.value.message_dict["female_staff"][0]
    actions.record_staff_count(
        est, actor=officer, as_of=datetime.date(2018, 6, 30), staff=6, female_staff=5
    )
    actions.record_staff_count(
        est, actor=officer, as_of=datetime.date(2018, 6, 30), staff=7, female_staff=5
    )  # the same day again replaces the count
    assert list(
        StaffCount.objects.filter(establishment=est).values_list("staff", "female_staff")
    ) == [(7, 5)]
