"""A person's page in the browser: the police officer sees the name (and the read is logged);
the commune officer sees the same page with the code only (issue 11)."""

from playwright.sync_api import expect

from pcmd.people.models import AccessLog
from tests.people.builders import NAME, new_person


def test_person_page_identity_and_code_only(page_for, demo_server) -> None:
    person = new_person()
    police = page_for("congan")
    police.goto(f"{demo_server.url}/people/")
    police.fill("#id_q", "hoang thi lan thu 1990")
    with police.expect_navigation():
        police.locator("#person-search button.primary").click()
    expect(police.locator("#search-results")).to_contain_text(NAME)
    with police.expect_navigation():
        police.locator("#search-results a").first.click()
    expect(police.locator("h1")).to_contain_text(person.code)
    expect(police.locator("#identity .person-name")).to_have_text(NAME)
    assert list(AccessLog.objects.filter(person=person).values_list("surface", flat=True)) == [
        "page",
        "search",
    ]

    commune = page_for("xa.tanlap")
    commune.goto(f"{demo_server.url}/people/{person.pk}/")
    expect(commune.locator("h1")).to_contain_text(person.code)
    expect(commune.locator("#no-identity")).to_be_visible()
    assert NAME not in commune.content()
    assert AccessLog.objects.filter(person=person).count() == 2
