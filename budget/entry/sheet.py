"""The month sheet: every expenditure line of a year with its figures before and in one month."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from budget.core.figures import Execution
from budget.core.ledger import Ledger
from budget.core.models import BudgetLine, ExecutionRecord, FiscalYear, MonthStatus
from budget.core.periods import closed_through, covered_through, finished_message
from budget.core.rules import RESERVE
from budget.core.sections import sections

__all__ = ["MonthSheet", "SheetLine", "closed_through", "covered_through", "lock_message", "month_sheet"]


@dataclass
class SheetLine:
    line: BudgetLine
    current: int  # 예산현액 at the month's end
    commitment_before: int  # through the previous month
    expenditure_before: int
    commitment: int  # this month
    expenditure: int
    note: str
    entered: bool = False  # the month has a record for the line (its cells show figures, not blanks)

    @property
    def reserve(self) -> bool:
        """예비비 is not executed where it stands (budget.rules): its row shows figures, takes no input."""
        return self.line.account.code == RESERVE

    @property
    def after(self) -> Execution:
        return Execution(
            self.current, self.commitment_before + self.commitment, self.expenditure_before + self.expenditure
        )


def lock_message(year: int, month: int, *, closed: bool, covered: int, finished: bool = False) -> str:
    """Why the month takes no entry ("" if it does): a finished year, a month inside the report's cumulative
    figure (`covered`: covered_through), a closed month. The sheet says it, and a save checks it first."""
    if finished:
        return finished_message(year)
    if month <= covered:
        return _("%(year)s년 1~%(through)s월 집행은 보고서의 누계로만 있어 월별로 입력할 수 없습니다.") % {
            "year": year,
            "through": covered,
        }
    if closed:
        return _("%(year)s년 %(month)s월은 마감되었습니다.") % {"year": year, "month": month}
    return ""


@dataclass
class MonthSheet:
    year: int
    month: int
    groups: list[tuple[str, list[SheetLine]]]
    closed: bool
    version: int
    # Months the report gives only as one cumulative figure cannot be entered month by month.
    covered_through: int
    finished: bool = False

    @property
    def locked(self) -> str:
        return lock_message(
            self.year, self.month, closed=self.closed, covered=self.covered_through, finished=self.finished
        )

    @property
    def lines(self) -> list[SheetLine]:
        return [line for _label, lines in self.groups for line in lines]

    @cached_property
    def line_ids(self) -> set[int]:
        return {sheet_line.line.id for sheet_line in self.lines}


def month_sheet(year: int, month: int, *, lines=None, ledger: Ledger | None = None) -> MonthSheet:
    """The sheet's figures in a fixed number of queries: lines, budget and execution by line, the month's
    own records, its status, and the cumulative cover. `lines` (a BudgetLine queryset) narrows it to some
    of the year's lines, as a page of a long sheet shows them; `ledger`, the year's ledger as of the month
    that a caller has already read, spares reading the figures by line again."""
    if ledger is None:
        ledger = Ledger(year, month, lines=lines)
    elif lines is not None or ledger.scope is not None or (ledger.year, ledger.month) != (year, month):
        raise ValueError("month_sheet: a ledger is the whole year's as of the month, without `lines`")
    records = ExecutionRecord.objects.filter(fiscal_year_id=year, month=month)
    if lines is not None:
        records = records.filter(line__in=lines.values("pk"))
    this_month = {r.line_id: r for r in records}
    groups = []
    for _code, label, lines in sections(ledger):
        sheet_lines = []
        for line in lines:
            through = ledger.by("line", line.id)
            record = this_month.get(line.id)
            commitment = record.commitment if record else 0
            expenditure = record.expenditure if record else 0
            sheet_lines.append(
                SheetLine(
                    line=line,
                    current=through.current,
                    commitment_before=through.commitment - commitment,
                    expenditure_before=through.expenditure - expenditure,
                    commitment=commitment,
                    expenditure=expenditure,
                    note=record.note if record else "",
                    entered=record is not None,
                )
            )
        groups.append((label, sheet_lines))
    status = MonthStatus.objects.filter(fiscal_year_id=year, month=month).first()
    return MonthSheet(
        year=year,
        month=month,
        groups=groups,
        closed=bool(status and status.closed),
        version=status.version if status else 0,
        covered_through=covered_through(year),
        finished=FiscalYear.objects.filter(year=year, finished=True).exists(),
    )
