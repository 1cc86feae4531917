"""The parts of a workbook besides its sheets: the relationships that name them, the workbook's sheet
list, the styles (which cells hold dates), and the shared strings."""

from __future__ import annotations

import posixpath
from array import array

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH

from budget.imports.book import Book, Part, is_true, refused_file, tags
from budget.imports.cells import LongText
from budget.imports.layout import LONG_TEXT, MAX_SHEETS, MAX_STYLES, ImportRefused

# expat's names: "namespace local"
RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"


RELATIONSHIP_ID = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships id",
)


_WORKBOOK_TAGS = tags("sheet", "workbookPr")


_STYLE_TAGS = tags("numFmt", "cellXfs", "xf")


_STRING_TAGS = tags("si", "t", "rPh")


# What a cell's number format makes of its number (bit flags of a style's kind).
DATE = 1


TIMEDELTA = 2


class Relationships(Part):
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
        if tag != RELATIONSHIP or attrib.get("TargetMode") == "External":
            return
        target = attrib.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(self.base, target))
        kind = attrib.get("Type", "").rsplit("/", 1)[-1]
        if kind in self.TYPES:
            self.by_type.setdefault(kind, path)
        if attrib.get("Id") in self.ids:
            self.by_id[attrib["Id"]] = path


def relationships(book: Book, source: str, ids=()) -> Relationships:
    folder, name = posixpath.split(source)
    return book.parse(posixpath.join(folder, "_rels", f"{name}.rels"), Relationships(book, source, ids))


class WorkbookPart(Part):
    def start(self, tag, attrib):
        self.count()
        name = _WORKBOOK_TAGS.get(tag)
        if name == "sheet":
            if len(self.book.sheets) >= MAX_SHEETS:
                raise refused_file(
                    _("시트가 한도 %(max)s개를 넘습니다. 엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요.")
                    % {"max": f"{MAX_SHEETS:,}"}
                )
            title = attrib.get("name", "")
            rid = next((attrib[key] for key in RELATIONSHIP_ID if key in attrib), None)
            # Excel's sheet names are at most 31 characters: a longer one is shown cut, never kept whole.
            self.book.sheets.append((title if len(title) <= 100 else title[:100] + "…", attrib.get("state", ""), rid))
        elif name == "workbookPr" and is_true(attrib.get("date1904")):
            self.book.epoch = MAC_EPOCH


def _too_many_styles() -> ImportRefused:
    return refused_file(
        _("셀 서식이 한도 %(max)s개를 넘습니다. 엑셀이 한 파일에 두는 셀 서식은 %(max)s개까지입니다.")
        % {"max": f"{MAX_STYLES:,}"}
    )


def _format_kind(code: str | None) -> int:
    """What a number format makes of a number, as openpyxl reads it: a date, a duration, or a number."""
    return (DATE if is_date_format(code) else 0) | (TIMEDELTA if is_timedelta_format(code) else 0)


class StylesPart(Part):
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


class SharedStrings(Part):
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
