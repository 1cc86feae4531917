"""Years side by side: a year against the year before line by line, the execution curve of several years
month by month, and a program's or a line's figures over the years it ran.

Each shape is one query whatever the number of years held (grouped by year, and by month or line); the
rest is Python on those exact integers. A line's identity across years is `BudgetLine.previous` (a
program's too: one line per program and year).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import ExtractMonth

from .figures import Execution, percent
from .models import Account, BudgetAmount, BudgetLine, ExecutionRecord, FiscalYear, MonthStatus, month_end
from .sections import section_expression
from .settled import keep, kept, settled_key
from .sums import fetch, won_sum

# How many years before the one viewed its execution curve is drawn against: five years show a habit (a
# program that always pays in December) without a chart of lines nobody can tell apart.
PREVIOUS_YEARS = 5
# How far a line's chain through `previous` is walked each way: more years than the app will hold, and a
# bound should the links ever loop.
CHAIN_YEARS = 50


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


# -- a year against the year before, line by line -------------------------------------------------------


@dataclass(frozen=True)
class RetiredLine:
    """A line of the year before that no line of this year continues: this year it has 0."""

    id: int
    year: int
    code: str
    name: str
    account_id: int
    side: str
    section: str
    area_name: str | None
    final: int


@dataclass(frozen=True)
class PreviousYear:
    """The year before as this year's lines see it (won): each continuing line's final budget under this
    year's line, and the lines that do not continue apart."""

    year: int
    by_line: dict[int, int]  # this year's line id → the final budget of the line it continues
    by_account: dict[int, int]  # the year's finals added up into this year's accounts; a retired line's into its own
    retired: list[RetiredLine]

    def of_line(self, line_id: int) -> int:
        """The final budget a line of this year continues (0 for a new line: `순증`)."""
        return self.by_line.get(line_id, 0)


def previous_year(year: int) -> PreviousYear:
    """Year − 1's final budget (Σ amounts dated up to its 31 December) by line, placed where each line went:
    one query over that year's amounts, by line, with the line that continues it.

    A line that continued into another nature counts under its new nature, as the comparison is of the
    same money; a line that stopped counts under its own, against 0 this year.
    """
    previous = year - 1
    rows = fetch(
        BudgetAmount.objects.filter(
            fiscal_year_id=previous, line__fiscal_year_id=previous, effective_date__lte=year_end(previous)
        )
        .annotate(section=section_expression("line__"))
        .values_list(
            "line_id",
            "line__next__id",
            "line__next__account_id",
            "line__account_id",
            "line__account__side",
            "line__code",
            "line__name",
            "section",
            "line__program__area__name",
        )
        .annotate(final=won_sum("amount"))
        .order_by()
    )
    by_line: dict[int, int] = {}
    by_account: dict[int, int] = {}
    retired = []
    for line_id, next_id, next_account, account, side, code, name, section, area, final in rows:
        final = final or 0
        if next_id is not None:
            by_line[next_id] = final
            by_account[next_account] = by_account.get(next_account, 0) + final
        else:
            by_account[account] = by_account.get(account, 0) + final
            retired.append(RetiredLine(line_id, previous, code, name, account, side, section, area, final))
    retired.sort(key=lambda r: r.code)
    return PreviousYear(previous, by_line, by_account, retired)


# -- the execution curve of several years -------------------------------------------------------------


@dataclass(frozen=True)
class YearCurve:
    """One year's cumulative 집행률 (지출액 누계 ÷ 예산현액 at the month's end, exact %) by month.

    A month is None where it is not known: past the month viewed, inside a cumulative record's months,
    or without a budget. `held` is False for a year the app holds without execution (2021).
    """

    year: int
    rates: dict[int, Fraction | None]
    spent: dict[int, int | None]
    budget: dict[int, int]
    held: bool

    def at(self, month: int) -> Fraction | None:
        return self.rates.get(month)


def year_curves(
    year: int, month: int, *, team: int | None = None, nature: int | None = None, before: int = PREVIOUS_YEARS
) -> list[YearCurve]:
    """This year's curve through `month` and the whole curve of each of the `before` years before it that
    the app holds, oldest first; expenditure lines only, narrowed to a team's programs or a nature as the
    dashboard is. A year before is known through its last closed month (or the month its cumulative
    record stands for). Four queries whatever the number of years: 예산현액 by year and month of its date,
    execution by year and month, how far each year's cumulative records reach, the closed months.
    """
    first = year - before
    lines = Q()
    if team is not None:
        lines &= Q(line__program__owner_team_id=team)
    if nature is not None:
        lines &= Q(line__account_id=nature)
    # How far a cumulative record reaches in each year: a look at the few entries of its partial index.
    covered = dict(
        fetch(
            ExecutionRecord.objects.filter(cumulative=True, fiscal_year_id__gte=first, fiscal_year_id__lte=year)
            .values_list("fiscal_year_id")
            .annotate(last=Max("month"))
            .order_by()
        )
    )
    # How far each year before is closed: its months after are still being entered, and are not known (a
    # finished year has all twelve closed). With each month's row, version and close time: a year
    # closed throughout is read once (budget.core.settled).
    closed: dict[int, dict[int, tuple]] = {}
    for y, m, *state in fetch(
        MonthStatus.objects.filter(fiscal_year_id__gte=first, fiscal_year_id__lt=year, closed=True)
        .values_list("fiscal_year_id", "month", "id", "version", "closed_at")
        .order_by()
    ):
        closed.setdefault(y, {})[m] = tuple(state)
    budget: dict[int, dict[int, int]] = {}
    spent: dict[int, dict[int, int]] = {}
    # A narrowed curve is read each time: a program may move to another team, which no month's version records.
    keys = {}
    if not lines:
        keys = {y: settled_key("year-curve", y, covered.get(y, 0), closed.get(y, {})) for y in range(first, year)}
    settled = {}
    for y, key in keys.items():
        if (found := kept(key)) is not None:
            settled[y] = found
            budget_of, spent_of = found
            if budget_of is not None:
                budget[y] = budget_of
            if spent_of is not None:
                spent[y] = spent_of
    read = [y for y in range(first, year + 1) if y not in settled]
    amounts = BudgetAmount.objects.filter(lines, fiscal_year_id__in=read)
    if not lines:
        # Revenue's few lines left out by id: cheaper than joining every amount to its line and account (a
        # team's programs and an expenditure nature are expenditure already).
        revenue = BudgetLine.objects.filter(fiscal_year_id__in=read, account__side=Account.Side.REVENUE)
        amounts = amounts.exclude(line_id__in=revenue.values("pk"))
    amounts = fetch(
        amounts.filter(Q(fiscal_year_id__lt=year) | Q(effective_date__lte=month_end(year, month)))
        .annotate(effective_month=ExtractMonth("effective_date"))
        .values_list("fiscal_year_id", "effective_month")
        .annotate(total=won_sum("amount"))
        .order_by()
    )
    # One branch a year, united into one statement: each reads its year from the (year, month) index, where
    # one range over six years of ten would read the table whole. Execution records are the expenditure
    # lines' only, so no join is needed to leave revenue out.
    branches = [
        ExecutionRecord.objects.filter(lines, fiscal_year_id=y, month__lte=month if y == year else 12)
        .values_list("fiscal_year_id", "month")
        .annotate(spent=won_sum("expenditure"))
        .order_by()
        for y in read
    ]
    records = fetch(branches[0].union(*branches[1:], all=True))
    for y, m, total in amounts:
        budget.setdefault(y, {})[m] = total or 0
    for y, m, amount in records:
        spent.setdefault(y, {})[m] = amount or 0
    for y in read:
        keep(keys.get(y), (budget.get(y), spent.get(y)))
    curves = []
    for y in sorted(set(budget) | set(spent)):
        last = month if y == year else covered.get(y, 0)
        while y != year and last + 1 in closed.get(y, ()):
            last += 1
        running_budget = running_spent = 0
        rates: dict[int, Fraction | None] = {}
        spent_to: dict[int, int | None] = {}
        budget_to: dict[int, int] = {}
        for m in range(1, 13):
            running_budget += budget.get(y, {}).get(m, 0)
            running_spent += spent.get(y, {}).get(m, 0)
            budget_to[m] = running_budget
            known = y in spent and covered.get(y, 0) <= m <= last
            spent_to[m] = running_spent if known else None
            rates[m] = percent(running_spent, running_budget) if known else None
        curves.append(YearCurve(y, rates, spent_to, budget_to, y in spent))
    return curves


# -- a program's or a line's years ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineYear:
    """One year of a line: its 예산현액 and execution as of `month` of that year (12 for a year before the
    one viewed, its final budget), in won. `held` is False where the app holds no execution that year."""

    line_id: int
    year: int
    code: str
    name: str
    previous_id: int | None
    month: int
    figures: Execution
    held: bool
    finished: bool

    @property
    def final(self) -> bool:
        return self.month == 12


def line_years(lines, *, year: int | None = None, month: int = 12) -> list[LineYear]:
    """Each line of `lines` (a BudgetLine queryset, one line a year: a program's, or a chain's) with its
    year's figures, oldest year first: years after `year` are left out, `year` is as of `month`'s end and
    every earlier year at its end. Four queries whatever the number of years: the lines, 예산현액 by line,
    execution by line, and each year's finish and whether it holds execution.
    """
    if year is not None:
        lines = lines.filter(fiscal_year_id__lte=year)
    rows = list(lines.order_by("fiscal_year_id").values_list("id", "fiscal_year_id", "code", "name", "previous_id"))
    if not rows:
        return []
    ids = [row[0] for row in rows]
    viewed = year if year is not None else max(row[1] for row in rows)
    amounts = dict(
        fetch(
            BudgetAmount.objects.filter(line_id__in=ids)
            .filter(Q(fiscal_year_id__lt=viewed) | Q(effective_date__lte=month_end(viewed, month)))
            .values_list("line_id")
            .annotate(total=won_sum("amount"))
            .order_by()
        )
    )
    executed = {
        line_id: (commitment or 0, expenditure or 0)
        for line_id, commitment, expenditure in fetch(
            ExecutionRecord.objects.filter(line_id__in=ids)
            .filter(Q(fiscal_year_id__lt=viewed) | Q(month__lte=month))
            .values_list("line_id")
            .annotate(commitment=won_sum("commitment"), expenditure=won_sum("expenditure"))
            .order_by()
        )
    }
    years = {
        y: (finished, has_records)
        for y, finished, has_records in FiscalYear.objects.filter(year__in={row[1] for row in rows})
        # A record's month, not EXISTS: a limited subquery is asked year by year on the (year, month) index,
        # where EXISTS would let the planner hash every year's records.
        .annotate(
            some_month=Subquery(
                ExecutionRecord.objects.filter(fiscal_year_id=OuterRef("year")).order_by("month").values("month")[:1]
            )
        )
        .values_list("year", "finished", "some_month")
    }
    result = []
    for line_id, y, code, name, previous_id in rows:
        finished, some_month = years.get(y, (False, None))
        has_records = some_month is not None
        commitment, expenditure = executed.get(line_id, (0, 0))
        result.append(
            LineYear(
                line_id=line_id,
                year=y,
                code=code,
                name=name,
                previous_id=previous_id,
                month=month if y == viewed else 12,
                figures=Execution(amounts.get(line_id) or 0, commitment, expenditure),
                held=has_records or not finished,
                finished=finished,
            )
        )
    return result


CHAIN_SQL = """
WITH RECURSIVE back(id, previous_id, depth) AS (
    SELECT id, previous_id, 0 FROM {table} WHERE id = %s
    UNION ALL
    SELECT l.id, l.previous_id, b.depth + 1 FROM {table} l JOIN back b ON l.id = b.previous_id WHERE b.depth < %s
), ahead(id, depth) AS (
    SELECT id, 0 FROM {table} WHERE id = %s
    UNION ALL
    SELECT l.id, a.depth + 1 FROM {table} l JOIN ahead a ON l.previous_id = a.id WHERE a.depth < %s
)
SELECT id FROM back UNION SELECT id FROM ahead
"""


def chain_ids(line_id: int, limit: int = CHAIN_YEARS) -> list[int]:
    """The ids of a line and of every line it continues or is continued by, through `previous` and its
    reverse `next`: one recursive query, walking each way at most `limit` years (the links' index both
    ways: the primary key back, the one-to-one's unique index ahead)."""
    sql = CHAIN_SQL.format(table=connection.ops.quote_name(BudgetLine._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [line_id, limit, line_id, limit])
        return [row[0] for row in cursor.fetchall()]


def line_chain(line_id: int) -> list[LineYear]:
    """A line's years through `previous` and `next`, each year's 예산현액 and execution at its end (the
    open year: to date). Five queries however many years it ran."""
    return line_years(BudgetLine.objects.filter(pk__in=chain_ids(line_id)))
