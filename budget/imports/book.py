"""The .xlsx as a zip of XML parts, streamed: each part goes through expat in chunks, every limit counted
while reading, so that a hostile file is refused early and in bounded memory."""

from __future__ import annotations

import re
import zipfile
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import WINDOWS_EPOCH

from budget.imports import layout as limits  # read when used, so that a test may lower them
from budget.imports.layout import (
    ImportRefused,
    Problem,
    megabytes,
)


def refused_file(message: str) -> ImportRefused:
    return ImportRefused([Problem(message)])


def unreadable(filename: str) -> ImportRefused:
    return refused_file(
        _("'%(name)s'을(를) 엑셀 파일로 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다.") % {"name": filename}
    )


def zip_entries(data: bytes) -> int | None:
    """The number of files the zip's end record declares, read before zipfile reads the directory
    (an object per file); None when there is no end record, which zipfile then refuses."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return None
    return int.from_bytes(data[end + 10 : end + 12], "little")


_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")


def tags(*names: str) -> dict[str, str]:
    """Full name -> local name, for the elements a part's reader looks at (in SpreadsheetML's namespace:
    an extension's <xm:f> is no formula)."""
    return {f"{ns} {name}": name for ns in _MAIN for name in names}


SHEET_TAGS = tags("c", "v", "row", "f", "is", "t", "rPh", "col", "mergeCell", "dimension", "sheetData")


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


RANGE_REF = re.compile(r"[A-Z]{1,3}\d{1,7}(:[A-Z]{1,3}\d{1,7})?")


COLUMN_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?")


DIGITS = "0123456789"


SHOWN = 10  # hidden rows, columns, sheets named in a warning before "and N more"


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
            raise refused_file(
                _(
                    "파일이 너무 복잡합니다: %(part)s에 속성이 %(n)s개가 넘는 요소가 있습니다. "
                    "엑셀에서 열어 다시 저장해 올리세요."
                )
                % {"part": self.part, "n": f"{_ATTRIBUTES:,}"}
            )


def is_true(value: str | None) -> bool:
    return value in ("1", "true")


def is_zero(value: str | None) -> bool:
    """A row height or column width of 0: hidden, whatever the hidden attribute says."""
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


class Stop(Exception):  # noqa: N818 - not an error: the sheet's header already says it cannot be read
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
        return refused_file(
            _(
                "파일이 너무 복잡합니다: XML 요소가 한도 %(max)s개를 넘습니다(%(part)s). "
                "엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요."
            )
            % {"max": f"{limits.MAX_XML_ELEMENTS:,}", "part": self.part}
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
                    raise refused_file(
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


class Part:
    """What reads one part: expat calls start (end, data) for its elements; close() gives the result."""

    parser: Any = None
    text_everywhere = False  # or the target turns parser.CharacterDataHandler on where it wants text

    def __init__(self, book: Book):
        self.book = book

    def count(self) -> None:
        self.book.elements += 1
        if self.book.elements > limits.MAX_XML_ELEMENTS:
            raise self.book.too_complex()

    def close(self):
        return self


