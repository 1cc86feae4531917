"""Reading a sheet: the rows of the layout's sheet, parsed, with the file's problems and warnings."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from budget.imports.book import SHOWN, Book, Stop, refused_file, unreadable, zip_entries
from budget.imports.layout import (
    MAX_PARTS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    ImportRefused,
    Layout,
    Problem,
    megabytes,
)
from budget.imports.parts import SharedStrings, StylesPart, WorkbookPart, relationships
from budget.imports.result import SheetRows, shown
from budget.imports.sheet import SheetPart

# ---------------------------------------------------------------------------------------------------
# The file




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
                % {"sheets": shown(others[:SHOWN], len(others[SHOWN:]), ""), "sheet": name}
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
                % {"sheet": layout.sheet, "sheets": shown(titles[: 2 * SHOWN], len(titles[2 * SHOWN :]), "") or "-"}
            )
        )
        return result
    index = names.index(layout.sheet)
    warnings = _sheet_warnings(book.sheets, index)
    try:
        _read_rows(layout, book, book.sheets[index][2], result).finish()
    except Stop:
        pass  # the header's problems are the answer
    except ImportRefused as refused:
        return SheetRows(layout, problems=refused.problems, warnings=warnings)
    except Exception:  # noqa: BLE001 - as in open_workbook: a damaged part, whatever the error
        return SheetRows(layout, problems=unreadable(book.filename).problems)
    result.warnings[:0] = warnings
    return result


def _read_rows(layout: Layout, book: Book, rid: str | None, result: SheetRows) -> SheetPart:
    rels = relationships(book, book.workbook, ids=[rid])
    strings_part, styles_part = rels.by_type.get("sharedStrings"), rels.by_type.get("styles")
    if book.has(strings_part) and book.size(strings_part) > MAX_SHARED_STRINGS_BYTES:
        raise refused_file(
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
    kinds = book.parse(styles_part, StylesPart(book)) if book.has(styles_part) else bytearray()
    strings = book.parse(strings_part, SharedStrings(book)) if book.has(strings_part) else SharedStrings(book)
    return book.parse(rels.by_id[rid], SheetPart(book, layout, result, strings, kinds))


def read_file(layout: Layout, data: bytes, filename: str) -> SheetRows:
    """Bytes of an uploaded file to parsed rows and problems; never raises for what is in the file."""
    try:
        book = open_workbook(data, filename)
    except ImportRefused as refused:
        return SheetRows(layout, problems=refused.problems)
    with book:
        return read_sheet(layout, book)


# ---------------------------------------------------------------------------------------------------
# Execution: preview and confirmation


# ---------------------------------------------------------------------------------------------------
# Plan: preview


# ---------------------------------------------------------------------------------------------------
# Between preview and confirmation: the parsed entries, signed, in the page (no file kept anywhere)


# ---------------------------------------------------------------------------------------------------
# Templates


# ---------------------------------------------------------------------------------------------------
# The preview as text, for the commands


def open_workbook(data: bytes, filename: str) -> Book:
    """The file opened for reading: its zip checked against the limits, its workbook part read (the
    sheets, the date system). Raises ImportRefused for what is not a readable .xlsx within the limits."""
    if not filename.lower().endswith(".xlsx"):
        raise refused_file(
            _("'%(name)s'은(는) .xlsx 파일이 아닙니다. 엑셀에서 'Excel 통합 문서(*.xlsx)'로 저장해 올리세요.")
            % {"name": filename}
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise refused_file(
            _("파일이 %(size)s로 한도 %(max)s를 넘습니다.")
            % {"size": megabytes(len(data)), "max": megabytes(MAX_UPLOAD_BYTES)}
        )
    entries = zip_entries(data)
    if entries is not None and entries > MAX_PARTS:
        raise refused_file(
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
        raise unreadable(filename) from None
    if unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise refused_file(
            _("압축을 푼 크기가 %(size)s로 한도 %(max)s를 넘습니다.")
            % {"size": megabytes(unpacked), "max": megabytes(MAX_UNPACKED_BYTES)}
        )
    book = Book(archive, filename)
    try:
        package = relationships(book, "")
        book.workbook = package.by_type.get("officeDocument", "xl/workbook.xml")
        book.parse(book.workbook, WorkbookPart(book))
    except ImportRefused:
        archive.close()
        raise
    # A damaged part fails deep inside the zip or the XML parser with any of many errors (KeyError
    # for a missing part, XMLSyntaxError, a bad CRC, ...): every one means "cannot read it".
    except Exception:  # noqa: BLE001
        archive.close()
        raise unreadable(book.filename) from None
    return book
