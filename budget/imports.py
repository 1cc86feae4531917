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

Reading is in three steps, each testable on its own: `open_workbook` (bytes to the sheet's cells,
refusing what is not a readable .xlsx), `parse_row` (pure: one row's cell values to numbers or
problems) and the previews (the rows against the year's lines and the month's rules, without saving).
The web view and the `import_execution` / `import_plan` commands share all three.
"""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .amounts import MAX_AMOUNT, parse_amount
from .entry import MonthSheet, month_sheet
from .models import FiscalYear
from .plans import MONTHS, PlanEntry, PlanSheet, plan_check, plan_sheet
from .services import Entry, month_check
from .workbook import NUMBER_FORMATS, SheetWriter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip of XML; a few MB can unpack to gigabytes. A 500-line template unpacks to well
# under 1 MB, so anything past this is refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_DATA_ROWS = 5_000
NOTE_MAX = 300  # ExecutionRecord.note
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


def _check_special(value: Any) -> None:
    if value is NO_CACHED_VALUE:
        raise CellRefused(_("수식의 계산된 값이 없습니다. 엑셀에서 파일을 열어 다시 저장하거나, 값으로 붙여 넣으세요."))
    if isinstance(value, ErrorValue):
        raise CellRefused(_("수식 오류 값 %(value)s입니다.") % {"value": value.code})


# Python refuses to turn an int of more than 4,300 digits into text; no cell value worth showing is
# anywhere near that long, so such a number is refused without being written out.
_SHOWN_DIGITS = 10**60


def _text(value: Any) -> str:
    """A cell's value as a person reads it: 3.0 as 3, stripped, without invisible control characters
    (a NUL would be refused by PostgreSQL; a line break or tab typed in a note is kept)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= _SHOWN_DIGITS:
        raise CellRefused(_("%(digits)s자리가 넘는 숫자입니다.") % {"digits": 60})
    text = str(value)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))
    return text.strip()


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


def read_note(value: Any) -> str:
    """A note from a cell, stripped; numbers as they read. Raises CellRefused."""
    _check_special(value)
    if value is None:
        return ""
    text = _text(value)
    if len(text) > NOTE_MAX:
        raise CellRefused(
            _("비고가 %(length)s자입니다. %(max)s자까지 적을 수 있습니다.") % {"length": len(text), "max": NOTE_MAX}
        )
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


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def open_workbook(data: bytes, filename: str) -> tuple[Any, Any]:
    """The file as two workbooks: its cached values, and its formulas (to tell a formula with no value
    from an empty cell). Raises ImportRefused for what is not a readable .xlsx within the limits."""
    if not filename.lower().endswith(".xlsx"):
        raise ImportRefused(
            [
                Problem(
                    _("'%(name)s'은(는) .xlsx 파일이 아닙니다. 엑셀에서 'Excel 통합 문서(*.xlsx)'로 저장해 올리세요.")
                    % {"name": filename}
                )
            ]
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            [
                Problem(
                    _("파일이 %(size)s로 한도 %(max)s를 넘습니다.")
                    % {"size": megabytes(len(data)), "max": megabytes(MAX_UPLOAD_BYTES)}
                )
            ]
        )
    unreadable = ImportRefused(
        [
            Problem(
                _("'%(name)s'을(를) 엑셀 파일로 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다.")
                % {"name": filename}
            )
        ]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            [
                Problem(
                    _("압축을 푼 크기가 %(size)s로 한도 %(max)s를 넘습니다.")
                    % {"size": megabytes(unpacked), "max": megabytes(MAX_UNPACKED_BYTES)}
                )
            ]
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops on reading (extensions, styles); none matters here.
            warnings.simplefilter("ignore")
            values = load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            formulas = load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    # A damaged archive fails deep inside openpyxl or the XML parser with any of many errors
    # (KeyError for a missing part, ParseError, TypeError, ...): every one means "cannot read it".
    except Exception:  # noqa: BLE001
        raise unreadable from None
    return values, formulas


def _merged_problems(layout: Layout, ws, columns: dict[str, int]) -> tuple[list[Problem], list[tuple[int, int]]]:
    """Merged cells a person could not mean for one row: over rows, or over two of the columns read.

    Returns the problems and the rows they span (first, last), which are not read further.
    """
    read = {index: name for name, index in columns.items() if name in layout.required}
    problems, spans = [], []
    for merged in ws.merged_cells.ranges:
        if merged.max_row < FIRST_DATA_ROW:
            continue
        touched = [read[c] for c in range(merged.min_col, merged.max_col + 1) if c in read]
        if not touched:
            continue
        rows = merged.max_row > merged.min_row
        if rows or len(touched) > 1:
            first, last = max(merged.min_row, FIRST_DATA_ROW), merged.max_row
            problems.append(
                Problem(
                    _(
                        "%(range)s: %(what)s 셀이 %(first)s~%(last)s행에 걸쳐 병합되어 있습니다. "
                        "병합을 풀고 행마다 값을 적으세요."
                    )
                    % {"range": merged.coord, "what": ", ".join(touched), "first": first, "last": last}
                    if rows
                    else _("%(range)s: %(what)s 셀이 하나로 병합되어 있습니다. 병합을 풀고 열마다 값을 적으세요.")
                    % {"range": merged.coord, "what": ", ".join(touched)},
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


def read_sheet(layout: Layout, values, formulas) -> SheetRows:
    """The layout's sheet of the two workbooks as parsed rows and problems (file-level ones first)."""
    result = SheetRows(layout)
    names = [name.strip() for name in values.sheetnames]
    if layout.sheet not in names:
        result.problems.append(
            Problem(
                _("'%(sheet)s' 시트가 없습니다 (있는 시트: %(sheets)s). 양식의 시트 이름을 바꾸지 마세요.")
                % {"sheet": layout.sheet, "sheets": ", ".join(f"'{n}'" for n in values.sheetnames) or "-"}
            )
        )
        return result
    real_name = values.sheetnames[names.index(layout.sheet)]
    ws, wf = values[real_name], formulas[real_name]

    # Row 1 may say which year and month the file is for (the template writes it).
    row1 = [ws.cell(1, c).value for c in range(1, 5)]
    if isinstance(row1[0], str) and row1[0].strip() == "회계연도":
        result.year = _row1_int(row1[1])
        if isinstance(row1[2], str) and row1[2].strip() == "월":
            result.month = _row1_int(row1[3])

    columns: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    for c in range(1, (ws.max_column or 0) + 1):
        header = ws.cell(HEADER_ROW, c).value
        if isinstance(header, str) and header.strip():
            header = " ".join(header.split())  # trailing spaces, a line break typed in the header
            seen.setdefault(header, []).append(get_column_letter(c))
            columns.setdefault(header, c)
    for header, letters in seen.items():
        if len(letters) > 1 and header in layout.required:
            result.problems.append(
                Problem(
                    _("%(row)s행 머리글 '%(column)s'이(가) %(letters)s열에 거듭 있습니다. 하나만 남기세요.")
                    % {"row": HEADER_ROW, "column": header, "letters": ", ".join(letters)}
                )
            )
    missing = [c for c in layout.required if c not in columns]
    if missing:
        found = ", ".join(f"'{h}'" for h in seen) or _("(비어 있음)")
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
        return result

    wanted = {name: index for name, index in columns.items() if name in layout.required + layout.informative}
    # The rows that hold something in a column read, found among the cells the file has. Walking the
    # rows by index up to ws.max_row would create every cell up to it: a sheet with one styled cell
    # on row 1,048,576 is a small file.
    indexes = set(wanted.values())
    filled = sorted(
        {r for (r, c), cell in ws._cells.items() if r >= FIRST_DATA_ROW and c in indexes and not is_blank(cell.value)}
        | {r for (r, c), cell in wf._cells.items() if r >= FIRST_DATA_ROW and c in indexes and cell.data_type == "f"}
    )
    if len(filled) > MAX_DATA_ROWS:
        result.problems.append(
            Problem(
                _("데이터 행이 %(n)s개입니다. 한 번에 %(max)s행까지 가져옵니다.")
                % {"n": f"{len(filled):,}", "max": f"{MAX_DATA_ROWS:,}"}
            )
        )
        return result
    merged, merges = _merged_problems(layout, ws, columns)
    result.problems.extend(merged)
    letters = result.letters = {name: get_column_letter(index) for name, index in columns.items()}
    for r in filled:
        if any(first <= r <= last for first, last in merges):
            continue  # its merged cells are refused above, once for all their rows
        cells = {}
        for name, index in wanted.items():
            cell = ws._cells.get((r, index))
            value = cell.value if cell is not None else None
            if cell is not None and cell.data_type == "e":
                value = ErrorValue(str(value))
            elif value is None and getattr(wf._cells.get((r, index)), "data_type", None) == "f":
                value = NO_CACHED_VALUE
            cells[name] = value
        parsed, problems = parse_row(layout, r, cells, letters)
        result.problems.extend(problems)
        if parsed is not None:
            result.rows.append(parsed)
    if not result.rows and not result.problems:
        result.problems.append(
            Problem(_("가져올 행이 없습니다. %(row)s행부터 한 행에 한 라인씩 적습니다.") % {"row": FIRST_DATA_ROW})
        )
    return result


def read_file(layout: Layout, data: bytes, filename: str) -> SheetRows:
    """Bytes of an uploaded file to parsed rows and problems; never raises for what is in the file."""
    try:
        values, formulas = open_workbook(data, filename)
    except ImportRefused as refused:
        return SheetRows(layout, problems=refused.problems)
    return read_sheet(layout, values, formulas)


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
    sheet = month_sheet(year, month)
    preview.version = sheet.version
    if sheet.locked:
        sheet_rows.problems.insert(0, Problem(sheet.locked))
    sheet_rows.problems[:0] = _period_problems(sheet_rows, year, month)
    if sheet_rows.rows:
        _execution_lines(preview, sheet, sheet_rows, check_rules=not sheet.locked)
    preview.problems = _by_row(sheet_rows.problems)
    return preview


MAX_PROBLEMS = 300


def _by_row(problems: list[Problem]) -> list[Problem]:
    """The file's own problems first, then the rows' in row order (each row's in column order).

    A file wrong everywhere (another file altogether) would list thousands: the first MAX_PROBLEMS
    say enough, and the last line says how many more there are.
    """
    ordered = sorted(problems, key=lambda p: p.row or 0)
    if len(ordered) > MAX_PROBLEMS:
        more = len(ordered) - MAX_PROBLEMS
        ordered = ordered[:MAX_PROBLEMS] + [Problem(_("그 밖에 %(n)s건의 문제가 더 있습니다.") % {"n": f"{more:,}"})]
    return ordered


def _execution_lines(preview: Preview, sheet: MonthSheet, sheet_rows: SheetRows, *, check_rules: bool) -> None:
    lines = {sheet_line.line.code: sheet_line for sheet_line in sheet.lines}
    by_code = _match_lines(sheet_rows, lines, sheet.year)
    preview.warnings = _name_warnings(
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
    sheet = plan_sheet(year)
    preview.version = sheet.fingerprint
    sheet_rows.problems[:0] = _period_problems(sheet_rows, year, None)
    if sheet_rows.rows:
        _plan_lines(preview, sheet, sheet_rows)
    preview.problems = _by_row(sheet_rows.problems)
    return preview


def _plan_lines(preview: Preview, sheet: PlanSheet, sheet_rows: SheetRows) -> None:
    lines = {plan_line.line.code: plan_line for plan_line in sheet.lines}
    by_code = _match_lines(sheet_rows, lines, sheet.year)
    preview.warnings = _name_warnings(
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
    """The preview as lines of text: each changed line (every line with `every_line`), then a summary."""
    if preview.kind == "execution":
        title = _("%(year)s년 %(month)s월 집행 실적") % {"year": preview.year, "month": preview.month}
    else:
        title = _("%(year)s년 집행계획") % {"year": preview.year}
    out = [f"{title} · {preview.filename}"]
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
