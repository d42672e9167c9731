"""Indicator filters read as words on the definitions page, not as database lookups."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pcmd.indicators.wording import describe_filters

pytestmark = pytest.mark.django_db


def test_filters_in_words() -> None:
    with translation.override("vi"):
        handled = describe_filters("violations", {"sanctions__isnull": False})
        by_team = describe_filters("inspections", {"team__level": 1})
        fines = describe_filters("sanctions", {"form": "fine"})
    assert "__" not in handled and handled.endswith(": có")
    assert by_team.endswith("cấp tỉnh") and "›" in by_team
    assert "fine" not in fines
    assert describe_filters("violations", None) == ""


def test_a_list_of_choices_reads_as_labels() -> None:
    with translation.override("vi"):
        statuses = describe_filters(
            "sanctioned_persons",
            {"sanction__status__in": ["pending", "paid"], "person__sex": "female"},
        )
    assert "pending" not in statuses and "[" not in statuses
    assert "đã nộp phạt" in statuses.lower() and "nữ" in statuses


def test_the_definitions_page_has_no_lookup(client_for: Any) -> None:
    with translation.override("vi"):
        page = client_for("thuongtruc").get("/dashboard/indicators/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "__isnull" not in html and "team__level" not in html
