"""Persons for tests: a sanctioned person of Tân Lập (fictional name, Đắk Lắk prefix 066)."""

from __future__ import annotations

from pcmd.accounts.roles import MODULE_ENFORCEMENT
from pcmd.geo.models import Unit
from pcmd.people import actions
from pcmd.people.models import Person

NAME = "Hoàng Thị Lan Thử"
ID_NUMBER = "066190054321"
TAN_LAP = "24118"


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_from=None, level=3)


def new_person(
    name: str = NAME,
    id_number: str = ID_NUMBER,
    source: str = "test:1",
    module: str = MODULE_ENFORCEMENT,
) -> Person:
    """A person involved in ``module`` under Tân Lập."""
    unit = commune(TAN_LAP)
    person = actions.create_person(
        None,
        unit=unit,
        values={"full_name": name, "id_number": id_number, "birth_year": 1990, "sex": "female"},
    )
    actions.involve(None, person, module=module, unit=unit, source=source)
    return person
