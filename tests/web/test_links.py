"""No page offers a link that answers 403 to the user who sees it.

For each persona: the home page, the pages of the navigation and every page they link to
(one of each URL shape, e.g. one establishment detail), with a few records of different
bodies in the database. Every internal ``<a href>`` on those pages is fetched; none may be
refused. Links and views use the same checks (``pcmd.accounts.permissions``/``policy``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.conftest import PERSONA_NAMES
from tests.web.test_write_matrix import (
    budget_line,
    commune_activity,
    commune_inspection,
    hotspot,
    province_activity,
    provincial_inspection,
    standalone_violation,
    support_count,
    task_report,
)

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"^/(static|media|i18n|accounts/logout|logout|admin)/|\.(xlsx|csv|pdf|png|jpg)$")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _frag = urldefrag(href)
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if SKIP.search(parts.path):
            continue
        found.append(url)
    return found


PER_SHAPE = 2  # a few URLs of each shape (a user's own record and another body's)


def _shape(url: str) -> str:
    """/inspections/12/ and /inspections/13/ are the same page."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


@pytest.fixture
def records() -> None:
    for build in (
        provincial_inspection,
        commune_inspection,
        budget_line("SO_VHTTDL"),
        budget_line("LDTBXH_H643"),
        province_activity,
        commune_activity,
        standalone_violation,
        hotspot,
        support_count,
        task_report,
    ):
        build()


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_no_link_answers_403(name: str, client_for: Any, records: None) -> None:
    client = client_for(name)
    home = client.get("/")
    assert home.status_code == 200
    pages = ["/", *internal_links(home.content.decode())]
    per_shape: dict[str, int] = {}
    refused: list[str] = []
    fetched: dict[str, Any] = {}

    def fetch(url: str) -> Any:
        if url not in fetched:
            fetched[url] = client.get(url)
        return fetched[url]

    for page in pages:
        response = fetch(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in internal_links(response.content.decode()):
            shape = _shape(link)
            if link in fetched or per_shape.get(shape, 0) >= PER_SHAPE:
                continue
            per_shape[shape] = per_shape.get(shape, 0) + 1
            if fetch(link).status_code == 403:
                refused.append(f"{page} → {link}")
    assert refused == [], name
    # the data protection officer reads the trail, not the registers: fewer kinds of page
    assert len(per_shape) > (3 if name == "baovedl" else 5), name
