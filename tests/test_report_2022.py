"""The 2022 report's tables, computed from the fixtures' line-level data, figure for figure."""

import datetime

import pytest

from budget.core.ledger import Ledger
from budget.core.models import Account, BudgetAmount, BudgetLine, ExecutionRecord
from budget.reports.report import budget_by_program, execution, side_summary, staffing
from budget.reports.tables import format_cell
from tests import report_2022_expected as expected
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

URL = "/reports/2022/?as_of=2022-09"


def shown(table) -> list[tuple[str, ...]]:
    """A report table's rows as the page and the workbook show them."""
    return [tuple(format_cell(row, column) for column in table.columns) for row in table.rows]


@pytest.fixture
def ledger(report_2022):
    return Ledger(2022, 9)


def test_revenue_summary(ledger):
    assert shown(side_summary(ledger, Account.Side.REVENUE)) == expected.REVENUE


def test_expenditure_summary(ledger):
    assert shown(side_summary(ledger, Account.Side.EXPENDITURE)) == expected.EXPENDITURE


def test_budget_by_program(ledger):
    table = budget_by_program(ledger)
    assert [row[:3] for row in shown(table)] == expected.BUDGET_BY_PROGRAM


def test_execution(ledger):
    assert shown(execution(ledger)) == expected.EXECUTION


def test_staffing(report_2022):
    table = staffing(datetime.date(2022, 9, 30))
    assert shown(table) == expected.STAFFING
    assert tuple(c.label for c in table.columns) == expected.STAFFING_HEADER
    assert table.notes == [expected.STAFFING_NOTE]
    assert table.title == "인력 : 49명"  # 현원 44 + 파견공무원 1 + 계약직 4


def test_revenue_and_expenditure_balance_in_won(ledger):
    revenue = side_summary(ledger, Account.Side.REVENUE).rows[0]
    spending = side_summary(ledger, Account.Side.EXPENDITURE).rows[0]
    assert revenue["current"] == spending["current"] == 10_202_380_000
    assert revenue["previous"] == spending["previous"] == 12_032_786_000
    assert ledger.total.current == 10_202_380_000


def test_the_report_page_shows_every_figure(report_2022, manager_client):
    response = manager_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert table_rows(html, "revenue-summary") == expected.REVENUE
    assert table_rows(html, "expenditure-summary") == expected.EXPENDITURE
    assert [r[:3] for r in table_rows(html, "budget-by-program")] == expected.BUDGET_BY_PROGRAM
    assert table_rows(html, "execution") == expected.EXECUTION
    assert table_rows(html, "staffing") == expected.STAFFING
    assert "(&#x27;22.9월 기준, 단위 : 천원, %)" in html
    assert expected.STAFFING_NOTE in html


def test_the_report_page_has_the_two_level_headers(report_2022, manager_client):
    html = manager_client.get(URL).content.decode()
    assert table_rows(html, "revenue-summary", "thead") == [
        ("구 분", "2022 예산현액", "2021 최종예산", "증 감"),
        ("증감액", "증감률"),
    ]
    assert table_rows(html, "execution", "thead") == [
        ("구 분", "예산현액", "집행액", "집행률(%)"),
        ("원인행위액", "지출액", "원인행위", "지출액"),
    ]
    assert '<th scope="col" colspan="2">증 감</th>' in html


def test_figures_are_computed_from_the_lines(report_2022, manager_client):
    """A 추경 of 10,000,000 won on one line moves every total, change, share and rate it touches."""
    metaverse = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    BudgetAmount.objects.create(
        line=metaverse,
        kind=BudgetAmount.Kind.SUPPLEMENTARY,
        effective_date=datetime.date(2022, 10, 5),
        amount=10_000_000,
        reason="test",
    )
    ExecutionRecord.objects.create(line=metaverse, month=10, commitment=20_000_000, expenditure=8_167_000)

    # As of September nothing has moved: the change is dated in October.
    september = Ledger(2022, 9)
    assert shown(execution(september)) == expected.EXECUTION

    october = Ledger(2022, 10)
    spending = shown(side_summary(october, Account.Side.EXPENDITURE))
    assert spending[0] == ("계", "10,212,380", "12,032,786", "△1,820,406", "△15.1%")
    assert spending[3] == ("사업비", "5,217,453", "7,418,732", "△2,201,279", "△29.7%")
    rows = shown(execution(october))
    assert rows[0] == ("계", "10,212,380", "5,310,945", "5,299,112", "52.0%", "51.9%")
    assert rows[-2] == ("메타버스 서울 시티즌 플랫폼 구축", "410,000", "71,833", "60,000", "17.5%", "14.6%")
    by_program = shown(budget_by_program(october))
    assert by_program[11] == ("메타버스 서울 생태계 조성", "소 계", "410,000", "4.0%", "")
    assert by_program[-1] == ("합계", "", "10,212,380", "100.0%", "")

    html = manager_client.get("/reports/2022/?as_of=2022-10").content.decode()
    assert table_rows(html, "execution")[-2] == rows[-2]


def test_an_unknown_as_of_is_refused_with_its_field_named(report_2022, manager_client):
    response = manager_client.get("/reports/2022/?as_of=2022-13")
    assert response.status_code == 400
    assert "기준월(as_of) &#x27;2022-13&#x27;" in response.content.decode()
    response = manager_client.get("/reports/2022/?as_of=2021-05")
    assert response.status_code == 400
    assert "2022 회계연도 밖" in response.content.decode()


def test_an_unknown_year_is_not_found(report_2022, manager_client):
    assert manager_client.get("/reports/1999/").status_code == 404


def test_as_of_defaults_to_the_last_month_with_execution(report_2022, manager_client):
    html = manager_client.get("/reports/2022/").content.decode()
    assert table_rows(html, "execution") == expected.EXECUTION


@pytest.mark.parametrize("url", [URL, "/programs/", "/programs/4-1/", "/org/", "/"])
def test_anonymous_visitors_are_sent_to_login_and_see_no_figure(report_2022, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    followed = client.get(url, follow=True).content.decode()
    assert "10,202,380" not in followed
    assert "로그인" in followed


def test_a_user_without_a_role_is_forbidden(report_2022, client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(URL).status_code == 403


def test_each_line_on_the_report_leads_to_its_build_up(report_2022, manager_client):
    html = manager_client.get(URL).content.decode()
    metaverse = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    assert f'<a href="/budget/lines/{metaverse.pk}/">메타버스 서울 시티즌 플랫폼 구축</a>' in html
