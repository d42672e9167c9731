"""The main menu in Chromium: every entry on screen at 1366×900 once its group is open, a
phone menu at 390×844, keyboard use, the current page marked (issue 10.2)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _inside(box: dict[str, float] | None, viewport: dict[str, int]) -> bool:
    return (
        box is not None
        and box["width"] > 0
        and box["height"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def _expected_labels(page: Any) -> list[str]:
    return page.eval_on_selector_all("#navlist a", "links => links.map(a => a.textContent.trim())")


def test_every_admin_entry_is_on_screen_at_1366(page_for: Any) -> None:
    page = page_for("admin", viewport=LAPTOP)
    page.goto(page.url + "users/")
    nav = page.locator("#mainnav")
    # The bar itself does not scroll sideways and fits on the screen.
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")
    assert _inside(nav.bounding_box(), LAPTOP)
    labels = _expected_labels(page)
    assert "Người dùng" in labels and "Nhật ký hệ thống" in labels
    seen: list[str] = []
    for link in page.locator("#navlist > li > a").all():
        assert _inside(link.bounding_box(), LAPTOP), link.inner_text()
        seen.append(link.inner_text().strip())
    groups = page.locator("#navlist > li > details")
    assert groups.count() >= 4
    for i in range(groups.count()):
        group = groups.nth(i)
        group.locator("summary").click()
        assert group.evaluate("d => d.open")
        # Opening one group closes the others (on the "toggle" event, which the browser fires
        # as a separate task: wait for it rather than read the count at once).
        expect(page.locator("#navlist details[open]")).to_have_count(1)
        for link in group.locator("a").all():
            assert link.is_visible(), link.inner_text()
            assert _inside(link.bounding_box(), LAPTOP), link.inner_text()
            seen.append(link.inner_text().strip())
    assert sorted(seen) == sorted(labels)
    # The current page is marked, and so is its group.
    current = page.locator('#navlist a[aria-current="page"]')
    assert current.count() == 1 and (current.text_content() or "").strip() == "Người dùng"
    assert page.locator("#navlist summary.current").count() == 1


def test_the_menu_works_with_the_keyboard(page_for: Any) -> None:
    page = page_for("admin", viewport=LAPTOP)
    summary = page.locator("#navlist > li > details > summary").last
    summary.focus()
    page.keyboard.press("Enter")
    group = page.locator("#navlist > li > details").last
    assert group.evaluate("d => d.open")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('details') !== null")
    assert focused
    page.keyboard.press("Escape")
    assert not group.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_boundary_import_opens_from_the_menu(page_for: Any) -> None:
    page = page_for("admin", viewport=LAPTOP)
    page.locator("#navlist > li > details > summary").last.click()
    page.get_by_role("link", name="Nhập ranh giới").click()
    page.wait_for_url("**/dashboard/boundaries/")
    current = page.locator('#navlist a[aria-current="page"]')
    assert (current.text_content() or "").strip() == "Nhập ranh giới"


@pytest.mark.parametrize("username", ["admin", "xa.tanlap"])
def test_phone_menu_opens_and_shows_every_entry(page_for: Any, username: str) -> None:
    page = page_for(username, viewport=PHONE)
    toggle = page.locator(".navtoggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#navlist").is_visible()
    # Closed, the menu leaves the page visible without scrolling past it.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    links = page.locator("#navlist a")
    assert links.count() == len(_expected_labels(page)) > 3
    for link in links.all():
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    toggle.click()
    assert not page.locator("#navlist").is_visible()
