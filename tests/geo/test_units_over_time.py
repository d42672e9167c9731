import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcmd.geo.loader import load_provinces
from pcmd.geo.models import Unit, UnitChange, UnitLevel

pytestmark = pytest.mark.django_db

D2018 = datetime.date(2018, 3, 12)
D2025 = datetime.date(2025, 1, 4)
NEW = datetime.date(2025, 7, 1)


def old_dak_lak() -> Unit:
    return Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)


def communes(on: datetime.date, province: Unit) -> int:
    return Unit.objects.valid_on(on).within(province).filter(level=UnitLevel.COMMUNE).count()


def test_2018_map_has_15_districts_and_184_communes() -> None:
    province = old_dak_lak()
    assert communes(D2018, province) == 184
    districts = Unit.objects.valid_on(D2018).within(province).filter(level=UnitLevel.DISTRICT)
    assert sorted(districts.values_list("code", flat=True)) == [str(c) for c in range(643, 658)]


def test_after_the_2024_merge_there_are_180() -> None:
    province = old_dak_lak()
    assert communes(D2025, province) == 180
    assert communes(datetime.date(2024, 10, 31), province) == 184
    assert communes(datetime.date(2024, 11, 1), province) == 180
    vanished = {"24127", "24139", "24325", "24460"}
    on_2018 = set(Unit.objects.valid_on(D2018).within(province).values_list("code", flat=True))
    on_2025 = set(Unit.objects.valid_on(D2025).within(province).values_list("code", flat=True))
    assert vanished <= on_2018
    assert not vanished & on_2025


def test_new_dak_lak_has_102_communes_and_no_districts() -> None:
    new = Unit.objects.valid_on(NEW).get(code="66", level=UnitLevel.PROVINCE)
    assert new.valid_from == NEW
    assert communes(NEW, new) == 102
    assert not Unit.objects.valid_on(NEW).filter(level=UnitLevel.DISTRICT).exists()
    # the old province ended the day before
    assert old_dak_lak().valid_to == datetime.date(2025, 6, 30)
    assert not old_dak_lak().is_valid_on(NEW)


def test_rename_keeps_the_old_name_for_old_dates() -> None:
    unit = Unit.objects.get(code="24133", valid_from=None)
    assert unit.name_on(D2018) == "Phường Thắng Lợi"
    assert unit.name_on(D2025) == "Phường Thành Công"


def test_successors_both_ways() -> None:
    ea_blang = Unit.objects.get(code="24325", valid_from=None)
    assert {u.code for u in ea_blang.successors()} == {"24328", "24334"}
    ea_drong = Unit.objects.get(code="24328", valid_from=None)
    assert "24325" in {u.code for u in ea_drong.predecessors()}
    # 2025: Tân Lập ward (Buôn Ma Thuột) continues in a new commune-level unit of new Đắk Lắk
    tan_lap = Unit.objects.get(code="24118", valid_from=None)
    successors = list(tan_lap.successors())
    assert len(successors) >= 1
    assert all(s.valid_from == NEW and s.parent.code == "66" for s in successors)
    assert tan_lap in {p for s in successors for p in s.predecessors()}


def test_every_2025_commune_of_old_dak_lak_has_a_successor() -> None:
    last = Unit.objects.valid_on(datetime.date(2025, 6, 30)).within(old_dak_lak())
    without = last.filter(level=UnitLevel.COMMUNE, successor_links__isnull=True)
    assert without.count() == 0


def test_loading_twice_creates_nothing_new() -> None:
    before = Unit.objects.count()
    result = load_provinces(["Đắk Lắk"])
    assert result.created == 0
    assert Unit.objects.count() == before


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and ('"geo_unit"' in q["sql"] or '"geo_unitchange"' in q["sql"])
    ]


def test_loading_again_repairs_what_changed_and_writes_nothing_else() -> None:
    with CaptureQueriesContext(connection) as queries:
        load_provinces(["Đắk Lắk"])
    assert _writes(queries) == []  # nothing changed: no unit or link written
    assert len(queries) < 100  # the known units and links read at once, not row by row

    commune = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    name, path = commune.name, commune.path
    Unit.objects.filter(pk=commune.pk).update(name="Xã Sai Tên", path="/sai/")
    link = UnitChange.objects.filter(predecessor__level=UnitLevel.COMMUNE).first()
    assert link is not None
    UnitChange.objects.filter(pk=link.pk).update(legal_basis="sai")
    with CaptureQueriesContext(connection) as queries:
        result = load_provinces(["Đắk Lắk"])
    assert result.created == 0 and result.updated == 1
    commune.refresh_from_db()
    assert (commune.name, commune.path) == (name, path)
    assert UnitChange.objects.get(pk=link.pk).legal_basis == link.legal_basis
    assert len(_writes(queries)) == 2  # the commune and the link, nothing else


def test_another_province_loads_by_name() -> None:
    result = load_provinces(["Kon Tum"])
    assert result.created > 0
    kon_tum = Unit.objects.get(code="62", valid_from=None, level=UnitLevel.PROVINCE)
    assert Unit.objects.within(kon_tum).filter(level=UnitLevel.COMMUNE).exists()


def test_unknown_province_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="Unknown province: Atlantis"):
        call_command("load_units", "Atlantis")
