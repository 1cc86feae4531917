"""세입 집행현황: each revenue source's 예산현액, 수납액, 수납률 and 미수납액 as of a month, one table drawn as
HTML, CSV, JSON, the council workbook and the dashboard alike."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budget.core.collected import Collected, collected
from budget.core.figures import Marker, percent
from budget.core.ledger import Ledger
from budget.core.models import Account
from budget.core.rows import Column, ReportTable, Row
from budget.core.rules import won

KEY = "revenue-execution"
# 수납 the app does not hold for the month viewed: said, never a 0 (docs/conventions.md, "No false zeros").
NOT_HELD = Marker(gettext_noop("자료 없음"))
UNKNOWN_CELLS = ("collected", "collection_rate", "uncollected")  # the columns of 수납


def _row(label: str, level: str, current: int, amount: int | None) -> Row:
    if amount is None:
        return {
            "label": label,
            "level": level,
            "current": current,
            **dict.fromkeys(UNKNOWN_CELLS, NOT_HELD),
        }
    return {
        "label": label,
        "level": level,
        "current": current,
        "collected": amount,
        "collection_rate": percent(amount, current),
        "uncollected": current - amount,
    }


def not_held_reason(figures: Collected) -> str:
    if figures.covered:
        return _(
            "%(year)s년 1~%(through)s월은 보고서 누계로 확정된 달이고 그 수납은 보고되지 않아, "
            "%(year)s년의 수납 누계는 자료 없음으로 둡니다."
        ) % {"year": figures.year, "through": figures.covered}
    return _("%(year)s년 %(month)s월까지 입력된 수납이 없어 수납액은 자료 없음으로 둡니다.") % {
        "year": figures.year,
        "month": figures.month,
    }


def revenue_execution(ledger: Ledger, figures: Collected | None = None) -> ReportTable:
    """세입 집행현황 by source: 예산현액 at the month's end (every revenue account, as 세입 총괄 lists them),
    수납액 through the month, 수납률 = 수납액 × 100 ÷ 예산현액, 미수납액 = 예산현액 − 수납액; 계 first.

    수납 beyond 예산현액 is allowed: its row shows a 미수납액 below zero and a note names it.
    """
    from budget.reports.report import as_of_caption

    figures = figures or collected(ledger.year, ledger.month)
    budgets = ledger.accounts_two_years
    accounts = [a for a in ledger.accounts if a.side == Account.Side.REVENUE]
    known = figures.known
    current_total = sum(budgets.get(a.pk, (0, 0))[0] for a in accounts)
    rows = [_row(_("계"), "total", current_total, figures.total if known else None)]
    notes = []
    for account in accounts:
        current = budgets.get(account.pk, (0, 0))[0]
        amount = figures.by_account.get(account.pk, 0) if known else None
        rows.append(_row(account.name, "item", current, amount))
        if amount is not None and amount > current:
            notes.append(
                _("초과 수납: %(source)s 수납액 %(amount)s이(가) 예산현액 %(budget)s을(를) %(over)s 넘습니다.")
                % {
                    "source": _(account.name),
                    "amount": won(amount),
                    "budget": won(current),
                    "over": won(amount - current),
                }
            )
    if not known:
        notes.append(not_held_reason(figures))
    # Not known, the 수납 columns hold the words (as text, in the page, the workbook, the CSV and the API alike).
    columns = [
        Column("label", _("구 분"), "text"),
        Column("current", _("예산현액")),
        Column("collected", _("수납액"), "money" if known else "text"),
        Column("collection_rate", _("수납률"), "rate" if known else "text"),
        Column("uncollected", _("미수납액"), "money" if known else "text"),
    ]
    return ReportTable(KEY, _("세입 집행현황"), as_of_caption(ledger.year, ledger.month), columns, rows, notes)
