"""Another province in one command and one page (issue 14, item 7): units, agencies from the
template on either map, an empty draft plan, the standing office's account; idempotent."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from pcmd.accounts.models import User
from pcmd.accounts.roles import Role
from pcmd.agencies.loader import DATA_DIR, MAP_LEGACY, load_template
from pcmd.agencies.models import Agency, AgencyRoleKind, agency_with_role
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit, UnitLevel
from pcmd.plans.models import Plan, PlanStatus
from pcmd.plans.provinces import ProvinceError, load_province, loaded_provinces

pytestmark = pytest.mark.django_db

KHANH_HOA = "56"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_province", *args, stdout=out)
    return out.getvalue()


def _province(code: str, *, new: bool = True) -> Unit:
    return Unit.objects.get(code=code, level=UnitLevel.PROVINCE, valid_from__isnull=not new)


def _counts(province: Unit) -> tuple[int, int, int, int]:
    return (
        Unit.objects.filter(path__startswith=province.path).count(),
        Agency.objects.filter(unit__path__startswith=province.path).count(),
        Plan.objects.filter(unit=province).count(),
        User.objects.filter(assignments__unit=province).count(),
    )


def test_one_command_loads_a_province_on_the_2025_map_and_again_changes_nothing() -> None:
    out = _run(KHANH_HOA, "--admin-user", "so.khanhhoa")
    province = _province(KHANH_HOA)
    communes = province.children.filter(level=UnitLevel.COMMUNE)
    assert communes.count() == 65  # the new Khánh Hòa (with Ninh Thuận), no districts
    assert not Unit.objects.filter(parent=province, level=UnitLevel.DISTRICT).exists()
    # the template's bodies, each code made unique by the province's code
    health = Agency.objects.get(code="SO_YTE_56")
    assert health.unit == province and health.name == "Sở Y tế tỉnh Khánh Hòa"
    today = timezone.localdate()
    assert agency_with_role(AgencyRoleKind.STANDING_OFFICE, province, today) == health
    for code in ("UBND_TINH_56", "CONG_AN_TINH_56", "VKSND_TINH_56", "TAND_TINH_56"):
        assert Agency.objects.get(code=code).unit == province
    commune = communes.order_by("code").first()
    assert commune is not None
    police = Agency.objects.get(code=f"CA_X{commune.code}_56")
    assert police.unit == commune and police.parent == Agency.objects.get(code="CONG_AN_TINH_56")
    # the three-tier map's bodies are not on the 2025 map
    assert not Agency.objects.filter(code__in=["SO_LDTBXH_56", "UBND_HUYEN_56"]).exists()
    # an empty draft for the current year, issued by the province's People's Committee
    plan = Plan.objects.get(unit=province)
    assert plan.status == PlanStatus.DRAFT and plan.number == ""
    assert plan.title == f"Kế hoạch phòng, chống tệ nạn mại dâm năm {today.year}"
    assert (plan.period_start, plan.period_end) == (
        datetime.date(today.year, 1, 1),
        datetime.date(today.year, 12, 31),
    )
    assert plan.issuer == Agency.objects.get(code="UBND_TINH_56")
    assert not plan.targets.exists() and plan.versions.count() == 1
    # the standing office's account, with a one-time password that signs in
    user = User.objects.get(username="so.khanhhoa")
    (assignment,) = user.assignments.all()
    assert (assignment.role, assignment.unit, assignment.agency) == (
        Role.STANDING_OFFICE,
        province,
        health,
    )
    password = out.split("one-time password ")[1].split()[0]
    assert user.check_password(password)
    assert AuditEvent.objects.filter(verb="province.load", object_id=str(province.pk)).exists()

    before = _counts(province)
    again = _run("Khánh Hòa", "--admin-user", "so.khanhhoa")
    assert _counts(province) == before
    assert "(0 new)" in again and "kept" in again and "one-time password" not in again
    assert User.objects.get(username="so.khanhhoa").check_password(password)


def test_the_three_tier_map_has_districts_and_the_dated_standing_office() -> None:
    _run(KHANH_HOA, "--map", "legacy")
    province = _province(KHANH_HOA, new=False)
    districts = list(province.children.filter(level=UnitLevel.DISTRICT))
    assert len(districts) == 9
    for district in districts:
        for prefix in ("UBND_H", "CA_H", "DOI178_H"):
            assert Agency.objects.get(code=f"{prefix}{district.code}_56L").unit == district
    labour = Agency.objects.get(code="SO_LDTBXH_56L")
    assert labour.valid_to == datetime.date(2025, 2, 28)
    role = AgencyRoleKind.STANDING_OFFICE
    assert agency_with_role(role, province, datetime.date(2019, 6, 1)) == labour
    assert agency_with_role(role, province, datetime.date(2025, 3, 1)).code == "SO_YTE_56L"  # type: ignore[union-attr]
    # the plan of the last year of that map
    assert Plan.objects.get(unit=province).period_start.year == min(timezone.localdate().year, 2025)


def test_both_maps_of_one_province_and_dak_lak_keep_apart() -> None:
    """Codes never collide: loading the two maps of Khánh Hòa, then Đắk Lắk's template
    communes on its 2025 map, moves no agency from its unit and keeps Đắk Lắk's codes."""
    dak_lak = {a.code: a.unit_id for a in Agency.objects.all()}
    _run(KHANH_HOA)
    _run(KHANH_HOA, "--map", "legacy")
    _run("66", "--map", "legacy")
    _run("66")
    after = {a.code: a.unit_id for a in Agency.objects.all()}
    assert all(after[code] == unit for code, unit in dak_lak.items())
    new_dak_lak = _province("66")
    assert Agency.objects.filter(unit__parent=new_dak_lak).count() == 2 * 102
    # Đắk Lắk's province bodies are those of its own list, not a template copy
    assert not Agency.objects.filter(code="SO_YTE_66").exists()
    assert Agency.objects.filter(code__endswith="_56").count() == 16 + 2 * 65
    assert Agency.objects.filter(code__endswith="_56L").count() > 300


def test_template_loading_is_idempotent_and_repairs_changed_rows() -> None:
    _run(KHANH_HOA)
    province = _province(KHANH_HOA)
    rows = Agency.objects.filter(unit__path__startswith=province.path)
    before = {a.code: (a.pk, a.name, a.unit_id, a.parent_id) for a in rows}
    commune_police = rows.filter(level=UnitLevel.COMMUNE, kind="police").first()
    assert commune_police is not None
    Agency.objects.filter(pk=commune_police.pk).update(name="Đổi tên", parent=None)
    assert load_template(province) == len(before)
    assert {a.code: (a.pk, a.name, a.unit_id, a.parent_id) for a in rows.all()} == before


def test_every_template_code_carries_the_province_suffix() -> None:
    """The rule that keeps codes unique across provinces and maps, for every entry."""
    data = yaml.safe_load((DATA_DIR / "template.yaml").read_text(encoding="utf-8"))
    for part in ("province", "district", "commune"):
        for spec in data[part]:
            assert spec["code"].endswith("_{p}"), spec["code"]
            if part != "province":
                assert "{code}" in spec["code"], spec["code"]
            assert not spec.get("parent") or spec["parent"].endswith("_{p}")


@pytest.mark.parametrize("token", ["Atlantis", "99", ""])
def test_an_unknown_province_is_refused_in_both_languages(token: str) -> None:
    with pytest.raises(CommandError) as caught:
        _run(token)
    message = str(caught.value)
    assert "Không có tỉnh" in message and "There is no province" in message


def test_a_bad_user_name_is_refused_and_nothing_is_loaded() -> None:
    units = Unit.objects.count()
    with pytest.raises(ProvinceError) as caught:
        load_province(KHANH_HOA, actor=None, admin_user="so khanh hoa")
    assert caught.value.field == "admin_user"
    assert "Tên đăng nhập" in caught.value.texts["vi"]
    assert Unit.objects.count() == units  # one transaction: the units went back too


def test_only_administrators_load_a_province(persona: Any) -> None:
    with pytest.raises(Exception) as caught:
        load_province(KHANH_HOA, actor=persona("thuongtruc"))
    assert type(caught.value).__name__ == "PermissionDenied"
    assert not Unit.objects.filter(code=KHANH_HOA, level=UnitLevel.PROVINCE).exists()


def test_the_page_lists_provinces_and_loads_another(client_for: Any) -> None:
    url = reverse("plans:provinces")
    assert url == "/plans/provinces/"
    for name in ("thuongtruc", "lanhdao", "congan", "xa.tanlap", "baovedl"):
        assert client_for(name).get(url).status_code == 403
    admin = client_for("admin")
    page = admin.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tỉnh Đắk Lắk" in html and '<option value="56">Tỉnh Khánh Hòa (56)</option>' in html
    response = admin.post(url, {"province": "56", "map": "2025", "admin_user": "so.khanhhoa"})
    assert response.status_code == 200
    html = response.content.decode()
    password = html.split('id="one-time-password">')[1].split("<")[0]
    assert User.objects.get(username="so.khanhhoa").check_password(password)
    row = next(p for p in loaded_provinces() if p.unit == _province(KHANH_HOA))
    assert (row.units, row.agencies, row.plans, row.users) == (66, 146, 1, 1)
    assert row.map != MAP_LEGACY
    event = AuditEvent.objects.get(verb="province.load")
    assert event.actor_name == "admin"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"province": "57", "map": "2025"}, "province"),  # no such GSO code in the list
        ({"province": "56", "map": "1990"}, "map"),
        ({"province": "56", "map": "2025", "admin_user": "so khanh hoa"}, "admin_user"),
    ],
)
def test_bad_input_on_the_page_is_a_400_naming_the_field(
    client_for: Any, data: dict[str, str], field: str
) -> None:
    response = client_for("admin").post(reverse("plans:provinces"), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Plan.objects.filter(unit__code="56").exists()


def test_the_page_runs_a_bounded_number_of_queries(
    client_for: Any, django_assert_max_num_queries: Any
) -> None:
    admin = client_for("admin")
    _run(KHANH_HOA)
    _run("12")
    with django_assert_max_num_queries(20):
        assert admin.get(reverse("plans:provinces")).status_code == 200


def test_the_page_is_in_the_administrators_menu(client_for: Any) -> None:
    url = reverse("plans:provinces")
    assert f'href="{url}"' in client_for("admin").get("/").content.decode()
    assert f'href="{url}"' not in client_for("thuongtruc").get("/").content.decode()
