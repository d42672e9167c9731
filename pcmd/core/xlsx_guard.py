"""Every uploaded workbook is checked here before openpyxl parses it, and read as a stream.

An XLSX file is a zip archive of XML parts. A small upload can expand to gigabytes (a zip
bomb, one huge shared string, a million empty rows, a cell at column XFD that makes a reader
pad every row), and openpyxl loads the whole shared-strings part into memory even in read-only
mode. So :func:`check_workbook` looks at the archive first:

- the upload's size, and whether it is a zip at all (an old .xls or an encrypted workbook is a
  different container, named as such in the refusal);
- each member's uncompressed size and compression ratio, the total uncompressed size and the
  number of members, from the zip directory (``zipfile`` enforces the declared sizes while
  reading: a member that inflates beyond its declared size fails its CRC check);
- then every XML part is streamed through expat in small chunks, counting rows (and the highest
  row number a row claims), columns, shared strings and their characters, and the longest text
  node, stopping at the first limit passed. A DTD (entity tricks) is refused.

Only then :func:`open_workbook` hands the bytes to openpyxl in read-only mode, and
:func:`sheet_rows` iterates a sheet with explicit bounds, turning openpyxl's errors on a damaged
part into a refusal. Every refusal is a :class:`WorkbookRefused` carrying the message in
Vietnamese and English, naming the limit.

The limits are settings: ``PCMD_XLSX_LIMITS`` (a dict overriding the defaults of
:class:`Limits`); a reader may lower ``rows`` for its own kind of file.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from .messages import bilingual

MB = 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted .xlsx
_CHUNK = 64 * 1024
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Elements of which openpyxl builds one object each when it opens a workbook (a styles part of
# 60,000 cell formats took 100 MB): counted per part against ``Limits.records``.
_RECORDS = frozenset(
    {
        "xf",
        "font",
        "fill",
        "border",
        "numFmt",
        "dxf",
        "cellStyle",
        "tableStyle",
        "definedName",
        "sheet",
        "Relationship",
        "Override",
        "Default",
    }
)


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may hold (defaults; override with ``PCMD_XLSX_LIMITS``)."""

    upload_bytes: int = 10 * MB  # the file as uploaded
    members: int = 500  # parts in the archive
    member_bytes: int = 64 * MB  # one part, uncompressed
    total_bytes: int = 128 * MB  # all parts, uncompressed
    ratio: int = 100  # uncompressed / compressed, for parts above ``ratio_floor``
    ratio_floor: int = 1 * MB
    other_part_bytes: int = 8 * MB  # a part that holds neither rows nor shared strings
    rows: int = 20_000  # rows of one sheet (and the highest row number)
    columns: int = 200  # columns of one sheet (the highest column of a cell)
    cell_chars: int = 32_767  # one cell (Excel's own limit)
    shared_strings: int = 250_000  # distinct strings
    shared_chars: int = 16_000_000  # characters of all shared strings
    records: int = 20_000  # styles, names, relationships… of one part (objects openpyxl makes)

    @classmethod
    def configured(cls, **overrides: int) -> Limits:
        """The defaults, then ``settings.PCMD_XLSX_LIMITS``, then ``overrides``."""
        values: dict[str, int] = dict(getattr(settings, "PCMD_XLSX_LIMITS", {}) or {})
        values.update(overrides)
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: int(v) for k, v in values.items() if k in names})


class WorkbookRefused(Exception):
    """An upload that will not be parsed; ``texts`` is ``{"vi": …, "en": …}``."""

    def __init__(self, message: Any, /, **params: Any) -> None:
        self.message = message
        self.params = params
        self.texts = bilingual(message, **params)
        super().__init__(self.texts["en"])

    def __str__(self) -> str:
        vi, en = self.texts["vi"], self.texts["en"]
        return f"{vi} / {en}" if vi != en else en


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


class WorkbookField(forms.FileField):
    """The file field of every workbook upload: refused above the upload limit before any
    code reads it into memory (the message in both languages, naming the limit)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        try:
            upload = super().clean(data, initial)
        except forms.ValidationError as exc:
            if exc.code == "empty":
                refusal = WorkbookRefused(_("The file is empty."))
                raise forms.ValidationError(str(refusal), code="empty") from None
            raise
        limit = Limits.configured().upload_bytes
        if upload is not None and upload.size > limit:
            refusal = WorkbookRefused(
                _("The file is %(size)s MB; the limit is %(max)s MB."),
                size=_mb(upload.size),
                max=_mb(limit),
            )
            raise forms.ValidationError(str(refusal), code="file_size")
        return upload


# --- the archive --------------------------------------------------------------------------


def check_workbook(data: bytes, limits: Limits | None = None) -> Limits:
    """Refuse ``data`` (raise :class:`WorkbookRefused`) unless it is a workbook within
    ``limits``; return the limits applied. Memory stays small whatever the file holds."""
    limits = limits or Limits.configured()
    if len(data) > limits.upload_bytes:
        raise WorkbookRefused(
            _("The file is %(size)s MB; the limit is %(max)s MB."),
            size=_mb(len(data)),
            max=_mb(limits.upload_bytes),
        )
    if not data:
        raise WorkbookRefused(_("The file is empty."))
    if data.startswith(_OLE):
        raise WorkbookRefused(
            _(
                "The file is an old Excel workbook (.xls) or is protected by a password: "
                "open it in Excel and save it as an unprotected .xlsx workbook."
            )
        )
    if not data.startswith(_ZIP):
        raise WorkbookRefused(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(archive, limits)
            for info in archive.infolist():
                if not info.is_dir():  # any name: a part is XML by its content
                    _scan_part(archive, info, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise WorkbookRefused(
            _("The file is damaged: it is not a readable Excel workbook (.xlsx).")
        ) from None
    return limits


def _check_members(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise WorkbookRefused(
            _("The workbook has %(n)s parts; the limit is %(max)s."),
            n=len(infos),
            max=limits.members,
        )
    names = {i.filename for i in infos}
    if any(part not in names for part in _REQUIRED_PARTS):
        raise WorkbookRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookRefused(
                _("The workbook is protected by a password: save it without a password.")
            )
        size = info.file_size
        if size > limits.member_bytes:
            raise WorkbookRefused(
                _("The part %(part)s expands to %(size)s MB; the limit is %(max)s MB."),
                part=info.filename,
                size=_mb(size),
                max=_mb(limits.member_bytes),
            )
        if size > limits.ratio_floor and size > limits.ratio * max(info.compress_size, 1):
            raise WorkbookRefused(
                _(
                    "The part %(part)s is compressed %(ratio)s times; the limit is %(max)s "
                    "times (the file looks like a zip bomb)."
                ),
                part=info.filename,
                ratio=size // max(info.compress_size, 1),
                max=limits.ratio,
            )
        total += size
    if total > limits.total_bytes:
        raise WorkbookRefused(
            _("The workbook expands to %(size)s MB; the limit is %(max)s MB."),
            size=_mb(total),
            max=_mb(limits.total_bytes),
        )


# --- the XML parts, streamed ----------------------------------------------------------------


def _column_number(ref: str) -> int:
    number = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            number = number * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            number = number * 26 + ord(ch) - 96
        else:
            break
    return number


class _PartScanner:
    """Expat handlers that count what openpyxl would build, and refuse past a limit.

    Written for speed (they run for every element of a sheet): the common elements (``c``,
    ``v``) come first. The text of a cell or a shared string is measured whole, rich-text runs
    included, as openpyxl joins them."""

    def __init__(self, part: str, limits: Limits) -> None:
        self.part = part
        self.limits = limits
        self.rows = 0
        self.shared = 0
        self.shared_chars = 0
        self.records = 0
        self.text = 0  # characters of the current cell or shared string
        self.cells = False  # whether the part holds cells or shared strings
        self.short_columns = limits.columns >= 26  # a one-letter column is always allowed

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            self.text = 0  # a cell's text counts whole: value, formula, rich-text runs
            self.cells = True
            ref = attrs.get("r", "")
            if not (self.short_columns and len(ref) > 1 and ref[1].isdecimal()):
                self._column(ref)
        elif name in ("v", "t", "is", "f", "r"):
            return
        elif name == "row":
            self.text = 0
            self._row(attrs)
        elif name == "si":
            self.text = 0  # a shared string counts whole, all its runs together
            self.cells = True
            self._shared()
        elif name in _RECORDS:
            self.records += 1
            if self.records > self.limits.records:
                raise WorkbookRefused(
                    _("The part %(part)s holds more than %(max)s records (styles, names…)."),
                    part=self.part,
                    max=self.limits.records,
                )
        elif name == "dimension":
            self._dimension(attrs)
        elif ":" in name:  # a prefixed name (x:row): the same checks on the local name
            self.start(name.rpartition(":")[2], attrs)
        elif not self.cells:  # a part without cells or strings: each text node alone
            self.text = 0

    def _row(self, attrs: dict[str, str]) -> None:
        self.rows += 1
        number = attrs.get("r", "")
        highest = max(self.rows, int(number) if number.isdecimal() else 0)
        if highest > self.limits.rows:
            raise WorkbookRefused(
                _("A sheet has more rows than the limit of %(max)s rows."),
                max=self.limits.rows,
            )

    def _column(self, ref: str) -> None:
        column = _column_number(ref)
        if column > self.limits.columns:
            raise WorkbookRefused(
                _("A sheet has a cell in column %(n)s; the limit is %(max)s columns."),
                n=column,
                max=self.limits.columns,
            )

    def _dimension(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("ref", "")
        last = ref.rpartition(":")[2]
        digits = "".join(ch for ch in last if ch.isdecimal())
        if _column_number(last) > self.limits.columns or (
            digits and int(digits) > self.limits.rows
        ):
            raise WorkbookRefused(
                _(
                    "A sheet declares the range %(ref)s; the limits are %(rows)s rows "
                    "and %(columns)s columns."
                ),
                ref=ref[:40],
                rows=self.limits.rows,
                columns=self.limits.columns,
            )

    def _shared(self) -> None:
        self.shared += 1
        if self.shared > self.limits.shared_strings:
            raise WorkbookRefused(
                _("The workbook holds more different texts than the limit of %(max)s."),
                max=self.limits.shared_strings,
            )

    def characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > self.limits.cell_chars:
            raise WorkbookRefused(
                _("A cell holds more characters than the limit of %(max)s."),
                max=self.limits.cell_chars,
            )
        if self.shared:  # the shared-strings part: all its text is kept in memory
            self.shared_chars += len(data)
            if self.shared_chars > self.limits.shared_chars:
                raise WorkbookRefused(
                    _("The texts of the workbook hold more characters than the limit of %(max)s."),
                    max=self.limits.shared_chars,
                )

    def doctype(self, *args: Any) -> None:
        raise WorkbookRefused(_("The file is not an Excel workbook (.xlsx)."))


def _looks_like_xml(head: bytes) -> bool:
    """Whether a part starts as XML does (UTF-8, with or without a BOM, or UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:1] == b"<" or start[:2] == b"\x00<"


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    scanner = _PartScanner(info.filename, limits)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartElementHandler = scanner.start
    parser.CharacterDataHandler = scanner.characters
    parser.StartDoctypeDeclHandler = scanner.doctype
    parser.EntityDeclHandler = scanner.doctype
    try:
        with archive.open(info) as part:
            chunk = part.read(_CHUNK)
            if not _looks_like_xml(chunk):
                return  # an image or a binary part: openpyxl does not parse it
            while chunk:
                parser.Parse(chunk, False)
                chunk = part.read(_CHUNK)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise WorkbookRefused(
            _("The part %(part)s of the workbook is damaged (not well-formed XML)."),
            part=info.filename,
        ) from None
    if not scanner.rows and not scanner.shared and info.file_size > limits.other_part_bytes:
        raise WorkbookRefused(
            _("The part %(part)s expands to %(size)s MB; the limit is %(max)s MB."),
            part=info.filename,
            size=_mb(info.file_size),
            max=_mb(limits.other_part_bytes),
        )


# --- reading, after the check ---------------------------------------------------------------


def open_workbook(data: bytes, limits: Limits | None = None) -> Workbook:
    """The checked workbook, opened read-only (values, not formulas): rows are streamed."""
    check_workbook(data, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged workbook
        raise WorkbookRefused(
            _("The file is damaged: it is not a readable Excel workbook (.xlsx).")
        ) from None


def sheet_rows(
    ws: Any, *, columns: int, limits: Limits | None = None, min_row: int = 1
) -> Iterator[tuple[Any, ...]]:
    """The values of the rows of ``ws``, ``columns`` wide at most, streamed; an error of the
    underlying parser (a damaged part) becomes a :class:`WorkbookRefused`."""
    limits = limits or Limits.configured()
    if not isinstance(ws, ReadOnlyWorksheet):  # a chart sheet, or a workbook not read-only
        raise WorkbookRefused(
            _("The sheet '%(sheet)s' is not a table of cells."), sheet=getattr(ws, "title", "")
        )
    reader: Any = ws  # the stubs type iter_rows for the full Worksheet only
    rows = reader.iter_rows(
        min_row=min_row,
        max_row=limits.rows,
        max_col=max(1, min(columns, limits.columns)),
        values_only=True,
    )
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - the parser's error on a damaged sheet
            raise WorkbookRefused(
                _("The file is damaged: it is not a readable Excel workbook (.xlsx).")
            ) from None
        yield values
