"""2023 built by hand for the revenue sheet's tests (tests/test_receipts.py, tests/browser/test_revenue_sheet.py):
서울시출연금 1,000,000,000원 and 사업수입 200,000,000원 budgeted from 1 January, and 인력운영비
1,200,000,000원 with what each test has paid by month."""

import datetime

from budget.core.models import Account, BudgetAmount, BudgetLine, ExecutionRecord, FiscalYear

YEAR = 2023


def revenue_year(paid: dict[int, int]) -> dict[str, BudgetLine]:
    """The year, its three lines by code, and 인력운영비's `paid` (committed and paid alike) by month."""
    FiscalYear.objects.create(year=YEAR)
    day = datetime.date(YEAR, 1, 1)
    lines = {}
    for code, name, amount in (
        ("city-contribution", "서울시출연금", 1_000_000_000),
        ("business-income", "사업수입", 200_000_000),
        ("personnel", "인력운영비", 1_200_000_000),
    ):
        line = BudgetLine.objects.create(
            fiscal_year_id=YEAR, code=code, name=name, account=Account.objects.get(code=code)
        )
        BudgetAmount.objects.create(line=line, kind="original", effective_date=day, amount=amount)
        lines[code] = line
    for month, amount in paid.items():
        ExecutionRecord.objects.create(line=lines["personnel"], month=month, commitment=amount, expenditure=amount)
    return lines
