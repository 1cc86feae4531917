"""One pass per table gives the same figures as summing every grouping in the database.

The ledger reads a year's amounts and records by line (and by program and month) once, and adds lines up
into natures, 구분, teams, programs and the total in Python. Here each of those figures is summed again
by the database, grouping by each key as the pages did before (one GROUP BY per grouping, through the
line), on a synthetic history of three years, for several months; they must be equal to the won. The
pages draw these figures: the dashboard's tables, the report's totals and the program pages are checked
against the database's sums too.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from budget.core import display
from budget.core.figures import Execution
from budget.core.ledger import GROUP_KEYS, Ledger
from budget.core.models import Account, BudgetAmount, ExecutionRecord, MonthlyPlan, month_end
from budget.core.sections import section_expression
from programs.models import Program
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

YEAR = 2103
# The path from an amount or a record to each grouping's key, as the pages grouped before.
PATHS = {
    "line": F("line_id"),
    "account": F("line__account_id"),
    "section": section_expression("line__"),
    "team": F("line__program__owner_team_id"),
    "program": F("line__program_id"),
}


@pytest.fixture
def history(db):
    call_command("generate_synthetic_history", years=3, lines=150, programs=12, teams=3, verbosity=0)


def summed_by_database(group: str, year: int, month: int) -> dict:
    """Each key's 예산현액 and execution as of the month, by one GROUP BY per table on that key."""
    expenditure = Q(line__account__side=Account.Side.EXPENDITURE)
    budget = dict(
        BudgetAmount.objects.filter(expenditure, line__fiscal_year_id=year, effective_date__lte=month_end(year, month))
        .annotate(key=PATHS[group])
        .values_list("key")
        .annotate(total=Sum("amount"))
        .values_list("key", "total")
    )
    executed = {
        key: (commitment, expenditure)
        for key, commitment, expenditure in ExecutionRecord.objects.filter(line__fiscal_year_id=year, month__lte=month)
        .annotate(key=PATHS[group])
        .values_list("key")
        .annotate(c=Sum("commitment"), e=Sum("expenditure"))
        .values_list("key", "c", "e")
    }
    return {key: Execution(budget.get(key, 0), *executed.get(key, (0, 0))) for key in set(budget) | set(executed)}


@pytest.mark.parametrize("month", [2, 6, 9, 12])
def test_every_grouping_is_the_databases_sum(history, month):
    ledger = Ledger(YEAR, month, checkpoint=6)
    for group in GROUP_KEYS:
        expected = summed_by_database(group, YEAR, month)
        assert expected, group
        assert {key: ledger.by(group, key) for key in expected} == expected, group
    total = summed_by_database("line", YEAR, month).values()
    assert ledger.total == Execution.sum(total)
    # The first half (신속집행) read in the same pass is the database's sum through June.
    if month > 6:
        early = ledger.earlier(6)
        for group in ("account", "line"):
            expected = summed_by_database(group, YEAR, 6)
            assert {key: early.by(group, key) for key in expected} == expected, group


@pytest.mark.parametrize("month", [3, 9])
def test_month_by_month_and_plans_are_the_databases_sums(history, month):
    ledger = Ledger(YEAR, month)
    rows = (
        ExecutionRecord.objects.filter(line__fiscal_year_id=YEAR, month__lte=month)
        .values_list("line__program_id", "month")
        .annotate(c=Sum("commitment"), e=Sum("expenditure"), n=Count("pk", filter=Q(cumulative=True)))
    )
    by_program = ledger.monthly("program")
    whole = ledger.monthly()[None].months
    for program, each, commitment, expenditure, _cumulative in rows:
        if program is not None:
            assert tuple(by_program[program].months[each]) == (commitment, expenditure)
    for each in range(1, month + 1):
        records = ExecutionRecord.objects.filter(line__fiscal_year_id=YEAR, month=each)
        sums = records.aggregate(c=Sum("commitment"), e=Sum("expenditure"))
        assert tuple(whole[each]) == (sums["c"], sums["e"])
    plans = ledger.plan_by_line()
    assert plans
    for line_id, totals in plans.items():
        mine = MonthlyPlan.objects.filter(line_id=line_id)
        assert totals.year.expenditure == mine.aggregate(s=Sum("expenditure"))["s"]
        assert totals.through.expenditure == (mine.filter(month__lte=month).aggregate(s=Sum("expenditure"))["s"] or 0)
    plan_months = ledger.plan_monthly()[None]
    for each in range(1, 13):
        planned = MonthlyPlan.objects.filter(line__fiscal_year_id=YEAR, month=each).aggregate(s=Sum("expenditure"))
        assert plan_months.get(each, (0, 0))[1] == (planned["s"] or 0)


def test_last_year_and_the_two_year_summary_are_the_databases_sums(history):
    ledger = Ledger(YEAR, 9)
    last = datetime.date(YEAR - 1, 12, 31)
    expected = dict(
        BudgetAmount.objects.filter(
            line__fiscal_year_id=YEAR - 1, line__account__side=Account.Side.EXPENDITURE, effective_date__lte=last
        )
        .values_list("line__code")
        .annotate(total=Sum("amount"))
    )
    assert ledger.previous_final_by_code() == expected
    for account in Account.objects.all():
        now = BudgetAmount.objects.filter(
            line__fiscal_year_id=YEAR, line__account=account, effective_date__lte=month_end(YEAR, 9)
        ).aggregate(s=Sum("amount"))["s"]
        before = BudgetAmount.objects.filter(
            line__fiscal_year_id=YEAR - 1, line__account=account, effective_date__lte=last
        ).aggregate(s=Sum("amount"))["s"]
        assert ledger.accounts_two_years.get(account.pk, (0, 0)) == (now or 0, before or 0), account


def test_the_pages_draw_the_databases_sums(history, manager_client):
    month = 9
    by_section = summed_by_database("section", YEAR, month)
    by_team = summed_by_database("team", YEAR, month)
    total = Execution.sum(by_section.values())
    page = manager_client.get(f"/dashboard/?year={YEAR}&as_of={YEAR}-{month:02d}").content.decode()
    assert f'data-kpi="current">{display.money(total.current)}<' in page
    assert f'data-kpi="expenditure">{display.money(total.expenditure)}<' in page
    # Each 구분's subtotal row on the dashboard: 예산현액, 원인행위액, 지출액 in 천원.
    subtotals = {row[1:4] for row in table_rows(page, "areas")}
    for figures in by_section.values():
        if figures.current:
            cells = tuple(display.money(v) for v in (figures.current, figures.commitment, figures.expenditure))
            if cells in subtotals:
                continue
            # 예비비 is drawn apart, in its own table.
            assert cells in {row[1:4] for row in table_rows(page, "reserve")}
    teams = {row[1:4] for row in table_rows(page, "teams")}
    for team, figures in by_team.items():
        if team is not None:  # lines of no program belong to no team
            assert tuple(display.money(v) for v in (figures.current, figures.commitment, figures.expenditure)) in teams
    # A program's page: its figures alone.
    program = Program.objects.filter(budget_lines__fiscal_year_id=YEAR).first()
    figures = summed_by_database("program", YEAR, month)[program.pk]
    detail = manager_client.get(f"/programs/{program.code}/?year={YEAR}&as_of={YEAR}-{month:02d}").content.decode()
    assert display.money(figures.current) in detail
    assert display.money(figures.expenditure) in detail
