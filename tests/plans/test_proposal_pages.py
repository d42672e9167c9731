"""The pages of the document proposal: who reaches them, upload → review → draft, errors shown
on the item they concern, hostile uploads refused with a message."""

from __future__ import annotations

import io
from typing import Any

import pytest

from benchmarks.plan_proposal import SEED, seed_docx
from pcmd.plans.agency_match import catalog_for
from pcmd.plans.forms_proposal import ReviewForm
from pcmd.plans.models import Plan, PlanProposal, PlanStatus
from tests.conftest import assert_reach

pytestmark = pytest.mark.django_db

NEW = "/plans/import/"


@pytest.fixture(scope="module")
def markdown() -> str:
    return SEED.read_text(encoding="utf-8")


def _form_data(row: PlanProposal) -> dict[str, Any]:
    """What the review page posts when the reviewer changes nothing."""
    form = ReviewForm(proposal=row.proposal, agencies=catalog_for(row.unit).choices())
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def test_only_plan_editors_reach_the_upload_page(client_for) -> None:
    assert_reach(client_for, NEW, {"admin", "thuongtruc"})


def test_upload_review_and_create_the_draft(client_for, markdown) -> None:
    client = client_for("thuongtruc")
    upload = io.BytesIO(seed_docx(markdown))
    upload.name = "1842-KH-UBND.docx"
    response = client.post(NEW, {"file": upload})
    assert response.status_code == 302
    row = PlanProposal.objects.latest("pk")
    assert response["Location"] == f"/plans/import/{row.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "từ 100 đến 150" in html and "174/184" in html  # source sentences
    assert "ĐẾN Số:.....472...../TA" in html  # text not used is listed
    assert 'name="tasks-13-agencies"' in html  # the agencies' pick list
    data = _form_data(row)
    data["targets-1-decision"] = "drop"
    data["targets-2-value_max"] = "160"
    data["title"] = "Kế hoạch phòng, chống tệ nạn mại dâm năm 2018 (đọc từ văn bản)"
    created = client.post(response["Location"], data)
    assert created.status_code == 302, created.content.decode()[:2000]
    row.refresh_from_db()
    plan = Plan.objects.get(pk=row.plan_id)
    assert created["Location"] == f"/plans/{plan.pk}/"
    assert plan.status == PlanStatus.DRAFT and plan.title.endswith("(đọc từ văn bản)")
    assert list(plan.targets.values_list("code", flat=True)) == [
        "T1",
        "T3",
        "T4",
        "T5",
        "T6",
        "T7",
    ]
    assert plan.targets.get(code="T3").value_max == 160
    assert plan.task_groups.count() == 14
    # a second post does not create a second draft
    again = client.post(response["Location"], data)
    assert again.status_code == 302 and Plan.objects.filter(proposals=row).count() == 1


def test_a_bad_fix_is_shown_on_its_item(client_for, markdown) -> None:
    client = client_for("thuongtruc")
    response = client.post(NEW, {"text": markdown})
    row = PlanProposal.objects.latest("pk")
    data = _form_data(row)
    data["targets-1-decision"] = "drop"
    data["targets-3-value"] = "250"  # T4, the third kept target: a percentage above 100
    data["tasks-2-agencies"] = []
    page = client.post(response["Location"], data)
    assert page.status_code == 400
    form = page.context["form"]
    assert "targets-3-value" in form.errors and "tasks-2-agencies" in form.errors
    row.refresh_from_db()
    assert row.plan_id is None


@pytest.mark.parametrize(
    "upload,name",
    [(b"", "empty.docx"), (b"PK\x03\x04 not really", "fake.docx"), (b"\x00" * 1000, "x.docx")],
)
def test_hostile_uploads_are_refused_on_the_page(client_for, upload, name) -> None:
    client = client_for("thuongtruc")
    before = PlanProposal.objects.count()
    file = io.BytesIO(upload)
    file.name = name
    page = client.post(NEW, {"file": file})
    assert page.status_code == 400
    assert page.context["form"].errors
    assert PlanProposal.objects.count() == before


def test_a_proposal_is_its_owners_only(client_for, markdown) -> None:
    response = client_for("thuongtruc").post(NEW, {"text": markdown})
    assert response.status_code == 302
    assert client_for("admin").get(response["Location"]).status_code == 404
    assert client_for("congan").get(response["Location"]).status_code == 403
