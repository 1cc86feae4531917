"""The dashboard's curve of years: this year's cumulative 집행률 by month against each year before it that
the app holds (up to budget.core.years.PREVIOUS_YEARS), at the same months; and a program's years.

Drawn from budget.core.years (four queries for every year shown), as a chart and the table of the same
numbers (the page's table and its CSV): rates to one decimal, half-up, as every table prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from budget.core.models import BudgetLine
from budget.core.rows import Column, ReportTable, Row
from budget.core.years import PREVIOUS_YEARS, LineYear, YearCurve, line_years, year_curves
from budget.reports.report import as_of_caption
from budget.reports.tables import SpecTable

from .charts import one_decimal, series

MONTHS = range(1, 13)
# The years before, newest first, in paler colours the further back (static/js/dashboard.js).
PAST_ROLES = [f"past{n}" for n in range(1, PREVIOUS_YEARS + 1)]


KEY = "years-curve"


@dataclass
class YearsCurve:
    year: int
    month: int
    curves: list[YearCurve]  # oldest first, this year last
    chart: dict
    table: ReportTable  # this year, then the years before newest first: the page's table and its CSV
    not_held: list[int]  # years held without execution: no curve of zeros

    @property
    def before(self) -> list[YearCurve]:
        """The years before with execution, newest first."""
        return [c for c in reversed(self.curves) if c.year != self.year and c.held]

    @property
    def at_month(self) -> list[tuple[int, Fraction | None]]:
        """Each drawn year's rate at the month viewed, this year first."""
        return [(row["year"], row[f"m{self.month}"]) for row in self.table.rows]

    @property
    def drawn(self) -> SpecTable:
        return SpecTable(self.table)

    @property
    def not_held_text(self) -> str:
        return ", ".join(str(y) for y in self.not_held)

    @property
    def cap(self) -> int:
        return PREVIOUS_YEARS


def years_curve(year: int, month: int, *, team: int | None = None, nature: int | None = None) -> YearsCurve:
    """The curve of years for the dashboard's choices: exact rates in the table (None where a month is not
    known, or not yet come this year), one decimal on the chart."""
    curves = year_curves(year, month, team=team, nature=nature)
    drawn = [c for c in curves if c.held]
    before = [c for c in reversed(drawn) if c.year != year]
    this = next((c for c in drawn if c.year == year), None)
    datasets = [
        series(str(c.year), role, [one_decimal(c.at(m)) for m in MONTHS], kind="line")
        for c, role in zip(before, PAST_ROLES, strict=False)
    ]
    datasets.reverse()  # the oldest drawn first, this year on top
    if this is not None:
        datasets.append(series(str(year), "expenditure", [one_decimal(this.at(m)) for m in MONTHS], kind="line"))
    chart = {
        "type": "line",
        "unit": "%",
        "title": _("연도별 누적 집행률 (지출액 누계 ÷ 예산현액)"),
        "labels": [_("%(month)s월") % {"month": m} for m in MONTHS],
        "datasets": datasets,
    }
    rows: list[Row] = [
        {
            "label": str(c.year),
            "year": c.year,
            "level": "total" if c.year == year else "item",
            **{f"m{m}": c.at(m) for m in MONTHS},
        }
        for c in ([this] if this else []) + before
    ]
    columns = [Column("label", _("회계연도"), "text")]
    columns += [Column(f"m{m}", _("%(month)s월") % {"month": m}, "rate") for m in MONTHS]
    table = ReportTable(
        KEY, _("연도별 누적 집행률 (지출액 누계 ÷ 예산현액)"), as_of_caption(year, month, "%"), columns, rows
    )
    return YearsCurve(year, month, curves, chart, table, [c.year for c in curves if not c.held])


def program_years(program, year: int, month: int) -> list[LineYear]:
    """A program's line in each year it ran, up to the year viewed (as of its month; earlier years at their
    end), with 예산현액 and execution: four queries whatever the number of years."""
    return line_years(BudgetLine.objects.filter(program=program), year=year, month=month)
