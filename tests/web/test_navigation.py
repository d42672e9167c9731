"""The navigation names real pages, groups them, opens only what a persona may open, and
marks the current page (issues 9.13, 10.2)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from pcmd.web import context
from tests.conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db


def _menu(user, path: str = "/") -> dict:
    request = RequestFactory().get(path)
    request.user = user
    return context.navigation(request)


def test_every_navigation_entry_reverses(persona) -> None:
    items = _menu(persona("admin"))["nav_items"]
    assert len(items) == len(context._NAV)


def test_a_missing_page_is_an_error_not_a_hidden_entry(persona, monkeypatch) -> None:
    monkeypatch.setattr(context, "_NAV", [*context._NAV, ("nowhere:list", "x", None)])
    with pytest.raises(NoReverseMatch):
        _menu(persona("admin"))


@pytest.mark.parametrize("username", PERSONA_NAMES)
def test_each_persona_menu_holds_only_pages_that_open(username, persona, client_for) -> None:
    """Every entry in a persona's menu answers 200 for that persona (hidden otherwise)."""
    items = _menu(persona(username))["nav_items"]
    assert items, f"{username} has an empty menu"
    client = client_for(username)
    for item in items:
        status = client.get(item["url"]).status_code
        assert status == 200, f"{username}: menu entry {item['url']} answers {status}"


def test_boundary_import_is_linked_from_administration(persona) -> None:
    menu = _menu(persona("admin"))["nav_menu"]
    admin = next(entry for entry in menu if entry["key"] == "admin")
    assert reverse("dashboard:boundaries") in [i["url"] for i in admin["links"]]


def test_the_bar_is_grouped_short_enough_for_a_laptop(persona) -> None:
    """The administrator's bar has a handful of top-level entries, not one per page."""
    menu = _menu(persona("admin"))["nav_menu"]
    assert len(menu) <= 7
    assert sum(len(e.get("links", [])) or 1 for e in menu) == len(context._NAV)


def test_groups_without_an_entry_for_the_user_are_not_shown(persona, monkeypatch) -> None:
    monkeypatch.setattr(context, "_NAV", [e for e in context._NAV if e[2] != "registers"])
    menu = _menu(persona("ctxh.bmt"))["nav_menu"]
    urls = [i["url"] for e in menu for i in e.get("links", [])]
    assert reverse("users") not in urls and reverse("audit") not in urls
    assert "registers" not in [e["key"] for e in menu]
    assert all(e.get("links", True) for e in menu)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "home"),
        ("/users/3/", "users"),
        ("/dashboard/", "dashboard:home"),
        ("/dashboard/boundaries/", "dashboard:boundaries"),
        ("/registry/12/edit/", "registry:list"),
    ],
)
def test_the_current_page_is_marked_once(persona, path, current) -> None:
    navigation = _menu(persona("admin"), path)
    active = [i["url"] for i in navigation["nav_items"] if i["active"]]
    assert active == [reverse(current)]
    groups = [e["key"] for e in navigation["nav_menu"] if e["active"]]
    assert len(groups) == 1


def test_the_current_page_carries_aria_current(client_for) -> None:
    html = client_for("admin").get("/users/").content.decode()
    assert f'<a href="{reverse("users")}" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1
