"""Forms and feedback in Chromium: the error summary with links and focus, dd/mm/yyyy date
boxes with a picker, numeric keypads, busy buttons and busy document links (issue 10.11,
10.12)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 900}


def test_error_summary_links_to_the_fields_and_focuses_the_first(
    page_for: Any, demo_server: Any
) -> None:
    page = page_for("admin", viewport=LAPTOP)
    page.goto(demo_server.url + "/users/new/")
    form = page.locator("main form").first
    # Leave the browser's own checks aside: the server's answer is what is tested.
    form.evaluate("f => f.setAttribute('novalidate', '')")
    page.fill("#id_username", "")
    page.fill("#id_email", "not-an-email")
    page.fill("#id_password", "12345")
    form.locator("button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert "Vui lòng sửa" in summary.inner_text()
    links = summary.locator("a")
    assert links.count() >= 2
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#id_username" in targets and "#id_email" in targets
    # The summary sits above the fields, and the first invalid field has the focus.
    summary_y = summary.bounding_box()["y"]
    assert summary_y < page.locator("#id_username").bounding_box()["y"]
    assert page.evaluate("document.activeElement.id") == targets[0].lstrip("#")
    links.last.click()
    assert page.evaluate("document.activeElement.id") == targets[-1].lstrip("#")


def test_date_boxes_take_dd_mm_yyyy_with_a_picker_and_a_keypad(
    page_for: Any, demo_server: Any
) -> None:
    page = page_for("admin", viewport=LAPTOP)
    page.goto(demo_server.url + "/audit/")
    box = page.locator("#id_date_from")
    assert box.get_attribute("inputmode") == "numeric"
    assert box.get_attribute("placeholder") == "dd/mm/yyyy"
    # Typed digits get their slashes.
    box.click()
    page.keyboard.type("01062018")
    assert box.input_value() == "01/06/2018"
    box.fill("")
    page.keyboard.type("1")
    box.press("Tab")
    # The calendar button opens the browser's picker; a day chosen there comes back as
    # dd/mm/yyyy in the text box.
    button = page.locator("#id_date_to ~ .datebutton")
    assert button.get_attribute("aria-label") == "Chọn ngày"
    # The icon is drawn (an emoji showed as an empty box where no emoji font is installed).
    assert button.locator("svg").count() == 1 and button.inner_text().strip() == ""
    page.locator("#id_date_to ~ .dateprobe").evaluate(
        "p => { p.value = '2018-06-19'; p.dispatchEvent(new Event('change')); }"
    )
    assert page.locator("#id_date_to").input_value() == "19/06/2018"
    box.fill("01/06/2018")
    page.locator("#id_date_to").press("Enter")
    page.wait_for_load_state()
    assert "date_from=01%2F06%2F2018" in page.url
    assert page.locator("#id_date_to").input_value() == "19/06/2018"
    assert page.locator("[data-error-summary]").count() == 0


def test_number_boxes_bring_up_a_numeric_keypad(page_for: Any, demo_server: Any) -> None:
    page = page_for("doi178", viewport=LAPTOP)
    page.goto(demo_server.url + "/inspections/new/")
    numbers = page.locator("input[type=number]")
    assert numbers.count() >= 1
    modes = numbers.evaluate_all("xs => xs.map(x => x.getAttribute('inputmode'))")
    assert set(modes) <= {"numeric", "decimal"} and None not in modes


# Runs after the page's own handlers (window is the last stop of a bubbling event) and keeps
# what the user saw at that moment.
RECORD = """() => {
  for (const type of ["submit", "click"]) {
    window.addEventListener(type, e => {
      const form = e.target.closest && e.target.closest("form");
      const el = type === "submit" ? (e.submitter || form.querySelector("button[type=submit]"))
                                   : e.target.closest("a");
      if (!el || el.hasAttribute("download")) return;  // not the script's own save link
      const seen = {type, busy: (form || el).getAttribute("aria-busy"),
                    disabled: !!el.disabled, text: el.textContent};
      sessionStorage.setItem("seen-" + type, JSON.stringify(seen));
    });
  }
}"""


def _seen(page: Any, kind: str) -> dict[str, Any]:
    return page.evaluate(f"() => JSON.parse(sessionStorage.getItem('seen-{kind}'))")


def test_a_submitted_form_is_busy_and_cannot_be_sent_twice(page_for: Any, demo_server: Any) -> None:
    page = page_for("admin", viewport=LAPTOP)
    page.goto(demo_server.url + "/users/new/")
    page.evaluate(RECORD)
    page.fill("#id_username", "busy.test")
    page.fill("#id_full_name", "Busy Test")
    page.fill("#id_password", "Long-enough-password-1")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    seen = _seen(page, "submit")
    assert seen["busy"] == "true" and seen["disabled"] is True
    assert "Đang xử lý" in seen["text"]


def test_a_generated_document_link_shows_a_busy_state_until_the_file_arrives(
    page_for: Any, demo_server: Any
) -> None:
    page = page_for("thuongtruc", viewport=LAPTOP)
    page.goto(demo_server.url + "/dashboard/")
    page.evaluate(RECORD)
    link = page.locator("a[href*='export.xlsx']").first
    label = link.inner_text()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    seen = _seen(page, "click")
    assert seen["busy"] == "true" and "Đang tạo tài liệu" in seen["text"]
    page.wait_for_function("() => document.querySelector('a[aria-busy=true]') === null")
    assert link.inner_text() == label


def test_an_upload_shows_progress_while_the_file_is_sent_and_checked(
    page_for: Any, demo_server: Any, tmp_path: Any
) -> None:
    page = page_for("huyen.bmt", viewport=LAPTOP)
    page.goto(demo_server.url + "/registry/import/")
    page.evaluate(
        """() => window.addEventListener("submit", e => sessionStorage.setItem("progress",
             String(e.target.querySelector(".progress progress") !== null)))"""
    )
    upload = tmp_path / "co-so.xlsx"
    upload.write_bytes(b"not a workbook")
    page.set_input_files("input[type=file]", str(upload))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.evaluate("() => sessionStorage.getItem('progress')") == "true"
    # The answer (a bad file here) comes back as a page with the form usable again.
    assert page.locator("main form button[type=submit]").first.is_enabled()
