"""XLSX imports: templates, all-or-nothing saving, problems naming row and column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from pcmd.core.models import AuditEvent
from pcmd.outreach import actions
from pcmd.outreach.imports import ACTIVITY_HEADERS, OFFICER_HEADERS, PARTICIPANT_HEADERS
from pcmd.outreach.models import Activity, Officer, TrainingParticipant

from .builders import EA_SO, TAN_LAP, officer, training, workbook

pytestmark = pytest.mark.django_db

A = list(ACTIVITY_HEADERS.values())
GOOD_ACTIVITY = [
    "10/05/2018",
    "24118",
    "UBND_X24118",
    "Chi hội Phụ nữ tổ dân phố 3",
    "Hội họp thôn, buôn, tổ dân phố",
    "Nhân dân (cộng đồng dân cư); Hội viên phụ nữ",
    "Tác hại của mại dâm",
    80,
    None,
    None,
]


def test_activity_template_lists_the_columns_and_the_catalog(client_for) -> None:
    response = client_for("xa.tanlap").get("/outreach/import/?template=1")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[0] == "Ngày *" and "Hình thức *" in header and "Đối tượng" in header
    guide = "\n".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row)
    assert "Chiếu phim" in guide and "Người từng bán dâm" in guide


def test_clean_activity_file_is_saved_whole(persona) -> None:
    user = persona("xa.tanlap")
    data = workbook(
        A,
        [
            GOOD_ACTIVITY,
            [
                "2018-06-01",
                24118,
                "Sở Văn hóa - Thể thao và Du lịch",
                "Đội Thông tin lưu động",
                "film",
                "public",
                "Chiếu phim tuyên truyền",
                300,
                None,
                "Buổi tối",
            ],
        ],
    )
    outcome = actions.import_activities(data, actor=user)
    assert outcome.ok and outcome.saved == 2
    film = Activity.objects.get(title="Chiếu phim tuyên truyền")
    assert (film.agency.code, film.form.code, film.participants, film.notes) == (
        "SO_VHTTDL",
        "film",
        300,
        "Buổi tối",
    )
    meeting = Activity.objects.get(title="Tác hại của mại dâm")
    assert sorted(meeting.audiences.values_list("code", flat=True)) == ["public", "womens_union"]
    event = AuditEvent.objects.get(verb="outreach.activity.import")
    assert event.changes["rows"] == [None, 2] and event.actor_name == "xa.tanlap"


def test_any_bad_row_saves_nothing_and_every_problem_is_named(persona) -> None:
    def row(**changes):
        values = dict(zip(A, GOOD_ACTIVITY, strict=True))
        values.update(changes)
        return list(values.values())

    data = workbook(
        A,
        [
            row(),  # 2: fine
            row(**{"Mã đơn vị hành chính": "24379"}),  # 3: other commune
            row(**{"Ngày": "31/02/2018"}),  # 4: no such date
            row(**{"Hình thức": "Hát quan họ"}),  # 5: unknown form
            row(**{"Đối tượng": "Nhân dân (cộng đồng dân cư); Người ngoài hành tinh"}),  # 6
            row(**{"Cơ quan tổ chức": "Sở Không Tồn Tại"}),  # 7
            row(**{"Số người tham dự": -5}),  # 8
            row(**{"Nội dung": None}),  # 9
            row(**{"Ngày": "01/01/2030"}),  # 10: future
        ],
    )
    outcome = actions.import_activities(data, actor=persona("xa.tanlap"))
    assert not outcome.ok and outcome.saved == 0
    assert not Activity.objects.exists()
    where = {(p.row, p.column) for p in outcome.problems}
    assert where == {
        (3, "Mã đơn vị hành chính"),
        (4, "Ngày"),
        (5, "Hình thức"),
        (6, "Đối tượng"),
        (7, "Cơ quan tổ chức"),
        (8, "Số người tham dự"),
        (9, "Nội dung"),
        (10, "Ngày"),
    }
    by_row = {p.row: p for p in outcome.problems}
    assert "24379" in by_row[3].message and "24379" in by_row[3].message_en
    assert "Người ngoài hành tinh" in by_row[6].message
    assert "future" in by_row[10].message_en
    assert not AuditEvent.objects.filter(verb="outreach.activity.import").exists()


def test_unit_not_yet_existing_on_the_date(persona) -> None:
    data = workbook(
        A, [["05/01/2025", "24127", "UBND_H643", "", "meeting", "public", "Họp", 10, None, None]]
    )
    outcome = actions.import_activities(data, actor=persona("huyen.bmt"))
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "Mã đơn vị hành chính")]
    assert "05/01/2025" in outcome.problems[0].message


def test_import_page_shows_problems_then_accepts_the_fixed_file(client_for) -> None:
    client = client_for("xa.tanlap")
    bad = workbook(A, [GOOD_ACTIVITY, [*GOOD_ACTIVITY[:4], "Không rõ", *GOOD_ACTIVITY[5:]]])
    response = client.post("/outreach/import/", {"file": SimpleUploadedFile("a.xlsx", bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-problems"' in html and "Không rõ" in html
    assert not Activity.objects.exists()
    good = workbook(A, [GOOD_ACTIVITY])
    response = client.post("/outreach/import/", {"file": SimpleUploadedFile("a.xlsx", good)})
    assert response.status_code == 302
    assert Activity.objects.count() == 1


def test_not_an_excel_file(client_for) -> None:
    response = client_for("xa.tanlap").post(
        "/outreach/import/", {"file": SimpleUploadedFile("a.xlsx", b"not excel")}
    )
    assert response.status_code == 400
    assert "xlsx" in response.content.decode()


def test_read_only_user_cannot_import(client_for) -> None:
    response = client_for("lanhdao").post(
        "/outreach/import/", {"file": SimpleUploadedFile("a.xlsx", workbook(A, [GOOD_ACTIVITY]))}
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


# --- roster ----------------------------------------------------------------------------

OFF = list(OFFICER_HEADERS.values())


def test_roster_import_all_or_nothing(persona) -> None:
    officer(TAN_LAP, "Nguyễn Thị Hoa")
    user = persona("huyen.bmt")
    good = [
        ["Trần Văn Nam", "Công chức VH-XH", "24121", "01/01/2015", None, "Có", None],
        ["Lê Thị Mai", "Chủ tịch Hội LHPN", "24124", None, None, "Không", "Kiêm nhiệm"],
        ["Phạm Văn Hùng", "Phó Trưởng Công an", 24118, None, None, None, None],
    ]
    bad = [
        *good,
        ["Nguyễn  Thị Hoa", "Công chức", "24118", None, None, None, None],  # 5: on roster
        ["Võ Văn Sơn", "Công chức", EA_SO, None, None, None, None],  # 6: scope
        ["Hồ Thị Lan", "Công chức", "24118", "01/06/2018", "01/01/2018", None, None],  # 7
        ["Trần Văn Nam", "Công chức VH-XH", "24121", None, None, None, None],  # 8: dup
        ["Đỗ Văn Long", "Công chức", "643", None, None, None, None],
    ]  # 9: district
    outcome = actions.import_officers(workbook(OFF, bad), actor=user)
    assert {(p.row, p.column) for p in outcome.problems} == {
        (5, "Họ và tên"),
        (6, "Mã xã"),
        (7, "Đến ngày"),
        (8, "Họ và tên"),
        (9, "Mã xã"),
    }
    assert Officer.objects.count() == 1
    outcome = actions.import_officers(workbook(OFF, good), actor=user)
    assert outcome.ok and outcome.saved == 3
    mai = Officer.objects.get(full_name="Lê Thị Mai")
    assert not mai.is_social_evils_officer and mai.notes == "Kiêm nhiệm"
    assert Officer.objects.get(full_name="Phạm Văn Hùng").is_social_evils_officer


# --- participants ----------------------------------------------------------------------

P = list(PARTICIPANT_HEADERS.values())


def test_participants_import_links_the_roster(persona, client_for) -> None:
    course = training("643", level="district", agency_code="LDTBXH_H643")
    hoa = officer(TAN_LAP, "Nguyễn Thị Hoa")
    nam = officer("24121", "Trần Văn Nam")
    outsider = officer(EA_SO, "Võ Văn Sơn")
    user = persona("huyen.bmt")
    rows = [
        ["Nguyễn Thị Hoa", None, "24118", None],  # by name + commune
        ["", None, "24121", nam.pk],  # by roster ID
        ["Đinh Văn Khoa", "Chuyên viên Phòng LĐ-TB&XH", "643", None],
    ]  # other
    bad = [
        *rows,
        ["Võ Văn Sơn", None, "24379", outsider.pk],  # 5: not in scope
        ["Nguyễn Thị Hoa", None, "24118", hoa.pk],  # 6: same as row 2
        ["Trần Văn Bình", None, "24121", nam.pk],
    ]  # 7: name differs from ID
    outcome = actions.import_participants(course, workbook(P, bad), actor=user)
    assert {(p.row, p.column) for p in outcome.problems} == {
        (5, "Mã đơn vị hành chính"),
        (5, "Mã cán bộ trong danh sách"),
        (6, "Họ và tên"),
        (7, "Họ và tên"),
    }
    assert not course.participants.exists()
    outcome = actions.import_participants(course, workbook(P, rows), actor=user)
    assert outcome.ok and outcome.saved == 3
    linked = dict(course.participants.values_list("full_name", "officer"))
    assert linked == {"Nguyễn Thị Hoa": hoa.pk, "Trần Văn Nam": nam.pk, "Đinh Văn Khoa": None}
    # a second import of the same people is refused as duplicates
    outcome = actions.import_participants(course, workbook(P, rows[:1]), actor=user)
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "Họ và tên")]
    assert TrainingParticipant.objects.filter(training=course).count() == 3
    # the page: only the course's editors
    url = f"/outreach/trainings/{course.pk}/participants/import/"
    assert client_for("xa.tanlap").get(url).status_code == 404
    assert client_for("huyen.bmt").get(url + "?template=1").status_code == 200
