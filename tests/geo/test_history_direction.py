"""Resolution 1193 merged ward Thắng Lợi INTO Thành Công; GSO kept Thắng Lợi's code 24133
for the merged ward under the name Thành Công (DESIGN.md §3): the stored history says so."""

from __future__ import annotations

import pytest

from pcmd.geo.loader import HISTORY_FILE
from pcmd.geo.models import UnitChange, UnitName

pytestmark = pytest.mark.django_db


def test_the_merge_link_states_the_direction_in_law() -> None:
    link = UnitChange.objects.get(
        predecessor__code="24139", successor__code="24133", successor__valid_from=None
    )
    assert "nhập phường Thắng Lợi vào phường Thành Công" in link.legal_basis
    assert "giữ mã 24133" in link.legal_basis
    assert link.effective.isoformat() == "2024-11-01"


def test_the_old_name_is_a_code_artefact_not_a_rename() -> None:
    old = UnitName.objects.get(unit__code="24133", unit__valid_from=None, name="Phường Thắng Lợi")
    assert "Thắng Lợi được nhập vào Thành Công" in old.legal_basis
    assert "không phải đổi tên" in old.legal_basis


def test_the_data_file_says_which_ward_absorbed_which() -> None:
    text = HISTORY_FILE.read_text(encoding="utf-8")
    assert "merged ward Thắng Lợi INTO ward Thành Công" in text
    assert "Thắng Lợi) is the code that continued" not in text
