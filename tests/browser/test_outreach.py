"""A commune officer logs a communication activity on a phone and finds it in the list."""

import importlib

from django.apps import apps
from playwright.sync_api import expect

from pcmd.outreach.models import Activity, CommunicationForm


def ensure_catalogs() -> None:
    """Browser tests run on a flushed database: re-seed the catalogs the migration seeded."""
    if not CommunicationForm.objects.exists():
        module = importlib.import_module("pcmd.outreach.migrations.0002_seed_catalogs")
        module.seed(apps, None)


def test_commune_officer_logs_an_activity(page_for, demo_server) -> None:
    ensure_catalogs()
    page = page_for("xa.tanlap", viewport={"width": 390, "height": 844})
    page.goto(f"{demo_server.url}/outreach/?year=2018")
    expect(page.locator("#coverage-figure")).to_have_text("0/1")
    page.click("#new-activity")
    page.fill("#id_date", "15/05/2018")
    page.select_option("#id_form", label="Hội họp thôn, buôn, tổ dân phố")
    page.fill("#id_title", "Tuyên truyền tác hại của mại dâm tại tổ dân phố 5")
    page.get_by_label("Nhân dân (cộng đồng dân cư)").check()
    page.get_by_label("Hội viên phụ nữ").check()
    page.fill("#id_participants", "72")
    page.fill("#id_organiser_detail", "Chi hội Phụ nữ tổ dân phố 5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#activity-form button[type=submit].primary")

    expect(page.locator("h1")).to_have_text("Tuyên truyền tác hại của mại dâm tại tổ dân phố 5")
    expect(page.locator("#activity-facts")).to_contain_text("Phường Tân Lập")
    expect(page.locator("#activity-facts")).to_contain_text("Hội viên phụ nữ")

    page.goto(f"{demo_server.url}/outreach/?year=2018")
    expect(page.locator("#activities")).to_contain_text(
        "Tuyên truyền tác hại của mại dâm tại tổ dân phố 5"
    )
    expect(page.locator("#activities")).to_contain_text("15/05/2018")
    expect(page.locator("#coverage-figure")).to_have_text("1/1")
    row = Activity.objects.get()
    assert (row.unit.code, row.agency.code, row.participants) == ("24118", "UBND_X24118", 72)
