"""The dashboard's curve of years: this year's cumulative 집행률 by month against each year before it that
the app holds (up to budget.core.years.PREVIOUS_YEARS), at the same months; and a program's years.

Drawn from budget.core.years (two queries for every year shown), as a chart and the table of the same
numbers: rates to one decimal, half-up, as every table prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from budget.core import display
from budget.core.models import BudgetLine
from budget.core.years import PREVIOUS_YEARS, LineYear, YearCurve, line_years, year_curves

from .charts import one_decimal, series

MONTHS = range(1, 13)
# The years before, newest first, in paler colours the further back (static/js/dashboard.js).
PAST_ROLES = [f"past{n}" for n in range(1, PREVIOUS_YEARS + 1)]


@dataclass
class YearsCurve:
    year: int
    month: int
    curves: list[YearCurve]  # oldest first, this year last
    chart: dict
    rows: list[dict]
    not_held: list[int]  # years held without execution: no curve of zeros

    @property
    def this(self) -> YearCurve | None:
        return next((c for c in self.curves if c.year == self.year), None)

    @property
    def before(self) -> list[YearCurve]:
        """The years before with execution, newest first."""
        return [c for c in reversed(self.curves) if c.year != self.year and c.held]

    @property
    def not_held_text(self) -> str:
        return ", ".join(str(y) for y in self.not_held)

    @property
    def cap(self) -> int:
        return PREVIOUS_YEARS


def _cell(curve: YearCurve, month: int, this_year: bool, through: int) -> str:
    if this_year and month > through:
        return ""
    return "-" if curve.at(month) is None else display.rate(curve.at(month))


def years_curve(year: int, month: int, *, team: int | None = None, nature: int | None = None) -> YearsCurve:
    curves = year_curves(year, month, team=team, nature=nature)
    drawn = [c for c in curves if c.held]
    before = [c for c in reversed(drawn) if c.year != year]
    datasets = [
        series(str(c.year), role, [one_decimal(c.at(m)) for m in MONTHS], kind="line")
        for c, role in zip(before, PAST_ROLES, strict=False)
    ]
    datasets.reverse()  # the oldest drawn first, this year on top
    this = next((c for c in drawn if c.year == year), None)
    if this is not None:
        datasets.append(
            series(
                str(year), "expenditure", [one_decimal(this.at(m)) if m <= month else None for m in MONTHS], kind="line"
            )
        )
    chart = {
        "type": "line",
        "unit": "%",
        "title": _("연도별 누적 집행률 (지출액 누계 ÷ 예산현액)"),
        "labels": [_("%(month)s월") % {"month": m} for m in MONTHS],
        "datasets": datasets,
    }
    rows = [
        {
            "year": c.year,
            "this": c.year == year,
            "cells": [_cell(c, m, c.year == year, month) for m in MONTHS],
            "at_month": c.at(month),
        }
        for c in ([this] if this else []) + before
    ]
    return YearsCurve(year, month, curves, chart, rows, [c.year for c in curves if not c.held])


def program_years(program, year: int, month: int) -> list[LineYear]:
    """A program's line in each year it ran, up to the year viewed (as of its month; earlier years at their
    end), with 예산현액 and execution: four queries whatever the number of years."""
    return line_years(BudgetLine.objects.filter(program=program), year=year, month=month)
