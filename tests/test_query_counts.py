"""Each page runs the same number of queries whatever the number of lines and records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.models import BudgetAmount, BudgetLine, ExecutionRecord

pytestmark = pytest.mark.django_db

PAGES = ["/reports/2022/?as_of=2022-09", "/programs/", "/programs/4-1/", "/org/"]


def multiply_data(factor: int):
    """Add (factor − 1) copies of every 2022 expenditure line, each with an amount and twelve months."""
    originals = list(BudgetLine.objects.for_year(2022).expenditure())
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            fiscal_year_id=2022,
            code=f"{line.code}-x{copy}",
            name=f"{line.name} {copy}",
            account_id=line.account_id,
            order=line.order,
        )
        for line in originals
        for copy in range(1, factor)
    )
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=1_000_000)
        for line in lines
    )
    ExecutionRecord.objects.bulk_create(
        ExecutionRecord(line=line, month=month, commitment=10_000, expenditure=5_000)
        for line in lines
        for month in range(1, 13)
    )
    return len(lines)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_data(report_2022, manager_client, url, django_assert_max_num_queries):
    before = count_queries(manager_client, url)
    added = multiply_data(10)
    assert added == 14 * 9  # 14 expenditure lines in 2022, nine copies each
    assert ExecutionRecord.objects.count() == 11 + added * 12
    with django_assert_max_num_queries(before):
        manager_client.get(url)


def test_report_page_query_budget(report_2022, manager_client, django_assert_num_queries):
    # session, user, permissions (2: user's, group's), fiscal year,
    # revenue: accounts with both years, totals; expenditure: the same (4);
    # ledger: lines, totals (2: amounts, records), by section (2), by line (2), by account (2);
    # staffing: latest date, counts, totals, outside staff, outside total (5);
    # closed through: the cumulative cover, the closed months (2)
    with django_assert_num_queries(25):
        manager_client.get("/reports/2022/?as_of=2022-09")
