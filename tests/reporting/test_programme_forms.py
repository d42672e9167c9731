"""The standing office's synthesis under the 2021–2025 programme (1629/QĐ-TTg): owed from
2021, by Sở LĐ-TB&XH until 28/02/2025 and Sở Y tế after (Decree 42/2025/NĐ-CP)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pcmd.reporting import actions
from pcmd.reporting.models import ReportForm
from pcmd.reporting.values import current_auto
from tests.reporting.conftest import open_report

pytestmark = pytest.mark.django_db


def _fields(code: str) -> list[tuple[str, str, str]]:
    version = ReportForm.objects.get(code=code).current
    return [(f.code, f.kind, f.indicator_code) for f in version.field_list]


def test_the_programme_forms_keep_the_2018_fields_and_periods() -> None:
    for old, new in (
        ("tong-hop-6-thang", "tong-hop-6-thang-2021"),
        ("tong-hop-nam", "tong-hop-nam-2021"),
    ):
        assert _fields(new) == _fields(old)
        form = ReportForm.objects.get(code=new)
        version = form.current
        assert (form.valid_from, form.valid_to) == (
            datetime.date(2021, 1, 1),
            datetime.date(2025, 12, 31),
        )
        assert version.is_synthesis and version.cutoff == "decree09"
        assert version.agency_role == "standing_office" and version.source_form is None
        assert "1629/QĐ-TTg" in form.legal_basis


def test_the_standing_office_reports_2024_and_not_2020(client_for: Any) -> None:
    sub = open_report("tong-hop-nam-2021", "2024", by="thuongtruc", agency_code="SO_LDTBXH")
    assert (sub.period_start, sub.period_end) == (
        datetime.date(2023, 12, 15),
        datetime.date(2024, 12, 14),
    )
    assert "communication_coverage" in current_auto(sub)
    assert client_for("thuongtruc").get(f"/reporting/reports/{sub.pk}/").status_code == 200
    with pytest.raises(ValidationError):
        open_report("tong-hop-nam-2021", "2020", by="thuongtruc", agency_code="SO_LDTBXH")
    with pytest.raises(ValidationError):  # plan 1842's form ran in 2018 only
        open_report("tong-hop-nam", "2024", by="thuongtruc", agency_code="SO_LDTBXH")


def test_from_march_2025_sở_y_tế_reports() -> None:
    sub = open_report("tong-hop-6-thang-2021", "2025-H1", by="soyte", agency_code="SO_YTE")
    assert sub.agency is not None and sub.agency.code == "SO_YTE"
    assert actions.load_report_forms(actor=None) == {"forms": 0, "versions": 0}
