"""The revenue month sheet: every revenue line of a year with its 수납 before and in one month."""

from __future__ import annotations

from dataclasses import dataclass

from budget.core.figures import percent
from budget.core.receipt_rules import RevenueYear, over_collected, revenue_years
from budget.core.terms import term
from budget.receipts.services import locked_message, month_state, revenue_lines


@dataclass
class RevenueSheetLine:
    figures: RevenueYear
    month: int

    @property
    def line(self):
        return self.figures.line

    @property
    def source(self) -> str:
        return term(self.line.account.name)

    @property
    def current(self) -> int:
        """예산현액 at the month's end."""
        return self.figures.current(self.month)

    @property
    def collected(self) -> int:
        return self.figures.collected[self.month]

    @property
    def before(self) -> int:
        return self.figures.cumulative(self.month - 1)

    @property
    def after(self) -> int:
        return self.figures.cumulative(self.month)

    @property
    def uncollected(self) -> int:
        return self.current - self.after

    @property
    def rate(self):
        return percent(self.after, self.current)

    @property
    def note(self) -> str:
        return self.figures.notes.get(self.month, "")

    @property
    def entered(self) -> bool:
        return self.month in self.figures.entered

    @property
    def over(self) -> str:
        return over_collected(self.figures, self.month)


@dataclass
class RevenueSheet:
    year: int
    month: int
    lines: list[RevenueSheetLine]
    version: int
    locked: str
    covered: int  # months the report's cumulative figure stands for: no 수납 of them is held

    @property
    def line_ids(self) -> set[int]:
        return {sheet_line.line.pk for sheet_line in self.lines}

    @property
    def totals(self) -> dict[str, int]:
        current = sum(s.current for s in self.lines)
        after = sum(s.after for s in self.lines)
        return {
            "current": current,
            "before": sum(s.before for s in self.lines),
            "collected": sum(s.collected for s in self.lines),
            "after": after,
            "uncollected": current - after,
            "rate": percent(after, current),
        }


def revenue_sheet(year: int, month: int) -> RevenueSheet:
    """The sheet in a fixed number of queries: the lines, their amounts and 수납 by month, the month's status,
    whether the year is finished, the cumulative cover."""
    lines = list(revenue_lines(year))
    years = revenue_years(year, [line.pk for line in lines])
    status, finished, covered = month_state(year, month)
    closed = bool(status and status.closed)
    return RevenueSheet(
        year=year,
        month=month,
        lines=[RevenueSheetLine(years[line.pk], month) for line in lines],
        version=status.version if status else 0,
        locked=locked_message(year, month, closed=closed, covered=covered, finished=finished),
        covered=covered,
    )
