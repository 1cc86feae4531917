"""The execution rules over a line's whole year, shared by every write that moves money.

A save of one month moves the cumulative figures of every later month, and a budget change moves the
예산현액 of every month from its date on; so each write is checked at every month from the first it
touches to December:

- cumulative 원인행위액 ≤ 예산현액 at that month's end (money is committed only within the budget);
- cumulative 지출액 ≤ cumulative 원인행위액 (money is paid only on a commitment);
- neither cumulative figure below zero (a correction cannot take back more than was entered);
- 예산현액 not below zero.

Figures are read in three queries whatever the number of lines (the lines, the amounts by day, the
records by month) and checked in Python on exact integers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from budget.core.models import Account, BudgetAmount, BudgetLine, ExecutionRecord

RESERVE = "reserve"
MONTHS = range(1, 13)


def won(amount: int) -> str:
    return _("%(amount)s원") % {"amount": f"{amount:,}"}


def ym(year: int, month: int) -> str:
    return _("%(year)s년 %(month)s월") % {"year": year, "month": month}


@dataclass
class LineYear:
    """One line's year: its budget changes by month and its execution by month, in won."""

    line: BudgetLine
    year: int
    # Budget that takes effect in each month (index 0: before the year); 예산현액 at a month's end is the
    # sum through that month.
    budget_moves: list[int] = field(default_factory=lambda: [0] * 13)
    commitment: list[int] = field(default_factory=lambda: [0] * 13)  # index = month; 0 unused
    expenditure: list[int] = field(default_factory=lambda: [0] * 13)

    @property
    def reserve(self) -> bool:
        return self.line.account.code == RESERVE

    @property
    def expenditure_side(self) -> bool:
        return self.line.account.side == Account.Side.EXPENDITURE

    def current(self, month: int) -> int:
        """예산현액 at the end of `month`."""
        return sum(self.budget_moves[: month + 1])

    def cumulative(self, month: int) -> tuple[int, int]:
        return sum(self.commitment[1 : month + 1]), sum(self.expenditure[1 : month + 1])

    def with_month(self, month: int, commitment: int, expenditure: int) -> LineYear:
        """The line as it would be with `month`'s own figures replaced."""
        other = LineYear(self.line, self.year, list(self.budget_moves), list(self.commitment), list(self.expenditure))
        other.commitment[month], other.expenditure[month] = commitment, expenditure
        return other

    def with_budget(self, month: int, amount: int) -> LineYear:
        """The line as it would be with `amount` more budget from `month` on."""
        other = LineYear(self.line, self.year, list(self.budget_moves), list(self.commitment), list(self.expenditure))
        other.budget_moves[month] += amount
        return other


def line_years(year: int, line_ids) -> dict[int, LineYear]:
    """The year's figures of the given lines (three queries)."""
    ids = list(line_ids)
    lines = {line.pk: LineYear(line, year) for line in BudgetLine.objects.filter(pk__in=ids).select_related("account")}
    amounts = (
        BudgetAmount.objects.filter(line_id__in=ids, effective_date__lte=datetime.date(year, 12, 31))
        .values("line_id", "effective_date")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in amounts:
        day = row["effective_date"]
        lines[row["line_id"]].budget_moves[day.month if day.year == year else 0] += row["total"]
    records = (
        ExecutionRecord.objects.filter(line_id__in=ids)
        .values("line_id", "month")
        .annotate(commitment=Sum("commitment"), expenditure=Sum("expenditure"))
        .order_by()
    )
    for row in records:
        line = lines[row["line_id"]]
        line.commitment[row["month"]] += row["commitment"]
        line.expenditure[row["month"]] += row["expenditure"]
    return lines


def execution_problems(line: LineYear, start: int, *, saved: int | None = None) -> list[str]:
    """Every rule the line breaks at some month from `start` to December, the first month of each rule.

    `saved` is the month being saved, named in the messages about later months it would break.
    """
    name, year = line.line.name, line.year
    problems: list[str] = []
    told = set()
    for month in range(start, 13):
        current = line.current(month)
        commitment, expenditure = line.cumulative(month)
        because = (
            _(" (%(saved)s 입력으로)") % {"saved": ym(year, saved)} if saved is not None and saved != month else ""
        )
        if commitment > current and "over" not in told:
            told.add("over")
            problems.append(
                _(
                    "%(line)s · %(where)s: 원인행위 누계 %(total)s이(가) %(month)s월 말 예산현액 %(budget)s을(를) "
                    "%(over)s 넘게 됩니다%(because)s."
                )
                % {
                    "line": name,
                    "where": ym(year, month),
                    "month": month,
                    "total": won(commitment),
                    "budget": won(current),
                    "over": won(commitment - current),
                    "because": because,
                }
            )
        if expenditure > commitment and "unpaid" not in told:
            told.add("unpaid")
            problems.append(
                _(
                    "%(line)s · %(where)s: 지출 누계 %(spent)s이(가) 원인행위 누계 %(committed)s을(를) "
                    "넘게 됩니다%(because)s."
                )
                % {
                    "line": name,
                    "where": ym(year, month),
                    "spent": won(expenditure),
                    "committed": won(commitment),
                    "because": because,
                }
            )
        if (commitment < 0 or expenditure < 0) and "negative" not in told:
            told.add("negative")
            problems.append(
                _("%(line)s · %(where)s: 누계가 음수가 됩니다 (원인행위 %(c)s, 지출 %(e)s)%(because)s.")
                % {
                    "line": name,
                    "where": ym(year, month),
                    "c": won(commitment),
                    "e": won(expenditure),
                    "because": because,
                }
            )
        if current < 0 and "budget" not in told:
            told.add("budget")
            problems.append(
                _("%(line)s · %(where)s: 예산현액이 %(budget)s로 음수가 됩니다.")
                % {"line": name, "where": ym(year, month), "budget": won(current)}
            )
    return problems


def reserve_execution_problem(line: LineYear, month: int, commitment: int, expenditure: int) -> str | None:
    """예비비 is never spent where it stands: it is moved to a line by 예비비 사용 and spent there."""
    if not line.reserve or (commitment == 0 and expenditure == 0):
        return None
    return _(
        "%(line)s · %(where)s: 예비비 라인에는 원인행위·지출을 입력할 수 없습니다. "
        "예비비 사용으로 쓸 라인에 옮긴 뒤 그 라인에서 집행하세요."
    ) % {"line": line.line.name, "where": ym(line.year, month)}
