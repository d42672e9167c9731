"""The ministry walks its pages: overview → map → completeness → the DOCX, axe clean."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from pcmd.national.demo import APPROVED, AWAITING, LATE, build_provinces
from tests.browser.test_axe import LAPTOP, _axe_source, _violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_ministry_walks_overview_map_completeness_and_downloads_the_report(
    page_for: Any, demo_server: Any
) -> None:
    build_provinces(["56"], 2018, states={"54": APPROVED, "56": LATE, "58": AWAITING})
    source = _axe_source()
    found: list[str] = []
    page = page_for("boyte", viewport=LAPTOP)
    page.locator("#navlist a[href='/national/']").first.click()
    page.wait_for_selector("#national-provinces")
    page.select_option("#id_year", "2018")
    page.locator("form.filters button[type=submit]").first.click()
    page.wait_for_url("**/national/?year=2018")
    assert page.locator("#national-provinces tbody tr").count() == 2
    found += [f"overview: {v}" for v in _violations(page, source)]

    page.locator("nav.tabs a[href*='/national/map/']").click()
    page.wait_for_selector("#map .cell")
    assert page.locator("#map .cell").count() == 2
    assert page.locator("#map-table tbody tr").count() == 2
    found += [f"map: {v}" for v in _violations(page, source)]

    page.locator("nav.tabs a[href*='/national/completeness/']").click()
    page.wait_for_selector("#completeness")
    assert page.locator("#completeness td[data-state='awaiting']").count() == 2
    found += [f"completeness: {v}" for v in _violations(page, source)]

    with page.expect_download() as info:
        page.locator("#national-docx").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-quoc-gia-2018.docx"
    with open(download.path(), "rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    assert any(
        p.text == "BỘ Y TẾ" for t in document.tables for c in t.rows[0].cells for p in c.paragraphs
    )
    assert found == []
