"""Two provinces in one system (issue 14, item 7): users and data of one province are
invisible to the other's users.

Khánh Hòa (not merged with Đắk Lắk in 2025) is loaded next to the Đắk Lắk demo with its
standing office's account; each side records an establishment and has a plan. Every page and
API list that takes no argument (register lists, the dashboard, the map, plans, agencies, users,
reports, exports) is walked for both standing offices, and none may show the other's rows; the
other's detail pages are 404.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from pcmd.accounts.models import User
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.plans.models import Plan
from pcmd.plans.provinces import load_province
from pcmd.registry import actions as registry
from pcmd.registry.models import Establishment, EstablishmentKind

pytestmark = pytest.mark.django_db

KH_USER, DL_USER = "so.khanhhoa", "thuongtruc"
KH_EST, DL_EST = "Karaoke Nha Trang Cách Ly", "Karaoke Buôn Ma Thuột Cách Ly"
KH_PLAN = "Kế hoạch Khánh Hòa Cách Ly"
# What only one side may see: its establishment, its plan, its agencies, its users.
MARKERS = {
    KH_USER: [KH_EST, KH_PLAN, "Sở Y tế tỉnh Khánh Hòa", "Công an tỉnh Khánh Hòa", KH_USER],
    DL_USER: [
        DL_EST,
        "Kế hoạch phòng, chống tệ nạn mại dâm trên địa bàn tỉnh năm 2018",
        "Ủy ban nhân dân tỉnh Đắk Lắk",
        "Sở Lao động - Thương binh và Xã hội",
        "Cán bộ Sở LĐ-TB&amp;XH",
        "Cán bộ Sở LĐ-TB&XH",
    ],
}
OTHER = {KH_USER: DL_USER, DL_USER: KH_USER}
# Not pages of rows: signing out, the language switch, the API schema and its documentation
# (examples name Đắk Lắk's agency codes).
SKIP = ("/logout", "/i18n/", "/api/v1/openapi", "/api/v1/docs", "/api/v1/auth/")


@pytest.fixture
def two_provinces(db: Any) -> dict[str, Any]:
    loaded = load_province("56", actor=None, admin_user=KH_USER)
    Plan.objects.filter(pk=loaded.plan.pk).update(title=KH_PLAN)
    kind = EstablishmentKind.objects.order_by("pk").first()
    assert kind is not None
    commune = loaded.province.children.filter(level=UnitLevel.COMMUNE).order_by("code").first()
    kh_est = registry.create_establishment(
        actor=User.objects.get(username=KH_USER),
        name=KH_EST,
        kind=kind,
        address="1 Trần Phú",
        commune=commune,  # type: ignore[arg-type]
    )
    tan_lap = Unit.objects.get(code="24118", level=UnitLevel.COMMUNE, valid_from=None)
    dl_est = registry.create_establishment(
        actor=User.objects.get(username=DL_USER),
        name=DL_EST,
        kind=kind,
        address="2 Lê Duẩn",
        commune=tan_lap,
        on=datetime.date(2018, 3, 12),
    )
    dl_plan = Plan.objects.get(number="1842/KH-UBND")
    return {
        KH_USER: {"est": kh_est, "plan": loaded.plan, "province": loaded.province},
        DL_USER: {"est": dl_est, "plan": dl_plan},
    }


def _urls() -> list[str]:
    """Paths of every page and API endpoint that takes no argument."""
    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(" not in route:
                found.add("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(u for u in found if not u.startswith(SKIP))


def _text(response: Any) -> str:
    """What a response shows: a page, JSON, CSV, or the cells of a workbook or document."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return archive.read("word/document.xml").decode()
    if "json" in kind:
        return json.dumps(json.loads(body or b"null"), ensure_ascii=False)
    return body.decode(errors="replace")


def test_the_walk_reaches_registers_dashboard_map_plans_agencies_users_and_api() -> None:
    urls = _urls()
    for needed in (
        "/registry/",
        "/dashboard/",
        "/plans/",
        "/agencies/",
        "/users/",
        "/api/v1/establishments",
        "/api/v1/plans",
        "/api/v1/agencies",
        "/api/v1/users",
    ):
        assert needed in urls, needed
    assert any("map" in u for u in urls)
    assert any("report" in u for u in urls)
    assert any(u.endswith((".xlsx", ".csv", "export/")) for u in urls)


def test_each_province_sees_none_of_the_others_rows(
    client_for: Any, two_provinces: dict[str, Any]
) -> None:
    leaks: list[str] = []
    errors: list[str] = []
    for username in (KH_USER, DL_USER):
        client = client_for(username)
        client.raise_request_exception = False
        seen_own = False
        for url in _urls():
            full = url + ("?page_size=500" if url.startswith("/api/") else "")
            response = client.get(full)
            if response.status_code >= 500:
                errors.append(f"{username} {url}: {response.status_code}")
                continue
            if response.status_code != 200:
                continue
            text = _text(response)
            seen_own = seen_own or any(m in text for m in MARKERS[username])
            leaks += [f"{username} {url}: {m}" for m in MARKERS[OTHER[username]] if m in text]
        assert seen_own, f"{username} saw none of its own rows: the walk proves nothing"
    assert errors == []
    assert leaks == []


def test_the_other_provinces_records_are_not_found(
    client_for: Any, two_provinces: dict[str, Any]
) -> None:
    for username in (KH_USER, DL_USER):
        client = client_for(username)
        other = two_provinces[OTHER[username]]
        own = two_provinces[username]
        for record, page in (
            ("est", lambda pk: reverse("registry:detail", args=[pk])),
            # the plan page's address (its view moves to the plans app; the address stays)
            ("plan", lambda pk: f"/plans/{pk}/"),
        ):
            assert client.get(page(own[record].pk)).status_code == 200, record
            assert client.get(page(other[record].pk)).status_code == 404, record
        for name, record in (("api:establishment", "est"), ("api:plan", "plan")):
            assert client.get(reverse(name, args=[other[record].pk])).status_code == 404


def test_agencies_are_the_users_provinces_and_administrators_see_all(
    persona: Any, two_provinces: dict[str, Any]
) -> None:
    kh = Agency.objects.visible_to(User.objects.get(username=KH_USER))
    dl = Agency.objects.visible_to(persona(DL_USER))
    assert kh.filter(code="SO_YTE_56").exists() and not kh.filter(code="SO_YTE").exists()
    assert dl.filter(code="SO_YTE").exists() and not dl.filter(code="SO_YTE_56").exists()
    # a commune officer reads the agencies of the whole province, not only of the commune
    assert persona("xa.tanlap").can("agencies.view")
    assert Agency.objects.visible_to(persona("xa.tanlap")).filter(code="SO_YTE").exists()
    assert not Agency.objects.visible_to(persona("xa.tanlap")).filter(code="SO_YTE_56").exists()
    # across the 2025 reform one province: the old Đắk Lắk's agencies for the new province
    new_dak_lak = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from__isnull=False)
    load_province("66", actor=None, admin_user="so.daklak.moi")
    assert User.objects.get(username="so.daklak.moi").assignments.get().unit == new_dak_lak
    moi = Agency.objects.visible_to(User.objects.get(username="so.daklak.moi"))
    assert moi.filter(code="SO_YTE").exists() and not moi.filter(code="SO_YTE_56").exists()
    admin = Agency.objects.visible_to(persona("admin"))
    assert admin.filter(code="SO_YTE_56").exists() and admin.filter(code="SO_YTE").exists()
    assert Establishment.objects.visible_to(User.objects.get(username=KH_USER)).count() == 1
    assert timezone.localdate().year >= 2025


def test_agency_pick_lists_of_case_forms_hold_the_users_province(
    persona: Any, two_provinces: dict[str, Any]
) -> None:
    from pcmd.cases.forms import CaseForm, TrialForm
    from pcmd.support.forms_cases import ReferForm, ServiceForm

    kh_user = User.objects.get(username=KH_USER)
    for user, own, other in ((kh_user, "_56", "_TINH"), (persona(DL_USER), "_TINH", "_56")):
        lists = [
            CaseForm(user=user).fields["detected_by"],
            TrialForm(user=user).fields["court"],
            ServiceForm(user=user).fields["provider"],
            ReferForm(user=user).fields["to_agency"],
        ]
        for field in lists:
            codes = {a.code for a in field.queryset}  # type: ignore[attr-defined]
            assert any(c.endswith(own) for c in codes), (field.label, own)
            assert not any(c.endswith(other) for c in codes), (field.label, other)
