"""Sums in the database, once per table at the finest grouping a page needs, rolled up in Python.

A ledger reads a year's 예산현액 (amounts dated up to the as-of day) and execution (records through the
as-of month) by line, one query per table, and adds lines up into natures, 구분, teams, programs and the
total with Execution's exact integer arithmetic; month-by-month execution and plans are read by program
and month and added up likewise. Every query filters the child table on its own year column, so a year's
cost does not grow with the years held; a ledger over a few lines reads them by their line index.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

# Django's, not the standard library's: it takes no lock on first use.
from django.utils.functional import cached_property

from .figures import Execution
from .models import Account, BudgetAmount, BudgetLine, ExecutionRecord, Explanation, FiscalYear, month_end
from .sections import section_expression
from .series import NO_PLAN, Flow, MonthSeries, PlanTotals, plan_queryset, through
from .sums import fetch, won_sum
from .years import PreviousYear, previous_year

# The groups a ledger adds lines up into, by the key each line row carries.
GROUP_KEYS = {"line": "id", "account": "account_id", "section": "section", "team": "team_id", "program": "program_id"}
# A group with no line or no figure: nothing budgeted, nothing executed (one object, never changed).
NONE = Execution(0)
# What each line row carries from its nature, program, policy area and team (Ledger.line_rows).
LINE_PATHS = {
    "account_code": "account__code",
    "account_name": "account__name",
    "account_order": "account__order",
    "program_code": "program__code",
    "program_name": "program__name",
    "area_code": "program__area__code",
    "area_name": "program__area__name",
    "team_id": "program__owner_team_id",
    "team_name": "program__owner_team__name",
}
# A scope of at most this many lines is read by the line index (the ids written into the query); a
# larger one through a subquery over the year's index.
SMALL_SCOPE = 2_000


class Ledger:
    """One fiscal year's expenditure budget and execution as of the end of a month, over all its lines or
    some of them (a team's programs, a nature, a policy area, one line).

    `lines` is a BudgetLine queryset (as django-filter builds it) or None for every line. Every figure
    is read on first use and kept for the life of the object.
    """

    def __init__(self, year: int, month: int = 12, *, lines=None, checkpoint: int | None = None):
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, not {month}")
        self.year = year
        self.month = month
        self.as_of: datetime.date = month_end(year, month)
        self.scope = lines
        # An earlier month whose figures by line are read in the same pass as the month's (the dashboard's
        # first half, for 신속집행): `earlier(checkpoint)` then costs no query.
        self.checkpoint = checkpoint if checkpoint is not None and checkpoint < month else None
        self._groups: dict[str, dict] = {}

    # -- what the ledger reads

    @cached_property
    def _scope_ids(self) -> list[int] | None:
        if self.scope is None:
            return None
        ids = list(self.scope.values_list("pk", flat=True)[: SMALL_SCOPE + 1])
        return ids if len(ids) <= SMALL_SCOPE else None

    def _scoped(self, queryset, path: str = "line"):
        if self.scope is None:
            return queryset
        if self._scope_ids is not None:
            return queryset.filter(**{f"{path}__in": self._scope_ids})
        return queryset.filter(**{f"{path}__in": self.scope.values("pk")})

    def _amounts(self):
        # Both sides' amounts: the year's index holds every line's, and the few revenue lines are left out
        # by the line rows (expenditure only) when they are added up, cheaper than a join to the accounts.
        return self._scoped(BudgetAmount.objects.as_of(self.as_of).filter(fiscal_year_id=self.year))

    def _records(self):
        return self._scoped(ExecutionRecord.objects.through(self.month).filter(fiscal_year_id=self.year))

    def _plans(self):
        return self._scoped(plan_queryset(self.year, self.plan_known_at))

    @cached_property
    def _line_rows(self) -> list[dict]:
        # Read as the driver gives the rows (ints and text need no conversion), then named: a year of
        # thousands of lines would otherwise pay a converter call per value.
        names = ["id", "code", "name", "order", "section", "account_id", "program_id", *LINE_PATHS]
        rows = fetch(
            self._scoped(BudgetLine.objects.for_year(self.year).expenditure(), "pk")
            .annotate(section=section_expression(), **{name: F(path) for name, path in LINE_PATHS.items()})
            .values_list(*names)
            .order_by("order", "code")
        )
        return [dict(zip(names, row, strict=True)) for row in rows]

    def line_rows(self) -> list[dict]:
        """The lines as plain dicts, one query: what a page of thousands of lines needs, without
        building a model instance (and its account, program, area, team) per line."""
        return self._line_rows

    @cached_property
    def lines(self) -> list[BudgetLine]:
        """The lines as model instances (with account, program, area and team), for the report's pages."""
        return list(
            self._scoped(BudgetLine.objects.for_year(self.year).expenditure(), "pk")
            .select_related("account", "program__area", "program__owner_team")
            .annotate(section=section_expression())
            .order_by("order", "code")
        )

    @cached_property
    def _read_by_line(self) -> tuple[dict[int, Execution], dict[int, Execution]]:
        """Each expenditure line's figures as of the month and as of the checkpoint (empty without one):
        예산현액 by line and execution by line, one query each, the checkpoint as conditional sums."""
        # Named apart from the fields they sum: an annotation named after a field hides it from the next one.
        sums = {"sum_amount": won_sum("amount")}
        executed = {"sum_commitment": won_sum("commitment"), "sum_expenditure": won_sum("expenditure")}
        if self.checkpoint:
            sums["early_amount"] = won_sum(
                "amount", filter=Q(effective_date__lte=month_end(self.year, self.checkpoint))
            )
            executed["early_commitment"] = won_sum("commitment", filter=through(self.checkpoint))
            executed["early_expenditure"] = won_sum("expenditure", filter=through(self.checkpoint))
        budget = {row[0]: row[1:] for row in fetch(self._amounts().values_list("line_id").annotate(**sums).order_by())}
        records = {
            row[0]: row[1:] for row in fetch(self._records().values_list("line_id").annotate(**executed).order_by())
        }
        now, early = {}, {}
        for row in self._line_rows:
            line_id = row["id"]
            amounts, flows = budget.get(line_id), records.get(line_id)
            if amounts is None and flows is None:
                continue
            amounts, flows = amounts or (0, 0), flows or (0, 0, 0, 0)
            now[line_id] = Execution(amounts[0], flows[0], flows[1])
            if self.checkpoint:
                early[line_id] = Execution(amounts[1] or 0, flows[2] or 0, flows[3] or 0)
        return now, early

    @property
    def _by_line(self) -> dict[int, Execution]:
        return self._read_by_line[0]

    def earlier(self, month: int) -> Ledger:
        """The same scope as of an earlier month of the year: the lines are not read again, and the
        checkpoint's figures not either."""
        if month == self.month:
            return self
        ledger = Ledger(self.year, month, lines=self.scope)
        ledger.__dict__["_scope_ids"] = self._scope_ids
        ledger.__dict__["_line_rows"] = self._line_rows
        if month == self.checkpoint:
            ledger.__dict__["_read_by_line"] = (self._read_by_line[1], {})
        return ledger

    # -- the figures

    def by(self, group: str, key) -> Execution:
        """The figures of one group (a line id, an account id, a section code, a team or program id), added
        up from its lines; zero if it has none."""
        if group == "line":
            return self._read_by_line[0].get(key, NONE)
        if group not in self._groups:
            field, by_line = GROUP_KEYS[group], self._by_line
            sums: dict[object, list[int]] = {}
            for row in self._line_rows:
                figures = by_line.get(row["id"])
                if figures is None:
                    continue
                total = sums.get(row[field])
                if total is None:
                    sums[row[field]] = [figures.current, figures.commitment, figures.expenditure]
                else:
                    total[0] += figures.current
                    total[1] += figures.commitment
                    total[2] += figures.expenditure
            self._groups[group] = {key: Execution(*total) for key, total in sums.items()}
        return self._groups[group].get(key, NONE)

    @cached_property
    def total(self) -> Execution:
        return Execution.sum(self._by_line.values())

    @cached_property
    def _previous(self) -> tuple[bool, bool]:
        # One query: whether the year before is held, and whether a line of this year continues one of it.
        continues = BudgetLine.objects.filter(fiscal_year_id=self.year, previous__fiscal_year_id=self.year - 1)
        linked = (
            FiscalYear.objects.filter(year=self.year - 1)
            .annotate(linked=Exists(continues))
            .values_list("linked", flat=True)
            .first()
        )
        return linked is not None, bool(linked)

    @property
    def previous_held(self) -> bool:
        """Whether the app holds the year before: without it there is nothing to compare with (not zero)."""
        return self._previous[0]

    @cached_property
    def previous_year(self) -> PreviousYear | None:
        """The year before line by line (budget.core.years.PreviousYear), or None where the app holds it
        only by nature and source (no line of this year continues one of it) or not at all."""
        return previous_year(self.year) if self._previous[1] else None

    @cached_property
    def execution_held(self) -> bool:
        """Whether the app holds the year's execution: a finished year that came with no execution record
        (2021, known only by its final budget) does not, and its execution is not a row of zeros."""
        finished = FiscalYear.objects.filter(year=self.year, finished=True).exists()
        return not finished or ExecutionRecord.objects.filter(fiscal_year_id=self.year).exists()

    @cached_property
    def plan_known_at(self):
        """When the plan this view shows was known: None for the plan as it stands now (an open month, or
        a month closed before the close was timed), the moment the month was closed, or NO_PLAN for a
        month the report's cumulative figure covers (the report came with no plan).

        The plan runs past the month (the forecast uses the months after it), so a view as of a closed
        month reads the plan as it stood when the month closed: later revisions do not rewrite it.
        """
        from .models import MonthStatus

        reported = ExecutionRecord.objects.filter(fiscal_year_id=self.year, cumulative=True)
        if reported.filter(month__gte=self.month).exists():
            return NO_PLAN
        return (
            MonthStatus.objects.filter(fiscal_year_id=self.year, month=self.month, closed=True)
            .values_list("closed_at", flat=True)
            .first()
        )

    # -- month by month

    @cached_property
    def _monthly_by_program(self) -> dict[int | None, MonthSeries]:
        """Execution by program and month through the ledger's month (one query; None holds the lines of
        no program: 행정운영경비 and 예비비)."""
        rows = fetch(
            self._records()
            .values_list("line__program_id", "month")
            .annotate(
                sum_commitment=won_sum("commitment"),
                sum_expenditure=won_sum("expenditure"),
                cumulative_records=Count("pk", filter=Q(cumulative=True)),
            )
            .order_by()
        )
        months: dict[int | None, dict[int, Flow]] = {}
        covered: dict[int | None, int] = {}
        for program, month, commitment, expenditure, cumulative in rows:
            months.setdefault(program, {})[month] = Flow(commitment or 0, expenditure or 0)
            if cumulative:
                covered[program] = max(covered.get(program, 0), month)
        return {key: MonthSeries(series, covered.get(key, 0)) for key, series in months.items()}

    def monthly(self, group: str | None = None) -> dict[int | None, MonthSeries]:
        """Execution by month (not cumulated) through the ledger's month, for the whole scope (`group`
        None, under the key None) or by program (`group` "program")."""
        if group == "program":
            return {k: v for k, v in self._monthly_by_program.items() if k is not None}
        if group is not None:
            raise ValueError(f"monthly by {group} is not kept")
        series = list(self._monthly_by_program.values())
        if not series:
            return {}
        months: dict[int, Flow] = {}
        for each in series:
            for month, flow in each.months.items():
                before = months.get(month, Flow())
                months[month] = Flow(before.commitment + flow.commitment, before.expenditure + flow.expenditure)
        return {None: MonthSeries(months, max(each.covered for each in series))}

    @cached_property
    def _plan_by_program(self) -> dict[int | None, dict[int, Flow]]:
        rows = fetch(
            self._plans()
            .values_list("line__program_id", "month")
            .annotate(sum_commitment=won_sum("commitment"), sum_expenditure=won_sum("expenditure"))
            .order_by()
        )
        plans: dict[int | None, dict[int, Flow]] = {}
        for program, month, commitment, expenditure in rows:
            plans.setdefault(program, {})[month] = Flow(commitment, expenditure)
        return plans

    def plan_monthly(self, group: str | None = None) -> dict[int | None, dict[int, Flow]]:
        """월별 집행계획 by month over the whole year (the plan goes on past the ledger's month), for the whole
        scope (under None) or by program."""
        if group == "program":
            return {k: v for k, v in self._plan_by_program.items() if k is not None}
        if group is not None:
            raise ValueError(f"plan by {group} is not kept")
        if not self._plan_by_program:
            return {}
        months: dict[int, Flow] = {}
        for plan in self._plan_by_program.values():
            for month, flow in plan.items():
                before = months.get(month, Flow())
                months[month] = Flow(before.commitment + flow.commitment, before.expenditure + flow.expenditure)
        return {None: months}

    def plan_by_line(self) -> dict[int, PlanTotals]:
        """Each planned line's plan through the ledger's month and for the year, one query; a line without
        a plan is absent, which is how "no plan" is told from a plan of zero."""
        return PlanTotals.by_line(self._plans(), self.month)

    def previous_final_by_code(self) -> dict[str, int]:
        """Last year's final budget of each expenditure line, by line code: one query.

        Lines are matched across years by code; a year the report knows only by nature (2021) has
        no line with a code of this year's, and so gives an empty dict, never an invented split.
        """
        previous = self.year - 1
        amounts = BudgetAmount.objects.filter(
            fiscal_year_id=previous,
            # The line's year too: the planner then reads that year's lines by index, not every year's
            # lines of the expenditure accounts.
            line__fiscal_year_id=previous,
            line__account__side=Account.Side.EXPENDITURE,
            effective_date__lte=datetime.date(previous, 12, 31),
        )
        if self._scope_ids is not None:
            # A few lines' finals, by their codes (the year's (year, code) index), not the whole year's.
            amounts = amounts.filter(line__code__in=[row["code"] for row in self._line_rows])
        return dict(fetch(amounts.values_list("line__code").annotate(total=won_sum("amount")).order_by()))

    @cached_property
    def accounts(self) -> list[Account]:
        """Every account of both sides, in the report's order (one query)."""
        return list(Account.objects.order_by("side", "order"))

    @cached_property
    def accounts_two_years(self) -> dict[int, tuple[int, int]]:
        """Every account's 예산현액 as of the ledger's day and its final budget the year before, by account
        id (both sides, one query over the two years' amounts)."""
        previous = self.year - 1
        rows = fetch(
            BudgetAmount.objects.filter(
                fiscal_year_id__in=[self.year, previous], line__fiscal_year_id__in=[self.year, previous]
            )
            .values_list("line__account_id")
            .annotate(
                current=won_sum(
                    "amount", filter=Q(fiscal_year_id=self.year, effective_date__lte=self.as_of), default=0
                ),
                previous=won_sum(
                    "amount",
                    filter=Q(fiscal_year_id=previous, effective_date__lte=datetime.date(previous, 12, 31)),
                    default=0,
                ),
            )
            .order_by()
        )
        return {account_id: (current or 0, last or 0) for account_id, current, last in rows}


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
