"""세입 수납 writes: a month's 수납 for any number of revenue lines, all or nothing, leaving history.

The revenue sheet and the Excel import both come in through `receipts_save`; a refusal raises EntryRefused
with messages naming the line, the month and the amount, and nothing is saved. 수납 beyond 예산현액 is
saved and returned as flags for the page to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused, refuse_broken
from budget.core.models import Account, BudgetLine, FiscalYear, MonthStatus
from budget.core.month_records import records_to_write, write_records
from budget.core.periods import covered_through, ensure_month_version, finished_message, lock_month
from budget.core.receipt_rules import RevenueYear, over_collected, receipt_problems, revenue_years
from budget.core.receipts import RevenueRecord

__all__ = ["Receipt", "Saved", "locked_message", "receipts_check", "receipts_save"]


@dataclass(frozen=True)
class Receipt:
    line_id: int
    collected: int  # this month's 수납액, won
    note: str = ""


@dataclass(frozen=True)
class Saved:
    version: int  # the month's version after the save
    changed: int  # lines written
    flags: list[str] = field(default_factory=list)  # 초과 수납, allowed and said


def locked_message(year: int, month: int, *, closed: bool, covered: int, finished: bool) -> str:
    """Why a month's 수납 cannot be entered ("" when it can): a finished year, a month the report's cumulative
    figure stands for (as final as a closed month), or a closed month."""
    if finished:
        return finished_message(year)
    if month <= covered:
        return _(
            "%(year)s년 1~%(through)s월은 보고서 누계로 확정된 달이라 수납을 입력할 수 없습니다 (마감된 달로 봅니다)."
        ) % {"year": year, "through": covered}
    if closed:
        return _("%(year)s년 %(month)s월은 마감되어 수납을 입력할 수 없습니다.") % {"year": year, "month": month}
    return ""


def _check(
    years: dict[int, RevenueYear], month: int, receipts: dict[int, Receipt], reason: str
) -> dict[int | None, list[str]]:
    errors: dict[int | None, list[str]] = {}
    for line_id, receipt in receipts.items():
        line = years.get(line_id)
        if line is None:
            continue
        problems = receipt_problems(line, month, receipt.collected, receipt.note, reason)
        if problems:
            errors[line_id] = problems
    unknown = sorted(set(receipts) - set(years))
    if unknown:
        errors[None] = [_("세입 예산에 없는 라인입니다: %(ids)s") % {"ids": ", ".join(map(str, unknown))}]
    return errors


def _revenue_years(year: int, line_ids) -> dict[int, RevenueYear]:
    years = revenue_years(year, line_ids)
    return {pk: line for pk, line in years.items() if line.line.account.side == Account.Side.REVENUE}


def receipts_check(*, year: int, month: int, receipts: list[Receipt], reason: str = "") -> dict[int | None, list[str]]:
    """The rules receipts_save applies, without saving: what each line breaks, for a preview."""
    by_line = {receipt.line_id: receipt for receipt in receipts}
    return _check(_revenue_years(year, by_line), month, by_line, reason)


@transaction.atomic
def receipts_save(
    *,
    year: int,
    month: int,
    receipts: list[Receipt],
    user,
    version: int,
    reason: str = "",
    source: str = "",
) -> Saved:
    """Save one month's 수납 (this month's amount, whole won) of the given revenue lines.

    `version` is the month's version the sheet (or the import's preview) was drawn at. `reason` (the save's
    memo) is the reason of a correction and the history's; `source` (an import's file) is the history's
    only. An import (`source` given) that would change nothing writes nothing: no new version, no history,
    so one file imported twice leaves the month as the first import left it. Queries: a fixed number,
    whatever the number of lines.
    """
    status = lock_month(year, month)  # refuses a finished year
    fiscal_year = FiscalYear.objects.get(year=year)
    locked = locked_message(
        year, month, closed=status.closed, covered=covered_through(year), finished=fiscal_year.finished
    )
    if locked:
        raise EntryRefused([locked])
    ensure_month_version(status, version)
    by_line = {receipt.line_id: receipt for receipt in receipts}
    years = _revenue_years(year, by_line)
    refuse_broken(_check(years, month, by_line, reason))

    fields = ("collected", "note")
    wanted = {line_id: (r.collected, r.note) for line_id, r in by_line.items()}
    # An import leaves a line it sets to nothing without a record; the sheet stores what it was given.
    created, updated = records_to_write(
        RevenueRecord, year, month, wanted, fields, create=lambda values: values[0] or values[1] or not source
    )
    if source and not (created or updated):
        return Saved(status.version, 0)
    change_reason = reason.strip() or source or _("%(year)s년 %(month)s월 수납 입력") % {"year": year, "month": month}
    write_records(status, RevenueRecord, created, updated, fields, user=user, change_reason=change_reason)
    flags = [
        flag
        for receipt in by_line.values()
        if (flag := over_collected(years[receipt.line_id].with_month(month, receipt.collected), month))
    ]
    return Saved(status.version, len(created) + len(updated), flags)


def revenue_lines(year: int):
    """The year's revenue lines, in the report's order."""
    return (
        BudgetLine.objects.for_year(year)
        .revenue()
        .select_related("account")
        .order_by("account__order", "order", "code")
    )


def month_state(year: int, month: int) -> tuple[MonthStatus | None, bool, int]:
    """The month's status row (None before any write), whether the year is finished, the cumulative cover."""
    status = MonthStatus.objects.filter(fiscal_year_id=year, month=month).first()
    finished = FiscalYear.objects.filter(year=year, finished=True).exists()
    return status, finished, covered_through(year)
