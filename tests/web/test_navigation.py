"""The navigation names real pages and fails loudly when one is missing (issue 9.13)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch

from pcmd.web import context

pytestmark = pytest.mark.django_db


def test_every_navigation_entry_reverses(persona) -> None:
    request = RequestFactory().get("/")
    request.user = persona("admin")
    items = context.navigation(request)["nav_items"]
    assert len(items) == len(context._NAV)


def test_a_missing_page_is_an_error_not_a_hidden_entry(persona, monkeypatch) -> None:
    monkeypatch.setattr(context, "_NAV", [*context._NAV, ("nowhere:list", "x")])
    request = RequestFactory().get("/")
    request.user = persona("admin")
    with pytest.raises(NoReverseMatch):
        context.navigation(request)
