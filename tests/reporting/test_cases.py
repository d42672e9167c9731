"""Report auto fields from the criminal case register (issue 12): the police's reports and the
standing office's synthesis, on the hand-made cases of tests/cases/figures_data.py."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.cases.models import Case
from pcmd.reporting.models import ReportForm
from pcmd.reporting.privacy import suppression
from pcmd.reporting.values import current_auto
from tests.cases.figures_data import Actors, build
from tests.reporting.conftest import open_report

pytestmark = pytest.mark.django_db

POLICE_CASE_FIELDS = {
    "cases_detected",
    "cases_handled",
    "cases_handled_share",
    "persons_prosecuted",
    "prosecuted_owners",
    "prosecuted_brokers",
    "prosecuted_protectors",
}
SYNTHESIS_CASE_FIELDS = {"cases_indicted", "cases_tried", "defendants_sentenced"}


@pytest.fixture
def cases(persona: Any) -> dict[str, Case]:
    return build(Actors(persona("congan"), persona("vks"), persona("toaan")))


def _fields(form_code: str) -> dict[str, str]:
    version = ReportForm.objects.get(code=form_code).current
    return {f.code: f.indicator_code for f in version.field_list if f.kind == "auto"}


def test_the_forms_carry_the_case_fields() -> None:
    for code in ("ca-xu-phat-thang", "ca-xu-phat-quy", "ca-xu-phat-nam"):
        assert POLICE_CASE_FIELDS <= set(_fields(code)), code
        assert _fields(code)["cases_handled_share"] == "cases_handled_share"
    for code in ("tong-hop-6-thang", "tong-hop-nam"):
        fields = _fields(code)
        assert SYNTHESIS_CASE_FIELDS <= set(fields), code
        assert fields["cases_handled_share"] == "cases_handled_share"  # T4, now from cases


def test_police_annual_report_is_filled_from_the_cases(cases: dict[str, Case]) -> None:
    # Decree 09 cut-off: 15/12/2017–14/12/2018. Detected: A–F (G on 01/12/2017 is before).
    # Handled by 14/12/2018: A (01/04), F (20/03), B (01/09); C only on 10/01/2019.
    sub = open_report("ca-xu-phat-nam", "2018", by="congan", agency_code="CONG_AN_TINH")
    auto = current_auto(sub)
    assert auto["cases_detected"] == 6
    assert auto["cases_handled"] == 3
    assert auto["cases_handled_share"] == 50
    # accused or defendants: B's owner and broker, E's owner, F's broker
    assert auto["persons_prosecuted"] == 4
    assert (auto["prosecuted_owners"], auto["prosecuted_brokers"]) == (2, 2)
    assert auto["prosecuted_protectors"] == 0  # C's protector was never charged


def test_police_quarterly_report_counts_its_own_quarter(cases: dict[str, Case]) -> None:
    # Q1 2018 (Decree 09): 15/12/2017–14/03/2018: A (05/03), E (01/02), F (10/01) detected;
    # F was indicted on 20/03, after the quarter's end, so nothing is handled yet.
    sub = open_report("ca-xu-phat-quy", "2018-Q1", by="congan", agency_code="CONG_AN_TINH")
    auto = current_auto(sub)
    assert (auto["cases_detected"], auto["cases_handled"]) == (3, 0)
    assert auto["cases_handled_share"] == 0


def test_synthesis_takes_the_procuracy_and_court_figures(cases: dict[str, Case]) -> None:
    sub = open_report("tong-hop-nam", "2018", by="thuongtruc", agency_code="SO_LDTBXH")
    auto = current_auto(sub)
    assert auto["cases_indicted"] == 2  # B (01/09), F (20/03)
    assert auto["cases_tried"] == 1  # B's judgment (05/10)
    assert auto["defendants_sentenced"] == 2  # B's owner and broker
    assert auto["cases_handled_share"] == 50


def test_persons_in_reports_are_small_cells_outside_the_case_roles(persona: Any) -> None:
    police = ReportForm.objects.get(code="ca-xu-phat-nam").current
    synthesis = ReportForm.objects.get(code="tong-hop-nam").current
    people = {"persons_prosecuted", "prosecuted_owners", "prosecuted_brokers"}
    for username in ("lanhdao", "thuongtruc"):
        assert people <= suppression(police, persona(username)).fields, username
        hidden = suppression(synthesis, persona(username)).fields
        assert "defendants_sentenced" in hidden and "cases_tried" not in hidden
        assert "cases_detected" not in suppression(police, persona(username)).fields
    for username in ("congan", "vks", "toaan"):
        assert not people & suppression(police, persona(username)).fields, username
        assert "defendants_sentenced" not in suppression(synthesis, persona(username)).fields
