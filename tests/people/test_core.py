"""The person layer's foundation: encryption at rest, blind indexes, codes, the identity
rule by role × scope × module, emergency access, the append-only trail, merging, rotation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from pcmd.accounts.roles import MODULE_ENFORCEMENT, MODULE_SUPPORT
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit
from pcmd.people import access, actions, crypto, search
from pcmd.people.models import AccessException, AccessLog, ExceptionKind, Person
from pcmd.people.rotation import rotate

NAME = "Nguyễn Thị Hoà Thử"
ID_NUMBER = "066190012345"


def _commune(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level=3)


@pytest.fixture
def tanlap_person(db: Any) -> Person:
    unit = _commune("24118")
    person = actions.create_person(
        None,
        unit=unit,
        values={
            "full_name": NAME,
            "id_number": ID_NUMBER,
            "phone": "0912 345 678",
            "birth_year": 1990,
            "sex": "female",
        },
    )
    actions.involve(None, person, module=MODULE_ENFORCEMENT, unit=unit, source="test:1")
    return person


def _raw_row(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        return " ".join(str(v) for v in cursor.fetchone())


def test_identity_is_encrypted_at_rest_and_read_back(tanlap_person: Person) -> None:
    raw = _raw_row(tanlap_person)
    for clear in (NAME, ID_NUMBER, "0912", "1990"):
        assert clear not in raw
    again = Person.objects.get(pk=tanlap_person.pk)
    assert again.full_name == NAME and again.id_number == ID_NUMBER and again.birth_year == 1990


def test_encrypted_fields_refuse_lookups(tanlap_person: Person) -> None:
    with pytest.raises(FieldError):
        list(Person.objects.filter(full_name=NAME))


def test_code_is_pseudonymous_and_sequential(tanlap_person: Person) -> None:
    year = timezone.localdate().year
    assert tanlap_person.code.startswith(f"ĐL-{year}-")
    assert str(tanlap_person) == tanlap_person.code
    other = actions.create_person(None, unit=_commune("24118"), values={"full_name": "Lê Văn B"})
    assert int(other.code[-6:]) == int(tanlap_person.code[-6:]) + 1


@pytest.mark.parametrize(
    "typed",
    [
        "066 190 012 345",
        "0912345678",
        "+84 912 345 678",
        "nguyen thi hoa thu 1990",
        "NGUYỄN THỊ HOÀ THỬ, 1990",
    ],
)
def test_search_by_blind_index(tanlap_person: Person, persona: Any, typed: str) -> None:
    assert list(search.find(persona("congan"), typed)) == [tanlap_person]


def test_search_finds_nothing_for_a_wrong_year(tanlap_person: Person, persona: Any) -> None:
    assert not search.find(persona("congan"), f"{NAME} 1991").exists()


def test_candidates_for_a_new_record(tanlap_person: Person) -> None:
    assert actions.candidates({"full_name": "nguyen thi hoa thu", "birth_year": 1990}) == [
        tanlap_person
    ]
    assert actions.candidates({"full_name": "X", "id_number": ID_NUMBER}) == [tanlap_person]
    assert actions.candidates({"full_name": "Trần Văn C", "birth_year": 1990}) == []


def test_audit_rows_never_carry_identity(tanlap_person: Person) -> None:
    rows = AuditEvent.objects.filter(object_type="people.person", object_id=str(tanlap_person.pk))
    text = " ".join(f"{r.object_repr} {r.changes} {r.reason}" for r in rows)
    assert rows.exists() and NAME not in text and ID_NUMBER not in text


def test_bad_identity_values_are_refused(db: Any) -> None:
    with pytest.raises(actions.PersonRefused) as refused:
        actions.create_person(
            None, unit=_commune("24118"), values={"full_name": "A", "id_number": "12345"}
        )
    assert "CCCD" in refused.value.texts["vi"] and "CCCD" in refused.value.texts["en"]
    with pytest.raises(actions.PersonRefused):
        actions.create_person(None, unit=_commune("24118"), values={"full_name": " "})


def test_identity_rule_by_role_scope_and_module(tanlap_person: Person, persona: Any) -> None:
    # police of the province see the people of sanctions in their area
    assert access.grant_for(persona("congan"), tanlap_person) is not None
    # the social worker sees support people only; the administrator none; the DPO none
    for name in ("ctxh.bmt", "admin", "baovedl", "thuongtruc", "lanhdao", "xa.tanlap"):
        assert access.grant_for(persona(name), tanlap_person) is None, name
    # commune officers may know a sanctioned person exists (code), not who
    assert access.may_know(persona("xa.tanlap"), tanlap_person)
    assert not access.may_know(persona("xa.easo"), tanlap_person)
    assert not access.may_know(persona("sovhttdl"), tanlap_person)
    # a referral for support makes the person visible to the social worker of the district
    actions.involve(
        None, tanlap_person, module=MODULE_SUPPORT, unit=_commune("24118"), source="referral:1"
    )
    assert access.grant_for(persona("ctxh.bmt"), tanlap_person) is not None
    assert access.grant_for(persona("thuongtruc"), tanlap_person) is not None


def test_reveal_logs_every_showing(tanlap_person: Person, persona: Any) -> None:
    before = AccessLog.objects.count()
    assert access.reveal(persona("congan"), tanlap_person, "page", path="/x/")
    assert not access.reveal(persona("xa.tanlap"), tanlap_person, "page")
    assert AccessLog.objects.count() == before + 1
    shown = access.reveal_many(persona("congan"), [tanlap_person], "export")
    assert shown == {tanlap_person.pk}
    assert AccessLog.objects.filter(person=tanlap_person, surface="export").count() == 1


def test_emergency_access_is_time_limited(tanlap_person: Person, persona: Any) -> None:
    worker = persona("ctxh.bmt")
    assert access.grant_for(worker, tanlap_person) is None
    exception = AccessException.objects.create(
        kind=ExceptionKind.BREAK_GLASS,
        user=worker,
        person=tanlap_person,
        reason="test",
        expires_at=timezone.now() + datetime.timedelta(hours=3),
    )
    grant = access.grant_for(worker, tanlap_person)
    assert grant is not None and grant.exception == exception
    assert access.reveal(worker, tanlap_person, "page")
    assert AccessLog.objects.filter(user=worker, exception=exception).exists()
    AccessException.objects.filter(pk=exception.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert access.grant_for(worker, tanlap_person) is None


def test_access_log_is_append_only_even_in_sql(tanlap_person: Person, persona: Any) -> None:
    access.reveal(persona("congan"), tanlap_person, "page")
    row = AccessLog.objects.filter(person=tanlap_person).first()
    assert row is not None
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    for sql in ("UPDATE people_accesslog SET purpose = 'x'", "DELETE FROM people_accesslog"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessLog.objects.filter(pk=row.pk, purpose="").exists()


def test_merge_and_undo(tanlap_person: Person, persona: Any) -> None:
    unit = _commune("24118")
    twin = actions.create_person(None, unit=unit, values={"full_name": NAME, "birth_year": 1990})
    actions.involve(None, twin, module=MODULE_ENFORCEMENT, unit=unit, source="test:2")
    with pytest.raises(PermissionDenied):
        actions.merge(persona("xa.tanlap"), kept=tanlap_person, merged=twin, reason="same")
    record = actions.merge(persona("congan"), kept=tanlap_person, merged=twin, reason="same ID")
    twin.refresh_from_db()
    assert twin.merged_into == tanlap_person
    assert set(tanlap_person.involvements.values_list("source", flat=True)) == {"test:1", "test:2"}
    assert actions.candidates({"full_name": NAME, "birth_year": 1990}) == [tanlap_person]
    with pytest.raises(PermissionDenied):
        actions.undo_merge(persona("congan"), record)
    actions.undo_merge(persona("admin"), record)
    twin.refresh_from_db()
    assert twin.merged_into is None
    assert list(twin.involvements.values_list("source", flat=True)) == ["test:2"]


def test_rotation_with_two_key_generations(tanlap_person: Person) -> None:
    old_token = _raw_row(tanlap_person)
    new_key = Fernet.generate_key().decode()
    with override_settings(PCMD_FIELD_KEYS=[new_key, *crypto_keys()]):
        result = rotate()
        assert result.rows >= 1 and result.values >= 4
        assert _raw_row(tanlap_person) != old_token
        # a second run finds nothing left to do (resumable)
        assert rotate().values == 0
    # only the new key now: every value still reads
    with override_settings(PCMD_FIELD_KEYS=[new_key]):
        assert Person.objects.get(pk=tanlap_person.pk).full_name == NAME


def crypto_keys() -> list[str]:
    from django.conf import settings

    return list(settings.PCMD_FIELD_KEYS)


def test_blind_index_depends_on_its_key(tanlap_person: Person) -> None:
    with override_settings(PCMD_BLIND_INDEX_KEY="another-blind-index-key-of-enough-length-0"):
        assert crypto.blind("id", ID_NUMBER) != tanlap_person.bi_id_number
