"""Sums in the database: 예산현액 as of a day and execution through a month, by any grouping.

Each grouping is one query per child table (amounts, execution records, plans): joining two child
tables in one query would multiply rows and inflate the totals. Larger groups are either asked of the
database by their own key or added up from smaller ones with Execution's exact integer arithmetic.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, F, FilteredRelation, OuterRef, Q, Subquery, Sum

from budget.core.figures import Execution
from budget.core.models import (
    Account,
    BudgetAmount,
    BudgetLine,
    ExecutionRecord,
    Explanation,
    FiscalYear,
    MonthlyPlan,
    MonthStatus,
    month_end,
)
from budget.core.sections import section_expression

# Groupings a report can ask for, as the path (or expression) from an amount's or a record's line. A
# program line's owner team and its program are None for 행정운영경비 and 예비비, which have neither.
GROUPS = {
    "line": lambda: F("line_id"),
    "account": lambda: F("line__account_id"),
    "section": lambda: section_expression("line__"),
    "team": lambda: F("line__program__owner_team_id"),
    "program": lambda: F("line__program_id"),
}


class Flow(NamedTuple):
    """Commitment and expenditure over some months, in won (executed or planned); a pair, so that
    `commitment, expenditure = flow` reads as it says."""

    commitment: int = 0
    expenditure: int = 0


def to_date(months: Mapping[int, Flow], month: int) -> Flow:
    """What `months` (month → its own flow) add up to from January through `month`: the one rule for plan
    to date, used by the plan sheet, its checks and the dashboards alike."""
    flows = [flow for m, flow in months.items() if m <= month]
    return Flow(sum(f.commitment for f in flows), sum(f.expenditure for f in flows))


@dataclass(frozen=True)
class MonthSeries:
    """One group's execution month by month, through the ledger's month.

    `covered` is the last month a cumulative record stands for (0 if none): before it the months
    are not known one by one, and nothing may be shown for them.
    """

    months: dict[int, Flow]
    covered: int = 0


@dataclass(frozen=True)
class PlanTotals:
    """A line's 월별 집행계획 summed through the ledger's month and over the whole year, in won."""

    through: Flow
    year: Flow

    @classmethod
    def of(cls, months: Mapping[int, Flow], month: int) -> PlanTotals:
        return cls(to_date(months, month), to_date(months, 12))

    @property
    def after(self) -> Flow:
        """Planned for the months after the ledger's month."""
        return Flow(self.year.commitment - self.through.commitment, self.year.expenditure - self.through.expenditure)


# A view as of a month the report's cumulative figure covers reads no plan: the report came with none.
NO_PLAN = object()


class Ledger:
    """One fiscal year's expenditure budget and execution as of the end of a month, over all its lines or
    some of them (a team's programs, a nature, a policy area, one line).

    `lines` is a BudgetLine queryset (as django-filter builds it) or None for every line; sums are
    restricted to it through a subquery, so each grouping is still one query per child table. Every
    figure is computed on first use and kept for the life of the object, so a page drawing several
    tables from one ledger queries each grouping once.
    """

    def __init__(self, year: int, month: int = 12, *, lines=None):
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, not {month}")
        self.year = year
        self.month = month
        self.as_of: datetime.date = month_end(year, month)
        self.scope = lines
        self._groups: dict[str, dict] = {}

    def _scoped(self, queryset, path: str = "line"):
        if self.scope is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.scope.values("pk")})

    def _amounts(self):
        return self._scoped(
            BudgetAmount.objects.as_of(self.as_of).filter(
                fiscal_year_id=self.year, line__account__side=Account.Side.EXPENDITURE
            )
        )

    def _records(self):
        return self._scoped(ExecutionRecord.objects.through(self.month).filter(fiscal_year_id=self.year))

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
    def previous_held(self) -> bool:
        """Whether the app holds the year before: without it there is nothing to compare with (not zero)."""
        return FiscalYear.objects.filter(year=self.year - 1).exists()

    @cached_property
    def execution_held(self) -> bool:
        """Whether the app holds the year's execution: a finished year that came with no execution record
        (2021, known only by its final budget) does not, and its execution is not a row of zeros."""
        finished = FiscalYear.objects.filter(year=self.year, finished=True).exists()
        return not finished or ExecutionRecord.objects.filter(fiscal_year_id=self.year).exists()

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
            self._scoped(BudgetLine.objects.for_year(self.year).expenditure(), "pk")
            .select_related("account", "program__area", "program__owner_team")
            .annotate(section=section_expression())
            .order_by("order", "code")
        )

    @cached_property
    def plan_known_at(self):
        """When the plan this view shows was known: None for the plan as it stands now (an open month, or
        a month closed before the close was timed), the moment the month was closed, or NO_PLAN for a
        month the report's cumulative figure covers (the report came with no plan).

        The plan runs past the month (the forecast uses the months after it), so a view as of a closed
        month reads the plan as it stood when the month closed: later revisions do not rewrite it.
        """
        reported = ExecutionRecord.objects.filter(fiscal_year_id=self.year, cumulative=True)
        if reported.filter(month__gte=self.month).exists():
            return NO_PLAN
        return (
            MonthStatus.objects.filter(fiscal_year_id=self.year, month=self.month, closed=True)
            .values_list("closed_at", flat=True)
            .first()
        )

    def _plans(self):
        known_at = self.plan_known_at
        if known_at is NO_PLAN:
            return MonthlyPlan.objects.none()
        plans = MonthlyPlan.objects if known_at is None else MonthlyPlan.history.as_of(known_at)
        return self._scoped(plans.filter(fiscal_year_id=self.year))

    def line_rows(self) -> list[dict]:
        """The lines as plain dicts, one query: what a page of thousands of lines needs, without
        building a model instance (and its account, program, area, team) per line."""
        return list(
            self._scoped(BudgetLine.objects.for_year(self.year).expenditure(), "pk")
            .annotate(section=section_expression())
            .values(
                "id",
                "code",
                "name",
                "order",
                "section",
                "account_id",
                "program_id",
                account_code=F("account__code"),
                account_name=F("account__name"),
                account_order=F("account__order"),
                program_code=F("program__code"),
                program_name=F("program__name"),
                area_code=F("program__area__code"),
                area_name=F("program__area__name"),
                team_id=F("program__owner_team_id"),
                team_name=F("program__owner_team__name"),
            )
            .order_by("order", "code")
        )

    def monthly(self, group: str | None = None) -> dict[int | str | None, MonthSeries]:
        """Execution by month (not cumulated) through the ledger's month, for the whole scope
        (`group` None, one key None) or by a grouping of GROUPS: one query."""
        keys = {"key": GROUPS[group]()} if group else {}
        rows = (
            self._records()
            .values("month", **keys)
            .annotate(
                commitment=Sum("commitment"),
                expenditure=Sum("expenditure"),
                cumulative=Count("pk", filter=Q(cumulative=True)),
            )
            .order_by()
        )
        months: dict[int | str | None, dict[int, Flow]] = {}
        covered: dict[int | str | None, int] = {}
        for row in rows:
            key = row.get("key")
            months.setdefault(key, {})[row["month"]] = Flow(row["commitment"] or 0, row["expenditure"] or 0)
            if row["cumulative"]:
                covered[key] = max(covered.get(key, 0), row["month"])
        return {key: MonthSeries(series, covered.get(key, 0)) for key, series in months.items()}

    def plan_monthly(self, group: str | None = None) -> dict[int | str | None, dict[int, Flow]]:
        """월별 집행계획 by month over the whole year (the plan goes on past the ledger's month): one query."""
        keys = {"key": GROUPS[group]()} if group else {}
        rows = (
            self._plans()
            .values("month", **keys)
            .annotate(commitment=Sum("commitment"), expenditure=Sum("expenditure"))
            .order_by()
        )
        plans: dict[int | str | None, dict[int, Flow]] = {}
        for row in rows:
            plans.setdefault(row.get("key"), {})[row["month"]] = Flow(row["commitment"], row["expenditure"])
        return plans

    def plan_by_line(self) -> dict[int, PlanTotals]:
        """Each planned line's plan through the ledger's month and for the year: its months in one query,
        added up by `to_date`; a line without a plan is absent, which is how "no plan" is told from a
        plan of zero."""
        months = self.plan_monthly("line")
        return {line_id: PlanTotals.of(line_months, self.month) for line_id, line_months in months.items()}

    def previous_final_by_code(self) -> dict[str, int]:
        """Last year's final budget of each expenditure line, by line code: one query.

        Lines are matched across years by code; a year the report knows only by nature (2021) has
        no line with a code of this year's, and so gives an empty dict, never an invented split.
        """
        previous = self.year - 1
        rows = (
            BudgetAmount.objects.filter(
                fiscal_year_id=previous,
                line__account__side=Account.Side.EXPENDITURE,
                effective_date__lte=datetime.date(previous, 12, 31),
            )
            .values(code=F("line__code"))
            .annotate(total=Sum("amount"))
            .order_by()
        )
        return {row["code"]: row["total"] for row in rows}


def budget_by_account(side: str, year: int, day: datetime.date, previous_year: int, previous_day: datetime.date):
    """Accounts of one side with 예산현액 of two years side by side, in one query (conditional sums).

    Returns (accounts annotated with `current` and `previous`, the totals as a dict).
    """
    # The join is limited to the two years' lines (every account still comes back, with 0 where it has
    # none): with many years of data, summing all of them only to filter most away was most of the cost.
    this_year = Q(two_years__fiscal_year_id=year, two_years__amounts__effective_date__lte=day)
    last_year = Q(two_years__fiscal_year_id=previous_year, two_years__amounts__effective_date__lte=previous_day)
    accounts = list(
        Account.objects.filter(side=side)
        .annotate(two_years=FilteredRelation("lines", condition=Q(lines__fiscal_year_id__in=[year, previous_year])))
        .annotate(
            current=Sum("two_years__amounts__amount", filter=this_year, default=0),
            previous=Sum("two_years__amounts__amount", filter=last_year, default=0),
        )
        .order_by("order")
    )
    totals = BudgetAmount.objects.filter(
        line__account__side=side, fiscal_year_id__in=[year, previous_year]
    ).aggregate(
        current=Sum("amount", filter=Q(fiscal_year_id=year, effective_date__lte=day), default=0),
        previous=Sum(
            "amount", filter=Q(fiscal_year_id=previous_year, effective_date__lte=previous_day), default=0
        ),
    )
    return accounts, totals


def latest_explanations(year: int, month: int):
    """The newest 사유 of each line of `year` written for a month up to `month` (one query, a
    correlated subquery on the (line, month) unique index); a reason written later is not shown
    on a view as of an earlier month."""
    newest = Explanation.objects.filter(line=OuterRef("line"), month__lte=month).order_by("-month").values("month")[:1]
    return (
        Explanation.objects.filter(line__fiscal_year_id=year, month__lte=month, month=Subquery(newest))
        .select_related("written_by")
        .order_by("line_id")
    )
