"""세입 수납: the revenue sheet's save and its rules, the 세입 집행현황 table, the workbook sheet and the dashboard.

The figures are a year built by hand (2023): 서울시출연금 1,000,000,000원 and 사업수입 200,000,000원 budgeted
from 1 January; 인력운영비 1,200,000,000원 with 300,000,000원 paid in January and 250,000,000원 in February.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from budget.core.collected import collected
from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import Account, BudgetLine, FiscalYear, MonthStatus
from budget.core.receipts import RevenueRecord
from budget.receipts.services import Receipt, receipts_save
from tests.html_tables import table_rows
from tests.revenue_2023 import YEAR, revenue_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2023(report_2022):
    """Revenue and one expenditure line of 2023, budgeted on 1 January; 2022 is the report's."""
    return revenue_year({1: 300_000_000, 2: 250_000_000})


@pytest.fixture
def clerk(make_user):
    return make_user("finance", "재무담당")


def save(lines, month, user, version=None, reason="", **amounts):
    """receipts_save of `amounts` by line code (city=…, business=…), at the month's current version."""
    codes = {"city": "city-contribution", "business": "business-income"}
    receipts = []
    for key, value in amounts.items():
        collected_amount, note = value if isinstance(value, tuple) else (value, "")
        receipts.append(Receipt(lines[codes[key]].pk, collected_amount, note))
    if version is None:
        status = MonthStatus.objects.filter(fiscal_year_id=YEAR, month=month).first()
        version = status.version if status else 0
    return receipts_save(year=YEAR, month=month, receipts=receipts, user=user, version=version, reason=reason)


def stored():
    return sorted(RevenueRecord.objects.values_list("line__code", "month", "collected", "note"))


def enter_two_months(lines, clerk):
    save(lines, 1, clerk, city=400_000_000, business=50_000_000)
    return save(lines, 2, clerk, city=300_000_000, business=180_000_000)


# -- the save and its rules


def test_a_save_stores_the_months_receipts_with_history(year_2023, clerk):
    saved = save(year_2023, 1, clerk, city=400_000_000, business=50_000_000)
    assert (saved.version, saved.changed, saved.flags) == (1, 2, [])
    assert stored() == [
        ("business-income", 1, 50_000_000, ""),
        ("city-contribution", 1, 400_000_000, ""),
    ]
    record = RevenueRecord.objects.get(line=year_2023["city-contribution"])
    assert record.fiscal_year_id == YEAR
    history = record.history.get()
    assert (history.history_user, history.history_change_reason) == (clerk, "2023년 1월 수납 입력")


def test_collecting_beyond_the_budget_is_saved_and_flagged(year_2023, clerk):
    saved = enter_two_months(year_2023, clerk)
    assert saved.flags == [
        "사업수입 · 2023년 2월: 수납 누계 230,000,000원이(가) 예산현액 200,000,000원을(를) "
        "30,000,000원 넘습니다 (초과 수납)."
    ]
    assert RevenueRecord.objects.get(line=year_2023["business-income"], month=2).collected == 180_000_000


def test_a_correction_of_a_stored_month_needs_a_reason(year_2023, clerk):
    save(year_2023, 1, clerk, city=400_000_000)
    with pytest.raises(EntryRefused) as refused:
        save(year_2023, 1, clerk, city=390_000_000)
    assert refused.value.messages == [
        "서울시출연금 · 2023년 1월 · 수납액 400,000,000원 → 390,000,000원: 이미 입력된 수납을 고치는 정정이므로 "
        "비고에 사유를 적어야 합니다."
    ]
    assert stored() == [("city-contribution", 1, 400_000_000, "")]
    saved = save(year_2023, 1, clerk, city=(390_000_000, "고지서 금액 정정"))
    assert saved.changed == 1
    assert stored() == [("city-contribution", 1, 390_000_000, "고지서 금액 정정")]
    latest = RevenueRecord.history.filter(month=1).latest("history_date")
    assert (latest.collected, latest.history_user) == (390_000_000, clerk)
    # The save's memo is a reason as well, and is kept as the history's reason.
    save(year_2023, 1, clerk, reason="이중 입력 정정", city=(380_000_000, "고지서 금액 정정"))
    assert RevenueRecord.history.filter(month=1).latest("history_date").history_change_reason == "이중 입력 정정"


def test_a_negative_receipt_is_a_correction_and_needs_a_reason(year_2023, clerk):
    save(year_2023, 1, clerk, city=400_000_000)
    with pytest.raises(EntryRefused) as refused:
        save(year_2023, 2, clerk, city=-5_000_000)
    assert refused.value.messages == [
        "서울시출연금 · 2023년 2월 · 수납액 -5,000,000원: 음수는 정정이므로 사유를 적어야 합니다."
    ]
    saved = save(year_2023, 2, clerk, city=(-5_000_000, "과오납 반환"))
    assert saved.changed == 1
    assert collected(YEAR, 2).by_line[year_2023["city-contribution"].pk] == 395_000_000


def test_cumulative_receipts_never_fall_below_zero_at_a_later_month(year_2023, clerk):
    save(year_2023, 1, clerk, city=400_000_000)
    save(year_2023, 2, clerk, city=(-100_000_000, "반환"))
    # January lowered below what February takes back: February's cumulative would be -50,000,000원.
    with pytest.raises(EntryRefused) as refused:
        save(year_2023, 1, clerk, city=(50_000_000, "정정"))
    assert refused.value.messages == [
        "서울시출연금 · 2023년 2월: 수납 누계가 -50,000,000원로 음수가 됩니다 (2023년 1월 입력으로)."
    ]
    assert stored() == [
        ("city-contribution", 1, 400_000_000, ""),
        ("city-contribution", 2, -100_000_000, "반환"),
    ]


def test_a_closed_month_refuses_and_saves_nothing(year_2023, clerk):
    MonthStatus.objects.create(fiscal_year_id=YEAR, month=1, closed=True, version=3)
    with pytest.raises(EntryRefused) as refused:
        save(year_2023, 1, clerk, city=400_000_000)
    assert refused.value.messages == ["2023년 1월은 마감되어 수납을 입력할 수 없습니다."]
    assert stored() == []
    assert MonthStatus.objects.get(fiscal_year_id=YEAR, month=1).version == 3


def test_a_finished_year_refuses_and_saves_nothing(year_2023, clerk):
    FiscalYear.objects.filter(year=YEAR).update(finished=True)
    with pytest.raises(EntryRefused) as refused:
        save(year_2023, 5, clerk, city=400_000_000)
    assert refused.value.messages == [
        "2023 회계연도는 결산이 끝나 닫힌 해입니다. 재무책임자가 사유를 적어 다시 열기 전에는 바꿀 수 없습니다."
    ]
    assert stored() == []


def test_the_reports_cumulative_months_refuse_receipts(report_2022, clerk):
    line = BudgetLine.objects.get(fiscal_year_id=2022, code="city-contribution")
    with pytest.raises(EntryRefused) as refused:
        receipts_save(year=2022, month=9, receipts=[Receipt(line.pk, 1_000)], user=clerk, version=0)
    assert refused.value.messages == [
        "2022년 1~9월은 보고서 누계로 확정된 달이라 수납을 입력할 수 없습니다 (마감된 달로 봅니다)."
    ]
    assert not RevenueRecord.objects.exists()


def test_a_stale_sheet_is_refused(year_2023, clerk):
    save(year_2023, 1, clerk, city=400_000_000)
    with pytest.raises(StaleSheet):
        save(year_2023, 1, clerk, version=0, business=1_000)
    assert stored() == [("city-contribution", 1, 400_000_000, "")]


def test_an_expenditure_line_is_not_a_revenue_line(year_2023, clerk):
    with pytest.raises(EntryRefused) as refused:
        receipts_save(year=YEAR, month=1, receipts=[Receipt(year_2023["personnel"].pk, 1_000)], user=clerk, version=0)
    assert refused.value.messages == [f"세입 예산에 없는 라인입니다: {year_2023['personnel'].pk}"]
    assert stored() == []


def test_one_refused_line_saves_no_line(year_2023, clerk):
    with pytest.raises(EntryRefused) as refused:
        save(year_2023, 1, clerk, city=400_000_000, business=-1_000)
    assert list(refused.value.by_line) == [year_2023["business-income"].pk]
    assert stored() == []


# -- the revenue sheet


@pytest.fixture
def finance(client, clerk):
    client.force_login(clerk)
    return client


def sheet_post(lines, version=0, reason="", **cells):
    data = {"version": str(version), "reason": reason}
    names = {"city": "city-contribution", "business": "business-income"}
    for key, value in cells.items():
        prefix, name = key.split("_", 1)
        data[f"{prefix}-{lines[names[name]].pk}"] = value
    return data


def test_the_sheet_saves_typed_receipts_and_flags_over_collection(year_2023, finance):
    url = f"/entry/{YEAR}/revenue/1/"
    response = finance.post(url, sheet_post(year_2023, r_city="400,000,000", r_business="250,000,000"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2023년 1월 수납을 저장했습니다 (2개 라인)." in html
    assert "사업수입 · 2023년 1월: 수납 누계 250,000,000원이(가) 예산현액 200,000,000원을(를) 50,000,000원" in html
    rows = table_rows(html, "revenue-sheet")
    # 세입 재원, 예산현액, 전월까지, 이번 달 (an input), 비고 (an input), 누계, 미수납액, 수납률
    assert rows[0][0].startswith("서울시출연금")
    assert rows[0][1:] == ("1,000,000,000", "0", "", "", "400,000,000", "600,000,000", "40.0%")
    assert rows[1][5:] == ("250,000,000", "△50,000,000", "125.0%")
    assert "1,200,000,000" in html and "650,000,000" in html and "54.2%" in html


def test_the_sheet_refuses_a_correction_without_a_reason_and_keeps_the_input(year_2023, finance, clerk):
    save(year_2023, 1, clerk, city=400_000_000)
    url = f"/entry/{YEAR}/revenue/1/"
    response = finance.post(url, sheet_post(year_2023, version=1, r_city="390,000,000"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "이미 입력된 수납을 고치는 정정이므로 비고에 사유를 적어야 합니다." in html
    assert 'value="390,000,000"' in html
    assert stored() == [("city-contribution", 1, 400_000_000, "")]


def test_the_sheet_of_a_closed_month_takes_no_input(year_2023, finance):
    MonthStatus.objects.create(fiscal_year_id=YEAR, month=1, closed=True)
    url = f"/entry/{YEAR}/revenue/1/"
    html = finance.get(url).content.decode()
    assert "2023년 1월은 마감되어 수납을 입력할 수 없습니다." in html
    assert 'id="save"' not in html
    response = finance.post(url, sheet_post(year_2023, r_city="1,000"))
    assert response.status_code == 400
    assert stored() == []


def test_a_manager_may_not_enter_receipts(year_2023, manager_client):
    assert manager_client.get(f"/entry/{YEAR}/revenue/1/").status_code == 403
    assert manager_client.post(f"/entry/{YEAR}/revenue/1/", sheet_post(year_2023, r_city="1")).status_code == 403
    assert stored() == []


def test_the_entry_year_page_leads_to_the_revenue_sheet(year_2023, finance):
    html = finance.get(f"/entry/{YEAR}/").content.decode()
    assert f'href="/entry/{YEAR}/revenue/3/"' in html


def test_the_sheet_reads_a_fixed_number_of_queries(year_2023, finance, clerk, django_assert_max_num_queries):
    enter_two_months(year_2023, clerk)
    # session, user, the year; the revenue lines; the lines again, amounts, records by month (the rules'
    # reading); the month's status, whether the year is finished, the cumulative cover; messages, perms (2).
    with django_assert_max_num_queries(12):
        assert finance.get(f"/entry/{YEAR}/revenue/2/").status_code == 200


# -- the report's 세입 집행현황, its CSV and the council workbook


def test_the_report_shows_collection_by_source(year_2023, clerk, manager_client):
    enter_two_months(year_2023, clerk)
    html = manager_client.get(f"/reports/{YEAR}/?as_of={YEAR}-02").content.decode()
    rows = table_rows(html, "revenue-execution")
    # 천원: 예산현액, 수납액, 수납률, 미수납액; 사업수입 collected 230,000천원 of 200,000천원.
    assert rows[0] == ("계", "1,200,000", "930,000", "77.5%", "270,000")
    assert ("서울시출연금", "1,000,000", "700,000", "70.0%", "300,000") in rows
    assert ("사업수입", "200,000", "230,000", "115.0%", "△30,000") in rows
    assert ("보조금수입", "0", "0", "-", "0") in rows
    assert "초과 수납: 사업수입 수납액 230,000,000원이(가) 예산현액 200,000,000원을(를) 30,000,000원 넘습니다." in html
    # As of January the table reads January only.
    january = table_rows(manager_client.get(f"/reports/{YEAR}/?as_of={YEAR}-01").content.decode(), "revenue-execution")
    assert january[0] == ("계", "1,200,000", "450,000", "37.5%", "750,000")


def test_no_receipt_yet_is_said_not_shown_as_zero(year_2023, clerk, manager_client):
    save(year_2023, 2, clerk, city=300_000_000)
    html = manager_client.get(f"/reports/{YEAR}/?as_of={YEAR}-01").content.decode()
    rows = table_rows(html, "revenue-execution")
    assert rows[0] == ("계", "1,200,000", "자료 없음", "자료 없음", "자료 없음")
    assert "2023년 1월까지 입력된 수납이 없어 수납액은 자료 없음으로 둡니다." in html


def test_2022_collection_is_not_known(report_2022, manager_client):
    html = manager_client.get("/reports/2022/?as_of=2022-09").content.decode()
    rows = table_rows(html, "revenue-execution")
    assert rows[0] == ("계", "10,202,380", "자료 없음", "자료 없음", "자료 없음")
    assert ("서울시출연금", "8,041,862", "자료 없음", "자료 없음", "자료 없음") in rows
    assert "2022년 9월까지 입력된 수납이 없어 수납액은 자료 없음으로 둡니다." in html


def test_2022_collection_stays_unknown_after_october_is_entered(report_2022, make_user, manager_client):
    # January–September stand in the report's cumulative figure, without their 수납: October's alone is not
    # the year's 수납 to date, so the table still says it does not know.
    line = BudgetLine.objects.get(fiscal_year_id=2022, code="city-contribution")
    receipts_save(year=2022, month=10, receipts=[Receipt(line.pk, 500_000_000)], user=make_user("f"), version=0)
    html = manager_client.get("/reports/2022/?as_of=2022-10").content.decode()
    assert table_rows(html, "revenue-execution")[0] == ("계", "10,202,380", "자료 없음", "자료 없음", "자료 없음")
    assert "2022년 1~9월은 보고서 누계로 확정된 달이고 그 수납은 보고되지 않아" in html


def test_the_table_as_csv_in_won_and_exact_rates(year_2023, clerk, manager_client):
    enter_two_months(year_2023, clerk)
    response = manager_client.get(f"/reports/{YEAR}/revenue-execution.csv?as_of={YEAR}-02")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "계,1200000000,930000000,77.5,270000000"
    assert "사업수입,200000000,230000000,115,-30000000" in lines


def test_the_council_workbook_has_the_sheet(year_2023, clerk, manager_client):
    enter_two_months(year_2023, clerk)
    response = manager_client.get(f"/reports/{YEAR}/council.xlsx?as_of={YEAR}-02")
    ws = load_workbook(io.BytesIO(response.content))["세입 집행현황"]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    body = [row for row in values if row and row[0] in ("계", "서울시출연금", "사업수입")]
    assert body == [
        ["계", 1_200_000, 930_000, 77.5, 270_000],
        ["서울시출연금", 1_000_000, 700_000, 70.0, 300_000],
        ["사업수입", 200_000, 230_000, 115.0, -30_000],
    ]


# -- the dashboard


def test_the_dashboard_shows_collection_and_the_cash_position(year_2023, clerk, manager_client):
    enter_two_months(year_2023, clerk)
    html = manager_client.get(f"/dashboard/?year={YEAR}&as_of={YEAR}-02").content.decode()
    assert table_rows(html, "revenue-execution")[0] == ("계", "1,200,000", "930,000", "77.5%", "270,000")
    # 천원: 1월 450,000 − 300,000; 2월 930,000 − 550,000.
    assert table_rows(html, "cash-position") == [
        ("1월", "450,000", "300,000", "150,000"),
        ("2월", "930,000", "550,000", "380,000"),
    ]
    assert 'id="chart-cash-data"' in html


def test_the_cash_position_before_the_first_receipt_is_not_known(year_2023, clerk, manager_client):
    save(year_2023, 2, clerk, city=100_000_000)
    html = manager_client.get(f"/dashboard/?year={YEAR}&as_of={YEAR}-02").content.decode()
    assert table_rows(html, "cash-position") == [
        ("1월", "-", "300,000", "-"),
        ("2월", "100,000", "550,000", "△450,000"),
    ]


def test_the_2022_dashboard_says_collection_is_not_known(report_2022, manager_client):
    html = manager_client.get("/dashboard/?year=2022&as_of=2022-09").content.decode()
    assert table_rows(html, "revenue-execution")[0] == ("계", "10,202,380", "자료 없음", "자료 없음", "자료 없음")
    cash = table_rows(html, "cash-position")
    assert cash[8] == ("9월", "-", "5,290,945", "-")
    assert 'id="chart-cash-data"' not in html  # no line of nothing


def test_a_narrowed_dashboard_keeps_the_table_and_says_why_there_is_no_cash_position(year_2023, clerk, manager_client):
    enter_two_months(year_2023, clerk)
    nature = Account.objects.get(code="personnel").pk
    html = manager_client.get(f"/dashboard/?year={YEAR}&as_of={YEAR}-02&nature={nature}").content.decode()
    assert table_rows(html, "revenue-execution")[0][2] == "930,000"
    assert 'id="cash-narrowed"' in html and 'id="cash-position"' not in html


# -- every way in: the admin shows 수납, never changes it; what a closed month reported stays


def test_the_admin_shows_receipts_and_cannot_change_them(year_2023, clerk, admin_client):
    save(year_2023, 1, clerk, city=400_000_000)
    record = RevenueRecord.objects.get()
    assert "400,000,000" in admin_client.get("/admin/budget/revenuerecord/").content.decode()
    assert admin_client.get("/admin/budget/revenuerecord/add/").status_code == 403
    page = admin_client.get(f"/admin/budget/revenuerecord/{record.pk}/change/")
    assert page.status_code == 200 and 'name="collected"' not in page.content.decode()
    response = admin_client.post(
        f"/admin/budget/revenuerecord/{record.pk}/change/",
        {"line": record.line_id, "month": 1, "collected": 1, "note": ""},
    )
    assert response.status_code == 403
    assert admin_client.post(f"/admin/budget/revenuerecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert stored() == [("city-contribution", 1, 400_000_000, "")]


def test_a_closed_months_collection_reads_the_same_after_later_months(year_2023, clerk, manager_client):
    save(year_2023, 1, clerk, city=400_000_000, business=50_000_000)
    MonthStatus.objects.filter(fiscal_year_id=YEAR, month=1).update(closed=True)
    before = manager_client.get(f"/reports/{YEAR}/?as_of={YEAR}-01").content.decode()
    save(year_2023, 2, clerk, city=(-100_000_000, "반환"), business=180_000_000)
    after = manager_client.get(f"/reports/{YEAR}/?as_of={YEAR}-01").content.decode()
    assert table_rows(after, "revenue-execution") == table_rows(before, "revenue-execution")
    assert table_rows(after, "revenue-execution")[0] == ("계", "1,200,000", "450,000", "37.5%", "750,000")


def test_the_revenue_sheet_and_table_in_english(year_2023, clerk, client, make_user):
    enter_two_months(year_2023, clerk)
    client.cookies["django_language"] = "en"
    client.force_login(clerk)
    html = client.get(f"/entry/{YEAR}/revenue/2/").content.decode()
    assert "Revenue collected, 2/2023" in html and "Collected through this month" in html
    assert "cumulative revenue collected KRW 230,000,000 exceeds the current budget KRW 200,000,000" in html
    client.force_login(make_user("manager", "관리자"))
    report = client.get(f"/reports/{YEAR}/?as_of={YEAR}-02").content.decode()
    assert table_rows(report, "revenue-execution", "thead") == [
        ("Category", "Current budget", "Collected", "Collection rate", "Not yet collected")
    ]
    assert ("Business income", "200,000", "230,000", "115.0%", "△30,000") in table_rows(report, "revenue-execution")


def test_the_sheets_queries_do_not_grow_with_the_months_entered(
    year_2023, clerk, finance, django_assert_max_num_queries
):
    save(year_2023, 1, clerk, city=1_000)
    url = f"/entry/{YEAR}/revenue/12/"
    finance.get(url)
    with CaptureQueriesContext(connection) as before:
        finance.get(url)
    for month in range(2, 13):
        save(year_2023, month, clerk, city=1_000, business=2_000)
    with django_assert_max_num_queries(len(before)):
        html = finance.get(url).content.decode()
    assert table_rows(html, "revenue-sheet")[-1][5] == "34,000"  # the 계 row: 12 × 1,000 + 11 × 2,000


def test_the_dashboards_tables_download_as_csv(year_2023, clerk, manager_client):
    enter_two_months(year_2023, clerk)
    query = f"year={YEAR}&as_of={YEAR}-02"
    html = manager_client.get(f"/dashboard/?{query}").content.decode()
    assert f'href="/dashboard/cash-position.csv?{query}"' in html.replace("&amp;", "&")
    cash = manager_client.get(f"/dashboard/cash-position.csv?{query}").content.decode("utf-8-sig").splitlines()
    assert cash[1:] == ["1월,450000000,300000000,150000000", "2월,930000000,550000000,380000000"]
    revenue = manager_client.get(f"/dashboard/revenue-execution.csv?{query}").content.decode("utf-8-sig")
    assert revenue.splitlines()[1] == "계,1200000000,930000000,77.5,270000000"
    nature = Account.objects.get(code="personnel").pk
    narrowed = manager_client.get(f"/dashboard/cash-position.csv?{query}&nature={nature}")
    assert narrowed.status_code == 404
