"""Many years side by side, on two small years computed by hand (tests/years_data.py): the report against
the year before line by line, the curves of several years, a program's years and a line's chain."""

from fractions import Fraction

import pytest

from budget.core.figures import NEW, NONE
from budget.core.ledger import Ledger
from budget.core.models import Account, MonthStatus
from budget.core.years import chain_ids, line_chain, line_years, year_curves
from budget.reports.report import side_summary
from budget.reports.years import budget_by_program_compared
from tests.html_tables import table_rows
from tests.years_data import build_two_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(db):
    return build_two_years()


def rows_of(table):
    return [
        (r["group"] or r["label"], r["label"], r["current"], r["previous"], r["change"], r["change_rate"], r["note"])
        for r in table.rows
    ]


def test_the_expenditure_summary_follows_each_line_into_its_new_nature(lines):
    rows = {r["label"]: r for r in side_summary(Ledger(2302, 2), Account.Side.EXPENDITURE).rows}
    # 400,000,000 last year: 9-1 120,000,000 (100 + 추경 20), 9-2 50,000,000 (stopped), A-1 200,000,000,
    # E-1 30,000,000 (경비, continued as C-1 자본적지출: its money counts under 자본적지출).
    assert (rows["계"]["current"], rows["계"]["previous"], rows["계"]["change"]) == (
        436_000_000,
        400_000_000,
        36_000_000,
    )
    assert rows["계"]["change_rate"] == Fraction(9)
    assert (rows["사업비"]["current"], rows["사업비"]["previous"]) == (190_000_000, 170_000_000)
    assert rows["사업비"]["change_rate"] == Fraction(20_000_000 * 100, 170_000_000)  # 11.76… → 11.8%
    assert (rows["인건비"]["current"], rows["인건비"]["previous"], rows["인건비"]["change_rate"]) == (
        210_000_000,
        200_000_000,
        Fraction(5),
    )
    assert (rows["경비"]["current"], rows["경비"]["previous"], rows["경비"]["change_rate"]) == (0, 0, NONE)
    assert (rows["자본적지출"]["current"], rows["자본적지출"]["previous"]) == (36_000_000, 30_000_000)
    assert rows["자본적지출"]["change_rate"] == Fraction(20)


def test_the_revenue_summary_compares_the_line_it_continues(lines):
    rows = {r["label"]: r for r in side_summary(Ledger(2302, 2), Account.Side.REVENUE).rows}
    assert (rows["서울시출연금"]["current"], rows["서울시출연금"]["previous"]) == (436_000_000, 400_000_000)


def test_budget_by_program_compared_by_line_with_new_and_stopped_lines(lines):
    table = budget_by_program_compared(Ledger(2302, 2))
    assert [c.label for c in table.columns] == [
        "구 분",
        "사업명",
        "2302 예산현액",
        "2301 최종예산",
        "증감액",
        "증감률",
        "비 고",
    ]
    assert rows_of(table) == [
        ("연도 비교 정책분야", "소 계", 190_000_000, 170_000_000, 20_000_000, Fraction(200, 17), ""),
        ("계속 사업", "계속 사업", 150_000_000, 120_000_000, 30_000_000, Fraction(25), ""),
        ("새 사업", "새 사업", 40_000_000, 0, 40_000_000, NEW, "신규"),
        ("끝난 사업", "끝난 사업", 0, 50_000_000, -50_000_000, Fraction(-100), "2301년 종료"),
        ("행정운영경비", "소 계", 210_000_000, 200_000_000, 10_000_000, Fraction(5), ""),
        ("인력운영비", "인력운영비", 210_000_000, 200_000_000, 10_000_000, Fraction(5), ""),
        ("자본적지출", "소 계", 36_000_000, 30_000_000, 6_000_000, Fraction(20), ""),
        ("전산장비 구축", "전산장비 구축", 36_000_000, 30_000_000, 6_000_000, Fraction(20), ""),
        ("합계", "", 436_000_000, 400_000_000, 36_000_000, Fraction(9), ""),
    ]


def test_the_report_page_draws_the_comparison_in_thousands(lines, manager_client):
    html = manager_client.get("/reports/2302/?as_of=2302-02").content.decode()
    assert table_rows(html, "budget-by-program-compared") == [
        ("연도 비교 정책분야", "소 계", "190,000", "170,000", "20,000", "11.8%", ""),
        ("", "계속 사업", "150,000", "120,000", "30,000", "25.0%", ""),
        ("", "새 사업", "40,000", "0", "40,000", "순증", "신규"),
        ("", "끝난 사업", "0", "50,000", "△50,000", "△100.0%", "2301년 종료"),
        ("행정운영경비", "소 계", "210,000", "200,000", "10,000", "5.0%", ""),
        ("", "인력운영비", "210,000", "200,000", "10,000", "5.0%", ""),
        ("자본적지출", "소 계", "36,000", "30,000", "6,000", "20.0%", ""),
        ("", "전산장비 구축", "36,000", "30,000", "6,000", "20.0%", ""),
        ("합계", "", "436,000", "400,000", "36,000", "9.0%", ""),
    ]
    expenditure = {row[0]: row[1:] for row in table_rows(html, "expenditure-summary")}
    assert expenditure["경비"] == ("0", "0", "0", "-")
    assert expenditure["자본적지출"] == ("36,000", "30,000", "6,000", "20.0%")
    csv = manager_client.get("/reports/2302/budget-by-program-compared.csv?as_of=2302-02").content.decode("utf-8-sig")
    assert ",끝난 사업,0,50000000,-50000000,-100,2301년 종료\r\n" in csv


def test_a_year_known_by_nature_is_compared_by_nature_and_the_page_says_so(report_2022, manager_client):
    table = budget_by_program_compared(Ledger(2022, 9))
    assert table.rows == [] and "2021년 예산은 라인(사업)별로 없고 성질별·재원별로만" in table.missing
    html = manager_client.get("/reports/2022/?as_of=2022-09").content.decode()
    assert "사업별로 비교할 수 없습니다" in html
    # 세출 총괄 is still against 2021's final by nature (the report's figures).
    expenditure = {row[0]: row[1:] for row in table_rows(html, "expenditure-summary")}
    assert expenditure["자본적지출"] == ("0", "48,000", "△48,000", "△100.0%")


def test_a_first_year_has_no_comparison_table(report_2022):
    assert budget_by_program_compared(Ledger(2021, 12)) is None


# -- the curves of several years ------------------------------------------------------------------------


def test_curves_of_two_years_by_month(lines):
    last, this = year_curves(2302, 2)
    assert (last.year, this.year) == (2301, 2302)
    # 2301: 380,000,000 budgeted in January, 400,000,000 from June; A-1 pays 10,000,000 a month,
    # 9-1 30,000,000 in March and 60,000,000 in September.
    assert last.at(1) == Fraction(10_000_000 * 100, 380_000_000)
    assert last.at(3) == Fraction(60_000_000 * 100, 380_000_000)
    assert last.at(6) == Fraction(90_000_000 * 100, 400_000_000)  # 22.5%
    assert last.at(12) == Fraction(210_000_000 * 100, 400_000_000)  # 52.5%
    # 2302: 436,000,000; 17,500,000 in January, 35,000,000 more in February; nothing known after it.
    assert this.at(1) == Fraction(17_500_000 * 100, 436_000_000)
    assert this.at(2) == Fraction(50_000_000 * 100, 436_000_000)
    assert [this.at(m) for m in range(3, 13)] == [None] * 10


def test_a_year_before_is_known_through_its_last_closed_month(lines):
    MonthStatus.objects.filter(fiscal_year_id=2301, month__gte=10).update(closed=False)
    last, _this = year_curves(2302, 2)
    assert last.at(9) == Fraction(180_000_000 * 100, 400_000_000)  # 45.0%
    assert [last.at(m) for m in (10, 11, 12)] == [None] * 3


def test_the_curves_narrow_to_a_nature(lines):
    personnel = Account.objects.get(code="personnel")
    last, this = year_curves(2302, 2, nature=personnel.pk)
    assert last.at(12) == Fraction(120_000_000 * 100, 200_000_000)
    assert this.at(2) == Fraction(35_000_000 * 100, 210_000_000)


def test_a_cumulative_record_hides_the_months_it_stands_for(report_2022):
    (this,) = [c for c in year_curves(2022, 9) if c.year == 2022]
    assert [this.at(m) for m in range(1, 9)] == [None] * 8
    assert this.spent[9] == 5_290_945_000
    # 2021 is held only by its final budget: no curve of zeros.
    (before,) = [c for c in year_curves(2022, 9) if c.year == 2021]
    assert before.held is False and before.at(12) is None


# -- a program's years and a line's chain ---------------------------------------------------------------


def test_a_programs_years(lines):
    rows = line_years(lines["p1"].program.budget_lines.all(), year=2302, month=2)
    assert [(r.year, r.figures.current, r.figures.commitment, r.figures.expenditure, r.month) for r in rows] == [
        (2301, 120_000_000, 100_000_000, 90_000_000, 12),
        (2302, 150_000_000, 45_000_000, 15_000_000, 2),
    ]
    assert rows[0].figures.expenditure_rate == Fraction(75) and rows[1].figures.expenditure_rate == Fraction(10)
    # Viewed as of 2301, the later year is not shown.
    assert [r.year for r in line_years(lines["p1"].program.budget_lines.all(), year=2301, month=12)] == [2301]


def test_a_lines_chain_both_ways(lines):
    assert (
        sorted(chain_ids(lines["e1"].pk))
        == sorted(chain_ids(lines["c1"].pk))
        == sorted([lines["e1"].pk, lines["c1"].pk])
    )
    chain = line_chain(lines["c1"].pk)
    assert [(r.year, r.code, r.figures.current, r.figures.expenditure) for r in chain] == [
        (2301, "E-1", 30_000_000, 0),
        (2302, "C-1", 36_000_000, 0),
    ]
    assert [r.code for r in line_chain(lines["p3"].pk)] == ["9-3"]


def test_the_dashboard_draws_this_year_against_the_year_before(lines, manager_client):
    html = manager_client.get("/dashboard/?year=2302&as_of=2302-02").content.decode()
    rows = table_rows(html, "years-curve")
    # 2302: 17,500,000 then 50,000,000 of 436,000,000 (4.01…%, 11.46…%); later months not yet.
    assert rows[0] == ("2302", "4.0%", "11.5%", *["-"] * 10)
    # 2301: 10, 20, 60, 70, 80 (June: 400,000,000 from then), 90, 100, 110, 180 … 210 of 380 / 400 million.
    assert rows[1] == (
        "2301",
        "2.6%",
        "5.3%",
        "15.8%",
        "18.4%",
        "21.1%",
        "22.5%",
        "25.0%",
        "27.5%",
        "45.0%",
        "47.5%",
        "50.0%",
        "52.5%",
    )
    assert "2302년 2월 누적 집행률 11.5% · 2301년 같은 달 5.3%" in html
    assert 'id="chart-years"' in html
    csv = manager_client.get("/dashboard/years-curve.csv?year=2302&as_of=2302-02").content.decode("utf-8-sig")
    # Exact rates: 50,000,000 of 436,000,000 is 11.467889908256…% (cut after 12 places, never rounded).
    assert csv.splitlines()[1].startswith("2302,4.013761467889,11.467889908256,,")
    assert csv.splitlines()[2].split(",") == [
        "2301", "2.631578947368", "5.263157894736", "15.78947368421", "18.421052631578", "21.052631578947",
        "22.5", "25", "27.5", "45", "47.5", "50", "52.5",
    ]  # fmt: skip


def test_the_program_page_lists_each_year_it_ran(lines, manager_client):
    html = manager_client.get("/programs/9-1/?year=2302&as_of=2302-02").content.decode()
    assert table_rows(html, "program-years") == [
        ("2301 최종", "9-1 계속 사업", "120,000", "100,000", "90,000", "83.3%", "75.0%"),
        ("2302 2월 기준", "9-1 계속 사업", "150,000", "45,000", "15,000", "30.0%", "10.0%"),
    ]
    assert f'href="/budget/lines/{lines["p1"].pk}/"' in html


def test_the_line_page_shows_the_line_through_the_years(lines, manager_client):
    html = manager_client.get(f"/budget/lines/{lines['c1'].pk}/").content.decode()
    assert table_rows(html, "line-years") == [
        ("2301", "E-1 전산장비", "30,000", "0", "0", "0.0%"),
        ("2302", "C-1 전산장비 구축", "36,000", "0", "0", "0.0%"),
    ]
    assert f'href="/budget/lines/{lines["e1"].pk}/"' in html
