"""axe-core (npm, pinned in package.json, installed by `make`) on the main pages of each
persona: home, dashboard, a list and a form; no serious or critical violation (issue 10.13)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# persona: (a list, a form) of theirs; every persona also gets home and dashboard.
PAGES = {
    "admin": ("/users/", "/users/new/"),
    "thuongtruc": ("/reporting/", "/budget/new/"),
    "lanhdao": ("/plans/", "/registry/"),  # read-only: the register's search form
    "congan": ("/hotspots/", "/enforcement/new/"),
    "doi178": ("/inspections/", "/inspections/new/"),
    "sovhttdl": ("/outreach/", "/outreach/new/"),
    "huyen.bmt": ("/registry/", "/registry/new/"),
    "ctxh.bmt": ("/support/", "/support/new/"),
    "xa.tanlap": ("/communes/", "/hotspots/new/"),
    "xa.easo": ("/enforcement/", "/inspections/new/"),
}
RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.impact + " " + v.id + ": " + v.help + " @ "
       + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))"""


def _axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing: run `make install` (npm ci installs axe-core)"
    return AXE.read_text(encoding="utf-8")


def _violations(page: Any, source: str) -> list[str]:
    # Evaluated through the DevTools protocol: the page's strict CSP stays as it is.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    return list(page.evaluate(RUN))


def _visit(page: Any, base: str, path: str) -> None:
    response = page.goto(base + path)
    assert response is not None and response.status == 200, f"{path}: {response}"


def test_main_pages_of_every_persona_have_no_serious_violation(
    page_for: Any, demo_server: Any
) -> None:
    source = _axe_source()
    found: list[str] = []
    for username, (listing, form) in PAGES.items():
        page = page_for(username, viewport=LAPTOP)
        for path in ("/", "/dashboard/", listing, form):
            _visit(page, demo_server.url, path)
            found += [f"{username} {path}: {v}" for v in _violations(page, source)]
        page.context.close()
    assert found == []


def test_open_menus_forms_with_errors_and_the_phone_have_no_serious_violation(
    page_for: Any, demo_server: Any
) -> None:
    source = _axe_source()
    found: list[str] = []
    page = page_for("admin", viewport=LAPTOP)
    page.locator("#navlist > li > details > summary").last.click()
    found += [f"menu open: {v}" for v in _violations(page, source)]
    _visit(page, demo_server.url, "/users/new/")
    page.locator("main form").first.evaluate("f => f.setAttribute('novalidate', '')")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("[data-error-summary]")
    found += [f"form errors: {v}" for v in _violations(page, source)]
    phone = page_for("xa.tanlap", viewport=PHONE)
    phone.locator(".navtoggle").click()
    found += [f"phone menu: {v}" for v in _violations(phone, source)]
    _visit(phone, demo_server.url, "/hotspots/new/")
    found += [f"phone form: {v}" for v in _violations(phone, source)]
    assert found == []


def test_axe_finds_a_planted_violation(page_for: Any) -> None:
    """The check can fail: an image without text and a low-contrast line are reported."""
    page = page_for("admin", viewport=LAPTOP)
    page.evaluate(
        """() => {
      const p = document.createElement("p");
      p.textContent = "chữ mờ";
      p.style.color = "#eeeeee";
      document.querySelector("main").append(p);
      const button = document.createElement("button");
      document.querySelector("main").append(button);
    }"""
    )
    ids = " ".join(_violations(page, _axe_source()))
    assert "color-contrast" in ids and "button-name" in ids


def _ratio(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def lum(rgb: tuple[float, ...]) -> float:
        c = [x / 255 for x in rgb[:3]]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


FOCUS_COLOURS = """el => {
  el.focus();
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const ring = getComputedStyle(el);
  let under = el.parentElement;
  while (under && getComputedStyle(under).backgroundColor === "rgba(0, 0, 0, 0)") {
    under = under.parentElement;
  }
  const bg = under ? getComputedStyle(under).backgroundColor : "rgb(255, 255, 255)";
  return {style: ring.outlineStyle, width: parseFloat(ring.outlineWidth),
          ring: rgb(ring.outlineColor), bg: rgb(bg)};
}"""


def test_the_focus_ring_contrasts_3_to_1_with_what_is_around_it(
    page_for: Any, demo_server: Any
) -> None:
    """WCAG 2.2 non-text contrast: the keyboard focus ring against the surface it sits on, for
    a link in the page, a menu group, a button in the brand bar and a form field."""
    page = page_for("admin", viewport=LAPTOP)
    _visit(page, demo_server.url, "/users/")
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
    for selector in ("main a", "#navlist summary", ".topbar button", "#id_username"):
        if selector == "#id_username":
            _visit(page, demo_server.url, "/users/new/")
        seen = page.locator(selector).first.evaluate(FOCUS_COLOURS)
        assert seen["style"] != "none" and seen["width"] >= 2, selector
        assert _ratio(tuple(seen["ring"]), tuple(seen["bg"])) >= 3, (selector, seen)
