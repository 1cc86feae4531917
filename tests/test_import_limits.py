"""The Excel import within bounds: a hostile file under the upload limit is refused after reading no
further than a limit (or read), in bounded memory, with a message naming the limit and what was found;
and what is hidden (sheets, rows, columns) is said in the preview, on the page and by the commands.

Files are real .xlsx: raw XML zipped by tests/hostile_xlsx.py for the shapes openpyxl cannot write
(or would take minutes to), openpyxl for the rest. Memory is asserted two ways: the peak of Python's
allocations while reading (tracemalloc), and the peak resident size of a fresh interpreter reading
each file (VmHWM, reset before each), which also counts the XML parser's own memory. No test here
asserts time: the benchmark (benchmarks/hostile_import.py) measures it, against gunicorn.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from budget import imports
from budget.core.models import BudgetLine, ExecutionRecord
from budget.imports import EXECUTION, PLAN
from tests import hostile_xlsx as hostile
from tests.html_tables import table_rows

# Reading any file is bounded by what is kept for the import (at most 5,000 parsed rows), not by what
# the file holds; every hostile file here peaks at 4 MB or less.
MAX_TRACED_MB = 20
MAX_RESIDENT_MB = 50

COMPLEX = "엑셀에서 가져올 시트만 새 통합 문서에 복사해 올리세요."
# What each hostile file gets: its problems, exactly (or the rows read, for those read).
HOSTILE = {
    "200k rows": [
        "데이터 행이 한도 5,000행을 넘습니다: 5003행이 5,001번째 데이터 행입니다 "
        "(시트에 기록된 범위: A1:E200002). 한 번에 5,000행까지 가져오니 파일을 나눠서 올리세요."
    ],
    "1M cells in an ignored column": [
        "시트의 셀이 한도 250,000개를 넘습니다: 249981행에서 250,001번째 셀을 만났습니다 "
        "(시트에 기록된 범위: A1:F1000005). 가져오지 않는 열의 셀도 셉니다. 쓰지 않는 행과 열을 지우고 올리세요."
    ],
    "2M shared strings": [
        f"파일의 글자 데이터(xl/sharedStrings.xml)가 압축을 풀면 32.4 MB로 한도 10.0 MB를 넘습니다. {COMPLEX}"
    ],
    "5,000 sheets": [f"시트가 한도 1,000개를 넘습니다. {COMPLEX}"],
    "20,000 zip entries": [f"파일에 든 항목이 20,006개로 한도 10,000개를 넘습니다. {COMPLEX}"],
    "A1:XFD1048576 dimension": [(3, "4-1")],
    "4M style elements": [f"파일이 너무 복잡합니다: XML 요소가 한도 2,000,000개를 넘습니다(xl/styles.xml). {COMPLEX}"],
    "70,000 cell formats": ["셀 서식이 한도 64,000개를 넘습니다. 엑셀이 한 파일에 두는 셀 서식은 64,000개까지입니다."],
    "300k rows at XFD": [
        "시트의 셀이 한도 250,000개를 넘습니다: 249990행에서 250,001번째 셀을 만났습니다. "
        "가져오지 않는 열의 셀도 셉니다. 쓰지 않는 행과 열을 지우고 올리세요."
    ],
    "a cell past XFD": [
        "4행 16,385번째 열의 셀은 엑셀 시트(A1:XFD1048576) 밖에 있습니다. 엑셀에서 열어 다시 저장해 올리세요."
    ],
    "1M attributes": [
        "파일이 너무 복잡합니다: xl/worksheets/sheet1.xml에 속성이 1,000개가 넘는 요소가 있습니다. "
        "엑셀에서 열어 다시 저장해 올리세요."
    ],
    "a 30 MB start tag": [
        "파일이 너무 복잡합니다: xl/worksheets/sheet1.xml에 1.0 MB가 넘는 태그가 있습니다. "
        "엑셀에서 열어 다시 저장해 올리세요."
    ],
    "20,000 merged ranges": ["병합한 셀 범위가 한도 10,000개를 넘습니다. 병합을 풀고 올리세요."],
    "1M empty hidden rows": [(3, "4-1")],
}


def traced(data: bytes, layout=EXECUTION, name="f.xlsx") -> tuple[imports.SheetRows, float]:
    """The file read, and the peak of what Python allocated meanwhile (MB)."""
    tracemalloc.start()
    try:
        sheet_rows = imports.read_file(layout, data, name)
        return sheet_rows, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def read(data: bytes, layout=EXECUTION) -> imports.SheetRows:
    return imports.read_file(layout, data, "f.xlsx")


def messages(sheet_rows) -> list[str]:
    return [str(p) for p in sheet_rows.problems]


# ---------------------------------------------------------------------------------------------------
# Hostile files: refused at a limit while reading, in bounded memory


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_a_hostile_file_is_answered_within_bounded_memory(shape):
    data = hostile.HOSTILE[shape]()
    assert len(data) <= imports.MAX_UPLOAD_BYTES
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(i.file_size for i in archive.infolist()) <= imports.MAX_UNPACKED_BYTES
    sheet_rows, peak = traced(data)
    expected = HOSTILE[shape]
    if isinstance(expected[0], tuple):
        assert sheet_rows.problems == [] and not sheet_rows.warnings
        assert [(row.row, row.code) for row in sheet_rows.rows] == expected
    else:
        assert messages(sheet_rows) == expected
        assert sheet_rows.rows == []
    assert peak < MAX_TRACED_MB, f"{shape}: {peak:.1f} MB"


def test_very_long_strings_are_refused_by_length_without_being_kept():
    """A 3,000,000-character shared string as every row's note, and one inline: each refused by its
    length; 4,002 problems, the first 300 kept and the rest counted."""
    sheet_rows, peak = traced(hostile.long_strings())
    assert messages(sheet_rows)[:2] == [
        "3행 E열(비고): 비고가 3000000자입니다. 300자까지 적을 수 있습니다.",
        "4행 E열(비고): 비고가 3000000자입니다. 300자까지 적을 수 있습니다.",
    ]
    assert (len(sheet_rows.problems), sheet_rows.unlisted) == (300, 3_702)
    assert peak < MAX_TRACED_MB


def test_a_long_code_or_amount_is_refused_by_its_length():
    data = hostile.workbook(
        hostile.sheet_xml(
            hostile.template_rows([["4-1", "", "1" * 1_001, 0, "x" * 1_001], ["가" * 5_000, "", 1, 0, ""]])
        )
    )
    assert messages(read(data)) == [
        "3행 C열(원인행위액): 셀에 글자가 1,001자 있습니다. 1,000자가 넘는 셀은 읽지 않습니다.",
        "3행 E열(비고): 비고가 1001자입니다. 300자까지 적을 수 있습니다.",
        "4행 A열(코드): 셀에 글자가 5,000자 있습니다. 1,000자가 넘는 셀은 읽지 않습니다.",
    ]


@pytest.fixture(scope="module")
def resident_peaks(tmp_path_factory) -> dict[str, tuple[int, str]]:
    """Each hostile file read by a fresh interpreter: the growth of its peak resident size (MB) from
    just before reading, and the first problem. Counts what tracemalloc cannot see (expat, zlib)."""
    folder = tmp_path_factory.mktemp("hostile")
    for i, build in enumerate(hostile.HOSTILE.values()):
        (folder / f"{i}.xlsx").write_bytes(build())
    child = """
import json, os, sys
import django
django.setup()
from budget import imports

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith(key))

imports.read_file(imports.EXECUTION, b"", "warm.xlsx")  # the modules the reader imports, loaded
peaks = {}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # VmHWM starts again from the resident size now
    before = status("VmRSS")
    sheet_rows = imports.read_file(imports.EXECUTION, data, "f.xlsx")
    peaks[path] = (status("VmHWM") - before, str(sheet_rows.problems[0]) if sheet_rows.problems else "")
print(json.dumps(peaks))
"""
    paths = [str(folder / f"{i}.xlsx") for i in range(len(hostile.HOSTILE))]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", child, *paths],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        check=True,
    )
    peaks = json.loads(done.stdout.strip().splitlines()[-1])
    return {shape: tuple(peaks[path]) for shape, path in zip(hostile.HOSTILE, paths, strict=True)}


@pytest.mark.skipif(not os.path.exists("/proc/self/clear_refs"), reason="needs Linux's /proc/self/clear_refs")
@pytest.mark.parametrize("shape", list(hostile.HOSTILE))
def test_the_resident_memory_of_reading_a_hostile_file_stays_bounded(resident_peaks, shape):
    growth, first = resident_peaks[shape]
    assert growth < MAX_RESIDENT_MB, f"{shape}: +{growth} MB resident"
    if shape in HOSTILE and isinstance(HOSTILE[shape][0], str):
        assert first == HOSTILE[shape][0]


@pytest.fixture
def lines(report_2022):
    return {line.code: line for line in BudgetLine.objects.for_year(2022).expenditure()}


@pytest.fixture
def finance_user(make_user):
    return make_user("finance", "재무담당")


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def upload(client, data: bytes, name="november.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post("/entry/import/", {"year": 2022, "month": 11, "file": f})


def page_problems(response) -> list[str]:
    return [row[2] for row in table_rows(response.content.decode(), "problems")]


def page_warnings(response) -> list[str]:
    html = response.content.decode().replace("&#x27;", "'")
    block = re.search(r'id="warnings"><ul>(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.mark.django_db
@pytest.mark.parametrize("shape", ["200k rows", "1M cells in an ignored column"])
def test_the_issues_files_are_refused_on_the_page_and_nothing_is_saved(lines, finance, shape):
    response = upload(finance, hostile.HOSTILE[shape]())
    assert response.status_code == 400
    assert page_problems(response) == HOSTILE[shape]
    assert 'name="token"' not in response.content.decode()
    assert not ExecutionRecord.objects.filter(month=11).exists()


# ---------------------------------------------------------------------------------------------------
# The limits, at their edge (lowered, so that the files stay small)


def openpyxl_file(rows, *, header=hostile.HEADER, setup=None, sheet="집행실적") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["회계연도", 2022, "월", 11])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if setup:
        setup(wb, ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_row_limit_counts_rows_with_something_to_import(monkeypatch):
    monkeypatch.setattr(imports.layout, "MAX_DATA_ROWS", 3)
    three = [["4-1", "", 1, 0, ""], [None] * 5, ["1-1", "", 1, 0, ""], [None, None, None, None, None, "메모"]]
    assert len(read(openpyxl_file([*three, ["2-1", "", 1, 0, ""]])).rows) == 3
    sheet_rows = read(openpyxl_file([*three, ["2-1", "", 1, 0, ""], ["2-2", "", 1, 0, ""]]))
    assert messages(sheet_rows) == [
        "데이터 행이 한도 3행을 넘습니다: 8행이 4번째 데이터 행입니다 (시트에 기록된 범위: A1:F8). "
        "한 번에 3행까지 가져오니 파일을 나눠서 올리세요."
    ]


def test_the_cell_limit_counts_every_cell_even_in_columns_not_read(monkeypatch):
    monkeypatch.setattr(imports.layout, "MAX_CELLS", 20)
    rows = [["4-1", "", 1, 0, ""], ["1-1", "", 2, 0, ""]]  # 4 + 5 + 10 cells

    def memo(wb, ws):
        ws["H3"] = "메모"

    assert len(read(openpyxl_file(rows, setup=memo)).rows) == 2  # 20 cells

    def more(wb, ws):
        ws["H3"], ws["H4"] = "메모", "또"

    assert messages(read(openpyxl_file(rows, setup=more))) == [
        "시트의 셀이 한도 20개를 넘습니다: 4행에서 21번째 셀을 만났습니다 (시트에 기록된 범위: A1:H4). "
        "가져오지 않는 열의 셀도 셉니다. 쓰지 않는 행과 열을 지우고 올리세요."
    ]


def test_the_xml_element_limit_counts_every_part_read(monkeypatch):
    data = hostile.normal(3)
    assert read(data).problems == []
    monkeypatch.setattr(imports.layout, "MAX_XML_ELEMENTS", 40)
    assert messages(read(data)) == [
        f"파일이 너무 복잡합니다: XML 요소가 한도 40개를 넘습니다(xl/worksheets/sheet1.xml). {COMPLEX}"
    ]


def test_the_problems_past_300_are_counted_without_being_kept(lines):
    """A plan file of 20 rows, all 24 amounts of each refused: 480 problems."""
    header = ["코드", "사업명", "예산현액"] + [f"{m}월 {w}" for m in range(1, 13) for w in ("원인행위액", "지출액")]
    data = openpyxl_file([["4-1", "", None] + ["x"] * 24] * 20, header=header, sheet="집행계획")
    sheet_rows = read(data, PLAN)
    assert (len(sheet_rows.problems), sheet_rows.unlisted) == (300, 180)
    preview = imports.preview_plan(data, "plan.xlsx", year=2022)
    assert len(preview.problems) == 301
    assert str(preview.problems[299]) == "15행 O열(6월 지출액): 'x'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."
    assert str(preview.problems[-1]) == "그 밖에 180건의 문제가 더 있습니다."


@pytest.mark.parametrize(
    "sheet",
    [
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet xmlns="{main}"><sheetData/></worksheet>',
        '<worksheet xmlns="{main}"><sheetData>{top}<row r="4"/><row r="3"/></sheetData></worksheet>',
        '<worksheet xmlns="{main}"><sheetData>{top}<row r="3"><c r="A4"><v>1</v></c></row></sheetData></worksheet>',
    ],
    ids=["a DTD", "rows out of order", "a cell outside its row"],
)
def test_a_sheet_no_spreadsheet_program_writes_is_unreadable(sheet):
    data = hostile.workbook([sheet.format(main=hostile.MAIN, top="".join(hostile.template_rows()))])
    assert messages(read(data)) == ["'f.xlsx'을(를) 엑셀 파일로 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다."]


def test_text_runs_phonetic_guides_and_the_1904_date_system_are_read_as_excel_shows_them():
    """What openpyxl's reader did and the streaming reader does too: a shared string's runs joined
    without its phonetic guide, a date in the 1904 system, numbers without cell references."""
    strings = [
        f'<sst xmlns="{hostile.MAIN}"><si><r><t>4-</t></r><r><t>1</t></r><rPh sb="0" eb="1"><t>よみ</t></rPh></si>',
        "<si><t>계약</t></si></sst>",
    ]
    styles = (
        f'<styleSheet xmlns="{hostile.MAIN}"><numFmts><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    )
    rows = [
        *hostile.template_rows(),
        '<row r="3"><c t="s"><v>0</v></c><c/><c><v>1000</v></c><c><v>500</v></c><c t="s"><v>1</v></c></row>',
        '<row r="4"><c r="A4" s="1"><v>1</v></c></row>',
    ]
    data = hostile.workbook(hostile.sheet_xml(rows), shared_strings=strings, styles=styles, date1904=True)
    sheet_rows = read(data)
    assert [(r.row, r.code, r.amounts, r.note) for r in sheet_rows.rows] == [
        (3, "4-1", {"원인행위액": 1_000, "지출액": 500}, "계약")
    ]
    assert messages(sheet_rows) == [
        "4행 A열(코드): 코드가 날짜·시간(1904-01-02 00:00:00)으로 읽혔습니다. 셀 서식을 텍스트로 바꾸고 "
        "'1-1'처럼 다시 적으세요."
    ]


# ---------------------------------------------------------------------------------------------------
# What is hidden: a warning (never a refusal) naming it


ROWS = [["4-1", "", 1, 0, ""], ["1-1", "", 2, 0, ""], ["2-1", "", 3, 0, ""], ["2-2", "", 4, 0, ""]]


def hide(wb, ws):
    ws["G6"] = "메모"
    ws["F2"] = "메모"
    for row in (4, 5, 6, 40):  # 40 is empty
        ws.row_dimensions[row].hidden = True
    for column in ("C", "F", "H"):  # H is empty
        ws.column_dimensions[column].hidden = True
    for name, state in [("계산", "hidden"), ("매크로", "veryHidden"), ("안내", "visible")]:
        wb.create_sheet(name).sheet_state = state


HIDDEN = [
    "숨겨진 시트가 있습니다: '계산', '매크로'(매우 숨김). 가져오기는 '집행실적' 시트만 읽습니다.",
    "숨겨진 행에 값이 있습니다: 4~6행. 숨겨진 행도 가져옵니다. 엑셀에서 숨기기를 취소하고 확인하세요.",
    "숨겨진 열에 값이 있습니다: C열(원인행위액), F열. 양식의 머리글이 있는 열은 숨겨져 있어도 가져옵니다. "
    "엑셀에서 숨기기를 취소하고 확인하세요.",
]


def test_hidden_sheets_rows_and_columns_holding_values_are_named(lines):
    preview = imports.preview_execution(openpyxl_file(ROWS, setup=hide), "f.xlsx", year=2022, month=11)
    assert preview.ok, preview.problems
    assert [str(w) for w in preview.warnings] == HIDDEN
    assert len(preview.entries) == 4  # read all the same


@pytest.mark.parametrize(
    "state, warning",
    [
        ("hidden", "가져오는 '집행실적' 시트가 숨겨져 있습니다. 엑셀에서 숨기기를 취소하고 내용을 확인하세요."),
        (
            "veryHidden",
            "가져오는 '집행실적' 시트가 '매우 숨김'(veryHidden)으로 숨겨져 있어 엑셀의 숨기기 취소로도 보이지 "
            "않습니다. 내용을 확인할 수 있는 파일인지 확인하세요.",
        ),
    ],
)
def test_the_sheet_read_being_hidden_is_said_first(state, warning):
    def hidden(wb, ws):
        wb.create_sheet("안내")
        ws.sheet_state = state
        wb.active = 1

    sheet_rows = read(openpyxl_file(ROWS, setup=hidden))
    assert sheet_rows.problems == []
    assert [str(w) for w in sheet_rows.warnings] == [warning]


def test_many_hidden_rows_and_columns_are_summarised():
    def hidden(wb, ws):
        for row in range(3, 60, 2):  # 29 rows, each its own run
            ws.row_dimensions[row].hidden = True
        for column in range(8, 40, 2):
            ws.cell(2, column, "메모")
            ws.column_dimensions[openpyxl.utils.get_column_letter(column)].hidden = True

    rows = [[code, "", 1, 0, ""] for code in ["4-1", "1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3"] * 7]
    sheet_rows = read(openpyxl_file(rows, setup=hidden))
    assert [str(w) for w in sheet_rows.warnings] == [
        "숨겨진 행에 값이 있습니다: 3행, 5행, 7행, 9행, 11행, 13행, 15행, 17행, 19행, 21행 외 19개 행. "
        "숨겨진 행도 가져옵니다. 엑셀에서 숨기기를 취소하고 확인하세요.",
        "숨겨진 열에 값이 있습니다: H열, J열, L열, N열, P열, R열, T열, V열, X열, Z열 외 6개 열. "
        "양식의 머리글이 있는 열은 숨겨져 있어도 가져옵니다. 엑셀에서 숨기기를 취소하고 확인하세요.",
    ]


def test_hidden_rows_and_columns_without_values_are_not_warned_of():
    """Hiding everything past the data (rows and columns to the sheet's end) hides nothing."""

    def tidy(wb, ws):
        for row in range(7, 200):
            ws.row_dimensions[row].hidden = True
        ws.column_dimensions.group("F", "XFD", hidden=True)
        ws.row_dimensions[3].height = 30  # not hidden: a height

    sheet_rows = read(openpyxl_file(ROWS, setup=tidy))
    assert sheet_rows.problems == [] and sheet_rows.warnings == []


def test_a_zero_height_row_or_zero_width_column_is_hidden():
    rows = [
        *hostile.template_rows(),
        hostile.row(3, ["4-1", "", 1, 0, ""], attributes=' ht="0" customHeight="1"'),
        hostile.row(4, ["1-1", "", 1, 0, ""]),
    ]
    cols = '<cols><col min="4" max="4" width="0" customWidth="1"/></cols>'
    sheet_rows = read(hostile.workbook(hostile.sheet_xml(rows, before=cols)))
    assert [str(w).split(".")[0] for w in sheet_rows.warnings] == [
        "숨겨진 행에 값이 있습니다: 3행",
        "숨겨진 열에 값이 있습니다: D열(지출액)",
    ]


def test_warnings_are_on_the_preview_page_refused_or_not(lines, finance):
    response = upload(finance, openpyxl_file(ROWS, setup=hide))
    assert response.status_code == 200
    assert page_warnings(response) == HIDDEN
    html = response.content.decode()
    assert html.index('id="warnings"') < html.index('id="summary"')

    refused = upload(finance, openpyxl_file([*ROWS, ["Z-9", "", 1, 0, ""]], setup=hide))
    assert refused.status_code == 400
    assert page_warnings(refused) == HIDDEN
    assert page_problems(refused) == ["7행 A열(코드): 코드 'Z-9'은(는) 2022년 세출 예산 라인에 없습니다."]


def test_the_command_prints_the_warnings(lines, tmp_path, capsys):
    path = tmp_path / "hidden.xlsx"
    path.write_bytes(openpyxl_file(ROWS, setup=hide))
    call_command("import_execution", str(path), "--year", "2022", "--month", "11", "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == ["2022년 11월 집행 실적 · hidden.xlsx", *(f"  경고: {w}" for w in HIDDEN)]
    assert out[-1] == "--dry-run: 저장하지 않았습니다."


def test_the_import_page_states_the_limits(lines, finance):
    html = finance.get("/entry/import/").content.decode()
    assert "한 번에 데이터 5,000행, 시트 전체 셀 250,000개까지 읽습니다 (가져오지 않는 열의 셀도 셉니다)." in html
