"""The guard of uploaded workbooks: each hostile file is refused before openpyxl parses it,
with a message in both languages naming the limit; valid workbooks pass and are streamed."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from openpyxl import Workbook

from pcmd.core.xlsx_guard import (
    Limits,
    WorkbookRefused,
    check_workbook,
    open_workbook,
    sheet_rows,
)

from . import xlsx_files as files


def refusal(data: bytes, limits: Limits | None = None) -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        check_workbook(data, limits)
    return caught.value


def openpyxl_file(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_valid_workbooks_pass_and_are_streamed() -> None:
    for data in (files.rows_workbook([["a", 1], ["b", 2]]), openpyxl_file([["a", 1], ["b", 2]])):
        wb = open_workbook(data)
        assert [tuple(r) for r in sheet_rows(wb.worksheets[0], columns=2)] == [
            ("a", 1),
            ("b", 2),
        ]
        wb.close()


@pytest.mark.parametrize(
    ("data", "english"),
    [
        (b"", "empty"),
        (b"name,staff\nA,1\n", "not an Excel workbook"),
        (files.OLE, "old Excel workbook (.xls) or is protected by a password"),
        (files.not_xlsx_zip(), "zip archive but not an Excel workbook"),
        (files.rows_workbook([["a"]])[:600], "damaged"),
        (files.huge_shared_string(20_000_000), "compressed 1"),  # 'A' * 20 M: a zip bomb
        (files.huge_inline_string(20_000_000), "compressed 1"),
        (files.zip_bomb(200_000_000), "expands to 190.7 MB; the limit is 64 MB"),
        (files.huge_shared_string(200_000, letters="random"), "limit of 32767"),
        (files.huge_inline_string(200_000, letters="random"), "limit of 32767"),
        (files.many_rows(20_001), "limit of 20000 rows"),
        (files.many_rows(30_000, empty=True), "limit of 20000 rows"),
        (files.far_cell("A1048576"), "limit of 20000 rows"),  # readers pad up to it
        (files.far_cell("XFD1"), "column 16384; the limit is 200 columns"),
        (files.lying_sizes(50_000), "damaged"),  # the directory lies about the size
        (files.build(["<!DOCTYPE x [<!ENTITY a 'b'>]>"]), "not"),
    ],
    ids=[
        "empty",
        "csv",
        "xls-or-encrypted",
        "zip-not-xlsx",
        "truncated",
        "shared-string-bomb",
        "inline-string-bomb",
        "deep-ratio-bomb",
        "huge-shared-string",
        "huge-inline-string",
        "too-many-rows",
        "too-many-empty-rows",
        "far-row",
        "far-column",
        "lying-zip-directory",
        "dtd",
    ],
)
def test_hostile_files_are_refused_with_both_languages(data: bytes, english: str) -> None:
    exc = refusal(data)
    assert english in exc.texts["en"]
    assert exc.texts["vi"] and str(exc)


def test_limits_are_settings_and_a_reader_may_lower_them() -> None:
    data = files.rows_workbook([["x" * 50]] * 5)
    check_workbook(data)
    with override_settings(PCMD_XLSX_LIMITS={"cell_chars": 20}):
        assert "limit of 20" in refusal(data).texts["en"]
    assert "limit of 3 rows" in refusal(data, Limits.configured(rows=3)).texts["en"]


def test_upload_size_is_checked_first() -> None:
    exc = refusal(b"PK\x03\x04" + b"\x00" * (3 * 2**19), Limits(upload_bytes=2**20))
    assert exc.texts["en"] == "The file is 1.5 MB; the limit is 1 MB."


def test_many_shared_strings_and_their_characters_are_bounded() -> None:
    shared = [f"<si><t>text {n}</t></si>" for n in range(50)]
    data = files.build(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], shared)
    check_workbook(data)
    assert "limit of 10" in refusal(data, Limits(shared_strings=10)).texts["en"]
    assert "limit of 100" in refusal(data, Limits(shared_chars=100)).texts["en"]


def test_rich_text_runs_count_as_one_cell() -> None:
    runs = "".join(f"<r><rPr><b/></rPr><t>{'x' * 100}</t></r>" for _ in range(50))
    inline = files.build([f'<row r="1"><c r="A1" t="inlineStr"><is>{runs}</is></c></row>'])
    shared = files.build(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], [f"<si>{runs}</si>"])
    for data in (inline, shared):
        check_workbook(data)
        assert "limit of 4000" in refusal(data, Limits(cell_chars=4000)).texts["en"]


def test_styles_and_parts_with_any_name_are_bounded() -> None:
    def with_part(name: str, content: str | bytes) -> bytes:
        return files.with_part(files.rows_workbook([["a"]]), name, content)

    styles = "<styleSheet><cellXfs>" + '<xf numFmtId="0"/>' * 30 + "</cellXfs></styleSheet>"
    check_workbook(with_part("xl/styles.xml", styles))
    exc = refusal(with_part("xl/styles.xml", styles), Limits(records=20))
    assert "xl/styles.xml holds more than 20 records" in exc.texts["en"]
    rows = "".join(f'<row r="{n}"/>' for n in range(1, 40))
    hidden = with_part(
        "xl/worksheets/sheet9.bin", f"\ufeff<worksheet><sheetData>{rows}</sheetData></worksheet>"
    )
    assert "limit of 30 rows" in refusal(hidden, Limits(rows=30)).texts["en"]
    utf16 = with_part(
        "xl/x.dat", f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode("utf-16")
    )
    assert "limit of 30 rows" in refusal(utf16, Limits(rows=30)).texts["en"]
    check_workbook(with_part("xl/media/image1.png", "\x89PNG binary"))


def test_rows_beyond_the_limit_are_never_read() -> None:
    # openpyxl would pad to the dimension a sheet declares; sheet_rows bounds both ways
    data = files.rows_workbook([["a", "b", "c"]] * 3)
    wb = open_workbook(data)
    rows = list(sheet_rows(wb.worksheets[0], columns=2, limits=Limits(rows=2)))
    assert rows == [("a", "b"), ("a", "b")]
