"""A figure the app does not hold is never shown as 0: months before a year's first budget figure are not
offered and, asked for directly, answer with a message; a comparison year that is not held says so."""

import pytest

from budget.core.periods import first_month, offered_months
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db


def test_2022_is_held_from_september_and_2021_in_december(report_2022):
    # The report gives 2022's 예산현액 only as of September and 2021's final budget only at year end.
    assert (first_month(2022), first_month(2021)) == (9, 12)
    assert list(offered_months(2022)) == [9, 10, 11, 12]


def test_a_month_before_the_first_budget_figure_is_refused_with_a_message(report_2022, manager_client):
    response = manager_client.get("/reports/2022/?as_of=2022-03")
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "기준월(as_of) 2022-03에는 예산 자료가 없습니다. 2022년 예산은 9월 말 기준부터 있어 9월부터 볼 수 있습니다."
        in html
    )
    # What is drawn is September, the first month held: never March's zeros and △100.0% on every row.
    assert table_rows(html, "expenditure-summary")[0] == ("계", "10,202,380", "12,032,786", "△1,830,406", "△15.2%")
    assert "△100.0%" not in "".join(str(r) for r in table_rows(html, "expenditure-summary")[1:4])


def test_the_month_choice_offers_only_months_with_figures(report_2022, manager_client):
    html = manager_client.get("/reports/2022/").content.decode()
    assert 'value="2022-08"' not in html
    assert [m for m in range(1, 13) if f'value="2022-{m:02d}"' in html] == [9, 10, 11, 12]


@pytest.mark.parametrize(
    "url",
    [
        "/reports/2022/council.xlsx?as_of=2022-03",
        "/programs/4-1/?year=2022&as_of=2022-03",
        "/dashboard/lines/{line}/?as_of=2022-03",
        "/dashboard/?year=2022&as_of=2022-03",
    ],
)
def test_every_view_refuses_a_month_it_holds_no_budget_for(report_2022, manager_client, url):
    from budget.core.models import BudgetLine

    line = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    response = manager_client.get(url.format(line=line.pk))
    assert response.status_code == 400
    assert "2022년 예산은 9월 말 기준부터 있어 9월부터 볼 수 있습니다." in response.content.decode()


def test_2021_is_not_compared_with_a_2020_the_app_does_not_hold(report_2022, manager_client):
    html = manager_client.get("/reports/2021/").content.decode()
    assert "순증" not in html
    assert html.count("2020 회계연도 자료가 없어 전년도와 비교하지 않습니다.") == 2  # 세입 총괄, 세출 총괄
    # A finished year's figures are final, not "being entered" because no month of it was closed one by one.
    assert "2021 회계연도는 마감된 해로, 모든 수치가 확정되었습니다." in html
    assert "입력 중인 수치" not in html
    # 2021's final budget, with no columns of comparison at all.
    assert table_rows(html, "revenue-summary")[0] == ("계", "12,032,786")
    assert table_rows(html, "expenditure-summary")[1:] == [
        ("인건비", "2,814,743"),
        ("경비", "1,274,240"),
        ("사업비", "7,418,732"),
        ("예비비", "477,071"),
        ("자본적지출", "48,000"),
    ]


def test_the_2021_workbook_has_no_comparison_columns_either(report_2022, manager_client):
    import io

    import openpyxl

    response = manager_client.get("/reports/2021/council.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["세입 총괄"]
    assert ws.max_column == 2
    assert [ws.cell(4, c).value for c in (1, 2)] == ["계", 12_032_786]


def test_2021_execution_and_staffing_are_not_held_and_say_so(report_2022, manager_client):
    # The report gives 2021 only as its final budget and staffing only as of September 2022.
    html = manager_client.get("/reports/2021/").content.decode()
    assert "2021년 집행 실적은 이 앱에 없습니다 (보고서가 2021년은 최종예산만 제시)." in html
    assert "2021-12-31 이전의 인력 현황 자료가 없습니다." in html
    assert 'id="execution"' not in html and 'id="staffing"' not in html  # no table of zeros
    assert "인력 : 0명" not in html


def test_the_2021_workbook_says_what_it_does_not_hold(report_2022, manager_client):
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(manager_client.get("/reports/2021/council.xlsx").content))
    execution = [row for row in wb["세출예산 집행현황"].iter_rows(values_only=True) if any(row)]
    assert execution[-1] == ("2021년 집행 실적은 이 앱에 없습니다 (보고서가 2021년은 최종예산만 제시).",)
    assert all(0 not in row for row in execution)


def test_the_2021_dashboard_shows_budgets_not_an_execution_of_zero(report_2022, manager_client):
    from tests.html_tables import table_rows as rows

    html = manager_client.get("/dashboard/?year=2021&as_of=2021-12").content.decode()
    assert "2021년 집행 실적은 이 앱에 없습니다 (보고서가 2021년은 최종예산만 제시)." in html
    assert 'data-kpi="current">12,032,786<' in html
    assert 'data-kpi="expenditure">-<' in html and 'data-kpi="expenditure_rate">-<' in html
    assert 'id="natures"' not in html and 'id="forecast"' not in html
    assert rows(html, "expenditure-summary")[0] == ("계", "12,032,786")
