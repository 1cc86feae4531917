"""Sums in the database: 예산현액 as of a day and execution through a month, by any grouping.

Each grouping is one query per child table (amounts, execution records), never summed row by row
in Python: joining both child tables in one query would multiply rows and inflate the totals.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.db.models import Case, CharField, F, Q, Sum, Value, When

from .figures import Execution
from .models import Account, BudgetAmount, BudgetLine, ExecutionRecord, month_end

ADMIN_NATURES = ("personnel", "expense")


def section_expression(prefix: str = ""):
    """The 구분 of 사업별 예산 a line falls in, as SQL: its policy area's code for a program line,
    `admin` (행정운영경비) for 인건비 and 경비, else its nature's code (`reserve` for 예비비).

    `prefix` is the path to the line (`line__` from an amount or a record; empty from a line),
    so lines, amounts and records are grouped by the one rule.
    """
    return Case(
        When(**{f"{prefix}program__isnull": False}, then=F(f"{prefix}program__area__code")),
        When(**{f"{prefix}account__code__in": ADMIN_NATURES}, then=Value("admin")),
        default=F(f"{prefix}account__code"),
        output_field=CharField(),
    )


# Groupings a report can ask for, as the path (or expression) from an amount's or a record's line.
GROUPS = {
    "line": lambda: F("line_id"),
    "account": lambda: F("line__account_id"),
    "section": lambda: section_expression("line__"),
}


class Ledger:
    """One fiscal year's expenditure budget and execution, as of the end of a month.

    Every figure is computed on first use and kept for the life of the object, so a page drawing
    several tables from one ledger queries each grouping once.
    """

    def __init__(self, year: int, month: int = 12):
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, not {month}")
        self.year = year
        self.month = month
        self.as_of: datetime.date = month_end(year, month)
        self._groups: dict[str, dict] = {}

    def _amounts(self):
        return BudgetAmount.objects.as_of(self.as_of).filter(
            line__fiscal_year_id=self.year, line__account__side=Account.Side.EXPENDITURE
        )

    def _records(self):
        return ExecutionRecord.objects.through(self.month).filter(line__fiscal_year_id=self.year)

    def _grouped(self, group: str) -> dict[int | str | None, Execution]:
        budget = {
            row["key"]: row["total"]
            for row in self._amounts().values(key=GROUPS[group]()).annotate(total=Sum("amount")).order_by()
        }
        executed = {
            row["key"]: row
            for row in self._records()
            .values(key=GROUPS[group]())
            .annotate(commitment=Sum("commitment"), expenditure=Sum("expenditure"))
            .order_by()
        }
        return {
            k: Execution(
                current=budget.get(k, 0),
                commitment=executed.get(k, {}).get("commitment") or 0,
                expenditure=executed.get(k, {}).get("expenditure") or 0,
            )
            for k in budget.keys() | executed.keys()
        }

    def by(self, group: str, key) -> Execution:
        """The figures of one group (a line id, an account id, a section code); zero if it has none."""
        if group not in self._groups:
            self._groups[group] = self._grouped(group)
        return self._groups[group].get(key, Execution(0))

    @cached_property
    def total(self) -> Execution:
        budget = self._amounts().aggregate(total=Sum("amount", default=0))["total"]
        executed = self._records().aggregate(
            commitment=Sum("commitment", default=0), expenditure=Sum("expenditure", default=0)
        )
        return Execution(budget, executed["commitment"], executed["expenditure"])

    @cached_property
    def lines(self) -> list[BudgetLine]:
        return list(
            BudgetLine.objects.for_year(self.year)
            .expenditure()
            .select_related("account", "program__area")
            .annotate(section=section_expression())
            .order_by("order", "code")
        )


def budget_by_account(side: str, year: int, day: datetime.date, previous_year: int, previous_day: datetime.date):
    """Accounts of one side with 예산현액 of two years side by side, in one query (conditional sums).

    Returns (accounts annotated with `current` and `previous`, the totals as a dict).
    """
    this_year = Q(lines__fiscal_year_id=year, lines__amounts__effective_date__lte=day)
    last_year = Q(lines__fiscal_year_id=previous_year, lines__amounts__effective_date__lte=previous_day)
    accounts = list(
        Account.objects.filter(side=side)
        .annotate(
            current=Sum("lines__amounts__amount", filter=this_year, default=0),
            previous=Sum("lines__amounts__amount", filter=last_year, default=0),
        )
        .order_by("order")
    )
    totals = BudgetAmount.objects.filter(line__account__side=side).aggregate(
        current=Sum("amount", filter=Q(line__fiscal_year_id=year, effective_date__lte=day), default=0),
        previous=Sum(
            "amount", filter=Q(line__fiscal_year_id=previous_year, effective_date__lte=previous_day), default=0
        ),
    )
    return accounts, totals
