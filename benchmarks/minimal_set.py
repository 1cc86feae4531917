"""The dashboard's figures from the fewest queries a hand-written page would run, written apart from the
app's code (raw SQL on the tables, its own roll-ups): the yardstick benchmarks/dashboard.py holds the
page against.

Thirteen queries, each table read once for the year at the finest grouping the page shows: the lines (both
sides); 예산현액 by line (and as of June, for 신속집행); execution by line (and through June); execution by
program and month; plans by line; plans by program and month; last year's finals by line code; the newest
사유 by line; both years' budgets by account (세입·세출 총괄); 수납 by line and month (세입 집행현황 and the
cash position); for the curve of years, the five years before by year and month (execution, and 예산현액
of every year shown); the closed months of those years. Everything else (natures, 구분, teams, the total,
the month curves, revenue by source) is added up here from those exact integers.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from django.db import connection

EARLY = 6  # 신속집행 is counted over the first half


def _day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


YEARS_BEFORE = 5  # the dashboard's curve of years draws this year against up to five before it


def queries(year: int, month: int) -> list[tuple[str, str, list]]:
    """(name, SQL, params) of the thirteen queries."""
    day, june, last = _day(year, month), _day(year, EARLY), datetime.date(year - 1, 12, 31)
    before = list(range(year - YEARS_BEFORE, year))
    return [
        (
            "lines",
            """SELECT l.id, l.code, l.account_id, ac.code, l.program_id, p.owner_team_id,
                CASE WHEN l.program_id IS NOT NULL THEN pa.code
                     WHEN ac.code IN ('personnel', 'expense') THEN 'admin' ELSE ac.code END,
                l.name, ac.name, p.name, pa.name, t.name, ac.side
            FROM budget_budgetline l JOIN budget_account ac ON ac.id = l.account_id
            LEFT JOIN programs_program p ON p.id = l.program_id
            LEFT JOIN programs_policyarea pa ON pa.id = p.area_id
            LEFT JOIN foundation_orgunit t ON t.id = p.owner_team_id
            WHERE l.fiscal_year_id = %s ORDER BY l."order", l.code""",
            [year],
        ),
        (
            "budget by line",
            """SELECT line_id, SUM(amount), SUM(amount) FILTER (WHERE effective_date <= %s)
            FROM budget_budgetamount WHERE fiscal_year_id = %s AND effective_date <= %s GROUP BY line_id""",
            [june, year, day],
        ),
        (
            "execution by line",
            """SELECT line_id, SUM(commitment), SUM(expenditure),
                SUM(commitment) FILTER (WHERE month <= %s), SUM(expenditure) FILTER (WHERE month <= %s)
            FROM budget_executionrecord WHERE fiscal_year_id = %s AND month <= %s GROUP BY line_id""",
            [EARLY, EARLY, year, month],
        ),
        (
            "execution by program and month",
            """SELECT l.program_id, x.month, SUM(x.commitment), SUM(x.expenditure), BOOL_OR(x.cumulative)
            FROM budget_executionrecord x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE x.fiscal_year_id = %s AND x.month <= %s GROUP BY l.program_id, x.month""",
            [year, month],
        ),
        (
            "plans by line",
            """SELECT line_id, SUM(commitment) FILTER (WHERE month <= %s), SUM(expenditure) FILTER (WHERE month <= %s),
                SUM(commitment), SUM(expenditure)
            FROM budget_monthlyplan WHERE fiscal_year_id = %s GROUP BY line_id""",
            [month, month, year],
        ),
        (
            "plans by program and month",
            """SELECT l.program_id, x.month, SUM(x.commitment), SUM(x.expenditure)
            FROM budget_monthlyplan x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE x.fiscal_year_id = %s GROUP BY l.program_id, x.month""",
            [year],
        ),
        (
            "last year's finals by code",
            """SELECT l.code, SUM(x.amount) FROM budget_budgetamount x
            JOIN budget_budgetline l ON l.id = x.line_id JOIN budget_account ac ON ac.id = l.account_id
            WHERE x.fiscal_year_id = %s AND l.fiscal_year_id = %s AND ac.side = 'expenditure' AND x.effective_date <= %s
            GROUP BY l.code""",
            [year - 1, year - 1, last],
        ),
        (
            "newest explanations",
            """SELECT DISTINCT ON (e.line_id) e.line_id, e.month, e.text, u.username
            FROM budget_explanation e JOIN budget_budgetline l ON l.id = e.line_id
            LEFT JOIN auth_user u ON u.id = e.written_by_id
            WHERE l.fiscal_year_id = %s AND e.month <= %s ORDER BY e.line_id, e.month DESC""",
            [year, month],
        ),
        (
            "both years by account",
            """SELECT l.account_id, SUM(x.amount) FILTER (WHERE x.fiscal_year_id = %s AND x.effective_date <= %s),
                SUM(x.amount) FILTER (WHERE x.fiscal_year_id = %s AND x.effective_date <= %s)
            FROM budget_budgetamount x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE x.fiscal_year_id IN (%s, %s) AND l.fiscal_year_id IN (%s, %s) GROUP BY l.account_id""",
            [year, day, year - 1, last, year, year - 1, year, year - 1],
        ),
        (
            "receipts by line and month",
            """SELECT line_id, month, SUM(collected) FROM budget_revenuerecord
            WHERE fiscal_year_id = %s AND month <= %s GROUP BY line_id, month""",
            [year, month],
        ),
        (
            "years before: execution by year and month",
            """SELECT fiscal_year_id, month, SUM(expenditure) FROM budget_executionrecord
            WHERE fiscal_year_id = ANY(%s) GROUP BY fiscal_year_id, month""",
            [before],
        ),
        (
            "years: budget by year and month",
            # Revenue's few lines left out by id: no join of every amount to its line and account.
            """SELECT x.fiscal_year_id, EXTRACT(MONTH FROM x.effective_date)::int, SUM(x.amount)
            FROM budget_budgetamount x
            WHERE x.fiscal_year_id = ANY(%s) AND (x.fiscal_year_id < %s OR x.effective_date <= %s)
                AND x.line_id NOT IN (SELECT l.id FROM budget_budgetline l
                    JOIN budget_account ac ON ac.id = l.account_id
                    WHERE l.fiscal_year_id = ANY(%s) AND ac.side = 'revenue')
            GROUP BY x.fiscal_year_id, 2""",
            [[*before, year], year, day, [*before, year]],
        ),
        (
            "closed months",
            "SELECT fiscal_year_id, month FROM budget_monthstatus WHERE fiscal_year_id = ANY(%s) AND closed",
            [[*before, year]],
        ),
    ]


def _add(into: list[int], values) -> None:
    for i, value in enumerate(values):
        into[i] += int(value or 0)  # SUM(bigint) comes back as numeric (Decimal)


def figures(year: int, month: int) -> dict:
    """Run the ten queries and roll them up: the totals the page shows, in won."""
    results = {}
    with connection.cursor() as cursor:
        for name, sql, params in queries(year, month):
            cursor.execute(sql, params)
            results[name] = cursor.fetchall()
    budget = {row[0]: row[1:] for row in results["budget by line"]}
    executed = {row[0]: row[1:] for row in results["execution by line"]}
    groups = {key: defaultdict(lambda: [0, 0, 0]) for key in ("account", "section", "team")}
    early = defaultdict(lambda: [0, 0, 0])
    total = [0, 0, 0]
    revenue_lines = {}
    for line_id, _code, account, account_code, _program, team, section, *_names, side in results["lines"]:
        if side != "expenditure":
            revenue_lines[line_id] = account
            continue
        amounts, flows = budget.get(line_id, (0, 0)), executed.get(line_id, (0, 0, 0, 0))
        now = (amounts[0], flows[0], flows[1])
        _add(total, now)
        _add(groups["account"][account], now)
        _add(groups["section"][section], now)
        if team is not None:
            _add(groups["team"][team], now)
        if account_code not in ("personnel", "reserve"):
            _add(early[account], (amounts[1], flows[2], flows[3]))
    by_month = defaultdict(lambda: [0, 0])
    for _program, each, commitment, expenditure, _cumulative in results["execution by program and month"]:
        _add(by_month[each], (commitment, expenditure))
    plan_by_month = defaultdict(lambda: [0, 0])
    for _program, each, commitment, expenditure in results["plans by program and month"]:
        _add(plan_by_month[each], (commitment, expenditure))
    # 세입 집행현황 by source, and the cash position by month (수납 누계 − 지출 누계).
    revenue = defaultdict(lambda: [0, 0])
    for line_id, account in revenue_lines.items():
        _add(revenue[account], (budget.get(line_id, (0,))[0], 0))
    collected_by_month = defaultdict(int)
    for line_id, each, collected in results["receipts by line and month"]:
        revenue[revenue_lines.get(line_id)][1] += int(collected or 0)
        collected_by_month[each] += int(collected or 0)
    cash, collected_to_date, spent_to_date = {}, 0, 0
    for each in range(1, month + 1):
        collected_to_date += collected_by_month[each]
        spent_to_date += by_month[each][1]
        cash[each] = collected_to_date - spent_to_date
    # The curve of years: each year's 지출 누계 over its 예산현액 at each month's end.
    spent, budgeted = defaultdict(dict), defaultdict(lambda: [0] * 13)
    for each_year, each, expenditure in results["years before: execution by year and month"]:
        spent[each_year][each] = int(expenditure or 0)
    for each in range(1, month + 1):
        spent[year][each] = by_month[each][1]
    for each_year, each, amount in results["years: budget by year and month"]:
        budgeted[each_year][each] += int(amount or 0)
    curves = {}
    for each_year, months in spent.items():
        current, to_date, curve = 0, 0, {}
        for each in range(1, 13):
            current += budgeted[each_year][each]
            to_date += months.get(each, 0)
            if each in months and current:
                curve[each] = (to_date, current)
        curves[each_year] = curve
    return {
        "revenue": dict(revenue),
        "cash": cash,
        "curves": curves,
        "total": tuple(total),
        "by": {key: dict(values) for key, values in groups.items()},
        "early": tuple(map(sum, zip(*early.values(), strict=False))) if early else (0, 0, 0),
        "by_month": dict(by_month),
        "plan_by_month": dict(plan_by_month),
        "rows": sum(len(rows) for rows in results.values()),
    }
