"""One worksheet's XML, streamed: its cells by row and column, its merged ranges and what is hidden."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

from budget.imports import layout as limits  # read when used, so that a test may lower them
from budget.imports.book import (
    COLUMN_REF,
    DIGITS,
    RANGE_REF,
    SHEET_TAGS,
    SHOWN,
    Book,
    Part,
    Stop,
    is_true,
    is_zero,
    refused_file,
)
from budget.imports.cells import ParsedRow, parse_row
from budget.imports.layout import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    LONG_TEXT,
    MAX_COLUMN,
    MAX_MERGED,
    MAX_PROBLEMS,
    MAX_ROW,
    ImportRefused,
    Layout,
    Problem,
)
from budget.imports.parts import SharedStrings
from budget.imports.result import Runs, SheetRows, hidden_warnings, joined, merged_problems, row1_int, shown
from budget.imports.values import Cell, cell_value, holds


class SheetPart(Part):
    """The sheet, row by row: rows 1 and 2 (period, header), then each data row's cells in the columns
    read, parsed as soon as the row ends. Nothing grows with the sheet but what is kept for the import
    (at most MAX_DATA_ROWS parsed rows, MAX_PROBLEMS of their problems); every limit is checked as the
    cell or row that passes it is met."""

    def __init__(self, book: Book, layout: Layout, result: SheetRows, strings: SharedStrings, kinds: bytearray):
        super().__init__(book)
        self.layout, self.result, self.strings, self.kinds = layout, result, strings, kinds
        self.names = set(layout.required + layout.informative)
        self.row = 0  # the row being read, or the last one
        self.in_row = False
        self.row_hidden = False
        self.row_holds = False  # a hidden row with a value somewhere
        self.column = 0
        self.cell: Cell | None = None
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
        self.hidden_rows = Runs()
        self.hidden_filled: set[int] = set()  # hidden columns with a value
        self.dimension: str | None = None

    # -- elements

    def start(self, tag, attrib):
        book = self.book
        book.elements += 1
        if book.elements > limits.MAX_XML_ELEMENTS:
            raise book.too_complex()
        name = SHEET_TAGS.get(tag)
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
                raise refused_file(
                    _("병합한 셀 범위가 한도 %(max)s개를 넘습니다. 병합을 풀고 올리세요.") % {"max": f"{MAX_MERGED:,}"}
                )
            self.merges.append(range_boundaries(attrib["ref"]))
        elif name == "dimension":
            ref = attrib.get("ref", "")
            if RANGE_REF.fullmatch(ref):
                self.dimension = ref

    def data(self, text):
        cell = self.cell
        if self.sink is not None:
            cell.length += len(text)
            if cell.length <= LONG_TEXT:
                self.sink.append(text)

    def end(self, tag):
        name = SHEET_TAGS.get(tag)
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
        return refused_file(
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
        self.row_hidden = is_true(attrib.get("hidden")) or is_zero(attrib.get("ht"))
        self.row_holds = False
        self.row_cells = {}

    def start_cell(self, attrib):
        self.cells += 1
        if self.cells > limits.MAX_CELLS:
            raise refused_file(
                _(
                    "시트의 셀이 한도 %(max)s개를 넘습니다: %(row)s행에서 %(n)s번째 셀을 만났습니다%(extent)s. "
                    "가져오지 않는 열의 셀도 셉니다. 쓰지 않는 행과 열을 지우고 올리세요."
                )
                % {"max": f"{limits.MAX_CELLS:,}", "row": self.row, "n": f"{self.cells:,}", "extent": self._extent()}
            )
        ref = attrib.get("r")
        if ref is None:
            column = self.column + 1
        else:
            letters = ref.rstrip(DIGITS)
            if ref[len(letters) :] != self.row_text and int(ref[len(letters) :] or 0) != self.row:
                raise ValueError(f"cell {ref!r} in row {self.row}")
            column = self.column_numbers.get(letters)
            if column is None:
                match = COLUMN_REF.fullmatch(letters)
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
            self.cell = Cell(column, attrib.get("t", "n"), int(style) if style else 0, keep)
        else:
            self.cell = None

    def end_cell(self):
        cell = self.cell
        if cell is None:
            return
        self.cell = self.sink = None
        value = cell_value(cell, self.strings, self.kinds, self.book.epoch)
        if cell.keep:
            if self.row == 1:
                self.row1[cell.column] = value
            elif self.row == 2:
                self.header(cell.column, value)
            else:
                self.row_cells[cell.column] = value
        if holds(value):
            if self.row_hidden:
                self.row_holds = True
            if self.hidden_columns[cell.column]:
                self.hidden_filled.add(cell.column)

    def header(self, column: int, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            return
        header = " ".join(value.split())  # trailing spaces, a line break typed in the header
        if header in self.names:
            self.seen.setdefault(header, []).append(get_column_letter(column))
            self.columns.setdefault(header, column)
        if header in self.headers:
            return
        if len(self.headers) < 2 * SHOWN:
            self.headers.append(header)
        else:
            self.more_headers += 1

    def end_row(self):
        self.in_row = False
        row = self.row
        if self.row_hidden and self.row_holds:
            self.hidden_rows.add(row)
        if row < FIRST_DATA_ROW or not any(holds(v) for v in self.row_cells.values()):
            return
        self.data_rows += 1
        if self.data_rows > limits.MAX_DATA_ROWS:
            raise refused_file(
                _(
                    "데이터 행이 한도 %(max)s행을 넘습니다: %(row)s행이 %(n)s번째 데이터 행입니다%(extent)s. "
                    "한 번에 %(max)s행까지 가져오니 파일을 나눠서 올리세요."
                )
                % {"max": f"{limits.MAX_DATA_ROWS:,}", "row": row, "n": f"{self.data_rows:,}", "extent": self._extent()}
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
        if is_true(attrib.get("hidden")) or is_zero(attrib.get("width")):
            low, high = int(attrib["min"]), min(int(attrib["max"]), MAX_COLUMN)
            if 1 <= low <= high:
                self.hidden_columns[low : high + 1] = b"\x01" * (high - low + 1)

    # -- the header, once rows 1 and 2 are read

    def settle(self):
        """Rows 1 and 2 read: the period, the columns read; Stop when the header is not the layout's."""
        if self.settled:
            return
        self.settled = True
        result, layout = self.result, self.layout
        row1 = [self.row1.get(c) for c in range(1, 5)]
        if isinstance(row1[0], str) and row1[0].strip() == "회계연도":
            result.year = row1_int(row1[1])
            if isinstance(row1[2], str) and row1[2].strip() == "월":
                result.month = row1_int(row1[3])
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
                found = shown([found], self.more_headers, "")
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
            raise Stop
        self.wanted = {index: name for name, index in self.columns.items()}
        result.letters = {name: get_column_letter(index) for name, index in self.columns.items()}

    # -- after the last row

    def finish(self) -> None:
        """Merged cells (listed after the rows), the rows kept, and the warnings on what is hidden."""
        self.settle()  # a sheet without rows past the header
        result = self.result
        merged, spans = merged_problems(self.layout, self.merges, self.columns)
        result.problems.extend(merged)
        spans = joined(spans)
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
        result.warnings += hidden_warnings(self.hidden_rows, self.hidden_filled, self.wanted)


