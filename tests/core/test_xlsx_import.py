import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from pcmd.core.xlsx_import import Column, ImportSpec, problems_workbook

SPEC = ImportSpec(
    "Thử",
    [
        Column("name", "Tên", required=True, max_length=20),
        Column("day", "Ngày", kind="date", required=True),
        Column("staff", "Số nhân viên", kind="int", min_value=0),
        Column("fine", "Tiền phạt", kind="decimal"),
        Column("kind", "Loại", kind="choice", choices={"Karaoke": "karaoke", "Massage": "massage"}),
        Column("open", "Đang hoạt động", kind="bool"),
    ],
)


def workbook(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["Tên *", "Ngày *", "Số nhân viên", "Tiền phạt", "Loại", "Đang hoạt động"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_template_has_headers_and_a_guide() -> None:
    wb = load_workbook(io.BytesIO(SPEC.template()))
    assert [c.value for c in wb.worksheets[0][1]][:2] == ["Tên *", "Ngày *"]
    assert wb.sheetnames[1] == "Hướng dẫn"


def test_clean_rows_convert() -> None:
    result = SPEC.parse(
        workbook(
            [
                ["Quán A", "05/03/2018", 12, "1.500.000", "karaoke", "Có"],
                ["Quán B", datetime.datetime(2018, 4, 1), 3.0, 250000, "Massage", "không"],
            ]
        )
    )
    assert result.ok, result.problems
    assert result.rows[0]["day"] == datetime.date(2018, 3, 5)
    assert result.rows[0]["fine"] == Decimal("1500000")
    assert result.rows[1]["kind"] == "massage" and result.rows[1]["open"] is False
    assert result.rows[1]["_row"] == 3


def test_every_problem_is_named_by_row_and_column() -> None:
    result = SPEC.parse(
        workbook(
            [
                ["", "31/02/2018", -1, "abc", "bar", "có lẽ"],
                ["Tên rất rất rất rất rất dài", "01/01/2018", "mười", None, None, None],
            ]
        )
    )
    where = {(p.row, p.column) for p in result.problems}
    assert where == {
        (2, "Tên"),
        (2, "Ngày"),
        (2, "Số nhân viên"),
        (2, "Tiền phạt"),
        (2, "Loại"),
        (2, "Đang hoạt động"),
        (3, "Tên"),
        (3, "Số nhân viên"),
    }
    date_problem = next(p for p in result.problems if p.column == "Ngày")
    assert "dd/mm/yyyy" in date_problem.message and "31/02/2018" in date_problem.message
    assert "date" in date_problem.message_en


def test_missing_column_and_bad_file() -> None:
    result = SPEC.parse(workbook([["x"]], header=["Tên"]))
    assert [p.column for p in result.problems] == ["Ngày"]
    assert not SPEC.parse(b"not a workbook").ok


def test_problems_workbook_lists_them() -> None:
    result = SPEC.parse(workbook([["", "01/01/2018"]]))
    wb = load_workbook(io.BytesIO(problems_workbook(result.problems)))
    assert wb.active.cell(row=2, column=1).value == 2


def test_problems_stop_at_the_maximum_and_say_so() -> None:
    """A file wrong on every row is not read to the end: its problems would be rendered in
    two languages, kept in the session and listed, one by one."""
    from pcmd.core.xlsx_import import MAX_PROBLEMS

    result = SPEC.parse(workbook([["", "hôm qua", "mười"]] * (MAX_PROBLEMS // 2)))
    assert len(result.problems) == MAX_PROBLEMS + 1 and result.full
    assert result.problems[-1].message_en.startswith(f"More than {MAX_PROBLEMS} problems")
    assert max(p.row for p in result.problems) < MAX_PROBLEMS // 2  # reading stopped
