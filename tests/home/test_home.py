"""The home page is each person's work list (issue 10.1): cards by role, every link lands
on a page the person may open, counts agree with the pages the cards open, bounded queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from pcmd.accounts.models import User
from pcmd.communes import actions as commune_actions
from pcmd.geo.models import Unit, UnitLevel
from pcmd.hotspots import actions as hotspot_actions
from pcmd.hotspots.models import HotspotKind, HotspotStatus
from pcmd.reporting import actions as report_actions
from pcmd.reporting.models import ReportForm, Submission, SubmissionStatus
from pcmd.reporting.seed import seed_forms
from tests.communes.builders import full_points
from tests.conftest import PERSONA_NAMES
from tests.inspections.builders import establishment

pytestmark = pytest.mark.django_db

TAN_LAP, EA_SO = "24118", "24379"
GOOD_COMMUNE = {
    "staff": 20,
    "female_staff": 12,
    "assessment": "Tình hình ổn định.",
    "budget_spent": 5_000_000,
    "highlights": [{"date": "03/2018", "content": "Tuyên truyền tổ dân phố", "participants": 120}],
}

# The cards each persona's roles give (the reminders and returned-report cards appear only
# when there is something in them).
WORK_CARDS = {"recent-changes"}
SUBMIT = {"reports-to-submit"}
# support case roles (issue 13): follow-ups, referrals and cases without contact
SUPPORT = {"support-followups", "support-referrals", "support-without-contact"}
EXPECTED: dict[str, set[str]] = {
    "admin": SUBMIT
    | {
        "reports-to-approve",
        "assessments-to-confirm",
        "inspections-due",
        "hotspot-rechecks",
        "exceptions-to-review",
    }
    | SUPPORT,
    "thuongtruc": SUBMIT
    | {
        "reports-to-approve",
        "assessments-to-confirm",
        "inspections-due",
        "hotspot-rechecks",
        "task-reports-owed",
        "exceptions-to-review",
    }
    | SUPPORT,
    "lanhdao": set(),
    "congan": SUBMIT
    | {"inspections-due", "hotspot-rechecks", "task-reports-owed", "overdue-case-stages"},
    "doi178": SUBMIT | {"inspections-due", "hotspot-rechecks"},
    "sovhttdl": SUBMIT | {"task-reports-owed"},
    "huyen.bmt": SUBMIT
    | {
        "reports-to-approve",
        "assessments-to-confirm",
        "inspections-due",
        "hotspot-rechecks",
        "task-reports-owed",
    },
    "ctxh.bmt": SUBMIT | SUPPORT,
    "xa.tanlap": SUBMIT | {"my-assessment", "inspections-due", "hotspot-rechecks"},
    "xa.easo": SUBMIT | {"my-assessment", "inspections-due", "hotspot-rechecks"},
    "baovedl": {"exceptions-to-review"},
    # the procuracy and the court: the stages of criminal cases they own
    "vks": SUBMIT | {"task-reports-owed", "overdue-case-stages"},
    "toaan": SUBMIT | {"task-reports-owed", "overdue-case-stages"},
}
OVERVIEW = {"targets", "alerts"}
# no register of hotspots and businesses to read
NO_ALERTS = {"sovhttdl", "ctxh.bmt", "baovedl", "vks", "toaan"}


def user(name: str) -> User:
    return User.objects.get(username=name)


def commune(code: str) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.COMMUNE, valid_from=None)


@pytest.fixture
def work(db: Any) -> dict[str, Any]:
    """Some work for everyone: a report waiting for the district, one returned to Ea Sô,
    an overdue hotspot re-check, a submitted assessment, a business to inspect
    and a change by someone else on a report xa.tanlap opened."""
    if not ReportForm.objects.exists():
        seed_forms()
    form = ReportForm.objects.get(code="pcmd-6-thang")
    sent = report_actions.start_submission(
        form, "2018-H1", actor=user("xa.tanlap"), unit=commune(TAN_LAP)
    )
    report_actions.save_draft(
        sent, actor=user("xa.tanlap"), expected_version=sent.version, values=GOOD_COMMUNE
    )
    report_actions.submit_submission(sent, actor=user("xa.tanlap"))
    back = report_actions.start_submission(
        form, "2018-H1", actor=user("xa.easo"), unit=commune(EA_SO)
    )
    report_actions.save_draft(
        back, actor=user("xa.easo"), expected_version=back.version, values=GOOD_COMMUNE
    )
    report_actions.submit_submission(back, actor=user("xa.easo"))
    # returned by Ea Kar's district (no persona of the demo): the row as the action leaves it
    Submission.objects.filter(pk=back.pk).update(
        status=SubmissionStatus.RETURNED, review_comment="Bổ sung số liệu."
    )
    spot = hotspot_actions.create_hotspot(
        actor=None,
        name="Đoạn đường Y Jút",
        kind=HotspotKind.STREET,
        location="Vỉa hè",
        commune=commune(TAN_LAP),
        on=datetime.date(2018, 3, 12),
        first_seen=datetime.date(2017, 6, 1),
    )
    hotspot_actions.change_hotspot_status(
        spot,
        actor=None,
        expected_version=spot.version,
        status=HotspotStatus.CLEARED,
        on=datetime.date(2018, 8, 15),
    )
    assessment = commune_actions.save_assessment(
        commune(TAN_LAP), 2018, actor=user("xa.tanlap"), points=full_points()
    )
    commune_actions.submit_assessment(
        assessment, actor=user("xa.tanlap"), expected_version=assessment.version
    )
    est = establishment(TAN_LAP, name="Karaoke Hoa Sen")
    return {"sent": sent, "back": back, "spot": spot, "est": est}


def cards(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="card-([a-z-]+)" data-count="([^"]*)"', html))


def links(html: str) -> set[str]:
    found = set(re.findall(r"<main.*?</main>", html, re.S) or [html])
    hrefs: set[str] = set()
    for part in found:
        hrefs |= set(re.findall(r'href="(/[^"]*)"', part))
    return {h.replace("&amp;", "&") for h in hrefs}


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_each_persona_gets_the_cards_of_their_roles_and_every_link_opens(
    name: str, work: dict[str, Any], client_for: Any
) -> None:
    client = client_for(name)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    shown = set(cards(html))
    optional = {"reminders", "reports-returned"}
    overview = OVERVIEW - ({"alerts"} if name in NO_ALERTS else set())
    if name == "baovedl":  # no dashboard: the trail, not the indicators
        overview = set()
    assert shown - optional == EXPECTED[name] | WORK_CARDS | overview, name
    hrefs = links(html)
    assert hrefs, name
    for href in sorted(hrefs):
        if href.startswith(("/logout", "/i18n", "/static")):
            continue
        status = client.get(href.split("#")[0]).status_code
        assert status == 200, f"{name}: {href} answered {status}"


def test_the_card_counts_are_what_the_pages_list(work: dict[str, Any], client_for: Any) -> None:
    district = client_for("huyen.bmt")
    page = district.get("/").content.decode()
    home = cards(page)
    assert "6 tháng đầu năm 2018 · gửi ngày" in page  # the period in words, not "2018-H1"
    inbox = district.get("/reporting/?year=2018").content.decode()
    approve = inbox.split('id="to-approve"')[1].split("</section>")[0]
    assert int(home["reports-to-approve"]) == approve.count("<tr>") - 1 == 1
    submit = inbox.split('id="to-submit"')[1].split("</section>")[0]
    assert int(home["reports-to-submit"]) == submit.count("<tr data-form")
    assessments = district.get("/communes/?year=2018&status=submitted").content.decode()
    assert (
        int(home["assessments-to-confirm"])
        == assessments.count(f"/communes/{commune(TAN_LAP).pk}/2018/")
        == 1
    )
    overdue = district.get("/hotspots/overdue/").content.decode()
    assert int(home["hotspot-rechecks"]) == 1 and work["spot"].name in overdue

    easo = client_for("xa.easo")
    page = easo.get("/").content.decode()
    mine = cards(page)
    assert mine["reports-returned"] == "1"
    assert f"/reporting/reports/{work['back'].pk}/edit/?from=inbox" in page
    assert "Bổ sung số liệu." in page  # the reviewer's comment, where the work is
    submit = easo.get("/reporting/?year=2018").content.decode()
    rows = submit.split('id="to-submit"')[1].split("</section>")[0].count("<tr data-form")
    assert int(mine["reports-to-submit"]) + int(mine["reports-returned"]) == rows

    team = client_for("doi178")
    risk = team.get("/inspections/next/").content.decode()
    page = team.get("/").content.decode()
    assert f"/inspections/new/?establishment={work['est'].pk}" in page
    assert int(cards(page)["inspections-due"]) == risk.count("/inspections/new/?establishment=")


def test_recent_changes_show_what_others_did_to_my_records(
    work: dict[str, Any], client_for: Any
) -> None:
    report_actions.approve_submission(work["sent"], actor=user("huyen.bmt"))
    page = client_for("xa.tanlap").get("/").content.decode()
    block = page.split('id="card-recent-changes"')[1].split("</section>")[0]
    assert f'href="/reporting/reports/{work["sent"].pk}/"' in block
    # the district's own home does not list its own approval as a change to its records
    other = client_for("huyen.bmt").get("/").content.decode()
    assert (
        f'/reporting/reports/{work["sent"].pk}/"'
        not in other.split('id="card-recent-changes"')[1].split("</section>")[0]
    )


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_empty_cards_fold_into_one_friendly_line(name: str, client_for: Any) -> None:
    """No card says only "nothing to do": empty lists fold into one line of their names,
    each a link to its list (the admin saw five empty cards first; everyone an empty
    "recent changes" card)."""
    html = client_for(name).get("/").content.decode()
    boxes = re.findall(r'<section class="card home-card.*?</section>', html, re.S)
    for box in boxes:
        assert "<li>" in box, (name, box[:200])
    assert "Không có việc cần làm." not in html, name
    folded = re.findall(r'<li id="card-([a-z-]+)" data-count="[^"]*">', html)
    assert "recent-changes" in folded, name  # nobody changed their records in a fresh demo
    work = html.split('id="my-work"')[1].split('<section class="home-section"')[0]
    if not any(box in work for box in boxes):
        assert work.count("Không có việc cần làm lúc này.") == 1, name
    else:
        assert "Các mục khác không có việc cần làm:" in work, name


def test_a_commune_officer_has_a_card_for_its_own_assessment(client_for: Any) -> None:
    easo = commune(EA_SO)
    client = client_for("xa.easo")
    page = client.get("/").content.decode()
    card = page.split('id="card-my-assessment"')[1].split("</section>")[0]
    form_url = f"/communes/{easo.pk}/2018/"
    assert f'href="{form_url}"' in card and "Chưa bắt đầu" in card
    assert client.get(form_url).status_code == 200  # the form to fill
    commune_actions.save_assessment(easo, 2018, actor=user("xa.easo"), points=full_points())
    card = client.get("/").content.decode().split('id="card-my-assessment"')[1]
    assert f'href="{form_url}"' in card.split("</section>")[0] and "Bản nháp" in card
    # the district and the province fill no commune's assessment of their own
    for name in ("huyen.bmt", "thuongtruc", "admin"):
        assert 'id="card-my-assessment"' not in client_for(name).get("/").content.decode()


@pytest.mark.parametrize(
    ("name", "limit"),
    # +5 each since plans over time: the plan in force is chosen per period (pcmd.plans.selectors);
    # +5 for the inspection officers since the risk ranking reads its facts in grouped queries
    # (three, and the kinds and communes apart) instead of three subqueries per establishment;
    # +1 where a card filters by a unit's subtree: its units' ids are read first (geo.subtree).
    [("admin", 61), ("thuongtruc", 80), ("lanhdao", 50), ("huyen.bmt", 75), ("xa.easo", 61)],
)
def test_home_runs_a_bounded_number_of_queries(
    name: str,
    limit: int,
    work: dict[str, Any],
    client_for: Any,
    django_assert_max_num_queries: Any,
    settings: Any,
) -> None:
    settings.PCMD_ANSWER_CACHE = False  # the cards' own work (kept answers: tests/core)
    client = client_for(name)
    with django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200
    for n in range(12):  # more rows of every kind do not add queries
        establishment(TAN_LAP, name=f"Quán thử {n}")
        spot = hotspot_actions.create_hotspot(
            actor=None,
            name=f"Điểm thử {n}",
            kind=HotspotKind.STREET,
            location="Vỉa hè",
            commune=commune(TAN_LAP),
            on=datetime.date(2018, 3, 12),
            first_seen=datetime.date(2017, 6, 1),
        )
        hotspot_actions.change_hotspot_status(
            spot,
            actor=None,
            expected_version=spot.version,
            status=HotspotStatus.CLEARED,
            on=datetime.date(2018, 8, 15),
        )
    with django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200
    assert timezone.localdate() > datetime.date(2018, 9, 14)  # the re-checks are overdue


def test_a_small_count_of_people_on_a_target_card_is_hidden(
    client_for: Any, monkeypatch: Any
) -> None:
    """Target values that count people follow the small-cell rule on the home page too."""
    from types import SimpleNamespace

    from pcmd.home import cards as home_cards
    from pcmd.indicators.models import Indicator
    from pcmd.plans.models import Target
    from pcmd.plans.progress import Progress, Status

    def progress(plan: Any, *args: Any, **kwargs: Any) -> list[Progress]:
        target = Target.objects.filter(plan=plan).order_by("order").first()
        people = Indicator(code="t-people", small_cells=True, source="support")
        result: Any = SimpleNamespace(total=3)
        return [Progress(target, people, result, Status.ON_TRACK, "10", 0.3)]

    monkeypatch.setattr(home_cards, "plan_progress", progress)
    page = client_for("lanhdao").get("/").content.decode()
    block = page.split('id="card-targets"')[1].split("</section>")[0]
    assert "&lt;5 · mục tiêu 10" in block and "3 · mục tiêu" not in block


def test_target_card_at_district_level_says_what_the_dashboard_says(client_for: Any) -> None:
    """A district's home shows a scaled target as the share the dashboard shows ("0,0%", not
    a bare count against a percentage goal) and no goal where the target does not apply."""
    page = client_for("huyen.bmt").get("/").content.decode()
    block = page.split('id="card-targets"')[1].split("</section>")[0]
    items = re.findall(r"<li.*?</li>", block, re.S)
    t3 = next(i for i in items if "T3." in i)
    t6 = next(i for i in items if "T6." in i)
    assert "0,0% · mục tiêu 94,6%" in t6, t6
    assert "mục tiêu không giao chỉ tiêu ở cấp này" in t3 and "mục tiêu theo dõi" not in t3, t3
