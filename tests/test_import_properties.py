"""Properties of the Excel import's reader, over arbitrary cell values (no database needed).

(a) read_amount reads a value exactly or refuses it with CellRefused, and nothing else;
(b) parse_row never fails on any row of values: a ParsedRow of exact values, or problems naming
    the row and the column of each refused cell;
(c) whatever a template holds (any amount in range, any note, including ones starting with = + - @),
    the file reads back exactly: notes come back as the text written, never as a formula;
(d) any cells written into a real .xlsx, formulas among them, are read or refused without an error.
"""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from budget import imports
from budget.core.amounts import MAX_AMOUNT, parse_amount
from budget.imports import EXECUTION, NO_CACHED_VALUE, PLAN, CellRefused, ErrorValue, parse_row, read_amount
from budget.imports.templates import template_sheet

AMOUNT_TEXT = st.text(st.sampled_from("0123456789,.-+ 원\u00a0△１٢"), max_size=20)

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.integers(),
    st.integers(-MAX_AMOUNT, MAX_AMOUNT).map(float),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(),
    AMOUNT_TEXT,
    st.integers(-(10**13), 10**13).map(lambda n: f"{n:,}"),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.just(NO_CACHED_VALUE),
    st.sampled_from(["#DIV/0!", "#REF!", "#N/A"]).map(ErrorValue),
    st.builds(object),
    st.binary(max_size=5),
)


def expected_amount(value):
    """An independent reading of what a cell's amount is, or None where it must be refused."""
    if value is None:
        return 0
    if isinstance(value, bool) or value is NO_CACHED_VALUE or isinstance(value, ErrorValue):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_AMOUNT else None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() and abs(value) <= MAX_AMOUNT else None
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            return None
        return int(value) if abs(value) <= MAX_AMOUNT else None
    if isinstance(value, str):
        try:
            return parse_amount(value)
        except ValidationError:
            return None
    return None


# (a)


@settings(max_examples=1500, deadline=None, database=None)
@given(cell_values)
@example(10**5000)
@example(-(10**5000))
@example(1e308)
@example(Decimal("sNaN"))
@example(Decimal("1E+5000"))
@example(1_000_000_000_000.0)
@example(1_000_000_000_000.5)
@example("1" * 5000)
@example("\x00")
def test_read_amount_reads_exactly_or_refuses(value):
    want = expected_amount(value)
    try:
        got = read_amount(value)
    except CellRefused as refusal:
        assert want is None, f"{value!r} refused ({refusal}) but reads as {want}"
        assert str(refusal)
        return
    assert type(got) is int
    assert got == want


# (b)


def rows_of(layout):
    columns = layout.required + layout.informative
    return st.fixed_dictionaries(dict.fromkeys(columns, cell_values))


@settings(max_examples=500, deadline=None, database=None)
@given(rows_of(EXECUTION), st.integers(3, 10_000))
@example({"코드": "4-1", "사업명": None, "원인행위액": 10**5000, "지출액": "1.5", "비고": 10**100}, 3)
@example({"코드": 10**5000, "사업명": None, "원인행위액": None, "지출액": None, "비고": "가" * 301}, 3)
def test_parse_row_reads_or_names_every_refused_cell(cells, row):
    letters = {c: chr(65 + i) for i, c in enumerate(EXECUTION.columns)}
    parsed, problems = parse_row(EXECUTION, row, cells, letters)
    if parsed is None and not problems:
        assert all(imports.is_blank(v) for v in cells.values())
        return
    for problem in problems:
        assert problem.row == row
        assert problem.column in EXECUTION.required
        assert problem.letter == letters[problem.column]
        assert str(problem).startswith(f"{row}행 {problem.letter}열({problem.column}): ")
    refused_columns = {p.column for p in problems}
    for column in EXECUTION.amounts:
        want = expected_amount(cells[column])
        if want is None:
            assert column in refused_columns
        elif parsed is not None:
            assert parsed.amounts[column] == want
    if parsed is not None:
        assert not problems
        assert parsed.code and parsed.code == parsed.code.strip()
        assert len(parsed.note) <= imports.NOTE_MAX
        assert all(unicodedata.category(ch) != "Cc" or ch in "\n\t" for ch in parsed.note + parsed.code)


@settings(max_examples=150, deadline=None, database=None)
@given(rows_of(PLAN))
def test_parse_row_of_a_plan_never_fails(cells):
    parsed, problems = parse_row(PLAN, 7, cells)
    assert parsed is None or len(parsed.amounts) == 24


# (c)

# What a cell can hold: XML 1.0 refuses control characters, and a carriage return comes back as a
# line break (XML's end-of-line handling), as in any spreadsheet.
note_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t=+-@ "), max_size=40
).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t))
formula_like = st.sampled_from(["=", "+", "-", "@"]).flatmap(lambda start: note_text.map(lambda t: start + t))
template_rows = st.lists(
    st.tuples(
        st.integers(-MAX_AMOUNT, MAX_AMOUNT),
        st.integers(-MAX_AMOUNT, MAX_AMOUNT),
        note_text | formula_like,
        note_text | formula_like,  # the line's name, which the template writes the same way
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=120, deadline=None, database=None)
@given(template_rows)
@example([(0, 0, '=HYPERLINK("http://example.com","x")', "=1+1")])
@example([(-5, -5, "-5 정정", "@SUM(A1)")])
@example([(MAX_AMOUNT, -MAX_AMOUNT, "+82 2 123", "  ")])
def test_a_template_reads_back_exactly(rows):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    values = [[f"C-{i}", name, c, e, note] for i, (c, e, note, name) in enumerate(rows)]
    template_sheet(wb, EXECUTION, ["회계연도", 2022, "월", 11], values, {})
    out = io.BytesIO()
    wb.save(out)
    sheet_rows = imports.read_file(EXECUTION, out.getvalue(), "t.xlsx")
    assert sheet_rows.problems == []
    assert (sheet_rows.year, sheet_rows.month) == (2022, 11)
    assert [(r.code, r.amounts["원인행위액"], r.amounts["지출액"], r.note) for r in sheet_rows.rows] == [
        (f"C-{i}", c, e, note.strip()) for i, (c, e, note, _name) in enumerate(rows)
    ]


# (d)

written_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    note_text,
    st.sampled_from(["=1/0", "=SUM(C3:C9)", '=A1&"x"', "={1,2}", "=1.5", "#REF!"]),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
)


@settings(max_examples=80, deadline=None, database=None)
@given(st.lists(st.lists(written_values, min_size=5, max_size=7), max_size=8), st.booleans())
def test_any_cells_in_a_real_file_are_read_or_refused(rows, merge):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "집행실적"
    ws.append(["회계연도", 2022, "월", 11])
    ws.append(["코드", "사업명", "원인행위액", "지출액", "비고"])
    for row in rows:
        ws.append(row)
    if merge and len(rows) >= 2:
        ws.merge_cells("A3:A4")
    out = io.BytesIO()
    wb.save(out)
    sheet_rows = imports.read_file(EXECUTION, out.getvalue(), "f.xlsx")
    for problem in sheet_rows.problems:
        assert problem.row is None or 3 <= problem.row <= 2 + len(rows)
    assert len({r.row for r in sheet_rows.rows}) == len(sheet_rows.rows)


@pytest.mark.parametrize("junk", [b"PK\x03\x04" + bytes(200), b"PK\x05\x06" + bytes(18), bytes(range(256))])
def test_junk_is_refused_as_unreadable(junk):
    sheet_rows = imports.read_file(EXECUTION, junk, "junk.xlsx")
    assert [str(p) for p in sheet_rows.problems] == [
        "'junk.xlsx'을(를) 엑셀 파일로 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다."
    ]
