"""CSV for every table of the report page and the dashboard: the same rows as the page, in won, exact rates,
UTF-8 with a byte-order mark, one header row, text escaped against formula injection as the workbook does;
and opened in LibreOffice with Hangul and amounts intact."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from budget.core import display
from budget.core.csvfile import BOM, exact_decimal, header, table_csv
from budget.core.figures import NEW
from budget.core.ledger import Ledger
from budget.core.models import BudgetAmount, BudgetLine, Explanation
from budget.core.rows import Column, ReportTable
from budget.core.xlsx import FORMULA_STARTS
from budget.entry.services import Entry, month_save
from budget.reports.csv_views import TABLES as REPORT_CSV
from budget.reports.years import KEY as COMPARED
from dashboard.csv_tables import TABLES as DASHBOARD_TABLES
from programs.models import Program
from tests.html_tables import table_rows
from tests.report_2022_expected import REPORT_TABLES
from tests.test_query_counts import multiply_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def korean():
    """Labels built here outside a request are the Korean ones the pages serve by default, whatever language
    an earlier test's request left active in this thread."""
    with translation.override("ko"):
        yield


DASHBOARD = "year=2022&as_of=2022-09"


def read(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(BOM.encode("utf-8"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))


def test_exact_decimals():
    assert exact_decimal(Fraction(51_833_000 * 100, 400_000_000)) == "12.95825"
    assert exact_decimal(Fraction(100)) == "100"
    assert exact_decimal(Fraction(0)) == "0"
    assert exact_decimal(Fraction(-1, 3)) == "-0.333333333333"  # cut toward zero, never rounded up
    assert exact_decimal(Fraction(2, 3)) == "0.666666666666"
    assert exact_decimal(Decimal("55.5")) == "55.5"
    # Cut, not rounded: one decimal half-up of the text is the one decimal half-up of the exact value.
    for numerator in range(0, 2001, 7):
        exact = Fraction(numerator, 1999)
        assert display.rate(Fraction(Decimal(exact_decimal(exact)))) == display.rate(exact)


def test_one_header_row_with_units_and_escaped_text():
    columns = [
        Column("label", "구 분", "text"),
        Column("current", "예산현액"),
        Column("commitment_rate", "원인행위", "rate", group="집행률(%)"),
        Column("change_rate", "증감률", "change_rate", group="증 감"),
    ]
    assert [header(c) for c in columns] == ["구 분", "예산현액 (원)", "집행률(%) 원인행위", "증 감 증감률 (%)"]
    row = {"current": -48_000_000, "commitment_rate": None, "change_rate": NEW}
    rows = [{**row, "label": start + "SUM(A1)"} for start in FORMULA_STARTS]
    body = table_csv(ReportTable("t", "t", "", columns, rows)).decode("utf-8")
    assert body.startswith(BOM + "구 분,예산현액 (원),")
    lines = list(csv.reader(io.StringIO(body[1:])))
    assert len(lines) == 1 + len(FORMULA_STARTS)
    # Every text that a spreadsheet could take for a formula starts with a quote; a negative amount stays a number.
    assert {line[0] for line in lines[1:]} == {"'" + start + "SUM(A1)" for start in FORMULA_STARTS}
    assert lines[1][1:] == ["-48000000", "", "순증"]


def shown(value: str, kind: str) -> str:
    """A CSV cell as the page shows it (천원, one decimal), from its exact value."""
    if kind == "money":
        return display.money(int(value)) if value else ""
    if kind in ("rate", "share", "change_rate"):
        if not value:
            return "-"
        return display.rate(Fraction(Decimal(value))) if value[-1].isdigit() else value
    if kind == "count":
        return display.headcount(int(value))
    if kind == "gap":
        return display.gap(int(value))
    return value


@pytest.mark.parametrize("key", REPORT_TABLES)
def test_each_report_table_as_csv_is_the_page_s_table(report_2022, manager_client, key):
    spec = REPORT_CSV[key](Ledger(2022, 9))
    rows = read(manager_client.get(f"/reports/2022/{key}.csv?as_of=2022-09"))
    assert rows[0] == [header(c) for c in spec.columns]
    kinds = [[c.kind for c in spec.columns] for _ in rows[1:]]
    if key == "staffing":  # 과부족 draws its counts by its own rule
        kinds[2] = ["text"] + ["gap"] * (len(spec.columns) - 1)
    page = table_rows(manager_client.get("/reports/2022/?as_of=2022-09").content.decode(), key)
    drawn = [tuple(map(shown, row, kind)) for row, kind in zip(rows[1:], kinds, strict=True)]
    assert drawn == page


def test_report_csv_figures_in_won(report_2022, manager_client):
    rows = read(manager_client.get("/reports/2022/execution.csv?as_of=2022-09"))
    assert rows[0] == [
        "구 분",
        "예산현액 (원)",
        "집행액 원인행위액 (원)",
        "집행액 지출액 (원)",
        "집행률(%) 원인행위",
        "집행률(%) 지출액",
    ]
    assert rows[1][:2] == ["계", "10202380000"]
    assert rows[-2] == ["메타버스 서울 시티즌 플랫폼 구축", "400000000", "51833000", "51833000", "12.95825", "12.95825"]
    revenue = read(manager_client.get("/reports/2022/revenue-summary.csv?as_of=2022-09"))
    assert revenue[-1] == ["보증금회수수입", "238215000", "0", "238215000", "순증"]


def test_report_csv_refusals(report_2022, manager_client):
    assert manager_client.get("/reports/2022/nothing.csv").status_code == 404
    assert manager_client.get("/reports/2030/execution.csv").status_code == 404
    assert manager_client.get("/reports/2022/execution.csv?as_of=2022-13").status_code == 400
    # 2021 holds no execution: the page says why instead of a table, and so does the download.
    missing = manager_client.get("/reports/2021/execution.csv?as_of=2021-12")
    assert missing.status_code == 404
    assert "집행 실적은 이 앱에 없습니다" in missing.content.decode()


@pytest.mark.parametrize("key", DASHBOARD_TABLES)
def test_every_dashboard_table_downloads(report_2022, manager_client, key):
    response = manager_client.get(f"/dashboard/{key}.csv?{DASHBOARD}")
    if key == "changed":  # 2021 is known by nature only: no line of 2022 is compared, as the page says
        assert response.status_code == 404
        assert "라인별 전년 대비 변동을 판정할 수 없습니다" in response.content.decode()
        return
    rows = read(response)
    assert len(rows) >= 2, key  # a header and a row at least
    assert response["Content-Disposition"] == f'attachment; filename="{key}-2022-09.csv"'


def test_dashboard_csv_figures(report_2022, manager_client):
    natures = read(manager_client.get(f"/dashboard/natures.csv?{DASHBOARD}"))
    assert natures[0] == [
        "성질",
        "예산현액 (원)",
        "원인행위액 (원)",
        "지출액 (원)",
        "원인행위율 (%)",
        "집행률 (%)",
        "집행잔액 (원)",
    ]
    assert natures[1][:2] == ["인건비", "2690810000"]
    assert natures[-1][:4] == ["예비비 제외 계", "9253587000", "5290945000", "5290945000"]
    areas = read(manager_client.get(f"/dashboard/areas.csv?{DASHBOARD}"))
    metaverse = next(row for row in areas if row[0] == "메타버스 서울 시티즌 플랫폼 구축")
    assert metaverse[1:4] == ["400000000", "51833000", "51833000"]
    curve = read(manager_client.get(f"/dashboard/curve.csv?{DASHBOARD}"))
    assert curve[8][0] == "8월" and curve[8][2] == ""  # not known month by month: empty, not 0
    assert curve[9][:3] == ["9월", "5290945000", "5290945000"]
    summary = read(manager_client.get(f"/dashboard/expenditure-summary.csv?{DASHBOARD}"))
    assert summary[1][:3] == ["계", "10202380000", "12032786000"]
    # Without year and month the download is sent where the overview would be: the same choices, filled in.
    redirect = manager_client.get("/dashboard/natures.csv")
    assert redirect.status_code == 302 and redirect["Location"].startswith("/dashboard/natures.csv?year=2022")
    assert manager_client.get(f"/dashboard/nothing.csv?{DASHBOARD}").status_code == 404


def test_text_that_could_be_a_formula_is_escaped(report_2022, manager_client, make_user):
    BudgetLine.objects.filter(fiscal_year=2022, code="A-2").update(name='=HYPERLINK("http://x","기본경비")')
    line = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    BudgetLine.objects.filter(pk=line.pk).update(name="@SUM(1+1)")
    Program.objects.filter(code="4-1").update(name="@SUM(1+1) 사업")  # the dashboards name a line by its program
    Explanation.objects.create(line=line, month=10, text="+1 지연", written_by=make_user("writer", "관리자"))
    budget = read(manager_client.get("/reports/2022/budget-by-program.csv?as_of=2022-09"))
    assert ["", '\'=HYPERLINK("http://x","기본경비")', "1355324000"] in [row[:3] for row in budget]
    assert ["", "'@SUM(1+1)", "400000000"] in [row[:3] for row in budget]
    # The 사유 is user text too: on the dashboard's list of lines behind pace (October: 4-1 is far behind).
    behind = read(manager_client.get("/dashboard/behind.csv?year=2022&as_of=2022-10"))
    assert behind[1][0] == "'@SUM(1+1) 사업" and behind[1][-1] == "'+1 지연"


def soffice() -> str:
    path = shutil.which("soffice")
    assert path, "LibreOffice is needed: bin/install-system-deps installs libreoffice-calc-nogui"
    return path


def test_the_csv_opens_in_libreoffice_with_hangul_and_amounts_intact(report_2022, manager_client, tmp_path):
    BudgetLine.objects.filter(fiscal_year=2022, code="A-2").update(name="=1+2")
    source = tmp_path / "budget.csv"
    source.write_bytes(manager_client.get("/reports/2022/budget-by-program.csv?as_of=2022-09").content)
    result = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            # As a person opening it picks in the import dialog: comma, double quote, UTF-8 (76), from line 1.
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
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
    sheet = openpyxl.load_workbook(tmp_path / "budget.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["구 분", "사업명", "예산액 (원)", "구성비 (%)", "비 고"]  # no byte-order mark left in it
    assert rows[1][:3] == ["빅데이터·AI 기반의 스마트도시 정책 개발 및 적용", "소 계", 926_000_000]
    metaverse = next(row for row in rows if row[1] == "메타버스 서울 시티즌 플랫폼 구축")
    assert metaverse[2] == 400_000_000 and isinstance(metaverse[2], int)
    assert abs(metaverse[3] - 3.920653808229) < 1e-12  # 구성비 as a number, 400,000 ÷ 10,202,380 × 100
    total = rows[-1]
    assert total[:3] == ["합계", None, 10_202_380_000]
    escaped = next(row for row in rows if row[1] and "1+2" in str(row[1]))
    assert escaped[1] == "'=1+2"  # text, not a formula LibreOffice evaluated to 3
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    assert all(cell.data_type != "f" for cell in cells.values())


def test_csv_queries_do_not_grow_with_the_data(report_2022, manager_client, django_assert_max_num_queries):
    urls = [
        "/reports/2022/budget-by-program.csv?as_of=2022-09",
        "/reports/2022/execution.csv?as_of=2022-09",
        f"/dashboard/areas.csv?{DASHBOARD}",
        f"/dashboard/forecast.csv?{DASHBOARD}",
        f"/dashboard/program-curves.csv?{DASHBOARD}",
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200, url
        counts[url] = len(captured)
    multiply_data(10)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = manager_client.get(url)
        assert "메타버스 서울 시티즌 플랫폼 구축 9" in response.content.decode(), url


def test_an_october_entry_moves_the_csv(report_2022, manager_client):
    line = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    BudgetAmount.objects.create(
        line=line, kind="supplementary", effective_date=datetime.date(2022, 10, 5), amount=10_000_000
    )
    month_save(year=2022, month=10, entries=[Entry(line.pk, 20_000_000, 8_167_000)], user=None, version=0)
    rows = read(manager_client.get("/reports/2022/execution.csv?as_of=2022-10"))
    # 5,310,945,000 × 100 ÷ 10,212,380,000 = 52.00496847943378…, shown 52.0% (docs/conventions.md §4.5)
    assert rows[1] == ["계", "10212380000", "5310945000", "5299112000", "52.004968479433", "51.889099308878"]
    metaverse = ["메타버스 서울 시티즌 플랫폼 구축", "410000000", "71833000", "60000000"]
    assert rows[-2] == [*metaverse, "17.520243902439", "14.634146341463"]


def test_the_link_template_as_the_pages_will_include_it(report_2022, manager_client):
    """The snippets the report page and the dashboard will carry beside each table, rendered and followed."""
    from django.template import Context, Template

    report = Template(
        "{% url 'budget:report-csv' year spec.key as csv_url %}"
        '{% include "includes/csv_link.html" with href=csv_url query="as_of="|add:as_of spec=spec %}'
    )
    spec = REPORT_CSV["execution"](Ledger(2022, 9))
    html = report.render(Context({"year": 2022, "spec": spec, "as_of": "2022-09"}))
    href = html.split('href="')[1].split('"')[0]
    assert href == "/reports/2022/execution.csv?as_of=2022-09"
    assert "CSV 내려받기" in html and "download" in html
    assert read(manager_client.get(href))[1][:2] == ["계", "10202380000"]
    missing = REPORT_CSV["execution"](Ledger(2021, 12))
    assert report.render(Context({"year": 2021, "spec": missing, "as_of": "2021-12"})).strip() == ""

    dashboard = Template(
        "{% url 'dashboard:csv' 'areas' as csv_url %}"
        '{% include "includes/csv_link.html" with href=csv_url query=full_query %}'
    )
    html = dashboard.render(Context({"full_query": "year=2022&as_of=2022-09&team=7"}))
    assert 'href="/dashboard/areas.csv?year=2022&amp;as_of=2022-09&amp;team=7"' in html


def test_the_report_and_dashboard_link_every_table_to_its_csv(report_2022, manager_client):
    """Each table on the two pages has its download beside it, and the link answers its CSV."""
    import re

    # 2021 is held by nature only: no line has a last year to change from, so no 전년 대비 큰 변동 table.
    dashboard = {f"/dashboard/{key}.csv" for key in DASHBOARD_TABLES if key != "changed"}
    for page, expected in (
        # 사업별 전년 대비 says why it has no rows for 2022 (2021 by nature only), and so has no download.
        ("/reports/2022/?as_of=2022-09", {f"/reports/2022/{k}.csv" for k in REPORT_CSV if k != COMPARED}),
        ("/dashboard/?year=2022&as_of=2022-09", dashboard),
    ):
        html = manager_client.get(page).content.decode()
        links = re.findall(r'<a class="csv-link no-print" href="([^"]+)" download>', html)
        paths = {link.split("?")[0] for link in links}
        assert paths == expected, page
        for link in links:
            response = manager_client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, link
            assert response["Content-Type"].startswith("text/csv"), link
            assert response.content.startswith(BOM.encode()), link
