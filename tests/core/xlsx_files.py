"""Workbooks built byte by byte: valid ones, and hostile ones (zip bombs, a huge shared string,
a million rows, a cell at column XFD, a lying zip directory). Used by the tests and by
``benchmarks/xlsx_hostile.py``."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
SST_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _chunks(parts: Iterable[str], size: int = 1 << 20) -> Iterator[bytes]:
    buffer: list[str] = []
    length = 0
    for part in parts:
        buffer.append(part)
        length += len(part)
        if length >= size:
            yield "".join(buffer).encode()
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode()


def build(sheet: Iterable[str], shared: Iterable[str] = (), *, level: int = 9) -> bytes:
    """A workbook from the XML of its sheet rows and of its shared strings (streamed in)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, head, body, tail in (
            ("xl/worksheets/sheet1.xml", SHEET_HEAD, sheet, SHEET_TAIL),
            ("xl/sharedStrings.xml", SST_HEAD, shared, "</sst>"),
        ):
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in _chunks(_chain(head, body, tail)):
                    part.write(chunk)
    return buf.getvalue()


def _chain(head: str, body: Iterable[str], tail: str) -> Iterator[str]:
    yield head
    yield from body
    yield tail


def inline_row(number: int, values: list[object]) -> str:
    cells = []
    for index, value in enumerate(values):
        ref = f"{chr(65 + index)}{number}"
        if isinstance(value, int | float) and not isinstance(value, bool):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif value is not None:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def rows_workbook(rows: list[list[object]]) -> bytes:
    """A small valid workbook (inline strings) with ``rows``."""
    return build([inline_row(n, values) for n, values in enumerate(rows, 1)])


def _pieces(chars: int, letters: str) -> Iterator[str]:
    """``chars`` characters cycling through ``letters`` (or random letters, which hardly
    compress, when ``letters`` is ``"random"``), in pieces of about 1 MB."""
    rng = random.Random(9)
    block = letters * ((1 << 20) // len(letters))
    left = chars
    while left > 0:
        if letters == "random":
            piece = "".join(rng.choices("abcdefghijklmnop", k=min(left, 1 << 20)))
        else:
            piece = block[:left]
        left -= len(piece)
        yield piece


def huge_shared_string(chars: int, *, letters: str = "A") -> bytes:
    """One shared string of ``chars`` characters used by cell A1 ('A' repeated compresses
    about 1,000 times; a varied alphabet far less, passing any ratio check)."""
    return build(
        ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'],
        _chain("<si><t>", _pieces(chars, letters), "</t></si>"),
    )


def huge_inline_string(chars: int, *, letters: str = "A") -> bytes:
    """One inline string of ``chars`` characters in cell A1 (no shared strings)."""
    return build(
        _chain(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>',
            _pieces(chars, letters),
            "</t></is></c></row>",
        )
    )


def many_rows(rows: int, *, empty: bool = False) -> bytes:
    """``rows`` rows of one number each (``empty``: numbered rows without cells, about 1 MB
    for a million rows)."""
    if empty:
        return build(f'<row r="{n}"/>' for n in range(1, rows + 1))
    return build(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, rows + 1))


def far_cell(ref: str = "XFD1048576") -> bytes:
    """A single cell far away (readers pad every row up to it)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return build([f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'])


def zip_bomb(size: int) -> bytes:
    """A sheet of ``size`` bytes of blanks inside one element: compresses about 1,000 times."""
    return build(_pieces(size, " "))


def lying_sizes(rows: int = 200_000) -> bytes:
    """A workbook whose zip directory says the sheet inflates to 1,000 bytes while it inflates
    to megabytes: a reader that trusted the directory would be fooled."""
    sheet = (
        SHEET_HEAD
        + "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, rows + 1))
        + SHEET_TAIL
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(buf.getvalue())
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, 1000)  # uncompressed size, local header
    name = info.filename.encode()
    central = data.index(name, data.index(b"PK\x01\x02")) - 46
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(name, central + 47) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, 1000)  # uncompressed size, central directory
    return bytes(data)


def not_xlsx_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buf.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


def with_part(data: bytes, name: str, content: str | bytes) -> bytes:
    """``data`` with one more part (or a part replaced)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                if info.filename != name:
                    out.writestr(info, src.read(info.filename))
            out.writestr(name, content)
    return buf.getvalue()


def styles_bomb(formats: int) -> bytes:
    """A styles part of ``formats`` cell formats with varied attributes (a low ratio)."""
    rng = random.Random(5)
    xfs = "".join(
        f'<xf numFmtId="{rng.randint(0, 200)}" fontId="{rng.randint(0, 9999)}" '
        f'fillId="{rng.randint(0, 9999)}" borderId="{rng.randint(0, 9999)}"/>'
        for _ in range(formats)
    )
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<cellXfs count="{formats}">{xfs}</cellXfs></styleSheet>'
    )
    return with_part(rows_workbook([["a"]]), "xl/styles.xml", styles)


def many_shared_strings(count: int, chars: int = 4) -> bytes:
    """``count`` different short shared strings (random letters), cell A1 using the first."""
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return build(
        ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'],
        (f"<si><t>{''.join(rng.choices(letters, k=chars))}{n}</t></si>" for n in range(count)),
    )
