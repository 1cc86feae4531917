"""Excel import of a month's execution and of the monthly plan: templates, every refusal, preview,
confirmation through month_save's rules, re-import, the commands, the plan sheet, and query counts.

Every file is a real .xlsx built here with openpyxl (LibreOffice computes the formulas' cached values).
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget import imports
from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, MonthlyPlan, MonthStatus
from budget.entry.services import Entry, month_close, month_save
from budget.plans.services import plan_save
from budget.plans.sheet import PlanEntry, plan_sheet
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

IMPORT = "/entry/import/"
HEADER = ["코드", "사업명", "원인행위액", "지출액", "비고"]
METAVERSE = "메타버스 서울 시티즌 플랫폼 구축"


@pytest.fixture
def lines(report_2022):
    return {line.code: line for line in BudgetLine.objects.for_year(2022).expenditure()}


@pytest.fixture
def finance_user(make_user):
    return make_user("finance", "재무담당", first_name="총무회계팀 담당자")


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def xlsx(rows, *, header=HEADER, sheet="집행실적", row1=("회계연도", 2022, "월", 11), setup=None) -> bytes:
    """A workbook in the template's layout: row 1, the header in row 2, `rows` from row 3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(row1))
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if setup:
        setup(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="november.xlsx", year=2022, month=11):
    return client.post(IMPORT, {"year": year, "month": month, "file": named(data, name)})


def named(data: bytes, name: str):
    f = io.BytesIO(data)
    f.name = name
    return f


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the preview offers no confirmation"
    return match.group(1)


def problems_of(response) -> list[tuple[str, ...]]:
    return [row[:3] for row in table_rows(response.content.decode(), "problems")]


def november():
    return {
        r.line.code: (r.commitment, r.expenditure, r.note)
        for r in ExecutionRecord.objects.filter(month=11).select_related("line")
    }


def status_version(month=11):
    return MonthStatus.objects.filter(fiscal_year_id=2022, month=month).values_list("version", flat=True).first()


# ---------------------------------------------------------------------------------------------------
# The template


def test_the_template_lists_every_line_with_the_months_figures(lines, finance, finance_user):
    month_save(
        year=2022,
        month=11,
        user=finance_user,
        version=0,
        entries=[Entry(lines["4-1"].pk, 100_000_000, 25_000_000, '=HYPERLINK("http://x")')],
    )
    response = finance.get("/entry/import/template.xlsx?year=2022&month=11")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="execution-2022-11.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["집행실적", "안내"]
    ws = wb["집행실적"]
    assert [c.value for c in ws[1]][:4] == ["회계연도", 2022, "월", 11]
    assert [c.value for c in ws[2]] == HEADER
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == [
        "1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1", "A-1", "A-2", "R-1", "R-2", "R-3"
    ]  # fmt: skip
    assert rows[8][:4] == ["4-1", METAVERSE, 100_000_000, 25_000_000]
    assert rows[0][2:4] == [0, 0]
    # The note starts with "=": written as text with the quote prefix, never as a formula.
    note = ws["E11"]
    assert note.value == '=HYPERLINK("http://x")'
    assert note.data_type == "s"
    assert note.quotePrefix
    assert ws["A3"].number_format == "@"  # codes stay text when retyped (1-1 is not 1월 1일)
    (validation,) = ws.data_validations.dataValidation
    assert (validation.type, validation.operator) == ("whole", "between")
    assert (validation.formula1, validation.formula2) == ("-1000000000000", "1000000000000")
    assert str(validation.sqref) == "C3:C16 D3:D16"


def test_a_line_name_that_looks_like_a_formula_is_written_as_text(lines, finance):
    BudgetLine.objects.filter(pk=lines["1-1"].pk).update(name="=cmd|' /C calc'!A0")
    wb = openpyxl.load_workbook(io.BytesIO(finance.get("/entry/import/template.xlsx?year=2022&month=11").content))
    cell = wb["집행실적"]["B3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)


def test_a_template_for_a_month_that_does_not_exist_is_refused(lines, finance):
    assert finance.get("/entry/import/template.xlsx?year=2022&month=13").status_code == 400
    assert finance.get("/entry/import/template.xlsx?year=2030&month=1").status_code == 400
    assert finance.get("/entry/import/template.xlsx").status_code == 400


def test_the_downloaded_template_imports_back_unchanged(lines, finance, finance_user):
    month_save(
        year=2022, month=11, user=finance_user, version=0, entries=[Entry(lines["2-3"].pk, 5_000, 1_000, "-정정 아님")]
    )
    data = finance.get("/entry/import/template.xlsx?year=2022&month=11").content
    preview = imports.preview_execution(data, "t.xlsx", year=2022, month=11)
    assert preview.ok, preview.problems
    assert len(preview.lines) == 14 and not preview.changed and len(preview.unchanged) == 14


# ---------------------------------------------------------------------------------------------------
# Upload, preview, confirm


def test_upload_preview_and_confirm(lines, finance):
    data = xlsx(
        [
            ["1-1", "디지털 전환 정책·서비스 기획 연구", 10_000_000, 5_000_000, "11월 용역 계약"],
            ["2-2", "로봇활용 디지털 역량강화 교육", "7,233,000", " 7233000 ", None],
            ["4-1", METAVERSE, 100_000_000.0, 25_000_000, ""],
        ]
    )
    response = upload(finance, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3개 라인이 바뀝니다. 파일에 없는 11개 라인은 그대로 둡니다." in html
    changes = {row[1]: row for row in table_rows(html, "changes")}
    assert changes["4-1"] == ("5", "4-1", METAVERSE, "0 → 100,000,000", "0 → 25,000,000", "", "변경")
    assert changes["1-2"][0] == "-" and changes["1-2"][-1] == "파일에 없음 (그대로)"
    assert november() == {}  # the preview saves nothing

    response = finance.post("/entry/import/confirm/", {"token": token_of(response)})
    assert response.status_code == 302 and response["Location"] == "/entry/2022/11/"
    assert november() == {
        "1-1": (10_000_000, 5_000_000, "11월 용역 계약"),
        "2-2": (7_233_000, 7_233_000, ""),
        "4-1": (100_000_000, 25_000_000, ""),
    }
    assert status_version() == 1
    record = ExecutionRecord.objects.get(line=lines["4-1"], month=11)
    history = record.history.get()
    assert history.history_user.username == "finance"
    assert history.history_change_reason == "엑셀 가져오기: november.xlsx"
    page = finance.get("/entry/2022/11/").content.decode()
    assert "2022년 11월 집행을 november.xlsx에서 가져왔습니다: 3개 라인 변경." in page
    execution = {r[0]: r for r in table_rows(finance.get("/reports/2022/?as_of=2022-11").content.decode(), "execution")}
    assert execution[METAVERSE][1:] == ("400,000", "151,833", "76,833", "38.0%", "19.2%")


def test_importing_the_same_file_again_changes_nothing(lines, finance):
    data = xlsx([["4-1", METAVERSE, 100_000_000, 25_000_000, "계약"]])
    finance.post("/entry/import/confirm/", {"token": token_of(upload(finance, data))})
    history = ExecutionRecord.history.count()
    assert status_version() == 1

    response = upload(finance, data)
    html = response.content.decode()
    assert "변경 없음: 파일의 값이 지금 저장된 값과 모두 같습니다." in html
    assert table_rows(html, "changes")[8][-1] == "변경 없음"
    response = finance.post("/entry/import/confirm/", {"token": token_of(response)})
    assert response.status_code == 302
    assert november() == {"4-1": (100_000_000, 25_000_000, "계약")}
    assert status_version() == 1  # no new version, no new history: nothing was written
    assert ExecutionRecord.history.count() == history
    assert "바뀐 것이 없습니다" in finance.get("/entry/2022/11/").content.decode()


def test_importing_a_month_again_replaces_its_figures_instead_of_adding(lines, finance):
    finance.post(
        "/entry/import/confirm/", {"token": token_of(upload(finance, xlsx([["4-1", "", 100_000_000, 25_000_000, ""]])))}
    )
    response = upload(finance, xlsx([["4-1", "", 60_000_000, 30_000_000, ""], ["1-1", "", "", "", ""]]))
    assert table_rows(response.content.decode(), "changes")[8][3:5] == (
        "100,000,000 → 60,000,000",
        "25,000,000 → 30,000,000",
    )
    finance.post("/entry/import/confirm/", {"token": token_of(response)})
    assert november() == {"4-1": (60_000_000, 30_000_000, "")}  # a blank 1-1 row is 0, so no record
    assert ExecutionRecord.objects.filter(line=lines["4-1"], month=11).count() == 1


def test_a_line_not_in_the_file_keeps_its_figures(lines, finance, finance_user):
    month_save(year=2022, month=11, user=finance_user, version=0, entries=[Entry(lines["1-1"].pk, 1_000, 1_000)])
    finance.post("/entry/import/confirm/", {"token": token_of(upload(finance, xlsx([["4-1", "", 5, 0, ""]])))})
    assert november() == {"1-1": (1_000, 1_000, ""), "4-1": (5, 0, "")}


def test_blank_rows_spaces_and_numbers_as_text_are_read_as_a_person_means_them(lines, finance):
    data = xlsx(
        [
            [" 4-1 ", "  메타버스 서울 시티즌 플랫폼 구축  ", " 1,234,000 원", "1234000", "  계약 잔금  "],
            [None, None, None, None, None],
            ["", "   ", None, None, " "],
            ["2-3", None, 1000.0, "0", None],
        ],
        header=["코드 ", "사업명", " 원인행위액", "지출액", "비고"],
    )
    preview = imports.preview_execution(data, "f.xlsx", year=2022, month=11)
    assert preview.ok, preview.problems
    assert not preview.warnings
    by_code = {line.code: line for line in preview.lines}
    assert (by_code["4-1"].row, by_code["4-1"].after) == (3, (1_234_000, 1_234_000, "계약 잔금"))
    assert (by_code["2-3"].row, by_code["2-3"].after) == (6, (1_000, 0, ""))


def test_a_name_that_is_not_the_codes_line_is_a_warning(lines):
    preview = imports.preview_execution(
        xlsx([["4-1", "데이터 시티즌십 교육", 1, 0, ""]]), "f.xlsx", year=2022, month=11
    )
    assert preview.ok
    assert [str(w) for w in preview.warnings] == [
        "3행 B열(사업명): 사업명 '데이터 시티즌십 교육'이(가) 코드 4-1의 사업명 "
        "'메타버스 서울 시티즌 플랫폼 구축'과(와) 다릅니다. 코드를 기준으로 가져옵니다."
    ]


def test_the_columns_may_come_in_any_order(lines):
    data = xlsx([[25_000_000, "", "4-1", "x", 100_000_000]], header=["지출액", "비고", "코드", "메모", "원인행위액"])
    preview = imports.preview_execution(data, "f.xlsx", year=2022, month=11)
    assert preview.ok, preview.problems
    assert preview.entries == [Entry(lines["4-1"].pk, 100_000_000, 25_000_000, "")]


# ---------------------------------------------------------------------------------------------------
# Refusals: nothing saved, every problem named with its row, column and reason


def refused(client, data, name="november.xlsx", **kwargs):
    version = status_version()
    response = upload(client, data, name, **kwargs)
    assert response.status_code == 400
    assert 'name="token"' not in response.content.decode()
    assert november() == {}
    assert status_version() == version
    return response


def messages_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_a_file_that_is_not_xlsx_is_refused(lines, finance):
    response = refused(finance, b"code,commitment\n4-1,100\n", name="november.csv")
    assert "'november.csv'은(는) .xlsx 파일이 아닙니다." in messages_of(response)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        xlsx([["4-1", "", 1, 0, ""]])[:3000],  # a truncated zip
        b"",
    ],
    ids=["random bytes", "truncated zip", "empty"],
)
def test_a_corrupt_file_is_refused(lines, finance, data):
    response = refused(finance, data)
    assert "'november.xlsx'을(를) 엑셀 파일로 읽을 수 없습니다. 손상되었거나 xlsx 형식이 아닙니다." in messages_of(
        response
    )


def test_a_zip_that_is_not_a_workbook_is_refused(lines, finance):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = refused(finance, buffer.getvalue())
    assert "엑셀 파일로 읽을 수 없습니다" in messages_of(response)


def test_a_damaged_sheet_inside_the_zip_is_refused(lines, finance):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["4-1", "", 1, 0, ""]]))) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(info, content)
    response = refused(finance, buffer.getvalue())
    assert "엑셀 파일로 읽을 수 없습니다" in messages_of(response)


def test_a_file_over_5_mb_is_refused_without_being_read(lines, finance):
    response = refused(finance, b"PK" + b"\0" * (5 * 1024 * 1024 - 1))
    assert "파일이 한도 5.0 MB를 넘습니다." in messages_of(response)
    # The same limit in the reader, for the command's path.
    preview = imports.preview_execution(b"\0" * (5 * 1024 * 1024 + 1), "big.xlsx", year=2022, month=11)
    assert [str(p) for p in preview.problems] == ["파일이 5.0 MB로 한도 5.0 MB를 넘습니다."]


def padded_to(data: bytes, size: int) -> bytes:
    """The workbook with an extra stored (uncompressed) part that brings the file to exactly `size` bytes."""

    def build(padding: int) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                target.writestr(info, source.read(info))
            target.writestr(zipfile.ZipInfo("docProps/padding.bin"), b"\0" * padding)
        return buffer.getvalue()

    first = build(0)
    return build(size - len(first))


def test_a_file_of_exactly_5_mb_is_read(lines, finance):
    data = padded_to(xlsx([["4-1", "", 1, 0, ""]]), 5 * 1024 * 1024)
    assert len(data) == 5 * 1024 * 1024
    response = upload(finance, data)
    assert response.status_code == 200, messages_of(response)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(lines, finance):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([]))) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/huge.bin", b"\0" * (41 * 1024 * 1024))
    response = refused(finance, buffer.getvalue())
    assert "압축을 푼 크기가 41.0 MB로 한도 40.0 MB를 넘습니다." in messages_of(response)


def test_a_missing_or_renamed_sheet_is_refused(lines, finance):
    response = refused(finance, xlsx([["4-1", "", 1, 0, ""]], sheet="Sheet1"))
    assert "'집행실적' 시트가 없습니다 (있는 시트: 'Sheet1'). 양식의 시트 이름을 바꾸지 마세요." in messages_of(
        response
    )


def test_a_renamed_column_is_refused_naming_it(lines, finance):
    header = ["코드", "사업명", "원인행위액(원)", "지출액", "비고"]
    response = refused(finance, xlsx([["4-1", "", 1, 0, ""]], header=header))
    assert problems_of(response) == [
        (
            "-",
            "-",
            "2행 머리글에 '원인행위액' 열이 없습니다 "
            "(있는 머리글: '코드', '사업명', '원인행위액(원)', '지출액', '비고'). 양식의 머리글을 바꾸지 마세요.",
        )
    ]


def test_a_header_moved_to_another_row_is_refused(lines, finance):
    response = refused(finance, xlsx([HEADER, ["4-1", "", 1, 0, ""]], header=[None] * 5))
    assert "2행 머리글에 '코드' 열이 없습니다 (있는 머리글: (비어 있음))" in messages_of(response)


def test_a_column_twice_is_refused(lines, finance):
    response = refused(finance, xlsx([["4-1", "", 1, 0, "", 2]], header=[*HEADER, "지출액"]))
    assert "2행 머리글 '지출액'이(가) D, F열에 거듭 있습니다. 하나만 남기세요." in messages_of(response)


def test_unknown_and_duplicated_codes_are_refused_naming_their_rows(lines, finance):
    data = xlsx(
        [
            ["4-1", "", 1, 0, ""],
            ["Z-9", "", 1, 0, ""],
            ["4-1", "", 2, 0, ""],
            ["city-contribution", "서울시출연금", 1, 0, ""],  # a revenue line: no execution to import
            [None, "합계", 5, 0, None],
        ]
    )
    response = refused(finance, data)
    assert problems_of(response) == [
        ("4", "A (코드)", "4행 A열(코드): 코드 'Z-9'은(는) 2022년 세출 예산 라인에 없습니다."),
        ("5", "A (코드)", "5행 A열(코드): 코드 '4-1'이(가) 3행에 이미 있습니다. 한 라인은 한 행에만 적습니다."),
        ("6", "A (코드)", "6행 A열(코드): 코드 'city-contribution'은(는) 2022년 세출 예산 라인에 없습니다."),
        ("7", "A (코드)", "7행 A열(코드): 코드가 비어 있습니다. 코드가 없는 행(합계 행 등)은 지우세요."),
    ]


def test_text_and_fractions_in_amount_cells_are_refused_naming_row_and_column(lines, finance):
    data = xlsx(
        [
            ["1-1", "", "abc", 0, ""],
            ["1-2", "", 1.5, "1.5", ""],
            ["2-1", "", "12,34", True, ""],
            ["2-2", "", datetime.date(2022, 11, 1), 1_000_000_000_001, ""],
            ["2-3", "", "#DIV/0!", "1,000", ""],
        ]
    )
    response = refused(finance, data)
    assert problems_of(response) == [
        ("3", "C (원인행위액)", "3행 C열(원인행위액): 'abc'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."),
        (
            "4",
            "C (원인행위액)",
            "4행 C열(원인행위액): 원 단위 미만(소수)은 입력할 수 없습니다: 1.5. 수식이면 ROUND(…, 0)로 감싸세요.",
        ),
        ("4", "D (지출액)", "4행 D열(지출액): 원 단위 미만(소수)은 입력할 수 없습니다: '1.5'"),
        ("5", "C (원인행위액)", "5행 C열(원인행위액): '12,34'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."),
        ("5", "D (지출액)", "5행 D열(지출액): 참/거짓 값(TRUE)은 금액이 아닙니다."),
        (
            "6",
            "C (원인행위액)",
            "6행 C열(원인행위액): 날짜·시간 값(2022-11-01 00:00:00)은 금액이 아닙니다. "
            "셀 서식을 숫자로 바꾸고 금액을 다시 적으세요.",
        ),
        (
            "6",
            "D (지출액)",
            "6행 D열(지출액): 1,000,000,000,001원은(는) 입력할 수 있는 금액(±1,000,000,000,000원)을 넘습니다.",
        ),
        ("7", "C (원인행위액)", "7행 C열(원인행위액): 수식 오류 값 #DIV/0!입니다."),
    ]


def test_a_code_excel_turned_into_a_date_is_refused_saying_why(lines, finance):
    response = refused(finance, xlsx([[datetime.datetime(2022, 1, 1), "", 1, 0, ""]]))
    assert (
        "3행 A열(코드): 코드가 날짜·시간(2022-01-01 00:00:00)으로 읽혔습니다. 셀 서식을 텍스트로 바꾸고 "
        "'1-1'처럼 다시 적으세요." in messages_of(response)
    )


def test_a_note_over_300_characters_is_refused(lines, finance):
    response = refused(finance, xlsx([["4-1", "", 1, 0, "가" * 301]]))
    assert "3행 E열(비고): 비고가 301자입니다. 300자까지 적을 수 있습니다." in messages_of(response)


def test_a_code_merged_over_rows_is_refused_naming_the_rows(lines, finance):
    def merge(ws):
        ws.merge_cells("A4:A5")

    data = xlsx(
        [["1-1", "", 1, 0, ""], ["4-1", "", 1, 0, ""], [None, "", 2, 0, ""], ["2-3", "", 1, 0, ""]], setup=merge
    )
    response = refused(finance, data)
    assert problems_of(response) == [
        (
            "4",
            "-",
            "4행: A4:A5: 코드 셀이 4~5행에 걸쳐 병합되어 있습니다. 병합을 풀고 행마다 값을 적으세요.",
        )
    ]


def test_merged_amount_cells_in_one_row_are_refused_but_a_merged_name_is_not(lines, finance):
    def merge(ws):
        ws.merge_cells("C3:D3")
        ws.merge_cells("B4:B5")  # the names of two rows in one cell: nothing read from it

    data = xlsx([["4-1", "", 1, 0, ""], ["1-1", "x", 1, 0, ""], ["1-2", None, 1, 0, ""]], setup=merge)
    preview = imports.preview_execution(data, "f.xlsx", year=2022, month=11)
    assert [str(p) for p in preview.problems] == [
        "3행: C3:D3: 원인행위액, 지출액 셀이 하나로 병합되어 있습니다. 병합을 풀고 열마다 값을 적으세요."
    ]


def test_a_file_for_another_month_is_refused(lines, finance):
    response = refused(finance, xlsx([["4-1", "", 1, 0, ""]], row1=("회계연도", 2022, "월", 10)))
    assert (
        "1행: 1행에 따르면 이 파일은 2022년 10월 양식입니다. 2022년 11월로 가져오려면 그 양식을 받아 쓰거나 "
        "1행을 고치세요." in messages_of(response)
    )
    # Without row 1 the month chosen on the page is the one imported.
    preview = imports.preview_execution(xlsx([["4-1", "", 1, 0, ""]], row1=()), "f.xlsx", year=2022, month=11)
    assert preview.ok


def test_a_closed_month_is_refused(lines, finance, make_user):
    lead = make_user("lead", "재무책임")
    month_close(year=2022, month=10, user=lead)  # months close in order
    month_close(year=2022, month=11, user=lead)
    response = refused(finance, xlsx([["4-1", "", 1, 0, ""]]))
    assert problems_of(response) == [("-", "-", "2022년 11월은 마감되었습니다.")]
    assert MonthStatus.objects.get(month=11).version == 1  # the close's own version, nothing more


def test_a_month_covered_by_the_reports_cumulative_figure_is_refused(lines, finance):
    response = refused(finance, xlsx([["4-1", "", 1, 0, ""]], row1=()), month=5)
    assert problems_of(response) == [
        ("-", "-", "2022년 1~9월 집행은 보고서의 누계로만 있어 월별로 입력할 수 없습니다.")
    ]
    assert not ExecutionRecord.objects.filter(month=5).exists()


def test_a_row_breaking_a_budget_rule_is_refused_and_nothing_is_saved(lines, finance):
    data = xlsx(
        [
            ["1-1", "", 10_000_000, 5_000_000, ""],
            ["4-1", "", 348_167_001, 0, ""],
            ["2-3", "", 0, 1, ""],
            ["1-2", "", -5, -5, ""],
        ]
    )
    response = refused(finance, data)
    assert problems_of(response) == [
        (
            "4",
            "코드 4-1",
            "4행 코드 4-1: 메타버스 서울 시티즌 플랫폼 구축 · 2022년 11월 · 원인행위액 348,167,001원: 원인행위 누계 "
            "400,000,001원이(가) 예산현액 400,000,000원을(를) 넘습니다. 원인행위 가능 잔액은 348,167,000원입니다.",
        ),
        (
            "5",
            "코드 2-3",
            "5행 코드 2-3: 데이터 시티즌십 교육 · 2022년 11월 · 지출액 1원: 지출 누계 294,398,001원이(가) "
            "원인행위 누계 294,398,000원을(를) 넘습니다.",
        ),
        (
            "6",
            "코드 1-2",
            "6행 코드 1-2: 데이터 창출·분석 및 활용 확산 · 2022년 11월 · 원인행위액 -5원: 음수는 정정이므로 "
            "사유를 적어야 합니다.",
        ),
        (
            "6",
            "코드 1-2",
            "6행 코드 1-2: 데이터 창출·분석 및 활용 확산 · 2022년 11월 · 지출액 -5원: 음수는 정정이므로 "
            "사유를 적어야 합니다.",
        ),
    ]


def test_a_rule_broken_between_preview_and_confirm_is_refused_at_confirm(lines, finance):
    response = upload(finance, xlsx([["1-1", "", 10_000_000, 0, ""], ["4-1", "", 348_167_000, 0, ""]]))
    assert response.status_code == 200
    # 예산현액 of 4-1 goes down by 1 won after the preview (a budget change; no month save).
    BudgetAmount.objects.create(
        line=lines["4-1"], kind="transfer", effective_date=datetime.date(2022, 11, 1), amount=-1
    )
    response = finance.post("/entry/import/confirm/", {"token": token_of(response)})
    assert response.status_code == 400
    assert "원인행위 가능 잔액은 348,166,999원입니다." in messages_of(response)
    assert november() == {}


def test_a_save_between_preview_and_confirm_makes_confirm_refuse(lines, finance, finance_user):
    response = upload(finance, xlsx([["4-1", "", 100_000_000, 0, ""]]))
    month_save(year=2022, month=11, user=finance_user, version=0, entries=[Entry(lines["1-1"].pk, 1_000, 0)])
    response = finance.post("/entry/import/confirm/", {"token": token_of(response)})
    assert response.status_code == 409
    assert "미리 보기 뒤에 다른 사용자가 2022년 11월을 저장했습니다." in messages_of(response)
    assert november() == {"1-1": (1_000, 0, "")}


def test_a_token_altered_or_of_another_user_is_refused(lines, finance, client, make_user):
    token = token_of(upload(finance, xlsx([["4-1", "", 100_000_000, 0, ""]])))
    altered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    response = finance.post("/entry/import/confirm/", {"token": altered})
    assert response.status_code == 400
    assert "미리 보기 정보가 올바르지 않습니다." in messages_of(response)
    client.force_login(make_user("other", "재무담당"))
    response = client.post("/entry/import/confirm/", {"token": token})
    assert response.status_code == 400
    assert "다른 사용자의 미리 보기입니다." in messages_of(response)
    assert november() == {}


def test_every_problem_of_a_file_is_listed_at_once(lines, finance):
    data = xlsx([["4-1", "", "x", 0, ""], ["Z-1", "", 1, 0, ""], ["1-1", "", 1, 2, ""]])
    rows = [row[0] for row in problems_of(refused(finance, data))]
    assert rows == ["3", "4", "5"]


def test_only_finance_staff_import(lines, client, make_user):
    client.force_login(make_user("manager", "관리자"))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"year": 2022, "month": 11, "file": named(xlsx([]), "a.xlsx")}).status_code == 403
    assert client.get("/entry/import/template.xlsx?year=2022&month=11").status_code == 403
    assert client.post("/entry/import/confirm/", {"token": "x"}).status_code == 403
    client.logout()
    assert client.get(IMPORT)["Location"].startswith("/login/")


def test_the_upload_is_checked_against_csrf(lines, finance_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(finance_user)
    response = strict.post(IMPORT, {"year": 2022, "month": 11, "file": named(xlsx([]), "a.xlsx")})
    assert response.status_code == 403


# ---------------------------------------------------------------------------------------------------
# Formulas: their cached values, and a refusal where there is none


def soffice() -> str:
    path = shutil.which("soffice")
    assert path, "LibreOffice is needed: bin/install-system-deps installs libreoffice-calc-nogui"
    return path


def recalculated(data: bytes, tmp_path: Path) -> bytes:
    """The workbook as LibreOffice saves it: formulas computed, their values stored beside them."""
    source = tmp_path / "in" / "book.xlsx"
    source.parent.mkdir(parents=True)
    source.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return (out / "book.xlsx").read_bytes()


def formulas(ws):
    ws["C3"] = "=1000*1000"
    ws["D3"] = "=C3/4"
    ws["C4"] = "=SUM(1,2)/2"  # 1.5: a fraction
    ws["E3"] = '="계약 "&"잔금"'


FORMULA_ROWS = [["4-1", "", None, None, None], ["1-1", "", None, 0, ""]]


def test_a_formula_without_a_cached_value_is_refused(lines, finance):
    # openpyxl writes formulas without computing them, as a script generating a file would.
    response = refused(finance, xlsx(FORMULA_ROWS, setup=formulas))
    assert problems_of(response)[0] == (
        "3",
        "C (원인행위액)",
        "3행 C열(원인행위액): 수식의 계산된 값이 없습니다. 엑셀에서 파일을 열어 다시 저장하거나, 값으로 붙여 넣으세요.",
    )
    assert [row[:2] for row in problems_of(response)] == [
        ("3", "C (원인행위액)"),
        ("3", "D (지출액)"),
        ("3", "E (비고)"),
        ("4", "C (원인행위액)"),
    ]


def test_formulas_are_read_as_their_cached_values(lines, finance, tmp_path):
    data = recalculated(xlsx(FORMULA_ROWS, setup=formulas), tmp_path)
    check = openpyxl.load_workbook(io.BytesIO(data), data_only=False)["집행실적"]
    assert check["C3"].value == "=1000*1000"  # still a formula in the file
    response = refused(finance, data)
    assert problems_of(response) == [
        (
            "4",
            "C (원인행위액)",
            "4행 C열(원인행위액): 원 단위 미만(소수)은 입력할 수 없습니다: 1.5. 수식이면 ROUND(…, 0)로 감싸세요.",
        )
    ]

    def whole(ws):
        formulas(ws)
        ws["C4"] = "=ROUND(SUM(1,2)/2,0)"

    data = recalculated(xlsx(FORMULA_ROWS, setup=whole), tmp_path / "second")
    response = upload(finance, data)
    assert response.status_code == 200, messages_of(response)
    finance.post("/entry/import/confirm/", {"token": token_of(response)})
    assert november() == {"4-1": (1_000_000, 250_000, "계약 잔금"), "1-1": (2, 0, "")}


# ---------------------------------------------------------------------------------------------------
# The command


def test_the_command_prints_the_preview_and_a_dry_run_saves_nothing(lines, tmp_path, capsys, finance_user):
    path = tmp_path / "november.xlsx"
    path.write_bytes(xlsx([["4-1", "", 100_000_000, 25_000_000, "계약"], ["1-1", "", 0, 0, ""]]))
    call_command("import_execution", str(path), "--year", "2022", "--month", "11", "--dry-run")
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "2022년 11월 집행 실적 · november.xlsx",
        "  3행 4-1 메타버스 서울 시티즌 플랫폼 구축: 원인행위액 0 → 100,000,000, 지출액 0 → 25,000,000, "
        "비고 '' → '계약' [변경]",
        "1개 라인 변경, 1개 라인 변경 없음, 파일에 없는 12개 라인은 그대로.",
        "--dry-run: 저장하지 않았습니다.",
    ]
    assert november() == {}

    call_command("import_execution", str(path), "--year", "2022", "--month", "11", "--user", "finance")
    assert capsys.readouterr().out.splitlines()[-1] == "저장했습니다: 1개 라인 변경 (2022년 11월, 버전 1)."
    assert november() == {"4-1": (100_000_000, 25_000_000, "계약")}
    record = ExecutionRecord.objects.get(line=lines["4-1"], month=11).history.get()
    assert (record.history_user, record.history_change_reason) == (finance_user, "엑셀 가져오기(명령): november.xlsx")

    call_command("import_execution", str(path), "--year", "2022", "--month", "11")
    assert capsys.readouterr().out.splitlines()[-1] == "저장했습니다: 0개 라인 변경 (2022년 11월, 버전 1)."


def test_the_command_fails_on_any_problem_and_saves_nothing(lines, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([["4-1", "", 100_000_000, 0, ""], ["1-1", "", "1.5", 0, ""]]))
    with pytest.raises(CommandError, match="1건의 문제로 가져오지 않았습니다"):
        call_command("import_execution", str(path), "--year", "2022", "--month", "11")
    assert "4행 D열(원인행위액)" not in capsys.readouterr().err
    assert november() == {}
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("import_execution", str(path), "--year", "2022", "--month", "11", "--user", "nobody")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_execution", str(tmp_path / "missing.xlsx"), "--year", "2022", "--month", "11")


# ---------------------------------------------------------------------------------------------------
# The monthly plan


PLAN_HEADER = ["코드", "사업명", "예산현액"] + [f"{m}월 {w}" for m in range(1, 13) for w in ("원인행위액", "지출액")]


def plan_xlsx(rows, **kwargs) -> bytes:
    kwargs.setdefault("row1", ("회계연도", 2022))
    return xlsx(rows, header=PLAN_HEADER, sheet="집행계획", **kwargs)


def plan_row(code, months: dict[int, tuple[int, int]]):
    row = [code, "", None]
    for m in range(1, 13):
        row.extend(months.get(m, (None, None)))
    return row


def stored_plan(line):
    return {p.month: (p.commitment, p.expenditure) for p in MonthlyPlan.objects.filter(line=line)}


def test_the_plan_sheet_saves_a_month_for_every_line(lines, finance):
    page = finance.get("/entry/2022/plan/3/")
    assert page.status_code == 200
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page.content.decode()).group(1)
    data = {"fingerprint": fingerprint, "reason": "3월 계획"}
    for line in lines.values():
        data[f"c-{line.pk}"] = data[f"e-{line.pk}"] = ""
    data[f"c-{lines['4-1'].pk}"] = "100,000,000"
    data[f"e-{lines['4-1'].pk}"] = "40,000,000"
    response = finance.post("/entry/2022/plan/3/", data)
    assert response.status_code == 302
    assert stored_plan(lines["4-1"]) == {3: (100_000_000, 40_000_000)}
    assert MonthlyPlan.objects.count() == 1  # lines left blank get no record
    plan = MonthlyPlan.objects.get().history.get()
    assert (plan.history_user.username, plan.history_change_reason) == ("finance", "3월 계획")
    rows = {r[0]: r for r in table_rows(finance.get("/entry/2022/plan/").content.decode(), "plan") if len(r) > 1}
    assert rows[METAVERSE] == (METAVERSE, "400,000,000", "100,000,000", "40,000,000", "300,000,000")
    # The same form again, drawn before that save: refused as stale.
    data[f"c-{lines['4-1'].pk}"] = "1"
    response = finance.post("/entry/2022/plan/3/", data)
    assert response.status_code == 409
    assert "다른 사용자가 2022년 집행계획을 먼저 저장했습니다." in messages_of(response)
    assert stored_plan(lines["4-1"]) == {3: (100_000_000, 40_000_000)}


def test_a_plan_beyond_the_year_end_budget_is_refused(lines, finance_user):
    metaverse = lines["4-1"].pk
    entries = [PlanEntry(metaverse, 3, 300_000_000, 0), PlanEntry(metaverse, 10, 100_000_001, 0)]
    with pytest.raises(EntryRefused) as refused:
        plan_save(year=2022, entries=entries, user=finance_user)
    assert refused.value.by_line == {
        metaverse: [
            "메타버스 서울 시티즌 플랫폼 구축 · 2022년 계획: 원인행위 계획 합계 400,000,001원이(가) "
            "연말 예산현액 400,000,000원을(를) 1원 넘습니다."
        ]
    }
    assert not MonthlyPlan.objects.exists()
    # A supplementary budget dated in December counts: the year-end 예산현액 is what the plan may use.
    BudgetAmount.objects.create(
        line=lines["4-1"], kind="supplementary", effective_date=datetime.date(2022, 12, 1), amount=1
    )
    assert plan_save(year=2022, entries=entries, user=finance_user) == 2


def test_planned_expenditure_beyond_planned_commitment_to_date_is_refused(lines, finance_user):
    robot = lines["2-2"].pk
    entries = [PlanEntry(robot, 2, 1_000, 0), PlanEntry(robot, 3, 0, 600), PlanEntry(robot, 4, 0, 401)]
    with pytest.raises(EntryRefused) as refused:
        plan_save(year=2022, entries=entries, user=finance_user)
    assert refused.value.messages == [
        "로봇활용 디지털 역량강화 교육 · 2022년 4월 계획: 지출 계획 누계 1,001원이(가) 원인행위 계획 누계 "
        "1,000원을(를) 넘습니다."
    ]
    with pytest.raises(EntryRefused, match="계획 지출액 -1원: 계획은 음수일 수 없습니다|지출액 -1원: 계획은 음수"):
        plan_save(year=2022, entries=[PlanEntry(robot, 5, 0, -1)], user=finance_user)
    assert not MonthlyPlan.objects.exists()


def test_a_plan_month_saved_again_changes_only_what_differs(lines, finance_user):
    metaverse = lines["4-1"].pk
    assert plan_save(year=2022, entries=[PlanEntry(metaverse, 1, 5, 5)], user=finance_user) == 1
    fingerprint = plan_sheet(2022).fingerprint
    assert (
        plan_save(year=2022, entries=[PlanEntry(metaverse, 1, 5, 5)], user=finance_user, fingerprint=fingerprint) == 0
    )
    assert MonthlyPlan.history.count() == 1
    with pytest.raises(StaleSheet):
        plan_save(year=2022, entries=[], user=finance_user, fingerprint="0" * 20)


def test_the_plan_template_and_its_import(lines, finance):
    response = finance.get("/entry/import/plan/template.xlsx?year=2022")
    assert response["Content-Disposition"] == 'attachment; filename="plan-2022.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["집행계획"]
    assert [c.value for c in ws[2]] == PLAN_HEADER
    assert [c.value for c in ws[11]][:5] == ["4-1", METAVERSE, 400_000_000, 0, 0]
    (validation,) = ws.data_validations.dataValidation
    assert (validation.formula1, validation.formula2) == ("0", "1000000000000")
    ws["D11"], ws["E11"], ws["X11"], ws["Y11"] = 100_000_000, 0, 200_000_000, 300_000_000  # 1월, 11월
    out = io.BytesIO()
    wb.save(out)
    response = finance.post("/entry/import/plan/", {"year": 2022, "file": named(out.getvalue(), "plan.xlsx")})
    assert response.status_code == 200, messages_of(response)
    changes = {r[1]: r for r in table_rows(response.content.decode(), "changes")}
    assert changes["4-1"][3:] == ("0 → 300,000,000", "0 → 300,000,000", "1월, 11월", "변경")
    assert changes["1-1"][-1] == "변경 없음"
    response = finance.post("/entry/import/plan/confirm/", {"token": token_of(response)})
    assert response.status_code == 302 and response["Location"] == "/entry/2022/plan/"
    assert stored_plan(lines["4-1"]) == {1: (100_000_000, 0), 11: (200_000_000, 300_000_000)}
    # The same file again: nothing changes.
    response = finance.post("/entry/import/plan/", {"year": 2022, "file": named(out.getvalue(), "plan.xlsx")})
    assert "변경 없음: 파일의 값이 지금 저장된 값과 모두 같습니다." in response.content.decode()
    finance.post("/entry/import/plan/confirm/", {"token": token_of(response)})
    assert MonthlyPlan.history.count() == 2


def test_a_plan_file_breaking_the_plans_rules_is_refused_naming_the_row(lines, finance):
    data = plan_xlsx(
        [plan_row("4-1", {1: (400_000_000, 0), 2: (1, 0)}), plan_row("2-2", {3: (0, 5)}), plan_row("1-1", {4: (-1, 0)})]
    )
    response = finance.post("/entry/import/plan/", {"year": 2022, "file": named(data, "plan.xlsx")})
    assert response.status_code == 400
    assert problems_of(response) == [
        (
            "3",
            "코드 4-1",
            "3행 코드 4-1: 메타버스 서울 시티즌 플랫폼 구축 · 2022년 계획: 원인행위 계획 합계 400,000,001원이(가) "
            "연말 예산현액 400,000,000원을(를) 1원 넘습니다.",
        ),
        (
            "4",
            "코드 2-2",
            "4행 코드 2-2: 로봇활용 디지털 역량강화 교육 · 2022년 3월 계획: 지출 계획 누계 5원이(가) "
            "원인행위 계획 누계 0원을(를) 넘습니다.",
        ),
        (
            "5",
            "코드 1-1",
            "5행 코드 1-1: 디지털 전환 정책·서비스 기획 연구 · 2022년 4월 계획 원인행위액 -1원: "
            "계획은 음수일 수 없습니다.",
        ),
    ]
    assert not MonthlyPlan.objects.exists()


def test_a_plan_file_of_another_year_is_refused(lines, finance):
    data = plan_xlsx([plan_row("4-1", {1: (1, 0)})], row1=("회계연도", 2023))
    response = finance.post("/entry/import/plan/", {"year": 2022, "file": named(data, "plan.xlsx")})
    assert response.status_code == 400
    assert "1행에 따르면 이 파일은 2023년 양식입니다." in messages_of(response)


def test_the_plan_command(lines, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_xlsx([plan_row("4-1", {1: (10, 5)})]))
    call_command("import_plan", str(path), "--year", "2022")
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "  3행 4-1 메타버스 서울 시티즌 플랫폼 구축: 연간 원인행위 계획 0 → 10, 연간 지출 계획 0 → 5, "
        "바뀌는 달 1월 [변경]"
    )
    assert out[-1] == "저장했습니다: 1개 월 계획 변경 (2022년)."
    assert stored_plan(lines["4-1"]) == {1: (10, 5)}


# ---------------------------------------------------------------------------------------------------
# Queries: a fixed number whatever the number of lines


def add_lines(lines, count: int, start: int = 0):
    extra = BudgetLine.objects.bulk_create(
        BudgetLine(fiscal_year_id=2022, code=f"X-{i}", name=f"추가 사업 {i}", account=lines["A-2"].account, order=99)
        for i in range(start, start + count)
    )
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=1_000_000)
        for line in extra
    )


def sqlite_batches(model, rows: int) -> int:
    """Queries a bulk insert of `rows` takes: one, or more where SQLite caps a query's parameters (999)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, list(range(rows)))
    return -(-rows // size)


def import_queries(client, month: int) -> tuple[int, int]:
    """Queries of the upload (read and preview) and of the confirmation, for a file of every line."""
    # Every line that takes execution (예비비 lines take none).
    lines = BudgetLine.objects.for_year(2022).expenditure().exclude(account__code="reserve")
    codes = lines.values_list("code", flat=True)
    data = xlsx([[code, "", 1_000, 500, ""] for code in codes], row1=())
    with CaptureQueriesContext(connection) as preview:
        response = upload(client, data, month=month)
    assert response.status_code == 200, messages_of(response)
    with CaptureQueriesContext(connection) as confirm:
        assert client.post("/entry/import/confirm/", {"token": token_of(response)}).status_code == 302
    assert ExecutionRecord.objects.filter(month=month).count() == len(codes)
    return len(preview), len(confirm)


def test_importing_a_month_takes_the_same_queries_for_50_and_500_lines(lines, finance):
    add_lines(lines, 36)
    few = import_queries(finance, 11)  # 50 lines
    add_lines(lines, 450, start=36)
    many = import_queries(finance, 12)  # 500 lines
    # Upload: session, user, permissions (2); the form's years; the fiscal year; month_sheet: the
    # month's records, lines, the ledger's line rows and its budget and execution by line, the month's
    # status, the cumulative cover, whether the year is finished (8); the rules over the year: the lines,
    # their amounts by day, their records by month (3).
    assert few[0] == many[0] == 17
    # Confirm: session, user, permissions (2); month_import: the month's status, whether the year is
    # finished, the cumulative cover, its records (4); month_save: savepoint, fiscal year, the status
    # created (savepoint, select, savepoint, insert, its history, two releases) and locked (10); the
    # cumulative cover, read with the lock so that a closed or stale month is refused before any line (1); the
    # month's records, to know which lines the file changes, and those lines' ids (2); month_sheet over
    # them (7); the rules over the year (3); the records (1); the inserts of records and of their history
    # (2); the status's update and its history (2); release.
    extra = 0
    if connection.vendor == "sqlite":  # 999 parameters a query: 500 rows are inserted in batches
        history = ExecutionRecord.history.model
        # 50 and 500 lines, less the three 예비비 lines, which take no execution.
        extra = sum(sqlite_batches(m, 497) - sqlite_batches(m, 47) for m in (ExecutionRecord, history))
    assert few[1] == 37
    assert many[1] == few[1] + extra


def test_a_sheet_with_a_cell_on_its_last_row_is_read_quickly(lines):
    def far(ws):
        ws["F1048576"] = "끝"  # outside the columns read: ignored
        ws["E1048000"].number_format = "@"  # a styled, empty cell

    preview = imports.preview_execution(xlsx([["4-1", "", 1, 0, ""]], setup=far), "f.xlsx", year=2022, month=11)
    assert preview.ok, preview.problems
    assert [(line.row, line.code) for line in preview.lines if line.row] == [(3, "4-1")]


def test_a_file_wrong_everywhere_lists_its_first_300_problems(lines):
    preview = imports.preview_execution(xlsx([["4-1", "", "x", "y", ""]] * 400), "f.xlsx", year=2022, month=11)
    assert len(preview.problems) == 301
    assert str(preview.problems[-1]) == "그 밖에 500건의 문제가 더 있습니다."
