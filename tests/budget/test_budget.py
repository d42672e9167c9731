"""Budget: who records for which agency, rules, totals, pages, import, API, demo."""

import io
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook
from rest_framework.test import APIClient

from pcmd.agencies.models import Agency
from pcmd.budget import actions, demo, imports
from pcmd.budget.models import BudgetCategory, BudgetLine
from pcmd.core.concurrency import EditConflict
from pcmd.core.formatting import format_vnd
from tests.conftest import PERSONA_NAMES, assert_reach

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories() -> None:
    actions.ensure_categories()


def cat(code: str) -> BudgetCategory:
    return BudgetCategory.objects.get(code=code)


def line(
    user,
    code="SO_LDTBXH",
    planned=10_000_000,
    spent=0,
    category="tap-huan",
    source="provincial",
    note="",
    year=2018,
):
    return actions.save_budget_line(
        None,
        actor=user,
        year=year,
        agency=Agency.objects.get(code=code),
        category=cat(category),
        source=source,
        description="Tập huấn cán bộ",
        planned=planned,
        spent=spent,
        note=note,
    )


@pytest.mark.parametrize(
    ("username", "code", "allowed"),
    [
        ("thuongtruc", "SO_LDTBXH", True),
        ("thuongtruc", "SO_VHTTDL", True),
        ("sovhttdl", "SO_VHTTDL", True),
        ("sovhttdl", "SO_LDTBXH", False),
        ("huyen.bmt", "UBND_H643", True),
        ("huyen.bmt", "LDTBXH_H643", True),
        ("huyen.bmt", "UBND_X24118", True),
        ("huyen.bmt", "UBND_H651", False),
        ("huyen.bmt", "SO_LDTBXH", False),
        ("xa.tanlap", "UBND_X24118", False),
        ("lanhdao", "SO_LDTBXH", False),
        ("congan", "CONG_AN_TINH", False),
        ("admin", "UBND_H651", True),
    ],
)
def test_who_records_for_which_agency(persona, username, code, allowed) -> None:
    if allowed:
        assert line(persona(username), code=code).pk
    else:
        with pytest.raises(PermissionDenied):
            line(persona(username), code=code)


def test_rules(persona) -> None:
    user = persona("thuongtruc")
    with pytest.raises(ValidationError) as exc:
        line(user, planned=-1)
    assert "planned" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        line(user, planned=5_000_000, spent=6_000_000)
    assert "note" in exc.value.message_dict
    ok = line(user, planned=5_000_000, spent=6_000_000, note="Bổ sung đợt cao điểm")
    assert ok.over_plan
    with pytest.raises(ValidationError) as exc:
        line(user, source="lottery")
    assert "source" in exc.value.message_dict


def test_conflict_and_soft_delete(persona) -> None:
    user = persona("thuongtruc")
    item = line(user)
    stale = item.version
    actions.save_budget_line(item, actor=user, expected_version=stale, spent=1_000_000)
    with pytest.raises(EditConflict):
        actions.save_budget_line(item, actor=user, expected_version=stale, spent=9)
    assert BudgetLine.objects.get(pk=item.pk).spent == 1_000_000
    item.refresh_from_db()
    actions.delete_budget_line(item, actor=user, expected_version=item.version)
    assert not BudgetLine.objects.visible_to(user).exists()


def test_totals_by_agency_source_category(
    client_for, persona, django_assert_max_num_queries
) -> None:
    so, district = persona("thuongtruc"), persona("huyen.bmt")
    line(so, planned=100_000_000, spent=80_000_000)
    line(so, planned=50_000_000, spent=50_000_000, category="truyen-thong", source="central")
    line(
        district,
        code="UBND_H643",
        planned=20_000_000,
        spent=25_000_000,
        source="district",
        note="Chi vượt",
    )
    line(so, planned=7_000_000, year=2017)
    client = client_for("thuongtruc")
    client.get("/budget/?year=2018")
    with django_assert_max_num_queries(14):
        response = client.get("/budget/?year=2018")
    ctx = response.context
    assert ctx["grand"] == {"planned_sum": 170_000_000, "spent_sum": 155_000_000, "n": 3}
    by_agency = {
        r["label"]: (r["planned_sum"], r["spent_sum"], r["over"]) for r in ctx["by_agency"]
    }
    assert by_agency == {
        "Sở LĐ-TB&XH": (150_000_000, 130_000_000, 0),
        "UBND Thành phố Buôn Ma Thuột": (20_000_000, 25_000_000, 1),
    }
    assert {r["source"]: r["planned_sum"] for r in ctx["by_source"]} == {
        "provincial": 100_000_000,
        "central": 50_000_000,
        "district": 20_000_000,
    }
    assert {r["label"]: r["n"] for r in ctx["by_category"]} == {
        "Tập huấn, nâng cao năng lực": 2,
        "Tuyên truyền, truyền thông": 1,
    }
    assert format_vnd(170_000_000) in response.content.decode()  # "170.000.000 đ"
    # a district sees its own lines only
    ctx = client_for("huyen.bmt").get("/budget/?year=2018").context
    assert ctx["grand"]["planned_sum"] == 20_000_000


def test_page_reach_and_form(client_for, persona) -> None:
    readers = ["admin", "thuongtruc", "lanhdao", "sovhttdl", "huyen.bmt", "xa.tanlap", "xa.easo"]
    assert_reach(client_for, "/budget/", readers)
    assert_reach(client_for, "/budget/new/", ["admin", "thuongtruc", "sovhttdl", "huyen.bmt"])
    client = client_for("sovhttdl")
    own = Agency.objects.get(code="SO_VHTTDL").pk
    other = Agency.objects.get(code="SO_LDTBXH").pk
    form = {
        "year": 2018,
        "agency": other,
        "category": cat("truyen-thong").pk,
        "source": "provincial",
        "description": "Pa nô",
        "planned": 1_000_000,
        "spent": 0,
        "note": "",
        "version": "",
    }
    assert client.post("/budget/new/", form).status_code == 400  # not a choice for them
    form["agency"] = own
    form["spent"] = 2_000_000
    response = client.post("/budget/new/", form)
    assert response.status_code == 400 and response.context["form"].errors["note"]
    form["note"] = "Bổ sung"
    assert client.post("/budget/new/", form).status_code == 302
    item = BudgetLine.objects.get()
    assert item.agency.code == "SO_VHTTDL"
    assert client_for("huyen.bmt").get(f"/budget/{item.pk}/").status_code == 404


def workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(imports.HEADERS.values()))
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_all_or_nothing(client_for) -> None:
    good = [
        2018,
        "UBND_H643",
        "Tuyên truyền, truyền thông",
        "Ngân sách huyện",
        "Tuyên truyền tại 21 phường, xã",
        "40.000.000",
        35_000_000,
        "",
    ]
    rows = [
        good,
        [2018, "UBND_H651", "Tuyên truyền, truyền thông", "Ngân sách huyện", "x", 1, 0, ""],
        [2018, "UBND_H643", "Karaoke", "Ngân sách huyện", "x", 1, 0, ""],
        [2018, "UBND_H643", "Chi khác", "Ngân sách huyện", "x", 1_000, 2_000, ""],
        [2018, "KHONG_CO", "Chi khác", "Xổ số", "x", -5, 0, ""],
    ]
    client = client_for("huyen.bmt")
    response = client.post("/budget/import/", {"file": io.BytesIO(workbook(rows))})
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert (3, "Mã cơ quan") in problems and (4, "Hạng mục") in problems
    assert (5, "Ghi chú") in problems
    assert {(6, "Mã cơ quan"), (6, "Nguồn kinh phí"), (6, "Dự toán (đồng)")} <= problems
    assert not any(r == 2 for r, _c in problems)
    assert not BudgetLine.objects.exists()
    response = client.post("/budget/import/", {"file": io.BytesIO(workbook([good]))})
    assert response.status_code == 302
    saved = BudgetLine.objects.get()
    assert (saved.planned, saved.spent, saved.source) == (40_000_000, 35_000_000, "district")
    assert client.get("/budget/import/template.xlsx").status_code == 200


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_api_scope(persona, name) -> None:
    line(persona("thuongtruc"))
    line(persona("huyen.bmt"), code="UBND_H643")
    client = APIClient()
    client.force_authenticate(persona(name))
    response = client.get("/api/v1/budget-lines?year=2018")
    if not persona(name).can("budget.view"):  # police, Team 178, social work, DPO, vks, toaan
        assert response.status_code == 403
        return
    codes = {r["agency_code"] for r in response.json()["results"]}
    expected = {"huyen.bmt": {"UBND_H643"}, "xa.tanlap": set(), "xa.easo": set()}.get(
        name, {"SO_LDTBXH", "UBND_H643"}
    )
    assert codes == expected


def test_api_write(persona) -> None:
    client = APIClient()
    client.force_authenticate(persona("huyen.bmt"))
    body = {
        "year": 2018,
        "agency": "UBND_H643",
        "category": "kiem-tra",
        "source": "district",
        "description": "Đội 178 thành phố",
        "planned": 45_000_000,
        "spent": 47_000_000,
    }
    response = client.post("/api/v1/budget-lines", body, format="json")
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    assert "note" in response.json()["error"]["message_en"]
    response = client.post("/api/v1/budget-lines", {**body, "note": "Cao điểm"}, format="json")
    assert response.status_code == 201 and response.json()["over_plan"] is True
    pk, version = response.json()["id"], response.json()["version"]
    assert (
        client.patch(
            f"/api/v1/budget-lines/{pk}", {"version": version, "spent": 40_000_000}, format="json"
        ).status_code
        == 200
    )
    assert (
        client.patch(
            f"/api/v1/budget-lines/{pk}", {"version": version, "spent": 1}, format="json"
        ).status_code
        == 409
    )
    assert (
        client.post(
            "/api/v1/budget-lines", {**body, "agency": "UBND_H651", "note": "x"}, format="json"
        ).status_code
        == 403
    )
    assert client.post(
        "/api/v1/budget-lines", {**body, "category": "xyz", "note": "x"}, format="json"
    ).json()["error"]["fields"].keys() == {"category"}
    paths = APIClient().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/budget-lines", "/api/v1/budget-lines/{id}"} <= set(paths)


def test_demo_is_deterministic() -> None:
    demo.build(random.Random("1842-budget-2018"), 2018)
    first = list(
        BudgetLine.objects.order_by("pk").values_list("agency__code", "planned", "spent", "note")
    )
    assert len(first) >= 20
    assert {"SO_LDTBXH", "UBND_H643", "UBND_H651"} <= {r[0] for r in first}
    assert all(spent <= planned or note for _a, planned, spent, note in first)
    assert all(p % 500_000 == 0 and s % 500_000 == 0 for _a, p, s, _n in first)
    BudgetLine.objects.all().delete()
    demo.build(random.Random("1842-budget-2018"), 2018)
    assert (
        list(
            BudgetLine.objects.order_by("pk").values_list(
                "agency__code", "planned", "spent", "note"
            )
        )
        == first
    )


def test_the_indicator_by_territory_equals_the_lines(persona) -> None:
    """budget_planned of the province by district and of a district by commune equals the
    lines' sums by hand (on PostgreSQL the territory is asked as a subquery on agencies:
    Source.territory_by_subquery)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pcmd.core.periods import parse_period
    from pcmd.geo.models import Unit
    from pcmd.indicators.engine import evaluate
    from pcmd.indicators.models import Indicator

    admin = persona("admin")
    province = Unit.objects.get(code="66", valid_from=None)
    agencies = list(
        Agency.objects.filter(unit__path__startswith=province.path)
        .select_related("unit")
        .order_by("unit__level", "code")
    )
    district = Unit.objects.get(code="643", valid_from=None)
    chosen = [a for a in agencies if a.unit.level == 1][:2]
    chosen += [a for a in agencies if a.unit.level == 2][:3]
    chosen += [a for a in agencies if a.unit == district][:1]
    chosen += [a for a in agencies if a.unit.level == 3 and a.unit.path.startswith(district.path)][
        :3
    ]
    assert {a.unit.level for a in chosen} == {1, 2, 3}
    for n, agency in enumerate(chosen):
        line(admin, code=agency.code, planned=1_000_000 * (n + 1))
    line(admin, code=chosen[-1].code, planned=7_000_000, year=2017)  # another year
    budget = Indicator.objects.get(code="budget_planned")
    year = parse_period("2018")

    def by_hand(root: Unit, level: int) -> dict[int, int]:
        sums: dict[int, int] = {}
        for item in BudgetLine.objects.filter(year=2018, agency__unit__path__startswith=root.path):
            unit = item.agency.unit
            key = next(
                (
                    u
                    for u in Unit.objects.filter(
                        pk__in=[int(p) for p in unit.path.strip("/").split("/")]
                    )
                    if u.level == level
                ),
                unit,
            )
            sums[key.pk] = sums.get(key.pk, 0) + item.planned
        return sums

    for root, level in ((province, 2), (district, 3)):
        expected = by_hand(root, level)
        assert len(expected) >= 2, root.code
        with CaptureQueriesContext(connection) as queries:
            result = evaluate(budget, root, year, by="unit")
        found = {pk: v for pk, v in result.values.items() if v}
        assert found == {pk: v for pk, v in expected.items() if pk != root.pk}
        assert result.total == sum(expected.values())
        asked = [q["sql"] for q in queries if "budget_budgetline" in q["sql"]]
        assert asked
        if connection.vendor == "postgresql":
            assert all('"agency_id" IN (SELECT U0."id"' in sql for sql in asked)
