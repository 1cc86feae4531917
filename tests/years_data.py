"""Two small years whose comparison, curves and chains are computed by hand in tests/test_years.py.

2301 (finished): 9-1 (사업비, 100,000,000 + 추경 20,000,000 in June), 9-2 (사업비, 50,000,000, stops),
A-1 (인건비, 200,000,000, 10,000,000 paid every month), E-1 (경비, 30,000,000, continues as 자본적지출);
세입 400,000,000. 2302 as of February: 9-1 continues (150,000,000), 9-3 is new (40,000,000), A-1
continues (210,000,000), C-1 continues E-1 (36,000,000); 세입 436,000,000.
"""

from __future__ import annotations

import datetime

from budget.core.models import Account, BudgetAmount, BudgetLine, ExecutionRecord, FiscalYear, MonthStatus
from foundation.models import OrgUnit
from programs.models import PolicyArea, Program

ACCOUNTS = [
    ("city-contribution", "revenue", "서울시출연금", 1),
    ("personnel", "expenditure", "인건비", 1),
    ("expense", "expenditure", "경비", 2),
    ("program", "expenditure", "사업비", 3),
    ("reserve", "expenditure", "예비비", 4),
    ("capital", "expenditure", "자본적지출", 5),
]


def amount(line, day, won, kind="original"):
    BudgetAmount.objects.create(line=line, kind=kind, effective_date=day, amount=won)


def record(line, month, commitment, expenditure, cumulative=False):
    ExecutionRecord.objects.create(
        line=line, month=month, commitment=commitment, expenditure=expenditure, cumulative=cumulative
    )


def build_two_years() -> dict[str, BudgetLine]:
    accounts = {}
    for code, side, name, order in ACCOUNTS:
        accounts[code], _ = Account.objects.get_or_create(
            code=code, defaults={"side": side, "name": name, "order": order}
        )
    root = OrgUnit.objects.filter(parent__isnull=True).first() or OrgUnit.objects.create(
        name="연도 비교 재단", kind=OrgUnit.Kind.FOUNDATION
    )
    team = OrgUnit.objects.create(name="연도비교팀", kind=OrgUnit.Kind.TEAM, parent=root)
    area = PolicyArea.objects.create(code="9", name="연도 비교 정책분야")
    programs = {
        code: Program.objects.create(code=code, area=area, name=name, owner_team=team, purpose="연도 비교")
        for code, name in (("9-1", "계속 사업"), ("9-2", "끝난 사업"), ("9-3", "새 사업"))
    }
    FiscalYear.objects.create(year=2301, finished=True)
    MonthStatus.objects.bulk_create([MonthStatus(fiscal_year_id=2301, month=m, closed=True) for m in range(1, 13)])
    FiscalYear.objects.create(year=2302)
    jan1, jan2 = datetime.date(2301, 1, 1), datetime.date(2302, 1, 1)

    def line(year, code, name, account, program=None, previous=None, order=0):
        return BudgetLine.objects.create(
            fiscal_year_id=year,
            code=code,
            name=name,
            account=accounts[account],
            program=programs.get(program) if program else None,
            previous=previous,
            order=order,
        )

    lines = {
        "p1": line(2301, "9-1", "계속 사업", "program", "9-1", order=1),
        "p2": line(2301, "9-2", "끝난 사업", "program", "9-2", order=2),
        "a1": line(2301, "A-1", "인력운영비", "personnel", order=10),
        "e1": line(2301, "E-1", "전산장비", "expense", order=11),
        "rev": line(2301, "REV", "서울시출연금", "city-contribution"),
    }
    amount(lines["p1"], jan1, 100_000_000)
    amount(lines["p1"], datetime.date(2301, 6, 1), 20_000_000, "supplementary")
    amount(lines["p2"], jan1, 50_000_000)
    amount(lines["a1"], jan1, 200_000_000)
    amount(lines["e1"], jan1, 30_000_000)
    amount(lines["rev"], jan1, 400_000_000)
    record(lines["p1"], 3, 40_000_000, 30_000_000)
    record(lines["p1"], 9, 60_000_000, 60_000_000)
    for month in range(1, 13):
        record(lines["a1"], month, 10_000_000, 10_000_000)

    lines |= {
        "p1n": line(2302, "9-1", "계속 사업", "program", "9-1", previous=lines["p1"], order=1),
        "p3": line(2302, "9-3", "새 사업", "program", "9-3", order=3),
        "a1n": line(2302, "A-1", "인력운영비", "personnel", previous=lines["a1"], order=10),
        "c1": line(2302, "C-1", "전산장비 구축", "capital", previous=lines["e1"], order=12),
        "revn": line(2302, "REV", "서울시출연금", "city-contribution", previous=lines["rev"]),
    }
    amount(lines["p1n"], jan2, 150_000_000)
    amount(lines["p3"], jan2, 40_000_000)
    amount(lines["a1n"], jan2, 210_000_000)
    amount(lines["c1"], jan2, 36_000_000)
    amount(lines["revn"], jan2, 436_000_000)
    record(lines["p1n"], 2, 45_000_000, 15_000_000)
    record(lines["a1n"], 1, 17_500_000, 17_500_000)
    record(lines["a1n"], 2, 17_500_000, 17_500_000)
    return lines


def link_synthetic_years(first: int, count: int):
    """Link each synthetic year's lines to the year before's of the same code (the generator writes the
    same codes every year): what opening a year from the one before records in `previous`."""
    for year in range(first + 1, first + count):
        before = dict(BudgetLine.objects.filter(fiscal_year_id=year - 1).values_list("code", "pk"))
        lines = list(BudgetLine.objects.filter(fiscal_year_id=year))
        for each in lines:
            each.previous_id = before.get(each.code)
        BudgetLine.objects.bulk_update(lines, ["previous"], batch_size=1000)


def continue_2022_into_2023() -> dict[str, int]:
    """2023 opened from the report's 2022: every line continues (`previous`), each budgeted on 2 January at
    its 2022 예산현액, and every line that spends (not 예비비) pays 5% of it in each of January–March.
    Returns the 2023 line ids by code."""
    from django.db.models import Sum

    FiscalYear.objects.create(year=2023)
    ids = {}
    for before in BudgetLine.objects.filter(fiscal_year_id=2022).select_related("account"):
        line = BudgetLine.objects.create(
            fiscal_year_id=2023,
            code=before.code,
            name=before.name,
            account=before.account,
            program=before.program,
            order=before.order,
            previous=before,
        )
        ids[line.code] = line.pk
        won = before.amounts.aggregate(total=Sum("amount"))["total"] or 0
        amount(line, datetime.date(2023, 1, 2), won)
        if before.account.side == "expenditure" and before.account.code != "reserve":
            for month in (1, 2, 3):
                record(line, month, won // 20, won // 20)
    return ids
