"""The 세입 수납 rules over a revenue line's whole year, shared by every way a month's 수납 comes in.

A month's 수납 moves the cumulative 수납 of every later month, so a save is checked at every month from
the one saved to December:

- cumulative 수납 not below zero (a correction cannot take back more than was collected);
- a negative 수납 is a correction and needs a reason on its line (비고), as a negative execution does;
- changing a month's 수납 that is already stored is a correction too, and needs a reason: the line's
  비고 written anew, or the save's memo;
- 수납 beyond 예산현액 is allowed (interest, refunds, a larger grant) but flagged, never refused.

Figures are read in three queries whatever the number of lines, and checked on exact integers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from budget.core.models import BudgetAmount, BudgetLine
from budget.core.receipts import RevenueRecord
from budget.core.rules import won, ym


@dataclass
class RevenueYear:
    """One revenue line's year: its budget moves by month and its 수납 by month, in won."""

    line: BudgetLine
    year: int
    budget_moves: list[int] = field(default_factory=lambda: [0] * 13)  # index 0: before the year
    collected: list[int] = field(default_factory=lambda: [0] * 13)  # index = month
    notes: dict[int, str] = field(default_factory=dict)
    entered: set[int] = field(default_factory=set)  # months with a stored record

    def current(self, month: int) -> int:
        """예산현액 at the end of `month`."""
        return sum(self.budget_moves[: month + 1])

    def cumulative(self, month: int) -> int:
        """수납 from January through `month`."""
        return sum(self.collected[1 : month + 1])

    def with_month(self, month: int, collected: int) -> RevenueYear:
        other = RevenueYear(self.line, self.year, list(self.budget_moves), list(self.collected), dict(self.notes))
        other.collected[month] = collected
        return other


def revenue_years(year: int, line_ids) -> dict[int, RevenueYear]:
    """The year's figures of the given revenue lines (three queries)."""
    ids = list(line_ids)
    lines = {
        line.pk: RevenueYear(line, year)
        for line in BudgetLine.objects.filter(pk__in=ids, fiscal_year_id=year).select_related("account")
    }
    amounts = (
        BudgetAmount.objects.filter(line_id__in=ids, effective_date__lte=datetime.date(year, 12, 31))
        .values_list("line_id", "effective_date")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for line_id, day, total in amounts:
        if line_id in lines:
            lines[line_id].budget_moves[day.month if day.year == year else 0] += total
    for line_id, month, collected, note in RevenueRecord.objects.filter(line_id__in=ids).values_list(
        "line_id", "month", "collected", "note"
    ):
        if line_id in lines:
            lines[line_id].collected[month] += collected
            lines[line_id].notes[month] = note
            lines[line_id].entered.add(month)
    return lines


def receipt_problems(line: RevenueYear, month: int, collected: int, note: str, reason: str = "") -> list[str]:
    """Every rule a month's 수납 of `collected` won (with its 비고 `note`) breaks on the line.

    `reason` is the save's memo: it stands for the reason of a correction of a stored amount.
    """
    name, where = line.line.name, ym(line.year, month)
    problems: list[str] = []
    written = note.strip() and note.strip() != line.notes.get(month, "").strip()
    if collected < 0 and not note.strip():
        problems.append(
            _("%(line)s · %(where)s · 수납액 %(amount)s: 음수는 정정이므로 사유를 적어야 합니다.")
            % {"line": name, "where": where, "amount": won(collected)}
        )
    elif month in line.entered and line.collected[month] != collected and not (written or reason.strip()):
        problems.append(
            _(
                "%(line)s · %(where)s · 수납액 %(before)s → %(amount)s: 이미 입력된 수납을 고치는 정정이므로 "
                "비고에 사유를 적어야 합니다."
            )
            % {"line": name, "where": where, "before": won(line.collected[month]), "amount": won(collected)}
        )
    after = line.with_month(month, collected)
    for later in range(month, 13):
        total = after.cumulative(later)
        if total < 0:
            because = _(" (%(saved)s 입력으로)") % {"saved": where} if later != month else ""
            problems.append(
                _("%(line)s · %(where)s: 수납 누계가 %(total)s로 음수가 됩니다%(because)s.")
                % {"line": name, "where": ym(line.year, later), "total": won(total), "because": because}
            )
            break
    return problems


def over_collected(line: RevenueYear, month: int) -> str:
    """A flag, not a refusal: cumulative 수납 through `month` beyond 예산현액 at its end ("" when within)."""
    total, current = line.cumulative(month), line.current(month)
    if total <= current:
        return ""
    return _(
        "%(line)s · %(where)s: 수납 누계 %(total)s이(가) 예산현액 %(budget)s을(를) %(over)s 넘습니다 (초과 수납)."
    ) % {
        "line": line.line.name,
        "where": ym(line.year, month),
        "total": won(total),
        "budget": won(current),
        "over": won(total - current),
    }
