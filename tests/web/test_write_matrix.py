"""Who may change which record: every persona × every write, on records of different bodies.

A record belongs to the body that recorded it (``pcmd.accounts.policy``): an inspection to
its team, a budget line, task report or activity to its agency, commune data to the commune.
Its body and the levels above (district over its communes, the provincial standing office
over everything) may change it; administrators always. Seeing a record is not enough.

Each row below names a record built by the system, the writes tried on it (pages and API),
and the personas allowed. Every other persona must be refused (403 or 404), the record left
unchanged, and the edit link hidden from them on the pages they can read.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from pcmd.agencies.models import Agency
from pcmd.budget import actions as budget_actions
from pcmd.budget.models import BudgetCategory
from pcmd.enforcement import actions as enforcement_actions
from pcmd.enforcement.models import ViolationType
from pcmd.plans.models import Plan
from pcmd.taskreports import actions as task_actions
from tests.conftest import PERSONA_NAMES
from tests.inspections import builders as b
from tests.outreach import builders as ob
from tests.people import builders as person_builders

pytestmark = pytest.mark.django_db

ADMIN = {"admin"}
D = datetime.date(2018, 6, 1)


# --- records of different bodies ----------------------------------------------------------


def _tan_lap_shop() -> Any:
    return b.establishment(b.TAN_LAP, name="Karaoke Ma Trận")


def provincial_inspection() -> Any:
    return b.inspection(b.team(b.province(), name="Đội 178 tỉnh"), _tan_lap_shop())


def commune_inspection() -> Any:
    return b.inspection(b.team(b.TAN_LAP, name="Đội 178 phường Tân Lập"), _tan_lap_shop())


def district_inspection() -> Any:
    return b.inspection(b.team(b.BMT, name="Đội 178 TP Buôn Ma Thuột"), _tan_lap_shop())


def provincial_team() -> Any:
    return b.team(b.province(), name="Đội 178 tỉnh")


def province_training() -> Any:
    return ob.training(ob.PROVINCE, agency_code="SO_LDTBXH")


def establishment() -> Any:
    return _tan_lap_shop()


def budget_line(code: str) -> Callable[[], Any]:
    def build() -> Any:
        return budget_actions.save_budget_line(
            None,
            actor=None,
            year=2018,
            agency=Agency.objects.get(code=code),
            category=BudgetCategory.objects.get(code="tap-huan"),
            source="provincial",
            description="Tập huấn cán bộ",
            planned=10_000_000,
            spent=0,
        )

    return build


def province_activity() -> Any:
    return ob.activity(ob.PROVINCE, agency_code="SO_VHTTDL", title="Hội nghị tỉnh")


def commune_activity() -> Any:
    return ob.activity(b.TAN_LAP, title="Họp tổ dân phố")


def _violation(**where: Any) -> Any:
    return enforcement_actions.record_violation(
        actor=None,
        violation_type=ViolationType.objects.get(code="nd167-d25-chua-moi-gioi"),
        date=D,
        subject_kind="organisation",
        **where,
    )


def standalone_violation() -> Any:
    return _violation(establishment=_tan_lap_shop())


def commune_team_violation() -> Any:
    inspection = commune_inspection()
    return _violation(establishment=inspection.establishment, inspection=inspection)


def hotspot() -> Any:
    return b.hotspot(b.TAN_LAP, name="Tụ điểm Ma Trận")


def support_count() -> Any:
    return ob.support_count(b.TAN_LAP)


def task_report() -> Any:
    return task_actions.save_task_report(
        Plan.objects.get(number="1842/KH-UBND"),
        "3",
        Agency.objects.get(code="SO_VHTTDL"),
        2018,
        "h1",
        actor=None,
        done="Đã triển khai.",
    )


# --- the matrix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], Any]
    allowed: frozenset[str]
    edit_page: str = ""  # GET: the edit form ({pk})
    api: str = ""  # PATCH {"version": v} (no change) on /api/v1/…/{pk}
    delete: tuple[str, dict[str, Any]] | None = None  # POST url, data ({version})
    detail: str = ""  # a page that shows the edit link to those allowed only
    also: tuple[str, ...] = ()  # more write pages (status, sanction) that must answer alike


def _a(*names: str) -> frozenset[str]:
    return frozenset(names)


CASES = [
    Case(
        "inspection of the provincial team",
        provincial_inspection,
        _a("admin", "thuongtruc", "congan", "doi178"),
        edit_page="/inspections/{pk}/edit/",
        api="/api/v1/inspections/{pk}",
        delete=("/inspections/{pk}/delete/", {"reason": "Nhập nhầm"}),
        detail="/inspections/{pk}/",
    ),
    Case(
        "inspection of a commune team",
        commune_inspection,
        _a("admin", "thuongtruc", "huyen.bmt", "xa.tanlap"),
        edit_page="/inspections/{pk}/edit/",
        api="/api/v1/inspections/{pk}",
        delete=("/inspections/{pk}/delete/", {"reason": "Nhập nhầm"}),
        detail="/inspections/{pk}/",
    ),
    Case(
        "inspection of a district team",
        district_inspection,
        _a("admin", "thuongtruc", "huyen.bmt"),
        edit_page="/inspections/{pk}/edit/",
        api="/api/v1/inspections/{pk}",
        detail="/inspections/{pk}/",
    ),
    Case(
        "the provincial team",
        provincial_team,
        _a("admin", "thuongtruc", "congan", "doi178"),
        edit_page="/inspections/teams/{pk}/edit/",
        detail="/inspections/teams/{pk}/",
        also=("/inspections/teams/{pk}/plans/new/",),
    ),
    Case(
        "training of the standing office",
        province_training,
        _a("admin", "thuongtruc"),
        edit_page="/outreach/trainings/{pk}/edit/",
        api="/api/v1/trainings/{pk}",
        delete=("/outreach/trainings/{pk}/delete/", {}),
        detail="/outreach/trainings/{pk}/",
    ),
    Case(
        "establishment of a commune",
        establishment,
        _a("admin", "thuongtruc", "congan", "doi178", "huyen.bmt", "xa.tanlap"),
        edit_page="/registry/{pk}/edit/",
        api="/api/v1/establishments/{pk}",
        detail="/registry/{pk}/",
    ),
    Case(
        "budget line of a provincial department",
        budget_line("SO_VHTTDL"),
        _a("admin", "thuongtruc", "sovhttdl"),
        edit_page="/budget/{pk}/",
        api="/api/v1/budget-lines/{pk}",
        delete=("/budget/{pk}/delete/", {}),
        detail="/budget/?year=2018",
    ),
    Case(
        "budget line of a district office",
        budget_line("LDTBXH_H643"),
        _a("admin", "thuongtruc", "huyen.bmt"),
        edit_page="/budget/{pk}/",
        api="/api/v1/budget-lines/{pk}",
        delete=("/budget/{pk}/delete/", {}),
        detail="/budget/?year=2018",
    ),
    Case(
        "activity of a provincial department",
        province_activity,
        _a("admin", "thuongtruc", "sovhttdl"),
        edit_page="/outreach/{pk}/edit/",
        api="/api/v1/activities/{pk}",
        delete=("/outreach/{pk}/delete/", {}),
        detail="/outreach/{pk}/",
    ),
    Case(
        "activity of a commune",
        commune_activity,
        _a("admin", "thuongtruc", "huyen.bmt", "xa.tanlap"),
        edit_page="/outreach/{pk}/edit/",
        api="/api/v1/activities/{pk}",
        delete=("/outreach/{pk}/delete/", {}),
        detail="/outreach/{pk}/",
    ),
    Case(
        "violation recorded on its own",
        standalone_violation,
        _a("admin", "thuongtruc", "congan", "doi178", "huyen.bmt"),
        edit_page="/enforcement/{pk}/edit/",
        api="/api/v1/violations/{pk}",
        detail="/enforcement/{pk}/",
        also=("/enforcement/{pk}/sanctions/new/",),
    ),
    Case(
        "violation found by a commune team",
        commune_team_violation,
        _a("admin", "thuongtruc", "huyen.bmt"),
        edit_page="/enforcement/{pk}/edit/",
        api="/api/v1/violations/{pk}",
        detail="/enforcement/{pk}/",
    ),
    Case(
        "hotspot of a commune",
        hotspot,
        _a("admin", "thuongtruc", "congan", "huyen.bmt", "xa.tanlap"),
        edit_page="/hotspots/{pk}/edit/",
        api="/api/v1/hotspots/{pk}",
        also=("/hotspots/{pk}/status/",),
        detail="/hotspots/{pk}/",
    ),
    Case(
        "support count of a commune",
        support_count,
        _a("admin", "thuongtruc", "huyen.bmt", "ctxh.bmt", "xa.tanlap"),
        edit_page="/support/{pk}/",
        api="/api/v1/support-counts/{pk}",
        delete=("/support/{pk}/delete/", {}),
    ),
    Case(
        "person sanctioned in Tân Lập (identity: the police only)",
        lambda: person_builders.new_person(),
        _a("congan"),
        edit_page="/people/{pk}/edit/",
        api="/api/v1/persons/{pk}",
        detail="/people/{pk}/",
        also=("/people/{pk}/merge/",),
    ),
    Case(
        "task report of a provincial department",
        task_report,
        _a("admin", "sovhttdl"),
        api="/api/v1/task-reports/{pk}",
    ),
]


def _api(persona: Any, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(persona(name))
    return client


def _expect(allowed: bool, status: int, ok: tuple[int, ...]) -> bool:
    return status in ok if allowed else status in (403, 404)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_write_matrix(case: Case, persona: Any, client_for: Any) -> None:
    """Every persona on one record: the edit page, the API write, the edit link, delete."""
    obj = case.build()
    wrong: list[str] = []
    for name in PERSONA_NAMES:
        allowed = name in case.allowed
        client = client_for(name)
        for page in (case.edit_page, *case.also) if case.edit_page else case.also:
            status = client.get(page.format(pk=obj.pk)).status_code
            if not _expect(allowed, status, (200,)):
                wrong.append(f"{name}: GET {page} → {status}")
        if case.api:
            obj.refresh_from_db()
            version = obj.version
            status = (
                _api(persona, name)
                .patch(case.api.format(pk=obj.pk), {"version": version}, format="json")
                .status_code
            )
            if not _expect(allowed, status, (200,)):
                wrong.append(f"{name}: PATCH {case.api} → {status}")
        if case.detail and case.edit_page:
            response = client.get(case.detail.format(pk=obj.pk))
            if response.status_code == 200:
                shown = f'href="{case.edit_page.format(pk=obj.pk)}"' in response.content.decode()
                if shown != allowed:
                    wrong.append(f"{name}: edit link {'shown' if shown else 'missing'}")
        if case.delete:
            # the allowed delete a record of their own building; the refused try this one
            target = case.build() if allowed else obj
            target.refresh_from_db()
            url, data = case.delete
            status = client.post(url.format(pk=target.pk), {"version": target.version, **data})
            target.refresh_from_db()
            if not _expect(allowed, status.status_code, (302, 303)) or (
                target.is_deleted != allowed
            ):
                wrong.append(f"{name}: POST {url} → {status.status_code}")
    assert wrong == []


# --- booking records to another body --------------------------------------------------------

BOOK_TO_PROVINCIAL_TEAM = _a("admin", "thuongtruc", "congan", "doi178")


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_only_the_provincial_level_books_inspections_to_the_provincial_team(
    name: str, persona: Any, client_for: Any
) -> None:
    """Commune and district officers cannot record for Team 178 of the province (target T3)."""
    from pcmd.inspections.models import Inspection

    team = b.team(b.province(), name="Đội 178 tỉnh")
    shop = _tan_lap_shop()
    before = Inspection.objects.count()
    body = {"date": "2018-06-02", "team": team.pk, "establishment": shop.pk}
    response = _api(persona, name).post(
        "/api/v1/inspections", {**body, "result": "no_violation"}, format="json"
    )
    page = client_for(name).post(
        "/inspections/new/",
        {
            "date": "02/06/2018",
            "team": team.pk,
            "establishment": shop.pk,
            "result": "no_violation",
        },
    )
    if name in BOOK_TO_PROVINCIAL_TEAM:
        assert response.status_code == 201, (name, response.content)
        assert page.status_code in (302, 303), (name, page.status_code)
        assert Inspection.objects.count() == before + 2
    else:
        # refused: 403, or 400/404 when the establishment lies outside the user's scope
        assert response.status_code in (400, 403, 404), (name, response.content)
        assert page.status_code in (400, 403, 404), (name, page.status_code)
        assert Inspection.objects.count() == before


@pytest.mark.parametrize("name", ["huyen.bmt", "xa.tanlap"])
def test_team_choices_offer_only_the_teams_one_records_for(name: str, client_for: Any) -> None:
    provincial = b.team(b.province(), name="Đội 178 tỉnh")
    own = b.team(b.TAN_LAP, name="Đội 178 phường Tân Lập")
    html = client_for(name).get("/inspections/new/").content.decode()
    select = re.search(r'<select name="team".*?</select>', html, re.S)
    assert select is not None
    assert f'value="{own.pk}"' in select.group(0)
    assert f'value="{provincial.pk}"' not in select.group(0)
