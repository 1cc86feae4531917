"""세입 집행현황 and the cash position on the dashboard: 수납 누계 − 지출 누계 month by month.

The table is the report's (budget.reports.revenue), year-wide whatever lines the dashboard is narrowed to;
the cash position needs the whole year's 지출, so it is drawn only when the dashboard is not narrowed. A
month whose 수납 or 지출 to date is not known (before the first 수납 entered, or inside a report's cumulative
figure) shows '-', never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from budget.core.collected import Collected, collected
from budget.core.ledger import Ledger
from budget.core.rows import Column, ReportTable
from budget.reports.report import as_of_caption
from budget.reports.revenue import revenue_execution
from budget.reports.tables import SpecTable

from .charts import series, thousands
from .figures import CurvePoint


@dataclass(frozen=True)
class CashPoint:
    month: int
    collected: int | None  # 수납 누계, won
    spent: int | None  # 지출 누계, won

    @property
    def position(self) -> int | None:
        if self.collected is None or self.spent is None:
            return None
        return self.collected - self.spent


def cash_position(figures: Collected, curve: list[CurvePoint]) -> list[CashPoint]:
    """January through the as-of month: 수납 누계, 지출 누계 and their difference, from figures already read."""
    return [CashPoint(p.month, figures.to_date(p.month), p.expenditure) for p in curve if p.month <= figures.month]


def cash_chart(points: list[CashPoint], *, title: str) -> dict:
    """수납 누계, 지출 누계 and the cash position as lines (천원); an unknown month is a gap."""
    return {
        "type": "line",
        "unit": "천원",
        "title": title,
        "compact": False,
        "note": "",
        "budget": None,
        "labels": [_("%(month)s월") % {"month": p.month} for p in points],
        "datasets": [
            series(_("수납 누계"), "commitment", [thousands(p.collected) for p in points], kind="line"),
            series(_("지출 누계"), "expenditure", [thousands(p.spent) for p in points], kind="line"),
            series(_("자금 수지"), "target", [thousands(p.position) for p in points], kind="line"),
        ],
    }


CASH_KEY = "cash-position"


def narrowed_message() -> str:
    return _("자금 수지는 재단 전체의 수납과 지출로만 봅니다. 팀·성질 선택을 풀면 보입니다.")


def cash_table(points: list[CashPoint] | None, *, year: int, month: int) -> ReportTable:
    """The cash position as a table, for its CSV: won, and empty where a month is not known."""
    title = _("월별 자금 수지 (수납 누계 − 지출 누계)")
    caption = as_of_caption(year, month)
    if points is None:
        return ReportTable(CASH_KEY, title, caption, [], [], missing=narrowed_message())
    columns = [
        Column("label", _("월"), "text"),
        Column("collected", _("수납 누계")),
        Column("spent", _("지출 누계")),
        Column("position", _("자금 수지")),
    ]
    rows = [
        {
            "label": _("%(month)s월") % {"month": p.month},
            "level": "item",
            "collected": p.collected,
            "spent": p.spent,
            "position": p.position,
        }
        for p in points
    ]
    return ReportTable(CASH_KEY, title, caption, columns, rows)


def cash_csv_table(o) -> ReportTable:
    """The overview's cash position (dashboard.csv_tables): one query more, the year's 수납."""
    narrowed = o.ledger.scope is not None
    points = None if narrowed else cash_position(collected(o.year, o.month), o.curve)
    return cash_table(points, year=o.year, month=o.month)


def revenue_csv_table(o) -> ReportTable:
    return revenue_execution(o.ledger)


@dataclass
class RevenuePanel:
    table: ReportTable
    rendered: SpecTable
    cash: list[CashPoint] | None  # None when the dashboard is narrowed to some lines
    chart: dict | None


def revenue_panel(ledger: Ledger, curve: list[CurvePoint], *, narrowed: bool) -> RevenuePanel:
    """One query: the year's 수납 through the month (the budget and the 지출 are the overview's)."""
    figures = collected(ledger.year, ledger.month)
    table = revenue_execution(ledger, figures)
    cash = None if narrowed else cash_position(figures, curve)
    chart = cash_chart(cash, title=_("월별 자금 수지 (수납 누계 − 지출 누계)")) if cash and figures.known else None
    return RevenuePanel(table, SpecTable(table), cash, chart)
