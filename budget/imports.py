"""Excel import of a month's execution and of a year's monthly plan: templates, reading, checks, preview.

The file layout is fixed; the templates write it and the reader expects it:

- execution (집행 실적), one month: sheet ``집행실적``; row 1 ``회계연도 | 2022 | 월 | 11``;
  row 2 the header ``코드 | 사업명 | 원인행위액 | 지출액 | 비고``; from row 3, one row per expenditure line.
- plan (월별 집행계획), one year: sheet ``집행계획``; row 1 ``회계연도 | 2022``; row 2 the header
  ``코드 | 사업명 | 예산현액 | 1월 원인행위액 | 1월 지출액 | … | 12월 지출액``; from row 3, one row per line.

Amounts are whole won. Columns are found by their header (their order may change; other columns are
ignored, and so are 사업명 and 예산현액, which are there for the reader). A blank amount cell is 0; a
fully blank row is skipped; a line the file does not list keeps its figures. Row 1 may be cleared;
when it names a year and month, they must be the ones being imported (a November file imported as
October is refused).

Reading is in three steps, each testable on its own: `open_workbook` and `read_sheet` (bytes to the
sheet's cells, refusing what is not a readable .xlsx within the limits), `parse_row` (pure: one row's
cell values to numbers or problems) and the previews (the rows against the year's lines and the month's
rules, without saving). The web view and the `import_execution` / `import_plan` commands share all three.

The file is read as a stream, never whole: each XML part of the zip goes through an event parser
(expat) in chunks, and every limit (rows, cells, XML elements, styles, shared strings, merged ranges) is
counted while reading, so a hostile file under the upload limit is refused within a second or two and
in bounded memory instead of being loaded first. Hidden sheets, rows and columns are read like any
other, and the preview says so (warnings).
"""

from __future__ import annotations

import datetime
import io
import math
import posixpath
import re
import zipfile
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.parsers import expat

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.worksheet.datavalidation import DataValidation

from .amounts import MAX_AMOUNT, parse_amount
from .entry import MonthSheet, month_sheet
from .models import FiscalYear
from .plans import MONTHS, PlanEntry, PlanSheet, plan_check, plan_sheet
from .services import Entry, month_check
from .workbook import NUMBER_FORMATS, SheetWriter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip of XML; a few MB can unpack to gigabytes. A 500-line template unpacks to well
# under 1 MB, so anything past this is refused before any part is read.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# The limits below are counted while the file is read, so that what is refused is refused after
# reading only as far as the limit. Each is far above what an import file needs (a 5,000-line plan
# holds 135,000 cells) and low enough that reading up to it takes about a second.
MAX_DATA_ROWS = 5_000
# Every cell the sheet holds counts, in columns read or not: a column filled down to row 1,000,000
# costs as much to read as one that is imported.
MAX_CELLS = 250_000
# XML elements in all the parts read (workbook, styles, shared strings, the sheet): what the cell
# limit does not bound (empty rows, bloated styles, elements the reader skips) still takes time.
MAX_XML_ELEMENTS = 2_000_000
# The shared strings are kept while the sheet is read (a cell holds only an index into them): the
# template's text is a few hundred KB, 5,000 lines with 300-character notes about 5 MB.
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
MAX_PARTS = 10_000  # files in the zip; a workbook of a few sheets has about twenty
MAX_SHEETS = 1_000
MAX_STYLES = 64_000  # Excel's own limit on a workbook's cell formats
MAX_MERGED = 10_000
# A cell longer than this is refused without being read further: no code, amount or name comes near
# it, and notes stop at NOTE_MAX. Bounds what one cell costs, however often the file repeats it.
LONG_TEXT = 1_000
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's sheet: A1:XFD1048576
NOTE_MAX = 300  # ExecutionRecord.note
MAX_PROBLEMS = 300  # listed in a preview; the rest are counted
TOKEN_MAX_AGE = 60 * 60  # seconds a preview may wait for its confirmation

HEADER_ROW = 2
FIRST_DATA_ROW = 3
CODE, NAME, CURRENT, COMMITMENT, EXPENDITURE, NOTE = "코드", "사업명", "예산현액", "원인행위액", "지출액", "비고"


@dataclass(frozen=True)
class Layout:
    """A file layout: its sheet, the columns the reader needs and those it writes for the reader only."""

    kind: str  # "execution" | "plan"
    sheet: str
    required: tuple[str, ...]
    informative: tuple[str, ...]
    amounts: tuple[str, ...]
    note: str | None
    minimum: int  # the smallest amount the template's data validation allows

    @property
    def columns(self) -> tuple[str, ...]:
        """The template's columns, in its order."""
        order = (CODE, NAME, CURRENT)
        return tuple(c for c in order if c in self.required + self.informative) + tuple(
            c for c in self.required + self.informative if c not in order
        )


def plan_column(month: int, what: str) -> str:
    return f"{month}월 {what}"


EXECUTION = Layout(
    kind="execution",
    sheet="집행실적",
    required=(CODE, COMMITMENT, EXPENDITURE, NOTE),
    informative=(NAME,),
    amounts=(COMMITMENT, EXPENDITURE),
    note=NOTE,
    # Negative amounts correct an earlier month (month_save wants a note for them).
    minimum=-MAX_AMOUNT,
)
PLAN = Layout(
    kind="plan",
    sheet="집행계획",
    required=(CODE, *(plan_column(m, what) for m in MONTHS for what in (COMMITMENT, EXPENDITURE))),
    informative=(NAME, CURRENT),
    amounts=tuple(plan_column(m, what) for m in MONTHS for what in (COMMITMENT, EXPENDITURE)),
    note=None,
    minimum=0,
)


# ---------------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class Problem:
    """Why (part of) a file cannot be imported, and where: its row and column when it has them."""

    message: str
    row: int | None = None
    column: str | None = None  # the header
    letter: str | None = None  # the column's letter

    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(_("%(row)s행") % {"row": self.row})
        if self.letter and self.column:
            parts.append(_("%(letter)s열(%(column)s)") % {"letter": self.letter, "column": self.column})
        elif self.column:
            parts.append(self.column)
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class CellRefused(ValueError):
    """One cell's value cannot be read as what its column holds."""


class ImportRefused(Exception):
    """The file cannot be imported at all; `problems` say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


# ---------------------------------------------------------------------------------------------------
# Cells and rows (pure: no database, no file)


class _NoCachedValue:
    """A formula cell saved without its computed value (written by a program, never opened in Excel)."""

    def __repr__(self):
        return "NO_CACHED_VALUE"


NO_CACHED_VALUE = _NoCachedValue()


@dataclass(frozen=True)
class ErrorValue:
    """A cell holding a spreadsheet error (#DIV/0!, #REF!, ...), as a formula's cached value."""

    code: str


@dataclass(frozen=True)
class LongText:
    """A cell whose text is longer than LONG_TEXT characters: its length, not its text."""

    length: int


def _check_special(value: Any) -> None:
    if value is NO_CACHED_VALUE:
        raise CellRefused(_("수식의 계산된 값이 없습니다. 엑셀에서 파일을 열어 다시 저장하거나, 값으로 붙여 넣으세요."))
    if isinstance(value, ErrorValue):
        raise CellRefused(_("수식 오류 값 %(value)s입니다.") % {"value": value.code})
    if isinstance(value, LongText):
        raise CellRefused(
            _("셀에 글자가 %(length)s자 있습니다. %(max)s자가 넘는 셀은 읽지 않습니다.")
            % {"length": f"{value.length:,}", "max": f"{LONG_TEXT:,}"}
        )


# Python refuses to turn an int of more than 4,300 digits into text; no cell value worth showing is
# anywhere near that long, so such a number is refused without being written out.
_SHOWN_DIGITS = 10**60


# Unicode's control (Cc) and surrogate (Cs) characters, but for line break and tab: as a regular
# expression, a long note is cleaned at C speed instead of one Python call per character.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _text(value: Any) -> str:
    """A cell's value as a person reads it: 3.0 as 3, stripped, without invisible control characters
    (a NUL would be refused by PostgreSQL; a line break or tab typed in a note is kept)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= _SHOWN_DIGITS:
        raise CellRefused(_("%(digits)s자리가 넘는 숫자입니다.") % {"digits": 60})
    return _INVISIBLE.sub("", str(value)).strip()


def read_amount(value: Any) -> int:
    """Whole won from a cell: blank is 0, a number must be whole, text is read as typed (parse_amount).

    Raises CellRefused saying why; never anything else, whatever the value.
    """
    _check_special(value)
    if value is None:
        return 0
    if isinstance(value, bool):  # before int: True is an int to Python, not an amount to anyone
        raise CellRefused(_("참/거짓 값(%(value)s)은 금액이 아닙니다.") % {"value": "TRUE" if value else "FALSE"})
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise CellRefused(
            _("날짜·시간 값(%(value)s)은 금액이 아닙니다. 셀 서식을 숫자로 바꾸고 금액을 다시 적으세요.")
            % {"value": value}
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise CellRefused(_("'%(value)s'은(는) 금액이 아닙니다.") % {"value": value})
    if isinstance(value, float) and not math.isfinite(value):
        raise CellRefused(_("'%(value)s'은(는) 금액이 아닙니다.") % {"value": value})
    if isinstance(value, (float, Decimal)):
        if value != int(value):
            raise CellRefused(
                _("원 단위 미만(소수)은 입력할 수 없습니다: %(value)s. 수식이면 ROUND(…, 0)로 감싸세요.")
                % {"value": value}
            )
        value = int(value)
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT:
            shown = f"{value:,}원" if abs(value) < _SHOWN_DIGITS else _("%(digits)s자리가 넘는 금액") % {"digits": 60}
            raise CellRefused(
                _("%(value)s은(는) 입력할 수 있는 금액(±%(max)s원)을 넘습니다.")
                % {"value": shown, "max": f"{MAX_AMOUNT:,}"}
            )
        return value
    if isinstance(value, str):
        try:
            return parse_amount(value)
        except ValidationError as error:
            raise CellRefused(" ".join(error.messages)) from None
    raise CellRefused(_("금액으로 읽을 수 없는 값입니다: %(value)r") % {"value": value})


def read_code(value: Any) -> str:
    """A line code from a cell, stripped; '' when blank. Raises CellRefused."""
    _check_special(value)
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        # Excel turns a typed 1-1 into 1월 1일 unless the cell is text: say so rather than guess.
        raise CellRefused(
            _("코드가 날짜·시간(%(value)s)으로 읽혔습니다. 셀 서식을 텍스트로 바꾸고 '1-1'처럼 다시 적으세요.")
            % {"value": value}
        )
    if isinstance(value, bool):
        raise CellRefused(_("코드 자리에 참/거짓 값이 있습니다."))
    return _text(value)


def _note_too_long(length: int) -> CellRefused:
    return CellRefused(
        _("비고가 %(length)s자입니다. %(max)s자까지 적을 수 있습니다.") % {"length": length, "max": NOTE_MAX}
    )


def read_note(value: Any) -> str:
    """A note from a cell, stripped; numbers as they read. Raises CellRefused."""
    if isinstance(value, LongText):
        raise _note_too_long(value.length)
    _check_special(value)
    if value is None:
        return ""
    text = _text(value)
    if len(text) > NOTE_MAX:
        raise _note_too_long(len(text))
    return text


@dataclass(frozen=True)
class ParsedRow:
    row: int
    code: str
    amounts: dict[str, int]  # column header -> won
    note: str = ""
    name: str = ""  # as the file has it, to compare with the line's name


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_row(
    layout: Layout, row: int, cells: dict[str, Any], letters: dict[str, str] | None = None
) -> tuple[ParsedRow | None, list[Problem]]:
    """One data row's cells (header -> value) as a ParsedRow, or the problems of each cell.

    A row whose cells are all blank is no row (None, no problems). Pure: this is where every value a
    spreadsheet can hold is either read exactly or refused with a reason.
    """
    letters = letters or {}
    if all(is_blank(cells.get(c)) for c in layout.required + layout.informative):
        return None, []
    problems: list[Problem] = []

    def refuse(column: str, error: CellRefused):
        problems.append(Problem(str(error), row=row, column=column, letter=letters.get(column)))

    code = ""
    try:
        code = read_code(cells.get(CODE))
        if not code:
            problems.append(
                Problem(
                    _("코드가 비어 있습니다. 코드가 없는 행(합계 행 등)은 지우세요."),
                    row=row,
                    column=CODE,
                    letter=letters.get(CODE),
                )
            )
    except CellRefused as error:
        refuse(CODE, error)
    amounts = {}
    for column in layout.amounts:
        try:
            amounts[column] = read_amount(cells.get(column))
        except CellRefused as error:
            refuse(column, error)
    note = ""
    if layout.note:
        try:
            note = read_note(cells.get(layout.note))
        except CellRefused as error:
            refuse(layout.note, error)
    name = cells.get(NAME)
    name = name.strip() if isinstance(name, str) else ""
    if problems:
        return None, problems
    return ParsedRow(row=row, code=code, amounts=amounts, note=note, name=name), []


# ---------------------------------------------------------------------------------------------------
# The file


@dataclass
class SheetRows:
    """What was read from a file: its rows (parsed), and where things are."""

    layout: Layout
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    year: int | None = None  # from row 1, if it says
    month: int | None = None
    letters: dict[str, str] = field(default_factory=dict)  # header -> column letter
    warnings: list[Problem] = field(default_factory=list)  # what is read but may not be seen (hidden)
    unlisted: int = 0  # the rows' problems past MAX_PROBLEMS: counted, not kept


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _refused(message: str) -> ImportRefused:
    return ImportRefused([Problem(message)])


def _unreadable(filename: str) -> ImportRefused:
    return _refused(
        _("'%(name)s'을(를) 엑셀 파일로 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다.") % {"name": filename}
    )


def _zip_entries(data: bytes) -> int | None:
    """The number of files the zip's end record declares, read before zipfile reads the directory
    (an object per file); None when there is no end record, which zipfile then refuses."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return None
    return int.from_bytes(data[end + 10 : end + 12], "little")


_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
# expat's names: "namespace local"
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_RELATIONSHIP_ID = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships id",
)


def _tags(*names: str) -> dict[str, str]:
    """Full name -> local name, for the elements a part's reader looks at (in SpreadsheetML's namespace:
    an extension's <xm:f> is no formula)."""
    return {f"{ns} {name}": name for ns in _MAIN for name in names}


_WORKBOOK_TAGS = _tags("sheet", "workbookPr")
_STYLE_TAGS = _tags("numFmt", "cellXfs", "xf")
_STRING_TAGS = _tags("si", "t", "rPh")
_SHEET_TAGS = _tags("c", "v", "row", "f", "is", "t", "rPh", "col", "mergeCell", "dimension", "sheetData")

_CHUNK = 64 * 1024
# The parser hands an element's attributes to Python in one dict, however many there are: one start
# tag of a few MB with a million attributes costs hundreds of MB and seconds before any reader code
# runs. No spreadsheet element has more than a few dozen, so the bytes are looked at first: between
# two "<" there is one tag (a value cannot hold "<") and the text after it, and an attribute takes
# at least five bytes (a="" and a space) and one "=".
_ATTRIBUTES = 1_000
_ATTRIBUTE_BYTES = 5 * _ATTRIBUTES
# expat holds a start tag (or comment, processing instruction) whole until its end, however long: its
# attribute values then become Python strings. Text is passed on as it comes and costs nothing held.
_TOKEN_BYTES = 1024 * 1024
_RANGE = re.compile(r"[A-Z]{1,3}\d{1,7}(:[A-Z]{1,3}\d{1,7})?")
_COLUMN = re.compile(r"\$?([A-Za-z]{1,3})\$?")
_DIGITS = "0123456789"
_SHOWN = 10  # hidden rows, columns, sheets named in a warning before "and N more"


class _AttributeGuard:
    """Refuses a part with a run between two "<" holding more than _ATTRIBUTES "=", chunk by chunk."""

    def __init__(self, part: str):
        self.part = part
        self.carry = 0  # "=" in the run still open at the end of the last chunk

    def check(self, chunk: bytes) -> None:
        runs = chunk.split(b"<")
        self.carry += runs[0].count(b"=")
        if len(runs) > 1:
            self.over(self.carry)
            if max(map(len, runs)) >= _ATTRIBUTE_BYTES:
                for run in runs[1:-1]:
                    if len(run) >= _ATTRIBUTE_BYTES:
                        self.over(run.count(b"="))
            self.carry = runs[-1].count(b"=")
        self.over(self.carry)

    def over(self, count: int) -> None:
        if count > _ATTRIBUTES:
            raise _refused(
                _(
                    "파일이 너무 복잡합니다: %(part)s에 속성이 %(n)s개가 넘는 요소가 있습니다. "
                    "엑셀에서 열어 다시 저장해 올리세요."
                )
                % {"part": self.part, "n": f"{_ATTRIBUTES:,}"}
            )


def _true(value: str | None) -> bool:
    return value in ("1", "true")


def _zero(value: str | None) -> bool:
    """A row height or column width of 0: hidden, whatever the hidden attribute says."""
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


class _Stop(Exception):  # noqa: N818 - not an error: the sheet's header already says it cannot be read
    """Raised by the sheet reader when there is no point reading further."""


class Book:
    """An .xlsx opened for reading: its zip, its sheets (name, state, relationship id), and the XML
    elements read so far, counted against MAX_XML_ELEMENTS whatever the part."""

    def __init__(self, archive: zipfile.ZipFile, filename: str):
        self.archive = archive
        self.filename = filename
        self.elements = 0
        self.part = ""
        self.workbook = ""
        self.sheets: list[tuple[str, str, str | None]] = []
        self.epoch = WINDOWS_EPOCH

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.archive.close()

    def size(self, part: str) -> int:
        return self.archive.getinfo(part).file_size

    def has(self, part: str | None) -> bool:
        if not part:
            return False
        try:
            self.archive.getinfo(part)
        except KeyError:
            return False
        return True

    def too_complex(self) -> ImportRefused:
        return _refused(
            _(
                "파일이 너무 복잡합니다: XML 요소가 한도 %(max)s개를 넘습니다(%(part)s). "
                "엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요."
            )
            % {"max": f"{MAX_XML_ELEMENTS:,}", "part": self.part}
        )

    def parse(self, part: str, target):
        """One part fed to an expat parser in chunks, never whole in memory; what the target's close() says."""
        self.part = part
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _no_doctype
        parser.StartElementHandler = target.start
        parser.EndElementHandler = getattr(target, "end", None)
        if target.text_everywhere:
            parser.CharacterDataHandler = target.data
        target.parser = parser
        guard = _AttributeGuard(part)
        fed = 0
        with self.archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                guard.check(chunk)
                parser.Parse(chunk, False)
                fed += len(chunk)
                # Between calls, CurrentByteIndex is where the last event began: what comes after is
                # what expat still holds.
                if fed - parser.CurrentByteIndex > _TOKEN_BYTES:
                    raise _refused(
                        _(
                            "파일이 너무 복잡합니다: %(part)s에 %(max)s가 넘는 태그가 있습니다. "
                            "엑셀에서 열어 다시 저장해 올리세요."
                        )
                        % {"part": part, "max": megabytes(_TOKEN_BYTES)}
                    )
        parser.Parse(b"", True)
        return target.close()


def _no_doctype(*args):
    # No spreadsheet part has a DTD, and entity expansion (a few bytes to gigabytes) starts there.
    raise ValueError("a DTD in a spreadsheet part")


class _Part:
    """What reads one part: expat calls start (end, data) for its elements; close() gives the result."""

    parser: Any = None
    text_everywhere = False  # or the target turns parser.CharacterDataHandler on where it wants text

    def __init__(self, book: Book):
        self.book = book

    def count(self) -> None:
        self.book.elements += 1
        if self.book.elements > MAX_XML_ELEMENTS:
            raise self.book.too_complex()

    def close(self):
        return self


class _Relationships(_Part):
    """A part's relationships: the targets of the ids asked for, and the first of each type asked for."""

    TYPES = ("officeDocument", "sharedStrings", "styles")

    def __init__(self, book: Book, source: str, ids=()):
        super().__init__(book)
        self.base = posixpath.dirname(source)
        self.ids = {i for i in ids if i}
        self.by_id: dict[str, str] = {}
        self.by_type: dict[str, str] = {}

    def start(self, tag, attrib):
        self.count()
        if tag != _RELATIONSHIP or attrib.get("TargetMode") == "External":
            return
        target = attrib.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(self.base, target))
        kind = attrib.get("Type", "").rsplit("/", 1)[-1]
        if kind in self.TYPES:
            self.by_type.setdefault(kind, path)
        if attrib.get("Id") in self.ids:
            self.by_id[attrib["Id"]] = path


def _relationships(book: Book, source: str, ids=()) -> _Relationships:
    folder, name = posixpath.split(source)
    return book.parse(posixpath.join(folder, "_rels", f"{name}.rels"), _Relationships(book, source, ids))


class _WorkbookPart(_Part):
    def start(self, tag, attrib):
        self.count()
        name = _WORKBOOK_TAGS.get(tag)
        if name == "sheet":
            if len(self.book.sheets) >= MAX_SHEETS:
                raise _refused(
                    _("시트가 한도 %(max)s개를 넘습니다. 엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요.")
                    % {"max": f"{MAX_SHEETS:,}"}
                )
            title = attrib.get("name", "")
            rid = next((attrib[key] for key in _RELATIONSHIP_ID if key in attrib), None)
            # Excel's sheet names are at most 31 characters: a longer one is shown cut, never kept whole.
            self.book.sheets.append((title if len(title) <= 100 else title[:100] + "…", attrib.get("state", ""), rid))
        elif name == "workbookPr" and _true(attrib.get("date1904")):
            self.book.epoch = MAC_EPOCH


def _too_many_styles() -> ImportRefused:
    return _refused(
        _("셀 서식이 한도 %(max)s개를 넘습니다. 엑셀이 한 파일에 두는 셀 서식은 %(max)s개까지입니다.")
        % {"max": f"{MAX_STYLES:,}"}
    )


DATE, TIMEDELTA = 1, 2


def _format_kind(code: str | None) -> int:
    """What a number format makes of a number, as openpyxl reads it: a date, a duration, or a number."""
    return (DATE if is_date_format(code) else 0) | (TIMEDELTA if is_timedelta_format(code) else 0)


class _StylesPart(_Part):
    """Of the styles, only which cell formats (by index) show numbers as dates or durations."""

    def __init__(self, book: Book):
        super().__init__(book)
        self.custom: dict[int, int] = {}  # numFmtId -> kind
        self.formats = array("I")  # each cell format's numFmtId
        self.in_cell_formats = False

    def start(self, tag, attrib):
        self.count()
        name = _STYLE_TAGS.get(tag)
        if name == "numFmt":
            if len(self.custom) >= MAX_STYLES:
                raise _too_many_styles()
            self.custom[int(attrib["numFmtId"])] = _format_kind(attrib.get("formatCode"))
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            if len(self.formats) >= MAX_STYLES:
                raise _too_many_styles()
            self.formats.append(int(attrib.get("numFmtId") or 0))

    def end(self, tag):
        if _STYLE_TAGS.get(tag) == "cellXfs":
            self.in_cell_formats = False

    def close(self) -> bytearray:
        builtin: dict[int, int] = {}
        kinds = bytearray(len(self.formats))
        for i, number_format in enumerate(self.formats):
            if number_format in self.custom:
                kinds[i] = self.custom[number_format]
            else:
                if number_format not in builtin:
                    builtin[number_format] = _format_kind(builtin_format_code(number_format))
                kinds[i] = builtin[number_format]
        return kinds


class _SharedStrings(_Part):
    """The shared strings, as openpyxl reads them (plain text of the runs, without phonetic guides),
    kept compact: UTF-8 in one buffer and where each ends. A string longer than LONG_TEXT is kept as
    its length only."""

    text_everywhere = True

    def __init__(self, book: Book):
        super().__init__(book)
        self.text = bytearray()
        self.ends = array("I")
        self.long: dict[int, int] = {}
        self.pieces: list[str] | None = None
        self.length = 0
        self.collect = False
        self.phonetic = 0

    def start(self, tag, attrib):
        self.count()
        name = _STRING_TAGS.get(tag)
        if name == "si":
            self.pieces, self.length = [], 0
        elif name == "t":
            self.collect = self.pieces is not None and not self.phonetic
        elif name == "rPh":
            self.phonetic += 1

    def data(self, text):
        if self.collect:
            self.length += len(text)
            if self.length <= LONG_TEXT:
                self.pieces.append(text)

    def end(self, tag):
        name = _STRING_TAGS.get(tag)
        if name == "t":
            self.collect = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si" and self.pieces is not None:
            if self.length > LONG_TEXT:
                self.long[len(self.ends)] = self.length
            else:
                # x005F_ dropped as openpyxl's read_string_table drops it
                self.text += "".join(self.pieces).replace("x005F_", "").encode()
            self.ends.append(len(self.text))
            self.pieces = None

    def __getitem__(self, index: int):
        if not 0 <= index < len(self.ends):
            raise IndexError(index)
        if index in self.long:
            return LongText(self.long[index])
        return self.text[self.ends[index - 1] if index else 0 : self.ends[index]].decode()


def _number(text: str) -> int | float:
    """A number cell's text, as openpyxl reads it."""
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def _holds(value: Any) -> bool:
    return value is not None and not is_blank(value)


@dataclass(slots=True)
class _Cell:
    column: int
    type: str
    style: int
    keep: bool
    formula: bool = False
    value: list[str] | None = None  # <v>'s text, in pieces
    inline: list[str] | None = None  # <is>'s text, in pieces
    length: int = 0


class _Runs:
    """Ascending numbers as runs (5, 7~9): the first _SHOWN runs, and how many numbers after them."""

    def __init__(self):
        self.runs: list[list[int]] = []
        self.more = 0

    def add(self, n: int) -> None:
        if self.more == 0 and self.runs and self.runs[-1][1] == n - 1:
            self.runs[-1][1] = n
        elif len(self.runs) < _SHOWN and self.more == 0:
            self.runs.append([n, n])
        else:
            self.more += 1

    def __bool__(self):
        return bool(self.runs)


def _shown(items: list[str], more: int, unit: str) -> str:
    shown = ", ".join(items)
    if not more:
        return shown
    return _("%(shown)s 외 %(more)s개%(unit)s") % {"shown": shown, "more": f"{more:,}", "unit": unit}


class _SheetPart(_Part):
    """The sheet, row by row: rows 1 and 2 (period, header), then each data row's cells in the columns
    read, parsed as soon as the row ends. Nothing grows with the sheet but what is kept for the import
    (at most MAX_DATA_ROWS parsed rows, MAX_PROBLEMS of their problems); every limit is checked as the
    cell or row that passes it is met."""

    def __init__(self, book: Book, layout: Layout, result: SheetRows, strings: _SharedStrings, kinds: bytearray):
        super().__init__(book)
        self.layout, self.result, self.strings, self.kinds = layout, result, strings, kinds
        self.names = set(layout.required + layout.informative)
        self.row = 0  # the row being read, or the last one
        self.in_row = False
        self.row_hidden = False
        self.row_holds = False  # a hidden row with a value somewhere
        self.column = 0
        self.cell: _Cell | None = None
        self.sink: list[str] | None = None  # where character data goes, if anywhere
        self.phonetic = 0
        self.cells = 0
        self.data_rows = 0
        self.row_cells: dict[int, Any] = {}  # column -> value, of the columns read
        self.row1: dict[int, Any] = {}
        self.columns: dict[str, int] = {}  # header -> its first column, for the layout's headers
        self.seen: dict[str, list[str]] = {}  # the layout's headers -> every column letter they are in
        self.headers: list[str] = []  # the first headers found, for a message
        self.more_headers = 0
        self.settled = False
        self.wanted: dict[int, str] = {}  # column -> header, of the columns read
        self.results: list[tuple[int, ParsedRow | None, list[Problem]]] = []
        self.kept = 0
        self.dropped: dict[int, int] = {}  # row -> its problems not kept
        self.merges: list[tuple[int, int, int, int]] = []
        self.hidden_columns = bytearray(MAX_COLUMN + 1)
        self.column_numbers: dict[str, int] = {}  # "AB" -> 28, as met
        self.row_text = ""  # the row's number as the file writes it
        self.col_elements = 0
        self.hidden_rows = _Runs()
        self.hidden_filled: set[int] = set()  # hidden columns with a value
        self.dimension: str | None = None

    # -- elements

    def start(self, tag, attrib):
        book = self.book
        book.elements += 1
        if book.elements > MAX_XML_ELEMENTS:
            raise book.too_complex()
        name = _SHEET_TAGS.get(tag)
        if name is None:
            return
        cell = self.cell
        if name == "c":
            self.start_cell(attrib)
        elif name == "v":
            if cell is not None:
                self.sink = cell.value = []
                self.parser.CharacterDataHandler = self.data  # text is looked at only where it is wanted
        elif name == "row":
            self.start_row(attrib)
        elif name == "f":
            if cell is not None:
                cell.formula = True
        elif name == "is":
            if cell is not None:
                cell.inline = []
        elif name == "t":
            if cell is not None and cell.inline is not None and not self.phonetic:
                self.sink = cell.inline
                self.parser.CharacterDataHandler = self.data
        elif name == "rPh":
            self.phonetic += 1
        elif name == "col":
            self.column_format(attrib)
        elif name == "mergeCell":
            if len(self.merges) >= MAX_MERGED:
                raise _refused(
                    _("병합한 셀 범위가 한도 %(max)s개를 넘습니다. 병합을 풀고 올리세요.") % {"max": f"{MAX_MERGED:,}"}
                )
            self.merges.append(range_boundaries(attrib["ref"]))
        elif name == "dimension":
            ref = attrib.get("ref", "")
            if _RANGE.fullmatch(ref):
                self.dimension = ref

    def data(self, text):
        cell = self.cell
        if self.sink is not None:
            cell.length += len(text)
            if cell.length <= LONG_TEXT:
                self.sink.append(text)

    def end(self, tag):
        name = _SHEET_TAGS.get(tag)
        if name is None:
            return
        if name == "c":
            self.end_cell()
        elif name == "v" or name == "t":
            # In this order: turning the handler off hands it what expat still buffers.
            self.parser.CharacterDataHandler = None
            self.sink = None
        elif name == "row":
            self.end_row()
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "sheetData":
            self.settle()

    # -- rows and cells

    def _extent(self) -> str:
        return _(" (시트에 기록된 범위: %(ref)s)") % {"ref": self.dimension} if self.dimension else ""

    def _outside(self, row: int, column: int) -> ImportRefused:
        return _refused(
            _(
                "%(row)s행 %(column)s번째 열의 셀은 엑셀 시트(A1:XFD1048576) 밖에 있습니다. "
                "엑셀에서 열어 다시 저장해 올리세요."
            )
            % {"row": row, "column": f"{column:,}"}
        )

    def start_row(self, attrib):
        number = attrib.get("r")
        if number is None:
            row = self.row + 1
        else:
            try:
                row = int(number)
            except ValueError:
                value = float(number)  # openpyxl takes "3.0"
                if not value.is_integer():
                    raise
                row = int(value)
        if row <= self.row:
            raise ValueError("rows out of order")  # as Excel, which calls such a file damaged
        if row > MAX_ROW:
            raise self._outside(row, 1)
        if row >= FIRST_DATA_ROW and not self.settled:
            self.settle()
        self.row, self.column, self.in_row = row, 0, True
        self.row_text = number if number is not None else str(row)
        self.row_hidden = _true(attrib.get("hidden")) or _zero(attrib.get("ht"))
        self.row_holds = False
        self.row_cells = {}

    def start_cell(self, attrib):
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise _refused(
                _(
                    "시트의 셀이 한도 %(max)s개를 넘습니다: %(row)s행에서 %(n)s번째 셀을 만났습니다%(extent)s. "
                    "가져오지 않는 열의 셀도 셉니다. 쓰지 않는 행과 열을 지우고 올리세요."
                )
                % {"max": f"{MAX_CELLS:,}", "row": self.row, "n": f"{self.cells:,}", "extent": self._extent()}
            )
        ref = attrib.get("r")
        if ref is None:
            column = self.column + 1
        else:
            letters = ref.rstrip(_DIGITS)
            if ref[len(letters) :] != self.row_text and int(ref[len(letters) :] or 0) != self.row:
                raise ValueError(f"cell {ref!r} in row {self.row}")
            column = self.column_numbers.get(letters)
            if column is None:
                match = _COLUMN.fullmatch(letters)
                if match is None:
                    raise ValueError(f"cell {ref!r}")
                column = self.column_numbers[letters] = column_index_from_string(match[1].upper())
        if column > MAX_COLUMN:
            raise self._outside(self.row, column)
        self.column = column
        row = self.row
        if not self.in_row:
            keep = False
        elif row == 1:
            keep = column <= 4
        else:
            keep = row == 2 or column in self.wanted
        if keep or (self.in_row and (self.row_hidden or self.hidden_columns[column])):
            style = attrib.get("s")
            self.cell = _Cell(column, attrib.get("t", "n"), int(style) if style else 0, keep)
        else:
            self.cell = None

    def end_cell(self):
        cell = self.cell
        if cell is None:
            return
        self.cell = self.sink = None
        value = self.value_of(cell)
        if cell.keep:
            if self.row == 1:
                self.row1[cell.column] = value
            elif self.row == 2:
                self.header(cell.column, value)
            else:
                self.row_cells[cell.column] = value
        if _holds(value):
            if self.row_hidden:
                self.row_holds = True
            if self.hidden_columns[cell.column]:
                self.hidden_filled.add(cell.column)

    def value_of(self, cell: _Cell) -> Any:
        """The cell's value as openpyxl reads it with data_only (a formula's cached value), but for
        a formula without one (NO_CACHED_VALUE) and errors (ErrorValue)."""
        value = None
        if cell.length > LONG_TEXT:
            value = LongText(cell.length)
        elif cell.type == "inlineStr":
            value = "".join(cell.inline) if cell.inline is not None else None
        elif cell.value:
            value = self.typed(cell, "".join(cell.value))
        if value is None and cell.formula:
            return NO_CACHED_VALUE
        return value

    def typed(self, cell: _Cell, text: str) -> Any:
        kind = cell.type
        if not text:
            return None
        if kind == "n":
            number = _number(text)
            style = self.kinds[cell.style] if 0 <= cell.style < len(self.kinds) else 0
            if style & DATE:
                try:
                    return from_excel(number, self.book.epoch, timedelta=bool(style & TIMEDELTA))
                except (OverflowError, ValueError):
                    return ErrorValue("#VALUE!")  # as openpyxl: a date out of range is an error
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "e":
            return ErrorValue(text)
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str", a formula's text

    def header(self, column: int, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            return
        header = " ".join(value.split())  # trailing spaces, a line break typed in the header
        if header in self.names:
            self.seen.setdefault(header, []).append(get_column_letter(column))
            self.columns.setdefault(header, column)
        if header in self.headers:
            return
        if len(self.headers) < 2 * _SHOWN:
            self.headers.append(header)
        else:
            self.more_headers += 1

    def end_row(self):
        self.in_row = False
        row = self.row
        if self.row_hidden and self.row_holds:
            self.hidden_rows.add(row)
        if row < FIRST_DATA_ROW or not any(_holds(v) for v in self.row_cells.values()):
            return
        self.data_rows += 1
        if self.data_rows > MAX_DATA_ROWS:
            raise _refused(
                _(
                    "데이터 행이 한도 %(max)s행을 넘습니다: %(row)s행이 %(n)s번째 데이터 행입니다%(extent)s. "
                    "한 번에 %(max)s행까지 가져오니 파일을 나눠서 올리세요."
                )
                % {"max": f"{MAX_DATA_ROWS:,}", "row": row, "n": f"{self.data_rows:,}", "extent": self._extent()}
            )
        cells = {name: self.row_cells.get(column) for column, name in self.wanted.items()}
        parsed, problems = parse_row(self.layout, row, cells, self.result.letters)
        if len(problems) > MAX_PROBLEMS - self.kept:
            # Rows come in order, so the problems not kept are never among the first MAX_PROBLEMS shown.
            keep = max(MAX_PROBLEMS - self.kept, 0)
            self.dropped[row] = len(problems) - keep
            problems = problems[:keep]
        self.kept += len(problems)
        if parsed is not None or problems or row in self.dropped:
            self.results.append((row, parsed, problems))

    def column_format(self, attrib):
        self.col_elements += 1
        if self.col_elements > MAX_COLUMN:
            raise ValueError("more column formats than columns")
        if _true(attrib.get("hidden")) or _zero(attrib.get("width")):
            low, high = int(attrib["min"]), min(int(attrib["max"]), MAX_COLUMN)
            if 1 <= low <= high:
                self.hidden_columns[low : high + 1] = b"\x01" * (high - low + 1)

    # -- the header, once rows 1 and 2 are read

    def settle(self):
        """Rows 1 and 2 read: the period, the columns read; _Stop when the header is not the layout's."""
        if self.settled:
            return
        self.settled = True
        result, layout = self.result, self.layout
        row1 = [self.row1.get(c) for c in range(1, 5)]
        if isinstance(row1[0], str) and row1[0].strip() == "회계연도":
            result.year = _row1_int(row1[1])
            if isinstance(row1[2], str) and row1[2].strip() == "월":
                result.month = _row1_int(row1[3])
        for header, letters in self.seen.items():
            if len(letters) > 1 and header in layout.required:
                result.problems.append(
                    Problem(
                        _("%(row)s행 머리글 '%(column)s'이(가) %(letters)s열에 거듭 있습니다. 하나만 남기세요.")
                        % {"row": HEADER_ROW, "column": header, "letters": ", ".join(letters)}
                    )
                )
        missing = [c for c in layout.required if c not in self.columns]
        if missing:
            found = ", ".join(f"'{h}'" for h in self.headers) or _("(비어 있음)")
            if self.more_headers:
                found = _shown([found], self.more_headers, "")
            for column in missing:
                result.problems.append(
                    Problem(
                        _(
                            "%(row)s행 머리글에 '%(column)s' 열이 없습니다 (있는 머리글: %(found)s). "
                            "양식의 머리글을 바꾸지 마세요."
                        )
                        % {"row": HEADER_ROW, "column": column, "found": found}
                    )
                )
        if result.problems:
            raise _Stop
        self.wanted = {index: name for name, index in self.columns.items()}
        result.letters = {name: get_column_letter(index) for name, index in self.columns.items()}

    # -- after the last row

    def finish(self) -> None:
        """Merged cells (listed after the rows), the rows kept, and the warnings on what is hidden."""
        self.settle()  # a sheet without rows past the header
        result = self.result
        merged, spans = _merged_problems(self.layout, self.merges, self.columns)
        result.problems.extend(merged)
        spans = _joined(spans)
        firsts = [first for first, _last in spans]
        for row, parsed, problems in self.results:
            i = bisect_right(firsts, row) - 1
            if i >= 0 and row <= spans[i][1]:
                continue  # its merged cells are refused above, once for all their rows
            result.problems.extend(problems)
            result.unlisted += self.dropped.get(row, 0)
            if parsed is not None:
                result.rows.append(parsed)
        if not result.rows and not result.problems and not result.unlisted:
            result.problems.append(
                Problem(_("가져올 행이 없습니다. %(row)s행부터 한 행에 한 라인씩 적습니다.") % {"row": FIRST_DATA_ROW})
            )
        if self.hidden_rows:
            rows = [
                _("%(row)s행") % {"row": a} if a == b else _("%(first)s~%(last)s행") % {"first": a, "last": b}
                for a, b in self.hidden_rows.runs
            ]
            result.warnings.append(
                Problem(
                    _(
                        "숨겨진 행에 값이 있습니다: %(rows)s. 숨겨진 행도 가져옵니다. "
                        "엑셀에서 숨기기를 취소하고 확인하세요."
                    )
                    % {"rows": _shown(rows, self.hidden_rows.more, _(" 행"))}
                )
            )
        if self.hidden_filled:
            result.warnings.append(
                Problem(
                    _(
                        "숨겨진 열에 값이 있습니다: %(columns)s. 양식의 머리글이 있는 열은 숨겨져 있어도 "
                        "가져옵니다. 엑셀에서 숨기기를 취소하고 확인하세요."
                    )
                    % {"columns": self.hidden_columns_named()}
                )
            )

    def hidden_columns_named(self) -> str:
        """The hidden columns with a value: each one read by its header, the others in runs (F~H열)."""
        runs: list[list] = []  # [first, last, header or None]
        for column in sorted(self.hidden_filled):
            header = self.wanted.get(column)
            if header is None and runs and runs[-1][2] is None and runs[-1][1] == column - 1:
                runs[-1][1] = column
            else:
                runs.append([column, column, header])
        items = []
        for first, last, header in runs[:_SHOWN]:
            if header:
                items.append(_("%(letter)s열(%(column)s)") % {"letter": get_column_letter(first), "column": header})
            elif first == last:
                items.append(_("%(letter)s열") % {"letter": get_column_letter(first)})
            else:
                items.append(
                    _("%(first)s~%(last)s열") % {"first": get_column_letter(first), "last": get_column_letter(last)}
                )
        return _shown(items, sum(last - first + 1 for first, last, _header in runs[_SHOWN:]), _(" 열"))


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row spans, sorted and overlapping ones joined: one lookup per row tells whether it is in one."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return joined


def open_workbook(data: bytes, filename: str) -> Book:
    """The file opened for reading: its zip checked against the limits, its workbook part read (the
    sheets, the date system). Raises ImportRefused for what is not a readable .xlsx within the limits."""
    if not filename.lower().endswith(".xlsx"):
        raise _refused(
            _("'%(name)s'은(는) .xlsx 파일이 아닙니다. 엑셀에서 'Excel 통합 문서(*.xlsx)'로 저장해 올리세요.")
            % {"name": filename}
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refused(
            _("파일이 %(size)s로 한도 %(max)s를 넘습니다.")
            % {"size": megabytes(len(data)), "max": megabytes(MAX_UPLOAD_BYTES)}
        )
    entries = _zip_entries(data)
    if entries is not None and entries > MAX_PARTS:
        raise _refused(
            _(
                "파일에 든 항목이 %(n)s개로 한도 %(max)s개를 넘습니다. "
                "엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요."
            )
            % {"n": f"{entries:,}", "max": f"{MAX_PARTS:,}"}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable(filename) from None
    if unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise _refused(
            _("압축을 푼 크기가 %(size)s로 한도 %(max)s를 넘습니다.")
            % {"size": megabytes(unpacked), "max": megabytes(MAX_UNPACKED_BYTES)}
        )
    book = Book(archive, filename)
    try:
        package = _relationships(book, "")
        book.workbook = package.by_type.get("officeDocument", "xl/workbook.xml")
        book.parse(book.workbook, _WorkbookPart(book))
    except ImportRefused:
        archive.close()
        raise
    # A damaged part fails deep inside the zip or the XML parser with any of many errors (KeyError
    # for a missing part, XMLSyntaxError, a bad CRC, ...): every one means "cannot read it".
    except Exception:  # noqa: BLE001
        archive.close()
        raise _unreadable(book.filename) from None
    return book


def _merged_problems(
    layout: Layout, merges: list[tuple[int, int, int, int]], columns: dict[str, int]
) -> tuple[list[Problem], list[tuple[int, int]]]:
    """Merged cells a person could not mean for one row: over rows, or over two of the columns read.

    Returns the problems and the rows they span (first, last), which are not read further.
    """
    read = {index: name for name, index in columns.items() if name in layout.required}
    problems, spans = [], []
    for min_col, min_row, max_col, max_row in merges:
        if max_row < FIRST_DATA_ROW:
            continue
        touched = [read[c] for c in sorted(read) if min_col <= c <= max_col]
        if not touched:
            continue
        rows = max_row > min_row
        if rows or len(touched) > 1:
            first, last = max(min_row, FIRST_DATA_ROW), max_row
            start = f"{get_column_letter(min_col)}{min_row}"
            end = f"{get_column_letter(max_col)}{max_row}"
            coord = start if start == end else f"{start}:{end}"
            problems.append(
                Problem(
                    _(
                        "%(range)s: %(what)s 셀이 %(first)s~%(last)s행에 걸쳐 병합되어 있습니다. "
                        "병합을 풀고 행마다 값을 적으세요."
                    )
                    % {"range": coord, "what": ", ".join(touched), "first": first, "last": last}
                    if rows
                    else _("%(range)s: %(what)s 셀이 하나로 병합되어 있습니다. 병합을 풀고 열마다 값을 적으세요.")
                    % {"range": coord, "what": ", ".join(touched)},
                    row=first,
                )
            )
            spans.append((first, last))
    return problems, spans


def _row1_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _sheet_warnings(sheets: list[tuple[str, str, str | None]], index: int) -> list[Problem]:
    """Hidden sheets: the one read (its values are imported unseen), and the others (not read)."""
    warnings = []
    name, state, _rid = sheets[index]
    if state == "hidden":
        warnings.append(
            Problem(
                _("가져오는 '%(sheet)s' 시트가 숨겨져 있습니다. 엑셀에서 숨기기를 취소하고 내용을 확인하세요.")
                % {"sheet": name}
            )
        )
    elif state == "veryHidden":
        warnings.append(
            Problem(
                _(
                    "가져오는 '%(sheet)s' 시트가 '매우 숨김'(veryHidden)으로 숨겨져 있어 엑셀의 숨기기 취소로도 "
                    "보이지 않습니다. 내용을 확인할 수 있는 파일인지 확인하세요."
                )
                % {"sheet": name}
            )
        )
    others = [
        f"'{title}'" if how == "hidden" else _("'%(sheet)s'(매우 숨김)") % {"sheet": title}
        for i, (title, how, _rid) in enumerate(sheets)
        if i != index and how in ("hidden", "veryHidden")
    ]
    if others:
        warnings.append(
            Problem(
                _("숨겨진 시트가 있습니다: %(sheets)s. 가져오기는 '%(sheet)s' 시트만 읽습니다.")
                % {"sheets": _shown(others[:_SHOWN], len(others[_SHOWN:]), ""), "sheet": name}
            )
        )
    return warnings


def read_sheet(layout: Layout, book: Book) -> SheetRows:
    """The layout's sheet of the opened file as parsed rows and problems (file-level ones first), and
    warnings on what is hidden. Never raises for what is in the file."""
    result = SheetRows(layout)
    names = [name.strip() for name, _state, _rid in book.sheets]
    if layout.sheet not in names:
        titles = [f"'{name}'" for name, _state, _rid in book.sheets]
        result.problems.append(
            Problem(
                _("'%(sheet)s' 시트가 없습니다 (있는 시트: %(sheets)s). 양식의 시트 이름을 바꾸지 마세요.")
                % {"sheet": layout.sheet, "sheets": _shown(titles[: 2 * _SHOWN], len(titles[2 * _SHOWN :]), "") or "-"}
            )
        )
        return result
    index = names.index(layout.sheet)
    warnings = _sheet_warnings(book.sheets, index)
    try:
        _read_rows(layout, book, book.sheets[index][2], result).finish()
    except _Stop:
        pass  # the header's problems are the answer
    except ImportRefused as refused:
        return SheetRows(layout, problems=refused.problems, warnings=warnings)
    except Exception:  # noqa: BLE001 - as in open_workbook: a damaged part, whatever the error
        return SheetRows(layout, problems=_unreadable(book.filename).problems)
    result.warnings[:0] = warnings
    return result


def _read_rows(layout: Layout, book: Book, rid: str | None, result: SheetRows) -> _SheetPart:
    rels = _relationships(book, book.workbook, ids=[rid])
    strings_part, styles_part = rels.by_type.get("sharedStrings"), rels.by_type.get("styles")
    if book.has(strings_part) and book.size(strings_part) > MAX_SHARED_STRINGS_BYTES:
        raise _refused(
            _(
                "파일의 글자 데이터(%(part)s)가 압축을 풀면 %(size)s로 한도 %(max)s를 넘습니다. "
                "엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요."
            )
            % {
                "part": strings_part,
                "size": megabytes(book.size(strings_part)),
                "max": megabytes(MAX_SHARED_STRINGS_BYTES),
            }
        )
    kinds = book.parse(styles_part, _StylesPart(book)) if book.has(styles_part) else bytearray()
    strings = book.parse(strings_part, _SharedStrings(book)) if book.has(strings_part) else _SharedStrings(book)
    return book.parse(rels.by_id[rid], _SheetPart(book, layout, result, strings, kinds))


def read_file(layout: Layout, data: bytes, filename: str) -> SheetRows:
    """Bytes of an uploaded file to parsed rows and problems; never raises for what is in the file."""
    try:
        book = open_workbook(data, filename)
    except ImportRefused as refused:
        return SheetRows(layout, problems=refused.problems)
    with book:
        return read_sheet(layout, book)


def _match_lines(sheet_rows: SheetRows, lines: dict[str, Any], year: int) -> dict[str, ParsedRow]:
    """The rows by code, after refusing unknown and duplicated codes (problems added to sheet_rows)."""
    by_code: dict[str, ParsedRow] = {}
    for row in sheet_rows.rows:
        if row.code not in lines:
            sheet_rows.problems.append(
                Problem(
                    _("코드 '%(code)s'은(는) %(year)s년 세출 예산 라인에 없습니다.") % {"code": row.code, "year": year},
                    row=row.row,
                    column=CODE,
                    letter=sheet_rows.letters.get(CODE),
                )
            )
        elif row.code in by_code:
            sheet_rows.problems.append(
                Problem(
                    _("코드 '%(code)s'이(가) %(first)s행에 이미 있습니다. 한 라인은 한 행에만 적습니다.")
                    % {"code": row.code, "first": by_code[row.code].row},
                    row=row.row,
                    column=CODE,
                    letter=sheet_rows.letters.get(CODE),
                )
            )
        else:
            by_code[row.code] = row
    return by_code


def _name_warnings(by_code: dict[str, ParsedRow], names: dict[str, str], letter: str | None) -> list[Problem]:
    """A row whose name is not its code's line's name may carry another line's figures: say so."""
    return [
        Problem(
            _("사업명 '%(file)s'이(가) 코드 %(code)s의 사업명 '%(name)s'과(와) 다릅니다. 코드를 기준으로 가져옵니다.")
            % {"file": row.name, "code": code, "name": names[code]},
            row=row.row,
            column=NAME,
            letter=letter,
        )
        for code, row in by_code.items()
        if row.name and " ".join(row.name.split()) != " ".join(names[code].split())
    ]


def _rule_problems(sheet_rows: SheetRows, by_code: dict[str, ParsedRow], lines: dict, errors: dict) -> None:
    """The budget rules' refusals (by line id) as problems of the rows that carry those lines."""
    rows = {lines[code].line.id: (code, row.row) for code, row in by_code.items()}
    for line_id, messages in errors.items():
        code, row = rows.get(line_id, (None, None))
        column = _("코드 %(code)s") % {"code": code} if code else None
        sheet_rows.problems.extend(Problem(message, row=row, column=column) for message in messages)


# ---------------------------------------------------------------------------------------------------
# Execution: preview and confirmation


@dataclass
class LineChange:
    """One line of a preview: its figures for the month (or year) before and after the import."""

    code: str
    name: str
    row: int | None  # its row in the file; None when the file does not list it (it is left as it is)
    before: tuple
    after: tuple | None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    @property
    def months(self) -> list[int]:
        """For a plan line: the months the import changes."""
        if self.after is None:
            return []
        return [m for m, before, after in zip(MONTHS, self.before, self.after, strict=True) if before != after]

    @property
    def annual_before(self) -> tuple[int, int]:
        """For a plan line: the year's planned commitment and expenditure now."""
        return sum(c for c, _e in self.before), sum(e for _c, e in self.before)

    @property
    def annual_after(self) -> tuple[int, int] | None:
        if self.after is None:
            return None
        return sum(c for c, _e in self.after), sum(e for _c, e in self.after)


@dataclass
class Preview:
    kind: str
    year: int
    month: int | None
    filename: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lines: list[LineChange] = field(default_factory=list)
    entries: list = field(default_factory=list)  # Entry or PlanEntry, what confirming saves
    version: int | str = 0  # the month's version (execution) or the plan's digest when previewed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> list[LineChange]:
        return [line for line in self.lines if line.changed]

    @property
    def unchanged(self) -> list[LineChange]:
        return [line for line in self.lines if line.after is not None and not line.changed]

    @property
    def not_in_file(self) -> list[LineChange]:
        return [line for line in self.lines if line.after is None]


def _year_problems(year: int, month: int | None) -> list[Problem]:
    if not FiscalYear.objects.filter(year=year).exists():
        return [Problem(_("%(year)s 회계연도가 없습니다.") % {"year": year})]
    if month is not None and month not in MONTHS:
        return [Problem(_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month})]
    return []


def _period_problems(sheet_rows: SheetRows, year: int, month: int | None) -> list[Problem]:
    said_year, said_month = sheet_rows.year, sheet_rows.month
    if said_year is None or (said_year == year and (month is None or said_month in (None, month))):
        return []
    if month is None:
        what = _("%(year)s년") % {"year": said_year}
        wanted = _("%(year)s년") % {"year": year}
    else:
        what = _("%(year)s년 %(month)s월") % {"year": said_year, "month": said_month or "?"}
        wanted = _("%(year)s년 %(month)s월") % {"year": year, "month": month}
    return [
        Problem(
            _(
                "1행에 따르면 이 파일은 %(what)s 양식입니다. "
                "%(wanted)s로 가져오려면 그 양식을 받아 쓰거나 1행을 고치세요."
            )
            % {"what": what, "wanted": wanted},
            row=1,
        )
    ]


def preview_execution(data: bytes, filename: str, *, year: int, month: int) -> Preview:
    """What importing the file as the month's execution would do, or why it cannot; saves nothing.

    Queries: the fiscal year, then month_sheet's (a fixed number), whatever the number of rows.
    """
    preview = Preview("execution", year, month, filename)
    preview.problems = _year_problems(year, month)
    if preview.problems:
        return preview
    sheet_rows = read_file(EXECUTION, data, filename)
    preview.warnings = list(sheet_rows.warnings)
    sheet = month_sheet(year, month)
    preview.version = sheet.version
    if sheet.locked:
        sheet_rows.problems.insert(0, Problem(sheet.locked))
    sheet_rows.problems[:0] = _period_problems(sheet_rows, year, month)
    if sheet_rows.rows:
        _execution_lines(preview, sheet, sheet_rows, check_rules=not sheet.locked)
    preview.problems = _by_row(sheet_rows.problems, sheet_rows.unlisted)
    return preview


def _by_row(problems: list[Problem], unlisted: int = 0) -> list[Problem]:
    """The file's own problems first, then the rows' in row order (each row's in column order).

    A file wrong everywhere (another file altogether) would list thousands: the first MAX_PROBLEMS
    say enough, and the last line says how many more there are (with those the reader counted
    without keeping them, `unlisted`).
    """
    ordered = sorted(problems, key=lambda p: p.row or 0)
    if len(ordered) + unlisted > MAX_PROBLEMS:
        more = len(ordered) + unlisted - MAX_PROBLEMS
        ordered = ordered[:MAX_PROBLEMS] + [Problem(_("그 밖에 %(n)s건의 문제가 더 있습니다.") % {"n": f"{more:,}"})]
    return ordered


def _execution_lines(preview: Preview, sheet: MonthSheet, sheet_rows: SheetRows, *, check_rules: bool) -> None:
    lines = {sheet_line.line.code: sheet_line for sheet_line in sheet.lines}
    by_code = _match_lines(sheet_rows, lines, sheet.year)
    preview.warnings += _name_warnings(
        by_code, {code: sl.line.name for code, sl in lines.items()}, sheet_rows.letters.get(NAME)
    )
    preview.entries = [
        Entry(
            line_id=lines[code].line.id,
            commitment=row.amounts[COMMITMENT],
            expenditure=row.amounts[EXPENDITURE],
            note=row.note,
        )
        for code, row in by_code.items()
    ]
    if check_rules:
        _rule_problems(sheet_rows, by_code, lines, month_check(sheet=sheet, entries=preview.entries))
    for code, sheet_line in lines.items():
        row = by_code.get(code)
        preview.lines.append(
            LineChange(
                code=code,
                name=sheet_line.line.name,
                row=row.row if row else None,
                before=(sheet_line.commitment, sheet_line.expenditure, sheet_line.note),
                after=(row.amounts[COMMITMENT], row.amounts[EXPENDITURE], row.note) if row else None,
            )
        )


# ---------------------------------------------------------------------------------------------------
# Plan: preview


def preview_plan(data: bytes, filename: str, *, year: int) -> Preview:
    """What importing the file as the year's monthly plan would do, or why it cannot; saves nothing."""
    preview = Preview("plan", year, None, filename)
    preview.problems = _year_problems(year, None)
    if preview.problems:
        return preview
    sheet_rows = read_file(PLAN, data, filename)
    preview.warnings = list(sheet_rows.warnings)
    sheet = plan_sheet(year)
    preview.version = sheet.fingerprint
    sheet_rows.problems[:0] = _period_problems(sheet_rows, year, None)
    if sheet_rows.rows:
        _plan_lines(preview, sheet, sheet_rows)
    preview.problems = _by_row(sheet_rows.problems, sheet_rows.unlisted)
    return preview


def _plan_lines(preview: Preview, sheet: PlanSheet, sheet_rows: SheetRows) -> None:
    lines = {plan_line.line.code: plan_line for plan_line in sheet.lines}
    by_code = _match_lines(sheet_rows, lines, sheet.year)
    preview.warnings += _name_warnings(
        by_code, {code: pl.line.name for code, pl in lines.items()}, sheet_rows.letters.get(NAME)
    )
    preview.entries = [
        PlanEntry(
            line_id=lines[code].line.id,
            month=m,
            commitment=row.amounts[plan_column(m, COMMITMENT)],
            expenditure=row.amounts[plan_column(m, EXPENDITURE)],
        )
        for code, row in by_code.items()
        for m in MONTHS
    ]
    _rule_problems(sheet_rows, by_code, lines, plan_check(sheet, preview.entries))
    for code, plan_line in lines.items():
        row = by_code.get(code)
        after = None
        if row:
            after = tuple(
                (row.amounts[plan_column(m, COMMITMENT)], row.amounts[plan_column(m, EXPENDITURE)]) for m in MONTHS
            )
        preview.lines.append(
            LineChange(
                code=code,
                name=plan_line.line.name,
                row=row.row if row else None,
                before=tuple(plan_line.month(m) for m in MONTHS),
                after=after,
            )
        )


# ---------------------------------------------------------------------------------------------------
# Between preview and confirmation: the parsed entries, signed, in the page (no file kept anywhere)

_SALT = "budget.imports"


def sign_preview(preview: Preview, user_id: int | None) -> str:
    """A token of what confirming the preview saves, signed (so it cannot be edited in the page),
    tied to the user, and holding the version it was previewed at (so a save in between is caught)."""
    if preview.kind == "execution":
        entries = [[e.line_id, e.commitment, e.expenditure, e.note] for e in preview.entries]
    else:
        entries = [[e.line_id, e.month, e.commitment, e.expenditure] for e in preview.entries]
    payload = {
        "kind": preview.kind,
        "year": preview.year,
        "month": preview.month,
        "version": preview.version,
        "file": preview.filename,
        "user": user_id,
        "entries": entries,
    }
    return signing.dumps(payload, salt=f"{_SALT}.{preview.kind}", compress=True)


@dataclass(frozen=True)
class Confirmed:
    kind: str
    year: int
    month: int | None
    version: int | str
    filename: str
    entries: list


def unsign_preview(token: str, kind: str, user_id: int | None) -> Confirmed:
    """The preview a token stands for. Raises ImportRefused for a token that is altered, expired or
    someone else's."""
    try:
        payload = signing.loads(token, salt=f"{_SALT}.{kind}", max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportRefused(
            [
                Problem(
                    _("미리 보기가 %(minutes)s분이 지나 만료되었습니다. 파일을 다시 올리세요.")
                    % {"minutes": TOKEN_MAX_AGE // 60}
                )
            ]
        ) from None
    except signing.BadSignature:
        raise ImportRefused([Problem(_("미리 보기 정보가 올바르지 않습니다. 파일을 다시 올리세요."))]) from None
    if payload.get("user") != user_id or payload.get("kind") != kind:
        raise ImportRefused([Problem(_("다른 사용자의 미리 보기입니다. 파일을 다시 올리세요."))])
    if kind == "execution":
        entries = [Entry(line_id=i, commitment=c, expenditure=e, note=n) for i, c, e, n in payload["entries"]]
    else:
        entries = [PlanEntry(line_id=i, month=m, commitment=c, expenditure=e) for i, m, c, e in payload["entries"]]
    return Confirmed(kind, payload["year"], payload["month"], payload["version"], payload["file"], entries)


def source_note(filename: str, how: str = "") -> str:
    """The history's change reason for an import."""
    return (_("엑셀 가져오기%(how)s: %(file)s") % {"how": f"({how})" if how else "", "file": filename})[:250]


# ---------------------------------------------------------------------------------------------------
# Templates


def _template_sheet(wb: Workbook, layout: Layout, row1: list, rows: list[list], widths: dict[str, float]):
    """The layout's sheet: row 1, the header in row 2, the rows, data validation on the amount cells."""
    ws = wb.create_sheet(layout.sheet)
    columns = layout.columns
    writer = SheetWriter(ws, [])
    # Text through the council workbook's cell writer: a line name or a note starting with = + - @
    # is stored as text with Excel's quote prefix, never as a formula.
    writer.append([writer.cell(v, border=False) for v in row1])
    writer.append([writer.cell(c, bold=True, align="center") for c in columns])
    for values in rows:
        cells = []
        for column, value in zip(columns, values, strict=True):
            if column in layout.amounts or column == CURRENT:
                cell = writer.cell(value, kind="money")
                cell.number_format = NUMBER_FORMATS["money"]
            else:
                cell = writer.cell(value, kind="text")
                cell.number_format = "@"  # so that a code typed as 1-1 stays text, not 1월 1일
            cells.append(cell)
        writer.append(cells)
    last = FIRST_DATA_ROW + max(len(rows), 1) - 1
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1=str(layout.minimum),
        formula2=str(MAX_AMOUNT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("금액"),
        error=_("원 단위 정수(%(min)s ~ %(max)s)만 적습니다.")
        % {"min": f"{layout.minimum:,}", "max": f"{MAX_AMOUNT:,}"},
    )
    for column in layout.amounts:
        letter = get_column_letter(columns.index(column) + 1)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
    ws.add_data_validation(validation)
    for i, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(column, 14)
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    return ws


def _guide(wb: Workbook, lines: list[str]):
    ws = wb.create_sheet(_("안내"))
    writer = SheetWriter(ws, [])
    for line in lines:
        writer.append([writer.cell(line, border=False)])
    ws.column_dimensions["A"].width = 110


def _common_guide(layout: Layout) -> list[str]:
    return [
        _(
            "시트 이름 '%(sheet)s'과(와) %(row)s행 머리글은 바꾸지 마세요. "
            "열 순서는 바꿔도 되고, 다른 열은 읽지 않습니다."
        )
        % {"sheet": layout.sheet, "row": HEADER_ROW},
        _("%(row)s행부터 한 행에 한 라인: 코드로 라인을 찾습니다 (사업명은 확인용). 한 코드는 한 번만 적습니다.")
        % {"row": FIRST_DATA_ROW},
        _("금액은 원 단위 정수입니다. 빈 칸은 0, 소수·글자·날짜는 받지 않습니다. 수식은 계산된 값으로 읽습니다."),
        _("파일에 없는 라인은 바뀌지 않습니다. 빈 행은 건너뜁니다. 병합한 셀은 풀어 주세요."),
        _(
            "올리면 먼저 미리 보기로 바뀌는 값과 오류(행·열·이유)를 보여 주고, 확인해야 반영합니다. "
            "파일은 5 MB까지입니다."
        ),
        _(
            "한 번에 데이터 %(rows)s행, 시트 전체 셀 %(cells)s개까지 읽습니다. 숨긴 행과 열도 읽으며, "
            "숨긴 시트·행·열은 미리 보기에서 알려 줍니다."
        )
        % {"rows": f"{MAX_DATA_ROWS:,}", "cells": f"{MAX_CELLS:,}"},
    ]


def execution_template(year: int, month: int, out) -> None:
    """The month's import template, prefilled with every expenditure line and the month's figures."""
    sheet = month_sheet(year, month)
    wb = Workbook()
    wb.remove(wb.active)
    rows = [[sl.line.code, sl.line.name, sl.commitment, sl.expenditure, sl.note] for sl in sheet.lines]
    name_width = max((len(sl.line.name) for sl in sheet.lines), default=10) * 2 + 2
    _template_sheet(
        wb,
        EXECUTION,
        ["회계연도", year, "월", month, _("단위: 원")],
        rows,
        {CODE: 9, NAME: min(name_width, 60), COMMITMENT: 18, EXPENDITURE: 18, NOTE: 40},
    )
    _guide(
        wb,
        [
            _("%(year)s년 %(month)s월 집행 실적 가져오기 양식") % {"year": year, "month": month},
            _(
                "원인행위액·지출액은 이 달의 금액입니다 (누계 아님). "
                "음수는 지난 달 정정이며 비고에 사유를 적어야 합니다."
            ),
            _("같은 달을 다시 가져오면 더해지지 않고 파일의 값으로 바뀝니다."),
            *_common_guide(EXECUTION),
        ],
    )
    wb.save(out)


def plan_template(year: int, out) -> None:
    """The year's plan template: every expenditure line, its 예산현액 at year end and its plan by month."""
    sheet = plan_sheet(year)
    wb = Workbook()
    wb.remove(wb.active)
    rows = []
    for pl in sheet.lines:
        row = [pl.line.code, pl.line.name, pl.current]
        for m in MONTHS:
            row.extend(pl.month(m))
        rows.append(row)
    name_width = max((len(pl.line.name) for pl in sheet.lines), default=10) * 2 + 2
    _template_sheet(
        wb,
        PLAN,
        ["회계연도", year, None, None, _("단위: 원")],
        rows,
        {CODE: 9, NAME: min(name_width, 60), CURRENT: 16},
    )
    _guide(
        wb,
        [
            _("%(year)s년 월별 집행계획 가져오기 양식") % {"year": year},
            _("달마다 계획 원인행위액과 계획 지출액을 적습니다. 계획은 음수일 수 없습니다."),
            _(
                "한 라인의 원인행위 계획 합계는 연말 예산현액을 넘을 수 없고, "
                "달마다 지출 계획 누계는 원인행위 계획 누계를 넘을 수 없습니다."
            ),
            _("예산현액 열은 확인용이며 읽지 않습니다."),
            *_common_guide(PLAN),
        ],
    )
    wb.save(out)


# ---------------------------------------------------------------------------------------------------
# The preview as text, for the commands


def _change(before: int, after: int | None) -> str:
    if after is None or after == before:
        return f"{before:,}"
    return f"{before:,} → {after:,}"


def preview_text(preview: Preview, *, every_line: bool = False) -> list[str]:
    """The preview as lines of text: the warnings, each changed line (every line with `every_line`),
    then a summary."""
    if preview.kind == "execution":
        title = _("%(year)s년 %(month)s월 집행 실적") % {"year": preview.year, "month": preview.month}
    else:
        title = _("%(year)s년 집행계획") % {"year": preview.year}
    out = [f"{title} · {preview.filename}"]
    out += ["  " + _("경고: %(warning)s") % {"warning": warning} for warning in preview.warnings]
    if not preview.ok:
        return out
    for line in preview.lines:
        if line.after is None or not (line.changed or every_line):
            continue
        if preview.kind == "execution":
            figures = [
                _("원인행위액 %(v)s") % {"v": _change(line.before[0], line.after[0])},
                _("지출액 %(v)s") % {"v": _change(line.before[1], line.after[1])},
            ]
            if line.before[2] != line.after[2]:
                figures.append(_("비고 '%(a)s' → '%(b)s'") % {"a": line.before[2], "b": line.after[2]})
        else:
            before, after = line.annual_before, line.annual_after
            figures = [
                _("연간 원인행위 계획 %(v)s") % {"v": _change(before[0], after[0])},
                _("연간 지출 계획 %(v)s") % {"v": _change(before[1], after[1])},
            ]
            if line.months:
                figures.append(_("바뀌는 달 %(months)s") % {"months": ", ".join(f"{m}월" for m in line.months)})
        state = _("변경") if line.changed else _("변경 없음")
        out.append(f"  {_('%(row)s행') % {'row': line.row}} {line.code} {line.name}: {', '.join(figures)} [{state}]")
    out.append(
        _("%(changed)s개 라인 변경, %(same)s개 라인 변경 없음, 파일에 없는 %(absent)s개 라인은 그대로.")
        % {"changed": len(preview.changed), "same": len(preview.unchanged), "absent": len(preview.not_in_file)}
    )
    return out


def read_path(path) -> tuple[bytes, str]:
    """A file's bytes for the commands, read no further than the size limit (the reader refuses it then)."""
    with open(path, "rb") as f:
        return f.read(MAX_UPLOAD_BYTES + 1), str(path).rsplit("/", 1)[-1]


def show_preview(command, preview, *, verbose: bool, dry_run: bool) -> bool:
    """What the import commands print before saving; False when there is nothing more to do (a dry run).

    Raises CommandError when the file has problems, so the command exits non-zero with nothing saved.
    """
    from django.core.management import CommandError

    for line in preview_text(preview, every_line=verbose):
        command.stdout.write(line)
    for problem in preview.problems:
        command.stderr.write(str(problem))
    if not preview.ok:
        raise CommandError(f"{len(preview.problems)}건의 문제로 가져오지 않았습니다 (저장한 것 없음).")
    if dry_run:
        command.stdout.write("--dry-run: 저장하지 않았습니다.")
        return False
    return True
