"""Agency task reports: who reports on which heading, workflow, pages, API, demo."""

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from pcmd.agencies.models import Agency
from pcmd.core.concurrency import EditConflict
from pcmd.plans.models import Plan
from pcmd.taskreports import actions, demo, duties
from pcmd.taskreports.models import TaskReport, period_bounds
from tests.conftest import PERSONA_NAMES, assert_reach

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def write(plan, user, group, code, period="h1", **values):
    values.setdefault("done", "Đã triển khai kế hoạch.")
    return actions.save_task_report(plan, group, agency(code), 2018, period, actor=user, **values)


def test_periods_follow_decree_09_2019() -> None:
    import datetime

    assert period_bounds("h1", 2018) == (datetime.date(2017, 12, 15), datetime.date(2018, 6, 14))
    assert period_bounds("year", 2018) == (datetime.date(2017, 12, 15), datetime.date(2018, 12, 14))


@pytest.mark.parametrize(
    ("username", "group", "code", "allowed"),
    [
        ("sovhttdl", "3", "SO_VHTTDL", True),
        ("sovhttdl", "2", "CONG_AN_TINH", False),
        ("congan", "2", "CONG_AN_TINH", True),
        ("congan", "3", "SO_VHTTDL", False),
        ("thuongtruc", "1", "SO_LDTBXH", True),
        ("thuongtruc", "9", "SO_NGANH_KHAC", True),
        ("thuongtruc", "3", "SO_VHTTDL", False),
        ("huyen.bmt", "10", "UBND_H643", True),
        ("huyen.bmt", "10", "UBND_H651", False),
        ("xa.tanlap", "10", "UBND_H643", False),
        ("lanhdao", "1", "SO_LDTBXH", False),
        ("doi178", "1", "SO_LDTBXH", False),
    ],
)
def test_who_reports_for_which_agency(plan, persona, username, group, code, allowed) -> None:
    if allowed:
        report = write(plan, persona(username), group, code)
        assert report.period_start.isoformat() == "2017-12-15"
    else:
        with pytest.raises(PermissionDenied):
            write(plan, persona(username), group, code)


def test_agency_must_belong_to_the_heading(plan, persona) -> None:
    with pytest.raises(ValidationError) as exc:
        write(plan, persona("sovhttdl"), "5", "SO_VHTTDL")
    assert "agency" in exc.value.message_dict


def test_figures_and_submission(plan, persona) -> None:
    user = persona("sovhttdl")
    with pytest.raises(ValidationError) as exc:
        write(plan, user, "3", "SO_VHTTDL", figures=[{"label": "Số pa nô", "value": "nhiều"}])
    assert "figures" in exc.value.message_dict and "Số pa nô" in exc.value.messages[0]
    report = write(
        plan,
        user,
        "3",
        "SO_VHTTDL",
        figures=[{"label": " Số  pa nô ", "value": "120"}, {"label": "Tỷ lệ", "value": 12.5}],
    )
    assert report.figures == [
        {"label": "Số pa nô", "value": 120},
        {"label": "Tỷ lệ", "value": 12.5},
    ]
    actions.submit_task_report(report, actor=user, expected_version=report.version)
    with pytest.raises(ValidationError):
        write(plan, user, "3", "SO_VHTTDL", expected_version=report.version + 1, done="sửa")


def test_conflict_and_uniqueness(plan, persona) -> None:
    user = persona("congan")
    report = write(plan, user, "2", "CONG_AN_TINH")
    write(plan, user, "2", "CONG_AN_TINH", expected_version=report.version, done="Mới")
    with pytest.raises(EditConflict):
        write(plan, user, "2", "CONG_AN_TINH", expected_version=report.version, done="Cũ")
    with pytest.raises(EditConflict):
        write(plan, user, "2", "CONG_AN_TINH", is_new=True)
    assert TaskReport.objects.get().done == "Mới"


def test_list_and_form_pages(plan, client_for, persona) -> None:
    # the readers of task reports (taskreports.view): the procuracy and the court report too
    readers = ["admin", "thuongtruc", "lanhdao", "congan", "sovhttdl", "huyen.bmt"]
    readers += ["vks", "toaan"]
    assert_reach(client_for, "/taskreports/", readers)
    url = f"/taskreports/{plan.pk}/3/{agency('SO_VHTTDL').pk}/2018/h1/"
    # a provincial department's report: province-wide readers, not the district
    assert_reach(client_for, url, [r for r in readers if r != "huyen.bmt"])
    page = client_for("sovhttdl").get("/taskreports/")
    assert [(r["duty"].group.number, r["duty"].agency.code) for r in page.context["rows"]] == [
        ("3", "SO_VHTTDL")
    ]
    page = client_for("huyen.bmt").get("/taskreports/")
    assert [r["duty"].agency.code for r in page.context["rows"]] == ["UBND_H643"]
    form = {
        "version": "",
        "status": "done",
        "done": "Kiểm tra 30 cơ sở",
        "obstacles": "",
        "proposals": "",
        "fig_label_0": "Số cơ sở kiểm tra",
        "fig_value_0": "30",
        "submit": "1",
    }
    assert client_for("congan").post(url, form).status_code == 403
    assert client_for("sovhttdl").post(url, form).status_code == 302
    report = TaskReport.objects.get()
    assert report.state == "submitted" and report.figures == [
        {"label": "Số cơ sở kiểm tra", "value": 30}
    ]
    # another district's committee report is not visible to huyen.bmt
    other = f"/taskreports/{plan.pk}/10/{agency('UBND_H651').pk}/2018/h1/"
    assert client_for("huyen.bmt").get(other).status_code == 404


def test_overview_shows_who_has_not_reported(
    plan, client_for, persona, django_assert_max_num_queries
) -> None:
    write(plan, persona("sovhttdl"), "3", "SO_VHTTDL")
    assert_reach(
        client_for,
        "/taskreports/overview/",
        ["admin", "thuongtruc", "lanhdao", "congan", "sovhttdl", "vks", "toaan"],
    )
    client = client_for("thuongtruc")
    client.get("/taskreports/overview/")
    # 15: one is the ids of the plan province's units (the district committees, geo.subtree)
    with django_assert_max_num_queries(15):
        response = client.get("/taskreports/overview/")
    expected = len(duties.duties(plan, list(plan.task_groups.all())))
    assert expected == 31  # 13 provincial headings' agencies + 15 district committees + 3
    h1 = response.context["totals"][0]
    assert (h1["draft"], h1["submitted"], h1["missing"]) == (1, 0, expected - 1)


def test_list_query_count_is_bounded(
    plan, client_for, persona, django_assert_max_num_queries
) -> None:
    demo.build(random.Random(1), 2018)
    client = client_for("thuongtruc")
    client.get("/taskreports/")
    # 18: two are the ids of the units of the user's scope and province (geo.subtree)
    with django_assert_max_num_queries(18):
        response = client.get("/taskreports/")
    assert response.context["page"].paginator.count == 62


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_api_scope(plan, persona, name) -> None:
    demo.build(random.Random(1), 2018)
    client = APIClient()
    client.force_authenticate(persona(name))
    response = client.get("/api/v1/task-reports?period=h1")
    if name in {"doi178", "xa.tanlap", "xa.easo", "ctxh.bmt", "baovedl"}:
        assert response.status_code == 403
        return
    results = response.json()["results"]
    if name == "huyen.bmt":
        assert {r["agency_code"] for r in results} == {"UBND_H643"}
    else:  # 31 (heading, agency) pairs: Hội LHPN and Tỉnh Đoàn also report under 14
        assert len(results) == 31
        assert len({r["agency_code"] for r in results}) == 29


def test_api_write(plan, persona) -> None:
    client = APIClient()
    client.force_authenticate(persona("sovhttdl"))
    body = {
        "plan": plan.pk,
        "group": "3",
        "agency": "SO_VHTTDL",
        "year": 2018,
        "period": "year",
        "status": "in_progress",
        "done": "Đang triển khai",
        "figures": [{"label": "Số buổi chiếu phim", "value": 12}],
    }
    response = client.post("/api/v1/task-reports", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["period_end"] == "2018-12-14" and data["figures"][0]["value"] == 12
    pk, version = data["id"], data["version"]
    bad = client.patch(
        f"/api/v1/task-reports/{pk}",
        {"version": version, "figures": [{"label": "", "value": 1}]},
        format="json",
    )
    assert bad.status_code == 400 and "figures" in bad.json()["error"]["fields"]
    ok = client.patch(
        f"/api/v1/task-reports/{pk}", {"version": version, "done": "Xong"}, format="json"
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"/api/v1/task-reports/{pk}", {"version": version, "done": "x"}, format="json"
    )
    assert stale.status_code == 409
    assert "Someone else saved" in stale.json()["error"]["message_en"]
    done = client.patch(
        f"/api/v1/task-reports/{pk}",
        {"version": ok.json()["version"], "submit": True},
        format="json",
    )
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    assert done.json()["done"] == "Xong"
    other = APIClient()
    other.force_authenticate(persona("congan"))
    assert (
        other.post("/api/v1/task-reports", {**body, "period": "h1"}, format="json").status_code
        == 403
    )
    paths = APIClient().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/task-reports", "/api/v1/task-reports/{id}"} <= set(paths)


def test_demo_every_agency_at_both_periods(plan) -> None:
    demo.build(random.Random("1842-taskreports-2018"), 2018)
    first = list(
        TaskReport.objects.order_by("pk").values_list("agency__code", "period", "state", "figures")
    )
    assert len(first) == 62
    assert TaskReport.objects.filter(period="h1", state="submitted").count() == 31
    assert TaskReport.objects.filter(period="year", state="draft").count() == 3
    TaskReport.objects.all().delete()
    demo.build(random.Random("1842-taskreports-2018"), 2018)
    assert (
        list(
            TaskReport.objects.order_by("pk").values_list(
                "agency__code", "period", "state", "figures"
            )
        )
        == first
    )
