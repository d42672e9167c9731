"""A unit is named as it was in the period: ward 24133 was "Thắng Lợi" until 2024."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.template import Context, Template

from pcmd.geo.models import Unit, name_on_date

pytestmark = pytest.mark.django_db


def ward() -> Unit:
    return Unit.objects.get(code="24133", valid_from=None)


def test_the_helper_names_24133_as_it_was() -> None:
    unit = ward()
    assert name_on_date(unit, datetime.date(2018, 6, 30)) == "Phường Thắng Lợi"
    assert name_on_date(unit, 2018) == "Phường Thắng Lợi"
    assert name_on_date(unit, "2018-H1") == "Phường Thắng Lợi"
    assert name_on_date(unit, datetime.date(2025, 6, 30)) == "Phường Thành Công"
    assert name_on_date(unit, None) == unit.name == "Phường Thành Công"
    assert name_on_date(None, 2018) == ""


def test_the_template_filter() -> None:
    template = Template("{% load pcmd_format %}{{ unit|name_on:on }}")
    unit = ward()
    assert template.render(Context({"unit": unit, "on": datetime.date(2018, 6, 30)})) == (
        "Phường Thắng Lợi"
    )
    assert template.render(Context({"unit": unit, "on": "2025"})) == "Phường Thành Công"


def test_the_2018_dashboard_has_one_thanh_cong(client_for: Any) -> None:
    bmt = Unit.objects.get(code="643", valid_from=None)
    page = client_for("thuongtruc").get("/dashboard/", {"unit": bmt.pk, "period": "2018"})
    assert page.status_code == 200
    html = page.content.decode()
    # 24139 was Thành Công and 24133 was Thắng Lợi in 2018 (one row each in the table)
    rows = re.findall(r"<tr><td><a [^>]*>([^<]+)</a></td>", html)  # the breakdown table's rows
    assert rows.count("Phường Thành Công") == 1
    assert rows.count("Phường Thắng Lợi") == 1
    later = client_for("thuongtruc").get("/dashboard/", {"unit": bmt.pk, "period": "2025"})
    assert "Phường Thắng Lợi<" not in later.content.decode()


def test_the_2018_export_uses_the_2018_name(client_for: Any) -> None:
    bmt = Unit.objects.get(code="643", valid_from=None)
    response = client_for("thuongtruc").get(
        "/dashboard/export.csv", {"unit": bmt.pk, "period": "2018"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "24133,Phường Thắng Lợi" in text and "24133,Phường Thành Công" not in text
