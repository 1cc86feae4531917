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

from .cells import NO_CACHED_VALUE, ErrorValue, is_blank, parse_row, read_amount, read_code, read_note
from .layout import (
    EXECUTION,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LONG_TEXT,
    MAX_CELLS,
    MAX_DATA_ROWS,
    MAX_MERGED,
    MAX_PARTS,
    MAX_PROBLEMS,
    MAX_SHEETS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_XML_ELEMENTS,
    NOTE_MAX,
    PLAN,
    CellRefused,
    ImportRefused,
    Layout,
    Problem,
    megabytes,
)
from .preview import LineChange, Preview, preview_execution, preview_plan
from .reader import open_workbook, read_file, read_sheet
from .result import SheetRows
from .templates import execution_template, plan_template
from .text import preview_text, read_path, show_preview
from .tokens import Confirmed, sign_preview, source_note, unsign_preview

# What the pages, the commands and the tests use: the import's one way in.
__all__ = [
    "EXECUTION",
    "FIRST_DATA_ROW",
    "HEADER_ROW",
    "LONG_TEXT",
    "MAX_CELLS",
    "MAX_DATA_ROWS",
    "MAX_MERGED",
    "MAX_PARTS",
    "MAX_PROBLEMS",
    "MAX_SHEETS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_XML_ELEMENTS",
    "NOTE_MAX",
    "NO_CACHED_VALUE",
    "PLAN",
    "CellRefused",
    "Confirmed",
    "ErrorValue",
    "ImportRefused",
    "Layout",
    "LineChange",
    "Preview",
    "Problem",
    "SheetRows",
    "execution_template",
    "is_blank",
    "megabytes",
    "open_workbook",
    "parse_row",
    "plan_template",
    "preview_execution",
    "preview_plan",
    "preview_text",
    "read_amount",
    "read_code",
    "read_file",
    "read_note",
    "read_path",
    "read_sheet",
    "show_preview",
    "sign_preview",
    "source_note",
    "unsign_preview",
]
