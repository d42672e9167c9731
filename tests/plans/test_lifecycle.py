"""Plans over time: copy last year's into a draft, edit it, submit, issue; versions; the plan
in force per period; re-importing keeps what data refers to."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.core.concurrency import EditConflict
from pcmd.geo.models import Unit
from pcmd.plans import actions
from pcmd.plans.models import Plan, PlanStatus, Target
from pcmd.plans.selectors import in_force, latest
from pcmd.plans.structure import StructureError, to_data
from pcmd.taskreports.models import TaskReport

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


@pytest.fixture
def draft2019(plan2018, persona) -> Plan:
    return actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=D(2019, 1, 1),
        period_end=D(2019, 12, 31),
    )


def test_the_seed_plan_is_issued_and_has_a_version(plan2018) -> None:
    assert plan2018.status == PlanStatus.ISSUED
    assert plan2018.status_on(D(2018, 6, 1)) == PlanStatus.IN_FORCE
    assert plan2018.status_on(D(2026, 1, 1)) == PlanStatus.CLOSED
    assert plan2018.versions.count() >= 1


def test_copy_makes_a_draft_and_leaves_the_old_plan_alone(plan2018, draft2019, persona) -> None:
    before = to_data(plan2018)
    old_ids = set(plan2018.targets.values_list("pk", flat=True))
    assert draft2019.status == PlanStatus.DRAFT and draft2019.number == ""
    assert draft2019.title.endswith("năm 2019")
    assert draft2019.copied_from == plan2018
    assert [t.code for t in draft2019.targets.all()] == [f"T{i}" for i in range(1, 8)]
    assert not set(draft2019.targets.values_list("pk", flat=True)) & old_ids

    data = to_data(draft2019)
    data["targets"][1]["value_min"] = 120
    data["targets"][1]["value_max"] = 160
    data["targets"] = [t for t in data["targets"] if t["code"] != "T5"]
    data["tasks"][1]["items"].append("Rà soát các cơ sở lưu trú mới cấp phép.")
    actions.save_content(
        draft2019, data, actor=persona("thuongtruc"), version=draft2019.version, note="T2, T5"
    )
    draft2019.refresh_from_db()
    assert draft2019.targets.get(code="T2").value_max == 160
    assert not draft2019.targets.filter(code="T5").exists()  # nothing referred to it
    assert to_data(plan2018) == before
    assert draft2019.versions.count() == 2


def test_an_edit_on_a_stale_version_is_refused(draft2019, persona) -> None:
    stale = draft2019.version
    actions.update_header(draft2019, {"title": "Kế hoạch 2019"}, actor=persona("thuongtruc"))
    with pytest.raises(EditConflict):
        actions.save_content(
            draft2019, {"objectives": ["x"]}, actor=persona("thuongtruc"), version=stale
        )


def test_bad_content_names_the_field(draft2019, persona) -> None:
    data = to_data(draft2019)
    data["targets"][0]["value"] = "nhiều"
    data["targets"][2]["kind"] = "percent_units"
    data["targets"][2]["value"] = 250
    with pytest.raises(StructureError) as refused:
        actions.save_content(draft2019, data, actor=persona("thuongtruc"))
    assert set(refused.value.errors) >= {"targets[0].value", "targets[2].value"}


def test_submit_and_issue_need_their_roles(draft2019, persona) -> None:
    with pytest.raises(PermissionDenied):
        actions.submit(draft2019, actor=persona("sovhttdl"))
    actions.comment(draft2019, "Đề nghị bổ sung chỉ tiêu kiểm tra.", actor=persona("sovhttdl"))
    plan = actions.submit(draft2019, actor=persona("thuongtruc"))
    assert plan.status == PlanStatus.REVIEW
    assert plan.comments.get().agency.code == "SO_VHTTDL"
    with pytest.raises(PermissionDenied):
        actions.issue(
            plan,
            actor=persona("thuongtruc"),
            number="99/KH-UBND",
            issued_on=D(2019, 3, 1),
            signer_name="A",
            signer_title="PHÓ CHỦ TỊCH",
        )
    with pytest.raises(ValidationError) as refused:
        actions.issue(
            plan,
            actor=persona("lanhdao"),
            number="1842/KH-UBND",
            issued_on=D(2019, 3, 1),
            signer_name="",
            signer_title="PHÓ CHỦ TỊCH",
        )
    assert {"number", "signer_name"} <= set(refused.value.message_dict)
    plan = actions.issue(
        plan,
        actor=persona("lanhdao"),
        number="520/KH-UBND",
        issued_on=D(2019, 3, 1),
        signer_name="Nguyễn Tuấn Hà",
        signer_title="PHÓ CHỦ TỊCH",
        signer_authority="KT. CHỦ TỊCH",
    )
    assert plan.status == PlanStatus.ISSUED
    with pytest.raises(ValidationError):
        actions.update_header(plan, {"title": "x"}, actor=persona("thuongtruc"))


def test_the_plan_in_force_follows_the_period(plan2018, draft2019, persona) -> None:
    province = plan2018.unit
    assert in_force(province, D(2019, 1, 1), D(2019, 12, 31)) is None  # a draft binds nothing
    actions.submit(draft2019, actor=persona("thuongtruc"))
    actions.issue(
        draft2019,
        actor=persona("lanhdao"),
        number="520/KH-UBND",
        issued_on=D(2019, 3, 1),
        signer_name="Nguyễn Tuấn Hà",
        signer_title="PHÓ CHỦ TỊCH",
    )
    assert in_force(province, D(2018, 1, 1), D(2018, 12, 31)) == plan2018
    assert in_force(province, D(2019, 1, 1), D(2019, 6, 30)).number == "520/KH-UBND"
    commune = Unit.objects.filter(path__startswith=province.path, level=3).first()
    assert in_force(commune, D(2019, 5, 1)).number == "520/KH-UBND"
    assert latest(province, on=D(2020, 5, 1)).number == "520/KH-UBND"
    # after the 2025 reform the new province's plans and the old ones are one province's
    new = Unit.objects.get(code="66", level=1, valid_from__isnull=False)
    assert in_force(new, D(2018, 3, 1)) == plan2018


def test_reimport_keeps_what_data_refers_to(plan2018, tmp_path) -> None:
    import yaml

    target_ids = dict(plan2018.targets.values_list("code", "pk"))
    TaskReport.objects.create(
        plan=plan2018,
        group_number="14",
        agency=plan2018.task_groups.get(number="14").agencies.first(),
        year=2018,
        period="h1",
        period_start=D(2018, 1, 1),
        period_end=D(2018, 6, 14),
    )
    data = yaml.safe_load((actions.DATA_DIR / "kh-1842-2018.yaml").read_text(encoding="utf-8"))
    data["tasks"] = [t for t in data["tasks"] if t["number"] not in ("13", "14")]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    again = actions.import_plan(path, actor=None)
    assert again.pk == plan2018.pk
    assert dict(again.targets.values_list("code", "pk")) == target_ids  # updated in place
    # an issued plan keeps every heading it had (withdrawn), reported on or not
    assert again.task_groups.get(number="13").withdrawn
    kept = again.task_groups.get(number="14")
    assert kept.withdrawn and kept.tasks.exists()
    assert again.versions.count() >= 2


def test_a_referenced_target_is_withdrawn_not_deleted(plan2018, draft2019, persona) -> None:
    national = Plan.objects.create(
        number="1629/QĐ-TTg",
        kind="QĐ",
        plan_type="national",
        status=PlanStatus.ISSUED,
        title="Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025",
        issued_on=D(2021, 9, 28),
        place="Hà Nội",
        unit=None,
        issuer_name="Thủ tướng Chính phủ",
        signer_name="",
        signer_title="THỦ TƯỚNG",
        period_start=D(2021, 1, 1),
        period_end=D(2025, 12, 31),
    )
    higher = Target.objects.create(
        plan=national, code="NT1", order=1, text="70% xã", short="70% xã", kind="percent_units"
    )
    t1 = draft2019.targets.get(code="T1")
    t1.parent = higher
    t1.save()
    # a draft target that serves a higher one is kept; the higher target is not deletable
    data = to_data(national)
    data["targets"] = []
    from pcmd.plans.structure import apply_data, check

    apply_data(national, check(data))
    higher.refresh_from_db()
    assert higher.withdrawn
    assert national in Plan.objects.visible_to(persona("xa.easo"))
