import functools
import math
import unicodedata
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from budget.core import display
from budget.core.figures import Marker, round_half_up
from budget.core.rows import Column, Row, cell_kind

# Excel wants the △ quoted; LibreOffice and Excel both render these (docs/conventions.md).
NUMBER_FORMATS = {
    "money": '#,##0;"△"#,##0;0',
    "rate": '0.0;"△"0.0;0.0',
    "share": '0.0;"△"0.0;0.0',
    "change_rate": '0.0;"△"0.0;0.0',
    "count": '#,##0;"△"#,##0;"-"',
    "gap": '+#,##0;"△"#,##0;"-"',
}


# A cell starting with one of these could be taken for a formula by a spreadsheet (or by whatever
# the council later pastes it into); such text is stored as text with Excel's quote prefix.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


MAX_WIDTH = 60


THIN = Side(style="thin", color="9AA3AF")


BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


HEADER_FILL = PatternFill("solid", fgColor="E5E9F0")


TOTAL_FILL = PatternFill("solid", fgColor="EEF1F5")


SUBTOTAL_FILL = PatternFill("solid", fgColor="F6F7F9")


def excel_value(value: Any, kind: str) -> Any:
    """The number a cell holds: 천원 for money (half-up), a rate rounded half-up to one decimal."""
    if isinstance(value, Marker) or value is None:
        return display.rate(value)
    if kind == "money":
        return display.in_thousands(value)
    if kind in ("rate", "share", "change_rate"):
        return round_half_up(Fraction(value), 1)
    if kind in ("count", "gap"):
        return int(value)
    return "" if value is None else str(value)


# One style object per variant, shared by every cell: openpyxl otherwise builds and hashes a new Font and
# Alignment for each of a large year's 250,000 cells, which was most of the export's time.
@functools.cache
def _font(bold: bool, size: int) -> Font:
    return Font(bold=bold, size=size)


@functools.cache
def _alignment(horizontal: str, wrap: bool) -> Alignment:
    return Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)


def wrapped_lines(text) -> int:
    """How many lines text takes in a column of MAX_WIDTH, each newline starting a new one."""
    return sum(max(1, math.ceil(text_width(part) / MAX_WIDTH)) for part in str(text or "").split("\n"))


def text_width(text: str) -> float:
    """Column width for text, counting Hangul and other wide characters as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text)) * 1.1 + 2


@dataclass
class SheetWriter:
    """One sheet laid out as the report lays out a table: title, caption, two-row header, rows."""

    ws: Any
    columns: list[Column]
    widths: list[float] = field(default_factory=list)
    row_index: int = 0

    # Each variant of style's ids in the workbook's style tables, found once per sheet and copied to every
    # cell after: openpyxl looks a style object up by hashing it whole, on each cell it is set on, which
    # was most of a large year's export time.
    styles: dict[tuple, StyleArray] = field(default_factory=dict)

    def cell(self, value, *, kind="text", bold=False, fill=None, align=None, border=True, size=None):
        cell = WriteOnlyCell(self.ws, value=value)
        quoted = kind == "text" and isinstance(value, str) and value.startswith(FORMULA_STARTS)
        if quoted:
            cell.data_type = "s"
        number_format = NUMBER_FORMATS.get(kind) if kind != "text" and not isinstance(value, str) else None
        horizontal = align or ("left" if kind == "text" or isinstance(value, str) else "right")
        if isinstance(value, str) and kind != "text":
            horizontal = "right"
        # Text wider than the widest column wraps within it, so that nothing spills past the print area.
        # (No character is wider than 2.2, so a short text needs no measuring.)
        wrap = (
            isinstance(value, str)
            and border
            and ("\n" in value or (len(value) * 2.2 + 2 > MAX_WIDTH and text_width(value) > MAX_WIDTH))
        )
        # The fills are module constants: keyed by identity, since hashing one is what this cache avoids.
        key = (quoted, number_format, bold, size or 10, id(fill) if fill else None, border, horizontal, wrap)
        style = self.styles.get(key)
        if style is not None:
            cell._style = copy(style)
            return cell
        if quoted:
            cell.quotePrefix = True
        if number_format:
            cell.number_format = number_format
        cell.font = _font(bold, size or 10)
        if fill:
            cell.fill = fill
        if border:
            cell.border = BORDER
        cell.alignment = _alignment(horizontal, wrap)
        self.styles[key] = copy(cell._style)
        return cell

    def append(self, cells: list, *, outline: int = 0):
        self.row_index += 1
        if outline:
            self.ws.row_dimensions[self.row_index].outlineLevel = outline
        # A write-only sheet cannot fit a row to wrapped text afterwards: set its height from the lines.
        lines = max((wrapped_lines(c.value) for c in cells if c is not None and c.alignment.wrap_text), default=1)
        if lines > 1:
            self.ws.row_dimensions[self.row_index].height = 15 * lines
        self.ws.append(cells)

    def merge(self, first_row, first_col, last_row, last_col):
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merged_cells.add(
                f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
            )

    def title(self, title: str, caption: str):
        n = len(self.columns)
        self.append([self.cell(title, bold=True, size=14, border=False)] + [None] * (n - 1))
        self.merge(self.row_index, 1, self.row_index, n)
        self.append([None] * (n - 1) + [self.cell(caption, border=False, align="right")])

    def header(self) -> int:
        """The header rows as the report draws them; returns how many rows it took."""
        grouped = any(c.group for c in self.columns)
        style = {"bold": True, "fill": HEADER_FILL, "align": "center"}
        if not grouped:
            self.append([self.cell(c.label, **style) for c in self.columns])
            return 1
        top, bottom = [], []
        start = self.row_index + 1
        for i, c in enumerate(self.columns, 1):
            if not c.group:
                top.append(self.cell(c.label, **style))
                bottom.append(self.cell(None, **style))
                self.merge(start, i, start + 1, i)
            else:
                first_of_group = i == 1 or self.columns[i - 2].group != c.group
                top.append(self.cell(c.group if first_of_group else None, **style))
                bottom.append(self.cell(c.label, **style))
                if first_of_group:
                    span = 1
                    while i - 1 + span < len(self.columns) and self.columns[i - 1 + span].group == c.group:
                        span += 1
                    self.merge(start, i, start, i + span - 1)
        self.append(top)
        self.append(bottom)
        return 2

    def data_row(self, row: Row, *, outline: int = 0):
        level = row.get("level", "item")
        bold = level in ("total", "subtotal")
        fill = TOTAL_FILL if level == "total" else SUBTOTAL_FILL if level == "subtotal" else None
        cells = []
        for column in self.columns:
            kind = cell_kind(row, column)
            cells.append(self.cell(excel_value(row.get(column.key), kind), kind=kind, bold=bold, fill=fill))
        self.append(cells, outline=outline)

    def note(self, text: str):
        self.append([self.cell(text, border=False)])


def setup_sheet(ws, columns: list[Column], widths: list[float], header_rows: int, title_rows: int = 2):
    """Column widths, frozen header, A4 landscape fit to width, header rows on every printed page.

    Write-only sheets take these before their first row.
    """
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 8), MAX_WIDTH)
    first_data = title_rows + header_rows + 1
    ws.freeze_panes = f"B{first_data}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{title_rows + 1}:{title_rows + header_rows}"
    ws.sheet_properties.outlinePr.summaryBelow = False


def column_widths(columns: list[Column], rows: Iterable[Row]) -> list[float]:
    widths = [text_width(c.label) for c in columns]
    for row in rows:
        for i, column in enumerate(columns):
            kind = cell_kind(row, column)
            if kind == "text":
                widths[i] = max(widths[i], text_width(row.get(column.key) or ""))
            else:
                widths[i] = max(widths[i], 12)
    return widths
