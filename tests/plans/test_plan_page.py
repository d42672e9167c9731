import pytest

from pcmd.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


def test_plan_is_loaded_whole(plan) -> None:
    assert plan.issued_on.isoformat() == "2018-03-12"
    assert plan.signer_name == "Nguyễn Tuấn Hà"
    assert plan.objectives.count() == 3
    assert [t.code for t in plan.targets.all()] == [f"T{i}" for i in range(1, 8)]
    assert plan.solution_areas.count() == 5
    assert plan.task_groups.count() == 14
    standing = plan.task_groups.get(number="1")
    assert list(standing.agencies.values_list("code", flat=True)) == ["SO_LDTBXH"]


def test_plan_page_in_vietnamese(client_for, plan) -> None:
    html = client_for("lanhdao").get(f"/plans/{plan.pk}/").content.decode()
    for text in [
        "KẾ HOẠCH",
        "phòng, chống tệ nạn mại dâm",
        "Mục tiêu",
        "174",
        "Đội kiểm tra liên ngành 178 tỉnh",
        "Nơi nhận",
        "Nguyễn Tuấn Hà",
        "Độc lập - Tự do - Hạnh phúc",
        "Sở Lao động - Thương binh và Xã hội",
    ]:
        assert text in html, text


def test_agency_sees_its_own_tasks_first(client_for, plan) -> None:
    html = client_for("congan").get(f"/plans/{plan.pk}/").content.decode()
    mine = html.index('id="my-tasks"')
    assert html.index('id="tasks-2"') > mine  # Công an tỉnh is heading 2
    assert html.index('id="tasks-2"') < html.index('id="tasks-1"')
    district = client_for("huyen.bmt").get(f"/plans/{plan.pk}/").content.decode()
    assert district.index('id="tasks-10"') < district.index('id="tasks-1"')


def test_leadership_without_agency_tasks_sees_plain_order(client_for, plan) -> None:
    html = client_for("admin").get(f"/plans/{plan.pk}/").content.decode()
    assert 'id="my-tasks"' not in html
    assert html.index('id="tasks-1"') < html.index('id="tasks-2"')
