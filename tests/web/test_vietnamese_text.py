"""The Vietnamese pages speak Vietnamese: no English words, no raw codes, no None/True/False.

For each persona, the pages reached from the home page (lists, a few detail pages of each
register, dashboard, reports, administration) are rendered in Vietnamese, with records of
each register and reports in each state built first. Only text nodes are read (no
scripts, styles or attribute values). The page fails on:

- English words of the interface (``WORDS``): report history verbs, workflow states,
  buttons. Chosen so they are not Vietnamese words (no "no", "the"), codes or names;
- Python values leaking into text: None, True, False;
- raw codes: period codes ("2018-H1"), database lookups (``__isnull``), ``*_id`` fields;
- figures without Vietnamese separators (tests/web/test_number_format.py says which): the
  same crawl reads both, one walk per persona.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import PERSONA_NAMES
from tests.web.crawl import build_records, crawl, text_nodes, visible_text
from tests.web.test_number_format import TWICE, unformatted

pytestmark = pytest.mark.django_db

WORDS = (
    "created submitted resubmitted returned approved redrafted saved filled imported "
    "draft pending confirmed rejected deleted updated "
    "None True False "
    "Position Draft Submitted Approved Returned Pending Confirmed Status Total "
    "yes Yes edit Edit delete Delete Save Cancel Search Filter Back Next Previous "
    "and with from of for by to the The"
).split()
ENGLISH = re.compile(r"(?<![\w/.-])(" + "|".join(WORDS) + r")(?![\w/.-])")
CODES = re.compile(
    r"\b\d{4}-(?:H[12]|Q[1-4]|0[1-9]|1[0-2])\b(?!-\d)"  # period codes (not ISO dates)
    r"|__\w+"  # database lookups
    r"|\b[a-z]+_id\b"  # foreign key columns
)
URL = re.compile(r"https?://\S+")
# The period field explains how to type a period: codes are what the user types there.
ALLOWED = {"2018 (year), 2018-H1 (six months), 2018-Q2, 2018-03"}


def offending(html: str) -> list[str]:
    allowed = {translation.gettext(text) for text in ALLOWED}
    found = []
    for text, _stack in text_nodes(html):
        line = " ".join(text.split())
        if line in allowed:
            continue
        bare = URL.sub("", line)
        for pattern in (ENGLISH, CODES):
            match = pattern.search(bare)
            if match:
                found.append(f"{match.group(0)!r} in {line[:120]!r}")
    return found


def test_the_check_sees_english_and_codes() -> None:
    page = (
        "<p>2018-H1</p><p>đã duyệt — None</p><td>approved</td><code>sanctions__isnull</code>"
        '<script>var created = 1;</script><a href="/x/2018-H1/" class="edit">Sửa</a>'
        '<div lang="en">Row 3: not a number</div><p>Ngày 2018-06-30</p>'
    )
    assert len(offending(page)) == 4


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_pages_speak_vietnamese_with_grouped_figures(name: str, client_for: Any) -> None:
    reports = build_records()
    extra = [f"/reporting/reports/{sub.pk}/" for sub in reports.values()]
    problems: list[str] = []
    pages = 0
    with translation.override("vi"):
        for url, html in crawl(client_for(name), extra=extra):
            pages += 1
            problems += [f"{url}: {p}" for p in offending(html)]
            problems += [f"{url}: {p}" for p in unformatted(html)]
            twice = TWICE.search(visible_text(html))
            if twice:
                problems.append(f"{url}: money unit twice: {twice.group(0)!r}")
    assert pages > (3 if name == "baovedl" else 10), name
    assert problems == [], "\n".join(problems)
