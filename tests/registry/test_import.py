"""The XLSX import: every row checked first, every problem named, all rows or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from pcmd.core.models import AuditEvent
from pcmd.registry.actions import import_establishments
from pcmd.registry.importer import template
from pcmd.registry.models import Establishment, Licence, StaffCount

from .conftest import EA_SO, HEADERS, TAN_LAP, good_row, workbook

pytestmark = pytest.mark.django_db

COMMUNE = "Xã/phường/thị trấn (mã hoặc tên)"
DISTRICT = "Huyện/thị xã/thành phố"


def where(outcome) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in outcome.problems}


def test_template_has_the_columns_a_guide_and_the_kinds() -> None:
    wb = load_workbook(io.BytesIO(template()))
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:4] == ["Tên cơ sở *", "Loại hình *", "Địa chỉ *", f"{COMMUNE} *"]
    assert wb.sheetnames[1] == "Hướng dẫn"
    formulas = [dv.formula1 for dv in wb.worksheets[0].data_validations.dataValidation]
    assert any("Massage/xông hơi" in f and "Cắt tóc thanh nữ" in f for f in formulas)


def test_a_clean_file_is_saved_whole(persona) -> None:
    rows = [
        good_row(
            1,
            TAN_LAP,
            **{
                "Loại giấy phép": "Giấy phép kinh doanh karaoke/vũ trường",
                "Số giấy phép": "12/GP-SVHTTDL",
                "Ngày cấp": "01/02/2016",
                "Ngày hết hạn": "01/02/2021",
            },
        ),
        good_row(2, "Phường Tân Hòa", **{"Tình trạng": "Tạm ngừng hoạt động"}),
        good_row(
            3,
            "tan lap",
            **{"Ngày số liệu": None, "Số nhân viên nữ": None, "Tổng số nhân viên": None},
        ),
        good_row(4, 24118.0, **{"Vĩ độ": "12,68", "Kinh độ": 108.07}),
    ]
    rows[2]["Ngày số liệu"] = "12/03/2018"
    outcome = import_establishments(workbook(rows), actor=persona("huyen.bmt"), filename="a.xlsx")
    assert outcome.ok, outcome.problems
    assert len(outcome.created) == 4
    saved = {e.name: e for e in Establishment.objects.select_related("commune")}
    assert saved["Nhà nghỉ Số 2"].commune.code == "24121"
    assert saved["Nhà nghỉ Số 2"].status == "suspended"
    assert saved["Nhà nghỉ Số 4"].lat == pytest.approx(12.68)
    assert Licence.objects.get().expires_on == datetime.date(2021, 2, 1)
    assert StaffCount.objects.count() == 3
    assert StaffCount.objects.get(establishment=saved["Nhà nghỉ Số 1"]).as_of == datetime.date(
        2018, 6, 30
    )
    event = AuditEvent.objects.get(verb="establishment.import")
    assert event.changes["created"] == [None, 4] and event.reason == "a.xlsx"


def test_any_bad_row_saves_nothing_and_every_problem_is_named(persona) -> None:
    rows = [good_row(n) for n in range(1, 9)]
    rows[1]["Số nhân viên nữ"] = 9  # more than staff (5)
    rows[2]["Hoạt động từ ngày"] = "31/02/2018"
    rows[3][COMMUNE] = "Phường Không Có"
    rows[4]["Loại hình"] = "Sòng bạc"
    rows[5]["Tên cơ sở"] = None
    rows[6]["Số giấy phép"] = "99"  # a licence without its kind
    rows[7]["Vĩ độ"] = 48.5
    rows[7]["Kinh độ"] = 108.0
    outcome = import_establishments(workbook(rows), actor=persona("huyen.bmt"))
    assert not outcome.ok and outcome.created == []
    assert Establishment.objects.count() == 0
    assert where(outcome) == {
        (3, "Số nhân viên nữ"),
        (4, "Hoạt động từ ngày"),
        (5, COMMUNE),
        (6, "Loại hình"),
        (7, "Tên cơ sở"),
        (8, "Loại giấy phép"),
        (9, "Vĩ độ"),
    }
    female = next(p for p in outcome.problems if p.row == 3)
    assert "9" in female.message_en and "5" in female.message_en
    date = next(p for p in outcome.problems if p.row == 4)
    assert "31/02/2018" in date.message and "dd/mm/yyyy" in date.message
    assert all(p.message and p.message_en for p in outcome.problems)


def test_a_bad_date_of_the_row_is_not_also_blamed_on_the_commune(persona) -> None:
    row = good_row(1, "Phường Thống Nhất", **{"Ngày số liệu": "31/02/2018"})
    outcome = import_establishments(workbook([row]), actor=persona("huyen.bmt"))
    assert where(outcome) == {(2, "Ngày số liệu")}


def test_one_problem_per_bad_cell(persona) -> None:
    row = good_row(
        1, **{"Loại giấy phép": "Giấy phép bay", "Số giấy phép": "1", "Tổng số nhân viên": "mười"}
    )
    outcome = import_establishments(workbook([row]), actor=persona("huyen.bmt"))
    assert sorted(p.column for p in outcome.problems) == ["Loại giấy phép", "Tổng số nhân viên"]


def test_duplicates_within_the_file_and_against_the_register(persona, make_est) -> None:
    make_est(TAN_LAP, name="Karaoke Đã Có", address="7 Y Jút", registration_no="6000000007")
    rows = [good_row(1), good_row(2), good_row(3), good_row(4), good_row(5)]
    rows[1]["Số đăng ký kinh doanh"] = rows[0]["Số đăng ký kinh doanh"]
    rows[2].update({"Tên cơ sở": "NHÀ NGHỈ số-1", "Địa chỉ": "1, Nguyễn  Tất Thành"})
    rows[3]["Số đăng ký kinh doanh"] = "6000000007"
    rows[4].update({"Tên cơ sở": "karaoke da co", "Địa chỉ": "7 Y Jut"})
    outcome = import_establishments(workbook(rows), actor=persona("huyen.bmt"))
    assert where(outcome) == {
        (3, "Số đăng ký kinh doanh"),
        (4, "Tên cơ sở"),
        (5, "Số đăng ký kinh doanh"),
        (6, "Tên cơ sở"),
    }
    messages = {p.row: p.message_en for p in outcome.problems}
    assert "row 2" in messages[3] and "row 2" in messages[4]
    assert "Karaoke Đã Có" in messages[5] and "Karaoke Đã Có" in messages[6]
    assert Establishment.objects.count() == 1


def test_commune_by_code_name_district_and_date(persona) -> None:
    officer = persona("thuongtruc")
    rows = [
        good_row(1, "Phường Thống Nhất"),  # a ward of BMT and of Buôn Hồ in 2018
        good_row(2, "Phường Thống Nhất", **{DISTRICT: "Thị xã Buôn Hồ"}),
        good_row(3, "Phường Thống Nhất", **{DISTRICT: "TP Buôn Ma Thuột"}),
        good_row(
            4, "Phường Thống Nhất", **{DISTRICT: "Buôn Ma Thuột", "Ngày số liệu": "01/01/2025"}
        ),  # merged 11/2024
        good_row(5, "Phường Thắng Lợi"),  # 24133's name in 2018
        good_row(6, "Phường Thành Công", **{DISTRICT: "643"}),  # 24139 in 2018
        good_row(7, "24127", **{"Ngày số liệu": "01/01/2025"}),
    ]
    outcome = import_establishments(workbook(rows), actor=officer)
    assert where(outcome) == {(2, COMMUNE), (5, COMMUNE), (8, COMMUNE)}
    by_row = {p.row: p.message_en for p in outcome.problems}
    assert "several communes" in by_row[2] and "Thị Xã Buôn Hồ" in by_row[2]
    assert "did not exist on 01/01/2025" in by_row[5]
    rows = [r for i, r in enumerate(rows) if i not in (0, 3, 6)]
    outcome = import_establishments(workbook(rows), actor=officer)
    assert outcome.ok, outcome.problems
    codes = {e.name: e.commune.code for e in Establishment.objects.select_related("commune")}
    assert codes == {
        "Nhà nghỉ Số 2": "24331",
        "Nhà nghỉ Số 3": "24127",
        "Nhà nghỉ Số 5": "24133",
        "Nhà nghỉ Số 6": "24139",
    }


def test_rows_outside_the_uploaders_area_are_refused(persona) -> None:
    outcome = import_establishments(
        workbook([good_row(1, TAN_LAP), good_row(2, EA_SO)]), actor=persona("xa.tanlap")
    )
    assert where(outcome) == {(3, COMMUNE)}
    assert "not a commune in your area" in outcome.problems[0].message_en
    assert Establishment.objects.count() == 0


def test_missing_column_and_bad_file(persona) -> None:
    officer = persona("huyen.bmt")
    assert not import_establishments(b"not a workbook", actor=officer).ok
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append([h for h in HEADERS if h != "Địa chỉ"])
    wb.active.append(["x"])
    buf = io.BytesIO()
    wb.save(buf)
    outcome = import_establishments(buf.getvalue(), actor=officer)
    assert [(p.row, p.column) for p in outcome.problems] == [(1, "Địa chỉ")]


def test_upload_page_reports_problems_and_offers_the_workbook(client_for) -> None:
    client = client_for("huyen.bmt")
    bad = [good_row(1), good_row(2, **{"Số nhân viên nữ": 7})]
    response = client.post(
        "/registry/import/", {"file": SimpleUploadedFile("co-so.xlsx", workbook(bad))}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số nhân viên nữ" in html and "cannot be more than all staff" in html
    assert Establishment.objects.count() == 0
    download = client.get("/registry/import/problems.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "Số nhân viên nữ"]
    response = client.post(
        "/registry/import/",
        {"file": SimpleUploadedFile("co-so.xlsx", workbook([good_row(1), good_row(2)]))},
    )
    assert response.status_code == 302 and response["Location"] == "/registry/"
    assert Establishment.objects.count() == 2
    assert client.get("/registry/import/problems.xlsx").status_code == 404


def test_readers_cannot_import(client_for) -> None:
    for name in ["lanhdao", "sovhttdl", "ctxh.bmt"]:
        response = client_for(name).post(
            "/registry/import/", {"file": SimpleUploadedFile("co-so.xlsx", workbook([good_row(1)]))}
        )
        assert response.status_code == 403, name
    assert Establishment.objects.count() == 0
