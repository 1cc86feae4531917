"""The council workbook: the page's figures as numbers, in the report's layout, open in LibreOffice."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from budget.core.models import BudgetAmount, BudgetLine
from tests import report_2022_expected as expected
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

URL = "/reports/2022/council.xlsx?as_of=2022-09"
SHEETS = [
    "세입 총괄",
    "세출 총괄",
    "사업별 예산",
    "세출예산 집행현황",
    "세입 집행현황",
    "인력 현황",
    "월별 집행",
    "사업 현황",
    "예산 변경",
]
TABLES = {
    "세입 총괄": "revenue-summary",
    "세출 총괄": "expenditure-summary",
    "사업별 예산": "budget-by-program",
    "세출예산 집행현황": "execution",
    "세입 집행현황": "revenue-execution",
    "인력 현황": "staffing",
}


@pytest.fixture
def workbook_bytes(report_2022, manager_client) -> bytes:
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="council-2022-09.xlsx"'
    return response.content


@pytest.fixture
def workbook(workbook_bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


def soffice() -> str:
    path = shutil.which("soffice")
    assert path, "LibreOffice is needed: bin/install-system-deps installs libreoffice-calc-nogui"
    return path


def convert(xlsx: bytes, tmp_path: Path, target: str) -> Path:
    source = tmp_path / "council.xlsx"
    source.write_bytes(xlsx)
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return tmp_path


def csv_sheets(xlsx: bytes, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Each sheet as LibreOffice shows it (formatted text), through its CSV export of every sheet."""
    # 44 comma, 34 quote, 76 UTF-8, 1 first line; token 9 "true" = as shown; token 12 "-1" = every sheet.
    convert(xlsx, tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1")
    sheets = {}
    for name in SHEETS:
        path = tmp_path / f"council-{name}.csv"
        sheets[name] = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    return sheets


def test_the_sheets_in_order_with_korean_names(workbook):
    assert workbook.sheetnames == SHEETS


def test_every_figure_of_the_page_is_in_the_workbook_as_spreadsheet_shows_it(workbook_bytes, manager_client, tmp_path):
    html = manager_client.get("/reports/2022/?as_of=2022-09").content.decode()
    sheets = csv_sheets(workbook_bytes, tmp_path)
    for sheet, table_id in TABLES.items():
        page_rows = [tuple(cell.removesuffix("%") for cell in row) for row in table_rows(html, table_id)]
        rows = sheets[sheet]
        first = 3 if sheet in ("사업별 예산", "인력 현황", "세입 집행현황") else 4  # one header row, or two
        data = [tuple(row) for row in rows[first : first + len(page_rows)]]
        assert data == page_rows, sheet
    # The report's own figures, to the letter, as the council's spreadsheet shows them.
    assert tuple(sheets["세입 총괄"][4]) == ("계", "10,202,380", "12,032,786", "△1,830,406", "△15.2")
    assert tuple(sheets["세입 총괄"][9]) == ("보증금회수수입", "238,215", "0", "238,215", "순증")
    assert tuple(sheets["세출예산 집행현황"][16]) == expected.EXECUTION[-2][:4] + ("13.0", "13.0")
    assert tuple(sheets["인력 현황"][5]) == expected.STAFFING[2]


def test_figures_are_numbers_with_the_triangle_as_a_number_format(workbook):
    ws = workbook["세입 총괄"]
    assert [ws.cell(5, c).value for c in range(1, 6)] == ["계", 10202380, 12032786, -1830406, -15.2]
    assert ws["B5"].number_format == '#,##0;"△"#,##0;0'
    assert ws["E5"].number_format == '0.0;"△"0.0;0.0'
    assert ws["E10"].value == "순증"  # a marker is text, not a fake number
    staffing = workbook["인력 현황"]
    assert [staffing.cell(6, c).value for c in range(2, 11)] == [-1, 0, -1, -1, 1, -2, 3, 0, -1]
    assert staffing["F6"].number_format == '+#,##0;"△"#,##0;"-"'
    execution = workbook["세출예산 집행현황"]
    assert execution["F17"].value == 13.0 and Decimal(str(execution["F17"].value)) == Decimal("13.0")


def test_layout_merges_headers_as_the_report_does(workbook):
    summary = {str(r) for r in workbook["세입 총괄"].merged_cells.ranges}
    assert summary == {"A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3"}
    execution = {str(r) for r in workbook["세출예산 집행현황"].merged_cells.ranges}
    assert execution == {"A1:F1", "A3:A4", "B3:B4", "C3:D3", "E3:F3"}
    ws = workbook["세입 총괄"]
    assert (ws["D3"].value, ws["D4"].value, ws["E4"].value) == ("증 감", "증감액", "증감률")
    assert ws["A5"].font.b and not ws["A6"].font.b  # the total is bold


def test_programs_are_grouped_under_their_area_in_an_outline(workbook):
    ws = workbook["사업별 예산"]
    levels = {ws.cell(r, 2).value: ws.row_dimensions[r].outlineLevel for r in range(4, ws.max_row + 1)}
    assert levels["디지털 전환 정책·서비스 기획 연구"] == 1
    assert levels["소 계"] == 0
    assert ws.sheet_properties.outlinePr.summaryBelow is False


def test_print_settings_frozen_headers_and_widths(workbook):
    for name in SHEETS:
        ws = workbook[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
    assert workbook["세입 총괄"].print_title_rows == "$3:$4"
    assert workbook["세입 총괄"].freeze_panes == "B5"
    assert workbook["사업별 예산"].print_title_rows == "$3:$3"
    assert workbook["사업별 예산"].freeze_panes == "B4"
    # Korean text is counted double width: the area names fit their column.
    assert workbook["사업별 예산"].column_dimensions["A"].width > 50


def test_document_properties(workbook):
    assert workbook.properties.title == "2022 세입·세출 예산현황 ('22.9월 기준, 단위 : 천원, %)"
    assert workbook.properties.creator == "서울디지털재단"
    assert "as_of=2022-09" in workbook.properties.keywords


def test_monthly_sheet_has_every_line_and_month_through_the_as_of_month(workbook):
    ws = workbook["월별 집행"]
    assert ws["C3"].value == "1월" and ws["S3"].value == "9월"
    assert ws.max_column == 20  # nothing after September in a September workbook
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    metaverse = rows["4-1"]
    assert [ws.cell(metaverse, c).value for c in (19, 20)] == [51833, 51833]  # September, cumulative
    # January–August exist only inside September's cumulative figure: not known, not 0.
    assert {ws.cell(metaverse, c).value for c in range(3, 19)} == {"-"}
    assert len([code for code in rows if code and "-" in str(code)]) == 14


def test_a_workbook_as_of_a_month_ignores_later_months(report_2022, manager_client, make_user):
    from budget.entry.services import Entry, month_save

    line = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    staff = make_user("finance", "재무담당")
    month_save(year=2022, month=10, user=staff, version=0, entries=[Entry(line.pk, 7_000, 0)])
    ws = openpyxl.load_workbook(io.BytesIO(manager_client.get(URL).content))["월별 집행"]
    assert ws.max_column == 20
    october = openpyxl.load_workbook(
        io.BytesIO(manager_client.get("/reports/2022/council.xlsx?as_of=2022-10").content)
    )["월별 집행"]
    rows = {october.cell(r, 1).value: r for r in range(5, october.max_row + 1)}
    assert october["U3"].value == "10월"
    assert [october.cell(rows["4-1"], c).value for c in (21, 22)] == [7, 0]


def test_text_from_users_cannot_run_as_a_formula(report_2022, manager_client, tmp_path):
    line = BudgetLine.objects.get(fiscal_year=2022, code="R-3")
    BudgetAmount.objects.create(
        line=line,
        kind=BudgetAmount.Kind.TRANSFER,
        effective_date=datetime.date(2022, 9, 15),
        amount=-10_000_000,
        reason='=HYPERLINK("http://evil.example","click")',
        reference="@SUM(1+1)",
    )
    BudgetAmount.objects.create(  # the other half of the transfer, so the totals still balance
        line=BudgetLine.objects.get(fiscal_year=2022, code="4-1"),
        kind=BudgetAmount.Kind.TRANSFER,
        effective_date=datetime.date(2022, 9, 15),
        amount=10_000_000,
        reason="+전입",
    )
    content = manager_client.get(URL).content
    ws = openpyxl.load_workbook(io.BytesIO(content))["예산 변경"]
    reason, reference = ws["E4"], ws["F4"]
    assert reason.value == '=HYPERLINK("http://evil.example","click")'
    assert reason.data_type == "s" and reason.quotePrefix
    assert reference.value == "@SUM(1+1)" and reference.data_type == "s"
    assert ws["D4"].value == -10000
    rows = csv_sheets(content, tmp_path)["예산 변경"]
    assert rows[3][4] == '=HYPERLINK("http://evil.example","click")'  # shown as text, not evaluated


def test_the_workbook_opens_in_libreoffice_and_prints_to_pdf(workbook_bytes, tmp_path):
    convert(workbook_bytes, tmp_path, "pdf")
    pdf = (tmp_path / "council.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 20_000
    info = subprocess.run(["pdfinfo", str(tmp_path / "council.pdf")], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "9"  # one page a sheet, fit to width
    assert fields["Page size"].strip().startswith("841.89 x 595.30")  # A4 landscape, in points
    assert fields["Title"].strip().startswith("2022 세입·세출 예산현황")


def test_a_failed_check_is_shown_before_download(report_2022, manager_client):
    revenue = BudgetLine.objects.get(fiscal_year=2022, code="city-contribution")
    BudgetAmount.objects.create(
        line=revenue, kind=BudgetAmount.Kind.SUPPLEMENTARY, effective_date=datetime.date(2022, 9, 1), amount=5_000
    )
    response = manager_client.get(URL)
    assert response.status_code == 409
    html = response.content.decode()
    assert "세입 합계 10,202,385,000원과 세출 합계 10,202,380,000원이 다릅니다 (예산현액)." in html
    forced = manager_client.get(URL + "&force=1")
    wb = openpyxl.load_workbook(io.BytesIO(forced.content))
    assert wb.sheetnames[0] == "점검 결과"
    assert "세입 합계 10,202,385,000원" in wb["점검 결과"]["A2"].value


def test_the_export_command(report_2022, tmp_path):
    out = tmp_path / "council.xlsx"
    call_command("export_council_workbook", "--year", "2022", "--as-of", "2022-09", "--output", str(out))
    wb = openpyxl.load_workbook(out)
    assert wb["세출 총괄"]["B5"].value == 10202380
    with pytest.raises(CommandError, match="outside fiscal year 2022"):
        call_command("export_council_workbook", "--year", "2022", "--as-of", "2021-09", "--output", str(out))


def test_the_report_page_links_the_workbook(report_2022, manager_client):
    html = manager_client.get("/reports/2022/?as_of=2022-09").content.decode()
    assert 'href="/reports/2022/council.xlsx?as_of=2022-09"' in html


def test_the_programs_sheet_carries_the_owners_explanation_escaped(report_2022, manager_client, make_user):
    from budget.core.models import Explanation

    line = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    head = make_user("head", "관리자")
    Explanation.objects.create(line=line, month=9, text="=계약 지연: 10월 착수", written_by=head)
    Explanation.objects.create(line=line, month=11, text="later reason", written_by=head)  # after the as-of
    ws = openpyxl.load_workbook(io.BytesIO(manager_client.get(URL).content))["사업 현황"]
    assert ws["I3"].value == "사유"
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "4-1")
    reason = ws.cell(row, 9)
    assert reason.value == "=계약 지연: 10월 착수"
    assert reason.data_type == "s" and reason.quotePrefix
