"""Crawl the pages a persona reaches and read their visible text.

Shared by the page-wide text checks (Vietnamese wording, number format): the home page,
the pages it links to and, one level further, a few URLs of each shape (one record's detail
page stands for all of them). Only text nodes are read: ``<script>``/``<style>`` bodies and
attribute values (class, href, data-*) are not text an official reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from tests.web.test_links import internal_links

# Not text an official reads as wording: scripts, styles, the raw stored data shown to
# administrators in <pre>, and what a user typed back into a <textarea>.
_SKIP_TEXT_IN = {"script", "style", "pre", "template", "textarea"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Text(HTMLParser):
    """Collects ``(text, enclosing tags with their classes)`` for every text node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.english: list[int] = []  # depths of elements marked lang="en" (bilingual errors)
        self.nodes: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        if values.get("lang") == "en":
            self.english.append(len(self.stack))
        self.stack.append((tag, values.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                self.english = [d for d in self.english if d < i]
                return

    def handle_data(self, data: str) -> None:
        if self.english or not data.strip():
            return
        if any(tag in _SKIP_TEXT_IN for tag, _c in self.stack):
            return
        self.nodes.append((data, list(self.stack)))


def text_nodes(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Visible text nodes of a page, each with its enclosing ``(tag, class)`` chain."""
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def visible_text(html: str) -> str:
    return "\n".join(text for text, _stack in text_nodes(html))


PER_SHAPE = 1  # one page of each URL shape: one record stands for its register


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0]) + ("?" if "?" in url else "")


def crawl(client: Client, extra: Iterable[str] = (), depth: int = 2) -> Iterator[tuple[str, str]]:
    """``(url, html)`` for each HTML page reached from the home page (and ``extra``)."""
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    frontier = ["/", *extra]
    for level in range(depth + 1):
        following: list[str] = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            response: Any = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            yield url, html
            if level == depth:
                continue
            for link in internal_links(html):
                shape = _shape(link)
                if link in seen or per_shape.get(shape, 0) >= PER_SHAPE:
                    continue
                per_shape[shape] = per_shape.get(shape, 0) + 1
                following.append(link)
        frontier = following


def build_records() -> dict[str, Any]:
    """Rows the pages need (the test database has the demo without registers).

    Records of each register (tests.web.test_links) and reports in each state: one
    returned, submitted again and approved, and a draft.
    """
    from pcmd.reporting import actions
    from pcmd.reporting.models import ReportForm, Submission
    from pcmd.reporting.seed import seed_forms
    from tests.reporting.conftest import GOOD_COMMUNE, open_report, submitted_commune, user
    from tests.web import test_write_matrix as w

    for build in (
        w.provincial_inspection,
        w.commune_inspection,
        w.budget_line("SO_VHTTDL"),
        w.budget_line("LDTBXH_H643"),
        w.province_activity,
        w.commune_activity,
        w.standalone_violation,
        w.hotspot,
        w.support_count,
        w.task_report,
    ):
        build()
    if not ReportForm.objects.exists():
        seed_forms()
    figures = {  # a large figure in a table cell and an amount of money
        **GOOD_COMMUNE,
        "budget_spent": 27_000_000,
        "highlights": [{"date": "03/2018", "content": "Tuyên truyền", "participants": 73602}],
    }
    report = submitted_commune(figures)
    actions.return_submission(report, actor=user("huyen.bmt"), comment="Bổ sung số liệu.")
    report.refresh_from_db()
    actions.submit_submission(report, actor=user("xa.tanlap"))
    actions.approve_submission(report, actor=user("huyen.bmt"))
    # as the demo loads the reports of communes without an account: no submitter
    Submission.objects.filter(pk=report.pk).update(submitted_by=None)
    draft = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    return {"reviewed": report, "draft": draft}
