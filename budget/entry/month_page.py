"""What the month sheet's page shows: a page of the selected lines, and the totals of the whole selection.

A year may hold thousands of lines; the page lists PAGE_SIZE of them at a time (filtered by area, program,
team, nature or a search), while its 계 row adds up every selected line, from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from budget.core.figures import Execution
from budget.core.forms import LinePage, LineSelection, asks_for_lines, page_of
from budget.core.ledger import Ledger
from budget.core.models import Account, BudgetLine, ExecutionRecord
from budget.entry.forms import MonthForm, stored_cells
from budget.entry.sheet import MonthSheet, month_sheet

PAGE_SIZE = 100


@dataclass(frozen=True)
class SheetTotals:
    """The selection's 계: 예산현액 at the month's end, execution before the month and in it, in won."""

    current: int
    commitment_before: int
    expenditure_before: int
    commitment: int
    expenditure: int

    @property
    def after(self) -> Execution:
        return Execution(
            self.current, self.commitment_before + self.commitment, self.expenditure_before + self.expenditure
        )


@dataclass
class SheetPage:
    selection: LineSelection
    page: LinePage
    totals: SheetTotals
    ledger: Ledger  # the selection's, as of the month

    def sheet(self, year: int, month: int, line_ids) -> MonthSheet:
        """The sheet of the page's lines and any other `line_ids` names. Where the page is the whole year (one
        page, no selection: a year of a few hundred lines), from the ledger the totals were read from."""
        whole_year = self.ledger.scope is None and self.page.pages <= 1 and set(line_ids) <= set(self.page.ids)
        if whole_year:
            return month_sheet(year, month, ledger=self.ledger)
        return sheet_of(year, month, line_ids)


def sheet_page(request, year: int, month: int) -> SheetPage:
    """The selection the address asks for, its page and its totals (a handful of queries, however many lines)."""
    # The whole year is read by the year's own indexes (and offers its choices from the rows it reads anyway);
    # a selection through the lines it names.
    if asks_for_lines(request.GET):
        selection = LineSelection(request.GET, year=year)
        scope = selection.lines()
        ledger = Ledger(year, month, lines=scope)
    else:
        scope, ledger = None, Ledger(year, month)
        selection = LineSelection(request.GET, year=year, line_rows=ledger.line_rows())
    page = page_of(ledger.line_rows(), request.GET.get("page"), PAGE_SIZE)
    through = ledger.total
    this_month = ExecutionRecord.objects.filter(fiscal_year_id=year, month=month)
    if scope is not None:
        this_month = this_month.filter(line__in=scope.values("pk"))
    else:
        this_month = this_month.filter(line__account__side=Account.Side.EXPENDITURE)
    sums = this_month.aggregate(c=Sum("commitment", default=0), e=Sum("expenditure", default=0))
    totals = SheetTotals(
        current=through.current,
        commitment_before=through.commitment - sums["c"],
        expenditure_before=through.expenditure - sums["e"],
        commitment=sums["c"],
        expenditure=sums["e"],
    )
    return SheetPage(selection, page, totals, ledger)


def sheet_of(year: int, month: int, line_ids) -> MonthSheet:
    return month_sheet(year, month, lines=BudgetLine.objects.filter(pk__in=list(line_ids)))


def rows(sheet: MonthSheet, form: MonthForm, shown: list[int], refusals: dict[int, list[str]]):
    """The page's rows by section: each line with its three cells, what is stored in them, and its refusals."""
    on_page = set(shown)
    grouped = []
    for label, lines in sheet.groups:
        page_lines = [
            (
                line,
                *form.amount_fields(line.line),
                form[f"n-{line.line.pk}"],
                tuple(stored_cells(line).values()),  # what is stored in c, e and n
                refusals.get(line.line.pk, []),
            )
            for line in lines
            if line.line.pk in on_page
        ]
        if page_lines:
            grouped.append((label, page_lines))
    return grouped
