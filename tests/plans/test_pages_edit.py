"""The draft editor and the copy page: who reaches them, every part saved through its form,
hostile input answered on the field (never a 500) and a stale save refused without losing
what was typed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.plans import actions
from pcmd.plans.forms import agencies_for
from pcmd.plans.models import Plan, PlanStatus
from pcmd.plans.selectors import provinces_of
from tests.conftest import PERSONA_NAMES, assert_reach

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


def posted(response: Any, **changes: Any) -> dict[str, Any]:
    """What the page's form would post back unchanged (its initial values), with ``changes``."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_urls(plan: Plan) -> list[str]:
    base = f"/plans/{plan.pk}/edit/"
    return [
        base,
        base + "header/",
        base + "objectives/lines/",
        base + "funding/lines/",
        base + "recipients/lines/",
        base + "targets/new/",
        base + "targets/T2/",
        base + "areas/1/",
        base + "headings/new/",
        base + "headings/2/",
    ]


def test_only_the_standing_office_reaches_the_editor(client_for, draft) -> None:
    for url in edit_urls(draft):
        assert_reach(client_for, url, ["admin", "thuongtruc"])


def test_editor_of_an_issued_plan_sends_back_to_its_page(client_for, plan2018) -> None:
    for url in edit_urls(plan2018):
        response = client_for("thuongtruc").get(url)
        assert (
            response.status_code == 302 and response.headers["Location"] == f"/plans/{plan2018.pk}/"
        )
    assert client_for("xa.easo").get(f"/plans/{plan2018.pk}/edit/").status_code == 403


def test_unknown_parts_and_rows_are_404(client_for, draft) -> None:
    client = client_for("thuongtruc")
    for url in ("nothing/new/", "targets/T99/", "headings/99/", "nothing/lines/", "targets/lines/"):
        assert client.get(f"/plans/{draft.pk}/edit/{url}").status_code == 404, url


def test_copy_page_defaults_to_next_year_and_creates_a_draft(client_for, plan2018) -> None:
    client = client_for("thuongtruc")
    page = client.get(f"/plans/{plan2018.pk}/copy/")
    assert page.status_code == 200
    assert page.context["form"].initial["period_start"] == D(2019, 1, 1)
    response = client.post(f"/plans/{plan2018.pk}/copy/", posted(page, title="Kế hoạch năm 2019"))
    assert response.status_code == 302
    new = Plan.objects.get(title="Kế hoạch năm 2019")
    assert new.status == PlanStatus.DRAFT and new.copied_from == plan2018
    assert response.headers["Location"] == f"/plans/{new.pk}/edit/"


@pytest.mark.parametrize(
    "bad",
    [
        {"period_start": "31/02/2019"},
        {"period_start": "01/01/1890"},
        {"period_end": "01/01/2018"},  # before the start
        {"period_end": "01/01/9999"},
        {"unit": "99999999"},
        {"unit": "abc"},
        {"title": "x" * 301},
    ],
)
def test_copy_page_refuses_bad_input_on_the_field(client_for, plan2018, bad) -> None:
    client = client_for("thuongtruc")
    page = client.get(f"/plans/{plan2018.pk}/copy/")
    response = client.post(f"/plans/{plan2018.pk}/copy/", posted(page, **bad))
    assert response.status_code == 400
    assert set(response.context["form"].errors) & set(bad)
    assert not Plan.objects.filter(status="draft").exists()


def test_copy_refused_to_readers(client_for, plan2018) -> None:
    for name in ("congan", "lanhdao", "sovhttdl", "xa.easo"):
        assert client_for(name).get(f"/plans/{plan2018.pk}/copy/").status_code == 403


def test_header_saves_and_a_stale_save_keeps_what_was_typed(client_for, draft) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/header/"
    page = client.get(url)
    first = posted(page, title="Kế hoạch 2019 (sửa)")
    assert client.post(url, first).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch 2019 (sửa)"
    # the same (now stale) page saved again
    stale = client.post(url, {**first, "title": "Tiêu đề mới gõ"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Tiêu đề mới gõ" in body  # nothing typed is lost
    assert stale.context["form"].data["version"] == str(draft.version)  # a second save goes through
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch 2019 (sửa)"
    assert client.post(url, stale.context["form"].data).status_code == 302


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_end": "01/01/2018"}, "period_end"),
        ({"period_start": "99/99/2019"}, "period_start"),
        ({"parent": "123456789"}, "parent"),
        ({"title": ""}, "title"),
        ({"version": "abc"}, "version"),
    ],
)
def test_header_bad_input(client_for, draft, change, field) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/header/"
    response = client.post(url, posted(client.get(url), **change))
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_header_parent_is_an_issued_plan(client_for, draft, plan2018) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/header/"
    assert client.post(url, posted(client.get(url), parent=str(plan2018.pk))).status_code == 302
    draft.refresh_from_db()
    assert draft.parent == plan2018


def test_edit_two_targets(client_for, draft) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/targets/T2/"
    response = client.post(url, posted(client.get(url), value_min="120", value_max="160"))
    assert response.status_code == 302, response.context["form"].errors
    url = f"/plans/{draft.pk}/edit/targets/T5/"
    response = client.post(url, posted(client.get(url), value="95"))
    assert response.status_code == 302, response.context["form"].errors
    t2, t5 = draft.targets.get(code="T2"), draft.targets.get(code="T5")
    assert (t2.value_min, t2.value_max, t5.value) == (120, 160, 95)
    assert t2.responsible.exists()  # untouched fields kept


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": "1e20"}, "value"),
        ({"value": "99999999999999"}, "value"),
        ({"value": "-5"}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": "150"}, "value"),  # a percentage above 100 (structure check)
        ({"value_min": "50", "value_max": "10", "kind": "count_range"}, "value_max"),
        ({"kind": "nonsense"}, "kind"),
        ({"scaling": "nonsense"}, "scaling"),
        ({"applies_at": ["moon"]}, "applies_at"),
        ({"scaling": "province_only", "applies_at": ["district"]}, "applies_at"),
        ({"allocations": "DL_BMT: 5"}, "allocations"),
        ({"allocations": "DL_BMT = 1e30"}, "allocations"),
        ({"allocations": "NO_SUCH_UNIT = 5"}, "allocations"),  # not a unit of the province
        ({"responsible": ["987654321"]}, "responsible"),
        ({"indicator_code": "no-such-indicator"}, "indicator_code"),
        ({"parent": "987654321"}, "parent"),
        ({"code": "T1"}, "code"),  # another target's code
        ({"code": ""}, "code"),
        ({"text": "x" * 20_001}, "text"),
    ],
)
def test_target_bad_input_on_the_field(client_for, draft, change, field) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/targets/T6/"
    response = client.post(url, posted(client.get(url), **{"kind": "percent_units", **change}))
    assert response.status_code == 400, change
    assert field in response.context["form"].errors, response.context["form"].errors


def test_add_and_remove_a_target(client_for, draft) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/targets/new/"
    agency = agencies_for(draft).get(code="SO_LDTBXH")
    first, second = Unit.objects.filter(
        level=UnitLevel.DISTRICT, path__startswith=draft.unit.path
    ).values_list("code", flat=True)[:2]
    data = posted(
        client.get(url),
        code="T8",
        text="Tỷ lệ xã có mô hình hỗ trợ",
        kind="percent_units",
        value="50",
        scaling="allocation",
        allocations=f"{first} = 5\n{second} = 2",
        responsible=[str(agency.pk)],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    t8 = draft.targets.get(code="T8")
    assert t8.allocations == {first: 5, second: 2} and list(t8.responsible.all()) == [agency]
    again = client.post(url, {**data, "version": str(Plan.objects.get(pk=draft.pk).version)})
    assert again.status_code == 400 and "code" in again.context["form"].errors  # T8 exists
    draft.refresh_from_db()
    client.post(f"/plans/{draft.pk}/edit/targets/T8/delete/", {"version": draft.version})
    assert not draft.targets.filter(code="T8").exists()
    assert (
        client_for("sovhttdl")
        .post(f"/plans/{draft.pk}/edit/targets/T1/delete/", {"version": draft.version})
        .status_code
        == 403
    )


def test_a_stale_delete_changes_nothing(client_for, draft) -> None:
    client_for("thuongtruc").post(f"/plans/{draft.pk}/edit/targets/T1/delete/", {"version": "0"})
    assert draft.targets.filter(code="T1").exists()


def test_edit_a_heading_with_lead_supporting_and_deadline(client_for, draft) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/headings/2/"
    page = client.get(url)
    lead = agencies_for(draft).get(code="CONG_AN_TINH")
    support = agencies_for(draft).get(code="SO_LDTBXH")
    items = page.context["form"].initial["items"] + "\nRà soát các cơ sở lưu trú mới cấp phép."
    response = client.post(
        url,
        posted(
            page,
            lead=str(lead.pk),
            supporting=[str(support.pk)],
            deadline="30/06/2019",
            items=items,
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    group = draft.task_groups.get(number="2")
    assert group.lead == lead and set(group.agencies.all()) == {lead, support}
    assert group.deadline == D(2019, 6, 30)
    assert group.tasks.last().text == "Rà soát các cơ sở lưu trú mới cấp phép."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": "30/02/2019"}, "deadline"),
        ({"deadline": "01/01/1900"}, "deadline"),
        ({"lead": "987654321"}, "lead"),
        ({"lead": ""}, "lead"),
        ({"supporting": ["abc"]}, "supporting"),
        ({"number": "1"}, "number"),  # another heading's number
        ({"heading": ""}, "heading"),
        ({"items": ""}, "items"),
        ({"deadline_note": "x" * 121}, "deadline_note"),
    ],
)
def test_heading_bad_input_on_the_field(client_for, draft, change, field) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/headings/2/"
    page = client.get(url)
    data = posted(page, **{"lead": str(agencies_for(draft).get(code="CONG_AN_TINH").pk), **change})
    response = client.post(url, data)
    assert response.status_code == 400, change
    assert field in response.context["form"].errors, response.context["form"].errors


def test_agency_lists_hold_the_plans_province_in_its_period(draft) -> None:
    paths = list(
        Unit.objects.filter(pk__in=provinces_of(draft.unit)).values_list("path", flat=True)
    )
    choices = list(agencies_for(draft).select_related("unit"))
    assert choices and all(any(a.unit.path.startswith(p) for p in paths) for a in choices)
    gone = Agency.objects.create(
        code="SO_CU",
        name="Sở đã giải thể",
        kind="so",
        level=1,
        unit=draft.unit,
        valid_to=D(2018, 12, 31),
    )
    assert gone not in agencies_for(draft)
    others = Unit.objects.filter(level=1).exclude(pk__in=provinces_of(draft.unit)).first()
    if others is not None:
        stranger = Agency.objects.create(
            code="SO_KHAC", name="Sở tỉnh khác", kind="so", level=1, unit=others
        )
        assert stranger not in agencies_for(draft)


def test_solution_area_and_lines(client_for, draft) -> None:
    client = client_for("thuongtruc")
    url = f"/plans/{draft.pk}/edit/areas/1/"
    response = client.post(
        url,
        posted(
            client.get(url), title="Tuyên truyền", items="Một\nHai", subsections="a) Nhóm A\nMục A1"
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    area = draft.solution_areas.get(number="1")
    assert area.items == ["Một", "Hai"]
    assert area.subsections == [{"label": "a", "title": "Nhóm A", "items": ["Mục A1"]}]
    bad = client.post(url, posted(client.get(url), subsections="không có nhãn"))
    assert bad.status_code == 400 and "subsections" in bad.context["form"].errors
    for part in ("objectives", "funding", "recipients"):
        url = f"/plans/{draft.pk}/edit/{part}/lines/"
        response = client.post(url, posted(client.get(url), text="Dòng một\n\nDòng hai"))
        assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.funding == ["Dòng một", "Dòng hai"] and draft.recipients == [
        "Dòng một",
        "Dòng hai",
    ]
    assert [o.text for o in draft.objectives.all()] == ["Dòng một", "Dòng hai"]


def test_every_persona_is_refused_writes_it_may_not_make(client_for, draft) -> None:
    for name in PERSONA_NAMES:
        if name in ("admin", "thuongtruc"):
            continue
        client = client_for(name)
        response = client.post(
            f"/plans/{draft.pk}/edit/header/", {"title": "x", "version": draft.version}
        )
        assert response.status_code in (403, 404), name
    draft.refresh_from_db()
    assert draft.title != "x"
