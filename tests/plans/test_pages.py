"""Plan pages: the list and its filters, a plan's page (status, parent, higher targets,
withdrawn parts, comments, workflow buttons by persona), the workflow through the pages and
the version history."""

from __future__ import annotations

import datetime

import pytest

from pcmd.plans import actions
from pcmd.plans.models import Plan, PlanComment, PlanStatus, Target

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


@pytest.fixture
def draft(plan2018, persona) -> Plan:
    return actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=D(2019, 1, 1),
        period_end=D(2019, 12, 31),
    )


def html(response) -> str:
    return response.content.decode()


def test_old_names_are_gone_and_new_ones_answer(client_for, plan2018) -> None:
    from django.urls import NoReverseMatch, reverse

    assert reverse("plans:list") == "/plans/"
    assert reverse("plans:detail", args=[plan2018.pk]) == f"/plans/{plan2018.pk}/"
    for name in ("plans", "plan"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[plan2018.pk] if name == "plan" else [])


def test_list_newest_first_with_type_status_and_draft_label(client_for, plan2018, draft) -> None:
    page = html(client_for("thuongtruc").get("/plans/"))
    assert page.index(f'id="plan-{draft.pk}"') < page.index(f'id="plan-{plan2018.pk}"')
    row = page[page.index(f'id="plan-{draft.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "(dự thảo)" in row and "dự thảo" in row and "kế hoạch năm" in row
    assert f"/plans/{plan2018.pk}/copy/" in page  # the copy button for the standing office


def test_list_hides_drafts_and_copy_from_readers(client_for, draft) -> None:
    page = html(client_for("baovedl").get("/plans/"))
    assert f'id="plan-{draft.pk}"' not in page and "/copy/" not in page
    assert "/copy/" not in html(client_for("congan").get("/plans/"))


@pytest.mark.parametrize(
    "query",
    [
        "status=zzz",
        "plan_type=<script>",
        "year=99999999999999999999",
        "year=-3",
        "year=abc",
        "status=&plan_type=&year=",
        "page=2&year=2019%C3",
    ],
)
def test_list_ignores_bad_filters(client_for, draft, query) -> None:
    response = client_for("thuongtruc").get(f"/plans/?{query}")
    assert response.status_code == 200
    assert f'id="plan-{draft.pk}"' in html(response)


def test_list_refuses_a_nul_byte_with_a_4xx(client_for) -> None:
    assert client_for("thuongtruc").get("/plans/?year=2019%00").status_code == 400


def test_list_filters_by_status_type_and_year(client_for, plan2018, draft) -> None:
    client = client_for("thuongtruc")
    drafts = html(client.get("/plans/?status=draft"))
    assert f'id="plan-{draft.pk}"' in drafts and f'id="plan-{plan2018.pk}"' not in drafts
    closed = html(client.get("/plans/?status=closed"))  # issued, its period is over
    assert f'id="plan-{plan2018.pk}"' in closed and f'id="plan-{draft.pk}"' not in closed
    year = html(client.get("/plans/?year=2018"))
    assert f'id="plan-{plan2018.pk}"' in year and f'id="plan-{draft.pk}"' not in year
    programmes = html(client.get("/plans/?plan_type=programme"))
    assert f'id="plan-{draft.pk}"' not in programmes


def test_detail_shows_parent_higher_target_and_withdrawn_parts(
    client_for, persona, plan2018, draft
) -> None:
    user = persona("thuongtruc")
    draft = actions.update_header(draft, {"parent": plan2018}, actor=user, version=draft.version)
    data_t1 = plan2018.targets.get(code="T1")
    from pcmd.plans.structure import to_data

    data = to_data(draft)
    data["targets"][0]["parent"] = data_t1.pk
    draft = actions.save_content(
        draft, {"targets": data["targets"]}, actor=user, version=draft.version
    )
    Target.objects.filter(plan=draft, code="T7").update(withdrawn=True)
    draft.task_groups.filter(number="14").update(withdrawn=True)
    page = html(client_for("thuongtruc").get(f"/plans/{draft.pk}/"))
    assert 'id="plan-parent"' in page and f'href="/plans/{plan2018.pk}/"' in page
    t1 = page[page.index('id="target-T1"') :]
    assert "serves" in t1[: t1.index("</tr>")] and "1842/KH-UBND · T1" in t1[: t1.index("</tr>")]
    withdrawn = page[page.index('id="withdrawn-targets"') :]
    assert 'id="withdrawn-T7"' in withdrawn and 'id="target-T7"' not in page
    assert page.index('id="withdrawn-headings"') < page.index('id="tasks-14"')
    assert "đã bỏ" in withdrawn  # labelled withdrawn


def test_detail_shows_lead_supporting_and_deadline(client_for, persona, draft) -> None:
    from pcmd.plans.structure import to_data

    data = to_data(draft)
    data["tasks"][1]["deadline"] = "2019-06-30"
    data["tasks"][1]["lead"] = data["tasks"][1]["agencies"][0]
    data["tasks"][2]["deadline_note"] = "quý II/2019"
    actions.save_content(draft, {"tasks": data["tasks"]}, actor=persona("thuongtruc"))
    page = html(client_for("thuongtruc").get(f"/plans/{draft.pk}/"))
    heading = page[page.index('id="tasks-2"') :]
    heading = heading[: heading.index("</section>")]
    assert "30/06/2019" in heading and "Cơ quan chủ trì" in heading
    assert "quý II/2019" in page


BUTTONS = {"edit": "/edit/", "submit": "/submit/", "issue": "/issue/", "comment": "/comments/"}


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("thuongtruc", {"edit", "submit", "comment"}),
        ("sovhttdl", {"comment"}),
        ("congan", {"comment"}),
        ("lanhdao", {"comment"}),
        ("xa.easo", set()),  # reads the draft; comments come from province agencies
    ],
)
def test_draft_buttons_by_persona(client_for, draft, username, shown) -> None:
    page = html(client_for(username).get(f"/plans/{draft.pk}/"))
    for name, url in BUTTONS.items():
        assert (f"/plans/{draft.pk}{url}" in page) == (name in shown), (username, name)


def test_review_buttons(client_for, persona, draft) -> None:
    actions.submit(draft, actor=persona("thuongtruc"))
    lanhdao = html(client_for("lanhdao").get(f"/plans/{draft.pk}/"))
    assert f"/plans/{draft.pk}/issue/" in lanhdao and f"/plans/{draft.pk}/send-back/" in lanhdao
    assert f"/plans/{draft.pk}/edit/" not in lanhdao
    congan = html(client_for("congan").get(f"/plans/{draft.pk}/"))
    assert "/issue/" not in congan and "/send-back/" not in congan


def test_drafts_are_not_found_by_plain_readers(client_for, draft) -> None:
    assert client_for("baovedl").get(f"/plans/{draft.pk}/").status_code == 404
    assert client_for("baovedl").get(f"/plans/{draft.pk}/versions/").status_code == 404


def test_comment_and_taken_into_account(client_for, draft) -> None:
    so = client_for("sovhttdl")
    assert so.post(f"/plans/{draft.pk}/comments/", {"text": " "}).status_code == 400
    huge = so.post(f"/plans/{draft.pk}/comments/", {"text": "x" * 6000, "about": "T2"})
    assert huge.status_code == 400
    response = so.post(f"/plans/{draft.pk}/comments/", {"text": "Nâng chỉ tiêu T2.", "about": "T2"})
    assert response.status_code == 302
    note = PlanComment.objects.get(plan=draft)
    assert note.about == "T2" and note.agency is not None
    assert (
        so.post(f"/plans/{draft.pk}/comments/{note.pk}/resolve/", {"resolved": "1"}).status_code
        == 403
    )
    office = client_for("thuongtruc")
    assert (
        office.post(f"/plans/{draft.pk}/comments/{note.pk}/resolve/", {"resolved": "1"}).status_code
        == 302
    )
    note.refresh_from_db()
    assert note.resolved
    assert "Nâng chỉ tiêu T2." in html(office.get(f"/plans/{draft.pk}/"))
    assert (
        client_for("baovedl").post(f"/plans/{draft.pk}/comments/", {"text": "x"}).status_code == 403
    )


def test_no_comment_on_an_issued_plan(client_for, plan2018) -> None:
    response = client_for("sovhttdl").post(f"/plans/{plan2018.pk}/comments/", {"text": "Muộn."})
    assert response.status_code == 400
    assert not PlanComment.objects.filter(plan=plan2018).exists()


def test_submit_send_back_issue_close_through_the_pages(client_for, draft) -> None:
    office, leader = client_for("thuongtruc"), client_for("lanhdao")
    assert (
        client_for("sovhttdl")
        .post(f"/plans/{draft.pk}/submit/", {"version": draft.version})
        .status_code
        == 403
    )
    stale = office.post(f"/plans/{draft.pk}/submit/", {"version": draft.version - 1})
    assert stale.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT  # the stale button changed nothing
    office.post(f"/plans/{draft.pk}/submit/", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.REVIEW

    assert (
        leader.post(
            f"/plans/{draft.pk}/send-back/", {"version": draft.version, "reason": ""}
        ).status_code
        == 400
    )
    leader.post(
        f"/plans/{draft.pk}/send-back/", {"version": draft.version, "reason": "Thiếu kinh phí."}
    )
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    office.post(f"/plans/{draft.pk}/submit/", {"version": draft.version})
    draft.refresh_from_db()

    assert client_for("congan").get(f"/plans/{draft.pk}/issue/").status_code == 403
    assert client_for("xa.easo").get(f"/plans/{draft.pk}/issue/").status_code == 403
    assert office.get(f"/plans/{draft.pk}/issue/").status_code == 403
    assert leader.get(f"/plans/{draft.pk}/issue/").status_code == 200
    good = {
        "version": draft.version,
        "number": "215/KH-UBND",
        "issued_on": "20/02/2019",
        "signer_name": "Phạm Ngọc Nghị",
        "signer_title": "CHỦ TỊCH",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
    }
    for bad in (
        {"issued_on": "32/13/2019"},
        {"issued_on": "2019-02-30"},
        {"issued_on": "01/01/2999"},
        {"number": "x" * 41},
        {"number": "1842/KH-UBND"},  # the 2018 plan's number
        {"signer_name": ""},
        {"version": "99999999999999999999"},
    ):
        response = leader.post(f"/plans/{draft.pk}/issue/", {**good, **bad})
        assert response.status_code == 400, bad
    assert (
        leader.post(f"/plans/{draft.pk}/issue/", {**good, "version": draft.version - 1}).status_code
        == 409
    )
    assert leader.post(f"/plans/{draft.pk}/issue/", good).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ISSUED and draft.number == "215/KH-UBND"
    assert office.post(f"/plans/{draft.pk}/close/", {"version": draft.version}).status_code == 403
    leader.post(f"/plans/{draft.pk}/close/", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.CLOSED


def test_delete_a_draft(client_for, draft) -> None:
    assert (
        client_for("lanhdao")
        .post(f"/plans/{draft.pk}/delete/", {"version": draft.version})
        .status_code
        == 403
    )
    response = client_for("thuongtruc").post(
        f"/plans/{draft.pk}/delete/", {"version": draft.version}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/plans/"
    assert not Plan.objects.filter(pk=draft.pk).exists()


def test_an_issued_plan_cannot_be_deleted(client_for, plan2018) -> None:
    client_for("thuongtruc").post(f"/plans/{plan2018.pk}/delete/", {"version": plan2018.version})
    assert Plan.objects.filter(pk=plan2018.pk).exists()


def test_versions_list_view_and_compare(client_for, persona, draft) -> None:
    from pcmd.plans.structure import to_data

    data = to_data(draft)
    data["targets"][1]["value_min"] = 120
    data["targets"][4]["value"] = 95
    actions.save_content(draft, {"targets": data["targets"]}, actor=persona("thuongtruc"))
    client = client_for("thuongtruc")
    listing = html(client.get(f"/plans/{draft.pk}/versions/"))
    assert f"/plans/{draft.pk}/versions/2/" in listing and "Thường trực" not in ""
    assert client.get(f"/plans/{draft.pk}/versions/1/").status_code == 200
    assert client.get(f"/plans/{draft.pk}/versions/99/").status_code == 404
    compare = html(client.get(f"/plans/{draft.pk}/versions/compare/?a=1&b=2"))
    assert 'class="changed" id="cmp-targets-T2"' in compare
    assert 'class="changed" id="cmp-targets-T5"' in compare
    assert 'class="same" id="cmp-targets-T1"' in compare
    for query in ("a=abc&b=", "a=-1", "a=99999999999999999999", "b=0"):
        assert client.get(f"/plans/{draft.pk}/versions/compare/?{query}").status_code == 200
    assert client.get(f"/plans/{draft.pk}/versions/compare/?a=77").status_code == 404
