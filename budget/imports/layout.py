"""The files' fixed layout (sheets, header row, columns), the limits a file is held to, and the problems
that say what is wrong with one and where."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from budget.core.amounts import MAX_AMOUNT
from budget.plans.sheet import MONTHS

# Excel's sheet: A1:XFD1048576
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

# The headers of the columns, as the templates write them and the reader looks for them.
CODE = "코드"
NAME = "사업명"
CURRENT = "예산현액"
COMMITMENT = "원인행위액"
EXPENDITURE = "지출액"
NOTE = "비고"


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


NOTE_MAX = 300  # ExecutionRecord.note


MAX_PROBLEMS = 300  # listed in a preview; the rest are counted


TOKEN_MAX_AGE = 60 * 60  # seconds a preview may wait for its confirmation


HEADER_ROW = 2


FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Layout:
    """A file layout: its sheet, the columns the reader needs and those it writes for the reader only."""

    kind: str  # "execution" | "plan" | "revenue"
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


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
