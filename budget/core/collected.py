"""세입 수납 as of a month: the year's 수납 by revenue line and month in one query, rolled up in Python.

수납 is known for an as-of month only once some month up to it has 수납 entered, and never in a year whose
first months stand in a report's cumulative figure (2022: January–September): those months are as final as
closed months and their 수납 was never reported, so any 수납 to date would leave them out. Where it is not
known the pages say so ("자료 없음"), never 0 (docs/conventions.md, "No false zeros").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Subquery

from .models import ExecutionRecord
from .receipts import RevenueRecord
from .sums import fetch, won_sum


@dataclass
class Collected:
    """A year's 수납 through a month: by line, by revenue account and by month, in won."""

    year: int
    month: int
    by_line: dict[int, int] = field(default_factory=dict)
    by_account: dict[int, int] = field(default_factory=dict)
    by_month: dict[int, int] = field(default_factory=dict)  # each month's own 수납, not cumulated
    first_month: int | None = None  # the first month with 수납 entered (through `month`)
    covered: int = 0  # the last month a report's cumulative figure stands for

    @property
    def known(self) -> bool:
        return self.first_month is not None and not self.covered

    @property
    def total(self) -> int:
        return sum(self.by_line.values())

    def to_date(self, month: int) -> int | None:
        """수납 누계 from January through `month`; None where it is not known."""
        if not self.known or month < self.first_month or month > self.month:
            return None
        return sum(amount for m, amount in self.by_month.items() if m <= month)


def collected(year: int, month: int) -> Collected:
    """The year's 수납 through `month` (one query: by line, account and month, the cumulative cover carried
    along as a scalar subquery so that it costs no query of its own)."""
    cover = ExecutionRecord.objects.filter(fiscal_year_id=year, cumulative=True).order_by("-month").values("month")[:1]
    rows = fetch(
        RevenueRecord.objects.filter(fiscal_year_id=year, month__lte=month)
        .annotate(covered=Subquery(cover))
        .values_list("line_id", "line__account_id", "month", "covered")
        .annotate(sum_collected=won_sum("collected"))
        .order_by()
    )
    result = Collected(year, month)
    for line_id, account_id, row_month, covered, amount in rows:
        amount = amount or 0
        result.by_line[line_id] = result.by_line.get(line_id, 0) + amount
        result.by_account[account_id] = result.by_account.get(account_id, 0) + amount
        result.by_month[row_month] = result.by_month.get(row_month, 0) + amount
        result.first_month = row_month if result.first_month is None else min(result.first_month, row_month)
        result.covered = covered or 0
    return result
