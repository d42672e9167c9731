"""Who reports a form, in words: agency kinds and roles by their labels, never their codes
("police, department, mass_org")."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from pcmd.agencies.models import AgencyKind, AgencyRoleKind
from pcmd.reporting.models import FormVersion, ReporterKind


def test_agency_kinds_and_roles_in_words(db: Any) -> None:
    codes = [k.value for k in AgencyKind]
    version = FormVersion(reporter_kind=ReporterKind.AGENCY, agency_kinds=codes)
    with translation.override("vi"):
        text = version.reporter_text()
    assert not any(code in text.split(", ") for code in codes), text
    role = FormVersion(reporter_kind=ReporterKind.AGENCY, agency_role=AgencyRoleKind.values[0])
    with translation.override("vi"):
        assert role.reporter_text() != AgencyRoleKind.values[0]
