"""Figures on the pages carry Vietnamese separators: "73.602", never "73602".

A page's text nodes are read (:func:`unformatted`); a run of five or more digits with no
separator is a figure that skipped formatting, unless it is a code:

- inside ``<code>``, or marked ``class="code"`` / ``translate="no"`` elements;
- in parentheses right after a name ("Phường Tân Lập (24118)"), or after "Mã"/"mã"/"số";
- starting with 0 (phone numbers, zero-padded codes);
- part of a document number, date or identifier ("1842/KH-UBND", "30/06/2018", "#12345").

Every persona's pages are checked with this in tests/web/test_vietnamese_text.py (one crawl
reads both the words and the figures).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from pcmd.core.formatting import format_number, format_vnd
from tests.web.crawl import text_nodes

pytestmark = pytest.mark.django_db

BARE = re.compile(r"(?<![\w.,/#:-])[1-9]\d{4,}(?![\w.,/:-])")
CODE_BEFORE = re.compile(r"(\(|\b(Mã|mã|code|Code|số|Số|ID)\s*:?\s*)$")
CODE_TAGS = {"code", "kbd", "samp"}
TWICE = re.compile(r"\bđ\s*\(?(đồng|VND|VNĐ)\b")  # "27.000.000 đ đồng"


def unformatted(html: str) -> list[str]:
    found = []
    for text, stack in text_nodes(html):
        if any(tag in CODE_TAGS or "code" in classes.split() for tag, classes in stack):
            continue
        for match in BARE.finditer(text):
            if CODE_BEFORE.search(text[: match.start()].rstrip()[-8:]):
                continue
            found.append(f"{match.group(0)} in {' '.join(text.split())[:100]!r}")
    return found


def test_the_check_sees_bare_figures_and_not_codes() -> None:
    page = (
        "<td>73602</td><p>Tổng: 86050000 đ</p><td>73.602</td><code>24133</code>"
        "<p>Phường Tân Lập (24118)</p><p>Số 1842/KH-UBND</p><p>0912345678</p>"
        "<p>Mã 24133</p><p>30/06/2018</p>"
    )
    assert [f.split()[0] for f in unformatted(page)] == ["73602", "86050000"]
    assert format_number(73602) == "73.602" and format_vnd(27_000_000) == "27.000.000 đ"


def test_target_values_and_chart_values_are_grouped(client_for: Any, monkeypatch: Any) -> None:
    """Figures the crawl's small data never reach five digits in: plan targets (they were
    ``floatformat``, which Django's Vietnamese format leaves ungrouped), the commune list's
    target and the monthly trend's bar tooltips."""
    import datetime
    from decimal import Decimal

    from pcmd.dashboard import views as dashboard_views
    from pcmd.plans.models import Plan, Target

    plan = Plan.objects.order_by("pk").first()
    assert plan is not None
    Target.objects.filter(plan=plan, code="T6").update(
        value=Decimal("17400"), denominator=Decimal("18400")
    )
    Target.objects.filter(plan=plan, kind="count_range").update(
        value_min=Decimal("10000"), value_max=Decimal("150000")
    )
    client = client_for("thuongtruc")
    with translation.override("vi"):
        plan_page = client.get(f"/plans/{plan.pk}/").content.decode()
        communes_page = client.get("/communes/?year=2018").content.decode()
    assert unformatted(plan_page) == [] and "17.400/18.400" in plan_page
    assert "10.000–150.000" in plan_page
    assert unformatted(communes_page) == [] and "17.400" in communes_page

    class Monthly:
        values = {datetime.date(2018, 3, 1): 12345}
        note = None
        total = 12345

    monkeypatch.setattr(dashboard_views, "evaluate", lambda *args, **kwargs: Monthly())
    with translation.override("vi"):
        dashboard = client.get("/dashboard/?period=2018").content.decode()
    assert "03/2018: 12.345" in dashboard
    assert not [f for f in unformatted(dashboard) if "12345" in f]


def test_no_template_uses_intcomma() -> None:
    """Django's Vietnamese format has no digit grouping, so ``intcomma`` prints "12227"; every
    template groups through ``|num`` (pcmd_format)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "pcmd"
    offenders = [
        str(p.relative_to(root)) for p in root.rglob("*.html") if "intcomma" in p.read_text()
    ]
    assert offenders == []
