"""Every page reachable by a GET without arguments answers hostile filter values (years out
of range, huge numbers, impossible dates, unknown choices) with a page, never a 500: the
page ignores the filter and says so, or answers 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
HOSTILE: dict[str, str] = {
    "year": "10000",
    "page": HUGE,
    "days": "99999999999",
    "team": HUGE,
    "plan": HUGE,
    "form": HUGE,
    "unit": HUGE,
    "district": HUGE,
    "commune": HUGE,
    "agency": HUGE,
    "category": HUGE,
    "hotspot": HUGE,
    "establishment": HUGE,
    "inspection": HUGE,
    "template": HUGE,
    "parent": HUGE,
    "level": HUGE,
    "version": HUGE,
    "date_from": "0000-01-01",
    "date_to": "9999-99-99",
    "on": "10000-01-01",
    "as_of": "2018-02-30",
    "from": "x",
    "to": "-1",
    "period": "0000-Q9",
    "status": "\x00",
    "state": "zzz",
    "source": "zzz",
    "result": "zzz",
    "severity": "zzz",
    "licence": "zzz",
    "kind": "zzz",
    "map": "zzz",
    "trend": "zzz",
    "indicator": "zzz",
    "q": "%" * 300,
}
NOT_NUMBERS = {k: "1e309" for k in HOSTILE}


def _get_urls() -> list[str]:
    """Paths of the site's pages that take no argument (API and language switch aside)."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(" not in route:
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(u for u in set(found) if not u.startswith(("/api/", "/i18n/", "/logout")))


@pytest.mark.parametrize(
    ("username", "variants"),
    [("admin", [HOSTILE, NOT_NUMBERS]), ("xa.tanlap", [HOSTILE])],
)
def test_no_page_fails_on_hostile_filters(
    client_for: Any, username: str, variants: list[dict[str, str]]
) -> None:
    client = client_for(username)
    client.raise_request_exception = False
    failures = []
    urls = _get_urls()
    assert len(urls) > 30
    for url in urls:
        for params in variants:
            response = client.get(url, params)
            if response.status_code >= 500:
                failures.append(f"{url} {params.get('year')!r}: {response.status_code}")
    assert not failures, failures
