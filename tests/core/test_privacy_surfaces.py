"""Small counts of people on every page and API answer that shows one (DESIGN.md §4).

One violation of 3 people found at an inspection, one patrol that found 2 people at a hotspot
and one support count of 3: every list, detail page and API answer that shows them gives "<5"
to users outside the register's person-level roles (leadership, Team 178 for patrols, a
commune officer for violations) and the exact number to the police, the standing office and
the officers who record the register. The pages' test also checks that every template using
``{% people %}`` was rendered here, so a new page that shows a count of people gets tested.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rest_framework.test import APIClient

from pcmd.enforcement import actions as enforcement
from pcmd.enforcement.models import ViolationType
from pcmd.hotspots import actions as hotspots
from tests.inspections import builders as b
from tests.outreach.builders import support_count

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "pcmd"
D = datetime.date(2018, 6, 1)


@pytest.fixture
def world() -> dict[str, Any]:
    team = b.team(b.TAN_LAP)
    est = b.establishment(b.TAN_LAP, name="Karaoke Riêng Tư")
    inspection = b.inspection(team, est, result="violation")
    violation = enforcement.record_violation(
        actor=None,
        violation_type=ViolationType.objects.get(code="nd167-d25-chua-moi-gioi"),
        date=D,
        establishment=est,
        inspection=inspection,
        subject_kind="individual",
        people_count=3,
    )
    spot = b.hotspot(b.TAN_LAP, name="Công viên Riêng Tư")
    patrol = hotspots.record_patrol(
        actor=None,
        on=D,
        force="Cảnh sát trật tự",
        hotspot=spot,
        people_found=2,
        people_sanctioned=1,
        people_referred=1,
    )
    support = support_count(b.TAN_LAP, vocational_training=3, employment=0, loans=12)
    return {
        "inspection": inspection,
        "violation": violation,
        "hotspot": spot,
        "patrol": patrol,
        "support": support,
    }


def pages(world: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(url, the fragment of the page that shows the counts, the exact text that must not
    show) for every page that shows one of ``world``'s counts of people."""
    return [
        (f"/enforcement/{world['violation'].pk}/", "<dl", r"\b3 (people|người)"),
        ("/enforcement/", 'id="totals"', r"\b3 (people|người)|>3<"),
        (f"/inspections/{world['inspection'].pk}/", "i178-list", r"\b3 (people|người)"),
        (f"/hotspots/{world['hotspot'].pk}/", "<dl", r">2<|\b2 (people|người)| 2 ·"),
        ("/hotspots/patrols/", 'id="patrol-totals"', r">2<|>1<|\b2 (people|người)"),
        ("/support/?year=2018", 'id="support-counts"', r">3<"),
    ]


def _fragment(html: str, start: str) -> str:
    assert start in html, start
    return html[html.index(start) :].split("</main>")[0]


# Who may read each page, outside (suppressed) and inside (exact) the person-level roles.
SUPPRESSED = {
    "/enforcement/": ["lanhdao", "xa.tanlap"],
    "/inspections/": ["lanhdao", "xa.tanlap"],
    "/hotspots/": ["lanhdao", "doi178"],
    "/support/": ["lanhdao"],
}
EXACT = {
    "/enforcement/": ["congan", "thuongtruc", "doi178", "huyen.bmt"],
    "/inspections/": ["congan", "thuongtruc", "doi178", "huyen.bmt"],
    "/hotspots/": ["congan", "thuongtruc", "xa.tanlap", "huyen.bmt"],
    "/support/": ["thuongtruc", "ctxh.bmt", "xa.tanlap"],
}


def _who(table: dict[str, list[str]], url: str) -> list[str]:
    return next(names for prefix, names in table.items() if url.startswith(prefix))


def test_pages_show_lt5_outside_person_level_roles(client_for, world) -> None:
    for url, start, exact in pages(world):
        for name in _who(SUPPRESSED, url):
            response = client_for(name).get(url)
            assert response.status_code == 200, (name, url)
            part = _fragment(response.content.decode(), start)
            assert "&lt;5" in part, (name, url)
            assert not re.search(exact, part), (name, url, re.search(exact, part))


def test_pages_show_exact_counts_to_person_level_roles_and_recorders(client_for, world) -> None:
    for url, start, exact in pages(world):
        for name in _who(EXACT, url):
            part = _fragment(client_for(name).get(url).content.decode(), start)
            assert "&lt;5" not in part, (name, url)
            assert re.search(exact, part), (name, url)


def test_every_template_showing_people_is_rendered_for_a_suppressed_user(client_for, world) -> None:
    rendered: set[str] = set()
    for url, _start, _exact in pages(world):
        response = client_for(_who(SUPPRESSED, url)[0]).get(url)
        rendered |= {t.name for t in response.templates if t.name}
    using = {
        path.as_posix().split("/templates/", 1)[1]
        for path in ROOT.glob("*/templates/**/*.html")
        if "{% people " in path.read_text(encoding="utf-8")
    }
    assert using, "no template uses {% people %}: the walk found nothing"
    assert using <= rendered, f"add a page rendering {sorted(using - rendered)} to pages()"


def _api(persona: Any, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(name))
    return client


def test_api_answers_lt5_outside_person_level_roles(persona, world) -> None:
    v, p, s = world["violation"], world["patrol"], world["support"]
    patrol = {"people_found": 2, "people_sanctioned": 1, "people_referred": 1}
    support = {"vocational_training": 3, "employment": 0, "loans": 12}
    # (url, the row's id in a list or None for a detail, the stored counts, area of the page)
    checks = [
        (f"/api/v1/violations/{v.pk}", None, {"people_count": 3}, "/enforcement/"),
        ("/api/v1/violations", v.pk, {"people_count": 3}, "/enforcement/"),
        (f"/api/v1/patrols/{p.pk}", None, patrol, "/hotspots/"),
        ("/api/v1/patrols", p.pk, patrol, "/hotspots/"),
        (f"/api/v1/support-counts/{s.pk}", None, support, "/support/"),
        ("/api/v1/support-counts", s.pk, support, "/support/"),
    ]
    for url, pk, stored, area in checks:
        hidden = {k: "<5" if 0 < n < 5 else n for k, n in stored.items()}
        for names, expected in [(SUPPRESSED[area], hidden), (EXACT[area], stored)]:
            for name in names:
                response = _api(persona, name).get(url)
                assert response.status_code == 200, (name, url)
                body = response.json()
                row = body if pk is None else next(r for r in body["results"] if r["id"] == pk)
                assert {k: row[k] for k in stored} == expected, (name, url)


def test_the_recorder_reads_back_the_exact_count_they_wrote(persona, world) -> None:
    created = _api(persona, "congan").post(
        "/api/v1/violations",
        {
            "violation_type": "nd167-d25-chua-moi-gioi",
            "date": "2018-06-02",
            "establishment": world["violation"].establishment_id,
            "subject_kind": "individual",
            "people_count": 2,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["people_count"] == 2
    patrol = _api(persona, "xa.tanlap").post(
        "/api/v1/patrols",
        {
            "on": "2018-06-02",
            "force": "Công an phường",
            "hotspot": world["hotspot"].pk,
            "people_found": 4,
            "people_sanctioned": 1,
        },
        format="json",
    )
    assert patrol.status_code == 201, patrol.content
    assert (patrol.json()["people_found"], patrol.json()["people_sanctioned"]) == (4, 1)
    changed = _api(persona, "xa.tanlap").patch(
        f"/api/v1/patrols/{patrol.json()['id']}",
        {"version": patrol.json()["version"], "people_found": 3},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["people_found"] == 3
    assert (
        _api(persona, "lanhdao")
        .get(f"/api/v1/patrols/{patrol.json()['id']}")
        .json()["people_found"]
        == "<5"
    )


def test_dashboard_exports_show_lt5_outside_person_level_roles(client_for, world) -> None:
    """CSV and XLSX of the dashboard table: the people-supported target (T7, support counts
    3 + 0 in Phường Tân Lập) is "<5" for the leadership, exact for the standing office."""
    district = b.unit(b.BMT)

    def cell(name: str, kind: str) -> Any:
        response = client_for(name).get(f"/dashboard/export.{kind}?period=2018&unit={district.pk}")
        assert response.status_code == 200
        if kind == "csv":
            text = b"".join(response.streaming_content).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
        else:
            book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            rows = [list(r) for r in book.active.iter_rows(values_only=True)]
        column = next(i for i, h in enumerate(rows[0]) if str(h).startswith("T7 "))
        row = next(r for r in rows[1:] if r[0] == b.TAN_LAP)
        return row[column]

    for kind in ("csv", "xlsx"):
        assert cell("lanhdao", kind) == "<5"
        assert str(cell("thuongtruc", kind)) == "3"


def test_without_a_user_small_counts_are_hidden_and_registers_are_checked(persona) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.template import Context, Template, TemplateSyntaxError

    from pcmd.hotspots.api import PatrolSerializer
    from pcmd.hotspots.models import Patrol
    from pcmd.indicators.fields import PeopleCountField

    tag = Template('{% load pcmd_privacy %}{% people n "patrols" %}')
    assert tag.render(Context({"n": 2})) == "&lt;5"
    assert tag.render(Context({"n": 2, "user": persona("congan")})) == "2"
    assert tag.render(Context({"n": 0})) == "0" and tag.render(Context({"n": 7})) == "7"
    with pytest.raises(TemplateSyntaxError):
        Template('{% load pcmd_privacy %}{% people n "nowhere" %}').render(Context({"n": 2}))
    with pytest.raises(ImproperlyConfigured):
        PeopleCountField("nowhere")
    patrol = Patrol(on=D, force="CSTT", commune=b.unit(b.TAN_LAP), people_found=2)
    assert PatrolSerializer(patrol).data["people_found"] == "<5"  # no request: fail closed
