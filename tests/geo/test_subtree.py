"""Rows under a subtree, filtered by the subtree's unit ids (pcmd.geo.subtree): the same rows
as the path filter, whatever the size of the subtree, and a user's scope that sees a unit
created after it was first read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from pcmd.agencies.models import Agency
from pcmd.geo import subtree
from pcmd.geo.models import Unit, UnitLevel
from pcmd.registry.models import Establishment
from tests.inspections import builders as b

pytestmark = pytest.mark.django_db


def by_path(paths: list[str]) -> set[str]:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return set(Agency.objects.filter(q).values_list("code", flat=True))


def by_ids(paths: list[str]) -> set[str]:
    return set(Agency.objects.filter(subtree.under_q("unit", paths)).values_list("code", flat=True))


@pytest.mark.parametrize("limit", [subtree.ID_LIMIT, 3])
def test_same_rows_as_the_path_filter(monkeypatch, limit: int) -> None:
    monkeypatch.setattr(subtree, "ID_LIMIT", limit)  # 3: every subtree here is "too large"
    district, other = b.unit(b.BMT), b.unit(b.EA_KAR)
    cases = [[district.path], [district.path, other.path], [b.province().path], ["/"], []]
    for paths in cases:
        assert by_ids(paths) == by_path(paths), paths
    assert by_ids([district.path])  # not trivially empty
    assert "SO_LDTBXH" in by_ids([b.province().path]) - by_ids([district.path])


def test_ids_and_the_limit(monkeypatch) -> None:
    district = b.unit(b.BMT)
    ids = subtree.ids_under([district.path])
    assert ids == sorted(
        Unit.objects.filter(path__startswith=district.path).values_list("pk", flat=True)
    )
    assert district.pk in ids
    monkeypatch.setattr(subtree, "ID_LIMIT", len(ids) - 1)
    assert subtree.ids_under([district.path]) is None
    assert subtree.ids_under(["/"]) is None and subtree.ids_under([]) == []


def test_scope_sees_a_commune_created_after_it_was_read(persona) -> None:
    officer = persona("huyen.bmt")
    seen = set(Establishment.objects.visible_to(officer).values_list("pk", flat=True))
    commune = Unit.objects.create(
        code="99990", name="Phường Mới", level=UnitLevel.COMMUNE, unit_type="phuong",
        parent=b.unit(b.BMT),
    )  # fmt: skip
    commune.set_path()
    commune.save()
    new = b.establishment(commune, name="Quán mới")
    visible = set(Establishment.objects.visible_to(officer).values_list("pk", flat=True))
    assert visible == seen | {new.pk}
    elsewhere = b.establishment(b.EA_SO, name="Ngoài phạm vi")
    assert elsewhere.pk not in set(
        Establishment.objects.visible_to(officer).values_list("pk", flat=True)
    )


def test_in_ids_lookup_matches_in() -> None:
    district = b.unit(b.BMT)
    b.establishment(b.TAN_LAP, name="trong")
    b.establishment(b.EA_SO, name="ngoài")
    ids = subtree.ids_under([district.path])
    assert ids
    for given in (ids, [], [ids[0]]):
        ours = Establishment.objects.filter(commune__in_ids=given)
        django = Establishment.objects.filter(commune__in=given)
        assert set(ours.values_list("pk", flat=True)) == set(django.values_list("pk", flat=True))
        excluded = Establishment.objects.exclude(commune__in_ids=given)
        assert set(excluded.values_list("pk", flat=True)) == set(
            Establishment.objects.exclude(commune__in=given).values_list("pk", flat=True)
        )
    assert Establishment.objects.filter(commune__in_ids=ids).exists()
    sql = str(Establishment.objects.filter(commune__in_ids=ids).query)
    assert ("= ANY(" in sql) == (connection.vendor == "postgresql")
