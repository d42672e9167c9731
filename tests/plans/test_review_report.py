"""The annual review report of a plan (issue 14, item 5): a Decree 30 DOCX from the standing
office with each target's goal, result and the dashboard's status, the agencies' submitted
task reports by heading, the assessment; small counts of people hidden from readers who may
not see them; only readers of the whole province download it."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import docx
import pytest
from django.utils import translation

from pcmd.agencies.models import Agency
from pcmd.core.periods import year_period
from pcmd.geo.models import Unit
from pcmd.plans import actions
from pcmd.plans.models import Plan
from pcmd.plans.progress import plan_progress
from pcmd.reporting.documents import plan_review as review_report
from pcmd.support.models import SupportCount
from pcmd.taskreports import actions as task_actions
from tests.conftest import assert_reach
from tests.reporting.layout import assert_decree_30_layout

pytestmark = pytest.mark.django_db

DONE_VH = "Kiểm tra 42 cơ sở karaoke trong năm; xử lý 3 cơ sở vi phạm."
DONE_CA = "Triệt phá 2 ổ nhóm mại dâm trong 6 tháng đầu năm."
DRAFT_TEXT = "Nội dung còn đang soạn, chưa gửi."
PROVINCE_READERS = [
    "admin",
    "thuongtruc",
    "lanhdao",
    "congan",
    "doi178",
    "sovhttdl",
    "vks",
    "toaan",
]


@pytest.fixture
def plan2018() -> Plan:
    return Plan.objects.get(number="1842/KH-UBND")


def _report(plan: Plan, user: Any, group: str, code: str, period: str, done: str) -> Any:
    return task_actions.save_task_report(
        plan,
        group,
        Agency.objects.get(code=code),
        2018,
        period,
        actor=user,
        status="done",
        done=done,
        obstacles="Kinh phí còn hạn chế.",
        proposals="Đề nghị bố trí thêm kinh phí.",
    )


@pytest.fixture
def reports(plan2018, persona) -> None:
    """Sở VH-TT&DL: the year's report on IV.3; Công an: only the 6-month report on IV.2;
    Sở LĐ-TB&XH: a draft on IV.1 (never shown)."""
    for user, group, code, period, done in (
        ("sovhttdl", "3", "SO_VHTTDL", "year", DONE_VH),
        ("congan", "2", "CONG_AN_TINH", "h1", DONE_CA),
    ):
        report = _report(plan2018, persona(user), group, code, period, done)
        task_actions.submit_task_report(
            report, actor=persona(user), expected_version=report.version
        )
    _report(plan2018, persona("thuongtruc"), "1", "SO_LDTBXH", "year", DRAFT_TEXT)
    # three people supported in Tân Lập: target T7's figure is a small count of people
    SupportCount.objects.create(
        commune=Unit.objects.get(code="24118", valid_from=None),
        period_start=datetime.date(2018, 4, 1),
        period_end=datetime.date(2018, 6, 30),
        vocational_training=2,
        employment=1,
    )


def _open(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def _targets(document: Any) -> dict[str, list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    return {r.cells[1].text.split(".")[0]: [c.text for c in r.cells] for r in table.rows[1:]}


def test_the_2018_review_from_the_standing_office(plan2018, reports, client_for) -> None:
    response = client_for("thuongtruc").get(f"/plans/{plan2018.pk}/review.docx?year=2018")
    assert response.status_code == 200
    name = f"bao-cao-tong-ket-ke-hoach-{plan2018.pk}-2018.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    document = _open(response.content)
    assert_decree_30_layout(document)
    issuer = document.tables[0].rows[0].cells[0].text.split("\n")
    assert issuer[:2] == ["UBND TỈNH ĐẮK LẮK", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]
    assert re.fullmatch(r"Số: +/BC-SLĐTBXH", document.tables[0].rows[1].cells[0].text)
    body = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in body
    assert (
        "Tổng kết thực hiện Kế hoạch phòng, chống tệ nạn mại dâm trên địa bàn tỉnh năm 2018" in body
    )
    assert "(Số liệu từ ngày 01/01/2018 đến ngày 31/12/2018)" in body
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk." in body
    assert any(p.startswith("Thực hiện Kế hoạch số 1842/KH-UBND ngày 12/03/2018") for p in body)

    # I. the 7 targets, each with the plan's goal and the dashboard's status in Vietnamese
    rows = _targets(document)
    assert list(rows) == [f"T{i}" for i in range(1, 8)]
    # the column widths are on the table's grid, which LibreOffice lays out from
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    assert [round(c.width.mm) for c in table.columns] == [12, 68, 28, 24, 33]
    progress = plan_progress(plan2018, plan2018.unit, year_period(2018))
    with translation.override("vi"):
        for p in progress:
            row = rows[p.target.code]
            assert row[2] == p.goal_text and row[4] == p.status_label.capitalize()
    assert rows["T3"][2] == "100–150" and rows["T6"][2] == "174/184"
    assert rows["T7"][3] == "3"  # the standing office sees the small count
    statuses = [row[4] for row in rows.values()]
    assert set(statuses) <= {
        "Đạt",
        "Không đạt",
        "Chưa có dữ liệu",
        "Theo dõi (không có chỉ tiêu định lượng)",
    }

    # II. the submitted task reports under their headings; a draft never
    text = "\n".join(body)
    heading_3 = body.index("3. Sở Văn hóa - Thể thao và Du lịch")
    assert body[heading_3 + 1] == (
        f"- Sở Văn hóa - Thể thao và Du lịch: {DONE_VH} Tiến độ: đã hoàn thành."
    )
    assert f"- Công an tỉnh (báo cáo 6 tháng): {DONE_CA} Tiến độ: đã hoàn thành." in body
    assert DRAFT_TEXT not in text
    assert body[body.index("1. Sở Lao động - Thương binh và Xã hội") + 1] == (
        "Chưa có báo cáo được gửi."
    )
    assert "- Kinh phí còn hạn chế. (Công an tỉnh, Sở Văn hóa - Thể thao và Du lịch)" in body

    # III. the assessment counts the statuses of section I
    met = statuses.count("Đạt")
    not_met = statuses.count("Không đạt")
    followed = statuses.count("Theo dõi (không có chỉ tiêu định lượng)")
    assert (
        f"Trong số 7 chỉ tiêu của Kế hoạch: {met} chỉ tiêu đạt; {not_met} chỉ tiêu không đạt; "
        f"{followed} chỉ tiêu theo dõi (không có chỉ tiêu định lượng)"
    ) in text
    footer = document.tables[-1].rows[0].cells
    assert footer[0].text.startswith("Nơi nhận:")
    signature = [line for line in footer[1].text.split("\n") if line.strip()]
    assert signature == ["GIÁM ĐỐC", review_report.PLACEHOLDER_NAME]


def test_small_counts_of_people_are_hidden_from_the_leadership(
    plan2018, reports, client_for
) -> None:
    url = f"/plans/{plan2018.pk}/review.docx?year=2018"
    document = _open(client_for("lanhdao").get(url).content)
    assert _targets(document)["T7"][3] == "<5"
    assert "Số người dưới 5 được ghi “<5” (bảo vệ danh tính)." in [
        p.text for p in document.paragraphs
    ]


def test_only_readers_of_the_whole_province_download_it(plan2018, client_for) -> None:
    assert_reach(client_for, f"/plans/{plan2018.pk}/review.docx?year=2018", PROVINCE_READERS)


def test_a_reader_without_task_reports_is_told(plan2018, reports, client_for) -> None:
    document = _open(client_for("doi178").get(f"/plans/{plan2018.pk}/review.docx").content)
    body = [p.text for p in document.paragraphs]
    assert DONE_VH not in "\n".join(body)
    assert "(Tài khoản tải văn bản không được xem báo cáo nhiệm vụ.)" in body


@pytest.mark.parametrize("year", ["2017", "2019", "abc", "99999999999999999999", "-1"])
def test_a_year_outside_the_plan_is_a_400_in_both_languages(plan2018, client_for, year) -> None:
    response = client_for("thuongtruc").get(f"/plans/{plan2018.pk}/review.docx?year={year}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Year: enter a year of the plan, from 2018 to 2018." in html
    assert "2018" in html and 'lang="vi"' in html


def test_a_draft_has_no_review(plan2018, persona, client_for) -> None:
    draft = actions.copy_plan(
        plan2018,
        actor=persona("thuongtruc"),
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
    )
    response = client_for("thuongtruc").get(f"/plans/{draft.pk}/review.docx?year=2019")
    assert response.status_code == 400
    assert "Only an issued plan has a review report" in response.content.decode()


def test_the_standing_office_follows_its_role_over_time(plan2018) -> None:
    province = plan2018.unit
    office_2018 = review_report.standing_office(province, datetime.date(2018, 12, 31))
    office_2025 = review_report.standing_office(province, datetime.date(2025, 12, 31))
    assert office_2018 is not None and office_2018.code == "SO_LDTBXH"
    assert office_2025 is not None and office_2025.code == "SO_YTE"
    assert review_report.head(
        review_report.Review(plan2018, 2025, year_period(2025), province, office_2025),
        datetime.date(2026, 1, 5),
    ).number.endswith("/BC-SYT")


def test_the_review_as_pdf(plan2018, client_for) -> None:
    response = client_for("lanhdao").get(f"/plans/{plan2018.pk}/review.pdf?year=2018")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
