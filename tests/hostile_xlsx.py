"""Hostile .xlsx files for the import's limits, written as raw XML and zipped here: openpyxl cannot
write most of these shapes, and writing a million cells through it would take minutes.

Each builder returns the file's bytes; every file is under the upload limit (5 MB) and its parts
under the unpacked limit (40 MB), as a file meant to get past those checks would be. The sheet is
streamed into the zip, so building one never holds its XML whole either. Shared by
tests/test_import_limits.py and benchmarks/hostile_import.py.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"

HEADER = ["코드", "사업명", "원인행위액", "지출액", "비고"]
CODES = ["1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1", "A-1", "A-2"]

STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    "</styleSheet>"
)


def letter(column: int) -> str:
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell(ref: str, value) -> str:
    """A cell as Excel writes it: a number, or text inline."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row(number: int, values: Iterable, *, first: int = 1, attributes: str = "") -> str:
    cells = "".join(cell(f"{letter(first + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}"{attributes}>{cells}</row>'


def template_rows(rows: Iterable[Iterable] = (), *, header=HEADER, row1=("회계연도", 2022, "월", 11)) -> Iterator[str]:
    """Rows 1 and 2 as the template has them, then `rows` from row 3."""
    yield row(1, row1)
    yield row(2, header)
    for number, values in enumerate(rows, 3):
        yield row(number, values)


def sheet_xml(rows: Iterable[str], *, before: str = "", after: str = "", dimension: str | None = None) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield before
    yield "<sheetData>"
    yield from rows
    yield "</sheetData>"
    yield after
    yield "</worksheet>"


def workbook(
    sheet: Iterable[str],
    *,
    name: str = "집행실적",
    state: str | None = None,
    other_sheets: Iterable[tuple[str, str | None]] = (),
    shared_strings: Iterable[str] | None = None,
    styles: Iterable[str] | str = STYLES,
    extra_parts: int = 0,
    date1904: bool = False,
) -> bytes:
    """A workbook of the sheet (the first), other empty sheets (name, state), and the parts given."""
    others = list(other_sheets)
    sheets = [(name, state, SHEET)] + [(n, s, f"xl/worksheets/sheet{i}.xml") for i, (n, s) in enumerate(others, 2)]
    entries = "".join(
        f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"'
        + (f' state="{s}"' if s else "")
        + "/>"
        for i, (n, s, _path) in enumerate(sheets, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="{path[3:]}"/>'
        for i, (_n, _s, path) in enumerate(sheets, 1)
    )
    rels += f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>'
    if shared_strings is not None:
        rels += f'<Relationship Id="rIdStrings" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = [("/xl/workbook.xml", "sheet.main"), ("/xl/styles.xml", "styles")]
        overrides += [(f"/{path}", "worksheet") for _n, _s, path in sheets]
        if shared_strings is not None:
            overrides.append(("/xl/sharedStrings.xml", "sharedStrings"))
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}.{what}+xml"/>' for name, what in overrides)
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        properties = '<workbookPr date1904="1"/>' if date1904 else ""
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{properties}<sheets>{entries}</sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PACKAGE_REL}">{rels}</Relationships>')
        stream("xl/styles.xml", [styles] if isinstance(styles, str) else styles, archive)
        if shared_strings is not None:
            stream("xl/sharedStrings.xml", shared_strings, archive)
        stream(SHEET, sheet, archive)
        for _n, _s, path in sheets[1:]:
            archive.writestr(path, "".join(sheet_xml([])))
        for i in range(extra_parts):
            archive.writestr(f"docProps/extra{i}.xml", "<x/>")
    return buffer.getvalue()


def stream(part: str, chunks: Iterable[str], archive: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo(part)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as out:
        pending = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size > 1 << 20:
                out.write("".join(pending).encode())
                pending, size = [], 0
        out.write("".join(pending).encode())


# ---------------------------------------------------------------------------------------------------
# The files


def normal(lines: int = 30, codes: list[str] | None = None) -> bytes:
    """A month's file of `lines` rows, one line each, as the template would be filled: the baseline."""
    codes = codes or [f"N-{i}" for i in range(lines)]
    return workbook(sheet_xml(template_rows([code, "", 1_000, 500, ""] for code in codes[:lines])))


def rows_200k(rows: int = 200_000) -> bytes:
    """200,000 filled rows (the issue's 3.6 MB upload), as Excel writes them: text in the shared-string
    table, every row and cell with its reference. Refused at the 5,001st row."""

    def body():
        yield from template_rows()
        for n in range(3, rows + 3):
            yield (
                f'<row r="{n}"><c r="A{n}" t="s"><v>{n % len(CODES)}</v></c><c r="B{n}" t="s"><v>{len(CODES)}</v></c>'
                f'<c r="C{n}"><v>{1_000 + n}</v></c><c r="D{n}"><v>500</v></c></row>'
            )

    table = shared_strings(0, used=[*CODES, "사업"])
    return workbook(sheet_xml(body(), dimension=f"A1:E{rows + 2}"), shared_strings=table)


def ignored_column(cells: int = 1_000_000) -> bytes:
    """Three lines to import, and a column nobody reads (F, headed 메모) filled down a million rows.

    The rows carry no number (each is the one after the last), so a million of them fit the unpacked limit.
    """

    def rows():
        yield from template_rows(
            [["4-1", "", 1, 0, ""], ["1-1", "", 2, 0, ""], ["2-1", "", 3, 0, ""]], header=[*HEADER, "메모"]
        )
        for number in range(6, cells + 6):
            yield f'<row><c r="F{number}"><v>1</v></c></row>'

    return workbook(sheet_xml(rows(), dimension=f"A1:F{cells + 5}"))


def shared_strings(count: int, *, text: str = "x", used: Iterable[str] = ()) -> Iterator[str]:
    """A shared-string table: `used` first (indexes 0, 1, ...), then `count` more strings."""
    yield f'<sst xmlns="{MAIN}">'
    for value in used:
        yield f"<si><t>{escape(value)}</t></si>"
    chunk = f"<si><t>{text}</t></si>" * 1000
    for _ in range(count // 1000):
        yield chunk
    yield f"<si><t>{text}</t></si>" * (count % 1000)
    yield "</sst>"


def huge_shared_strings(count: int = 2_000_000) -> bytes:
    """A shared-string table of tiny strings (unpacked: 16 bytes each) that the sheet barely uses."""
    used = ["4-1"]
    body = template_rows([["4-1", "", 1, 0, ""]])
    return workbook(sheet_xml(body), shared_strings=shared_strings(count, used=used))


def long_strings(length: int = 3_000_000, rows: int = 4_000) -> bytes:
    """One very long string in the shared table, used as the note of every row, and another inline."""

    def body():
        yield from template_rows()
        for number in range(3, rows + 3):
            yield (
                f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>4-1</t></is></c>'
                f'<c r="C{number}"><v>1</v></c><c r="E{number}" t="s"><v>0</v></c></row>'
            )
        yield f'<row r="{rows + 3}"><c r="E{rows + 3}" t="inlineStr"><is><t>{"나" * length}</t></is></c></row>'

    table = [f'<sst xmlns="{MAIN}"><si><t>', "가" * length, "</t></si></sst>"]
    return workbook(sheet_xml(body()), shared_strings=table)


def many_sheets(count: int = 5_000) -> bytes:
    """A workbook listing thousands of sheets (one part each would not fit: they share one)."""
    others = [(f"S{i}", "hidden") for i in range(count)]
    data = workbook(sheet_xml(template_rows([["4-1", "", 1, 0, ""]])), other_sheets=others[:1])
    # The listed sheets all point at the second sheet's part: the workbook part is what grows.
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    entries = "".join(f'<sheet name="S{i}" sheetId="{i + 2}" state="hidden" r:id="rId2"/>' for i in range(count))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"</sheets>", entries.encode() + b"</sheets>")
    return rezip(parts)


def many_parts(count: int = 20_000) -> bytes:
    """A zip of tens of thousands of tiny files beside the workbook."""
    return workbook(sheet_xml(template_rows([["4-1", "", 1, 0, ""]])), extra_parts=count)


def huge_dimension() -> bytes:
    """A sheet that says it spans A1:XFD1048576 and holds a cell there, and six others."""
    body = [*template_rows([["4-1", "", 1, 0, ""]]), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']
    return workbook(sheet_xml(body, dimension="A1:XFD1048576"))


def bloated_styles(elements: int = 4_000_000) -> bytes:
    """A styles part of millions of empty fonts (each cell format under Excel's limit, but)."""

    def styles():
        yield f'<styleSheet xmlns="{MAIN}"><fonts>'
        chunk = "<font/>" * 1000
        for _ in range(elements // 1000):
            yield chunk
        yield '</fonts><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>'

    return workbook(sheet_xml(template_rows([["4-1", "", 1, 0, ""]])), styles=styles())


def too_many_cell_formats(count: int = 70_000) -> bytes:
    def styles():
        yield f'<styleSheet xmlns="{MAIN}"><cellXfs count="{count}">'
        yield '<xf numFmtId="0"/>' * count
        yield "</cellXfs></styleSheet>"

    return workbook(sheet_xml(template_rows([["4-1", "", 1, 0, ""]])), styles=styles())


def far_columns(rows: int = 300_000) -> bytes:
    """Every row with a cell in the sheet's last column (XFD): a few lines, then rows of only that cell."""

    def body():
        yield from template_rows([["4-1", "", 1, 0, ""]])
        for number in range(4, rows + 4):
            yield f'<row><c r="XFD{number}"><v>1</v></c></row>'

    return workbook(sheet_xml(body()))


def beyond_xfd() -> bytes:
    body = [*template_rows([["4-1", "", 1, 0, ""]]), '<row r="4"><c r="XFE4"><v>1</v></c></row>']
    return workbook(sheet_xml(body))


def attribute_bomb(attributes: int = 1_000_000) -> bytes:
    """A cell with a million attributes: one start tag of several MB."""
    names = " ".join(f'a{i}=""' for i in range(attributes))
    body = [*template_rows(), f'<row r="3"><c r="A3" {names}><v>1</v></c></row>']
    return workbook(sheet_xml(body))


def long_tag(size: int = 30_000_000) -> bytes:
    """A start tag of 30 MB: one attribute value (the sheet's dimension) of letters."""
    return workbook(sheet_xml(template_rows([["4-1", "", 1, 0, ""]]), dimension="A" * size))


def many_merges(count: int = 20_000) -> bytes:
    merges = "".join(f'<mergeCell ref="G{i}:H{i}"/>' for i in range(3, count + 3))
    body = template_rows([["4-1", "", 1, 0, ""]])
    return workbook(sheet_xml(body, after=f'<mergeCells count="{count}">{merges}</mergeCells>'))


def empty_hidden_rows(rows: int = 1_000_000) -> bytes:
    """A million hidden, empty rows after the data, as "hide every row below" leaves them (nothing to warn of)."""

    def body():
        yield from template_rows([["4-1", "", 1, 0, ""]])
        chunk_start = 4
        while chunk_start < rows + 4:
            stop = min(chunk_start + 1000, rows + 4)
            yield "".join('<row hidden="1"/>' for _ in range(chunk_start, stop))
            chunk_start = stop

    return workbook(sheet_xml(body()))


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


HOSTILE = {
    "200k rows": rows_200k,
    "1M cells in an ignored column": ignored_column,
    "2M shared strings": huge_shared_strings,
    "3M-character strings": long_strings,
    "5,000 sheets": many_sheets,
    "20,000 zip entries": many_parts,
    "A1:XFD1048576 dimension": huge_dimension,
    "4M style elements": bloated_styles,
    "70,000 cell formats": too_many_cell_formats,
    "300k rows at XFD": far_columns,
    "a cell past XFD": beyond_xfd,
    "1M attributes": attribute_bomb,
    "a 30 MB start tag": long_tag,
    "20,000 merged ranges": many_merges,
    "1M empty hidden rows": empty_hidden_rows,
}
