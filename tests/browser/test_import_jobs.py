"""A long establishment import in the browser: the upload goes to the job page, the bar
moves, and the page ends on the result (the job runs in its thread, as in the demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Error, expect

from pcmd.registry.models import Establishment
from tests.registry.conftest import good_row, workbook

# Enough rows that checking outlasts several polls of the page (700 ms apart) even on a fast
# machine: the bar must be seen between 0 and 100.
ROWS = 8_000


def test_a_long_import_shows_its_progress_then_its_result(
    page_for: Any, demo_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.PCMD_IMPORT_THREADS = True
    settings.PCMD_IMPORT_BACKGROUND_ROWS = 2_000
    file = tmp_path / "co-so-dai.xlsx"
    file.write_bytes(workbook([good_row(n) for n in range(1, ROWS + 1)]))
    page = page_for("huyen.bmt", viewport={"width": 1366, "height": 900})
    page.goto(f"{demo_server.url}/registry/import/")
    page.set_input_files("input[type=file]", str(file))
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/imports/*/")
    values: list[float] = []
    result = page.locator("#import-result")
    for _poll in range(600):
        if result.count():
            break
        try:
            value = page.evaluate(
                "() => { const bar = document.getElementById('import-progress');"
                " return bar ? bar.value : null; }"
            )
        except Error:  # the page reloads onto the result between two looks
            value = None
        if value is not None:
            values.append(float(value))
        page.wait_for_timeout(200)
    expect(result).to_contain_text("8.000")
    assert values and values == sorted(values), values
    assert any(0 < v < 100 for v in values), values  # the bar moved before the end
    expect(result.locator("progress")).to_have_attribute("value", "100")
    result.get_by_role("link").first.click()
    page.wait_for_url(f"{demo_server.url}/registry/")
    assert Establishment.objects.filter(name__startswith="Nhà nghỉ Số ").count() == ROWS
