"""What the dashboards show, as plain rows and statuses: computed once from a Ledger, then drawn
as tables and charts (one computation, two renderings, as budget.reports does for the report).

Every figure is an exact int (won) or comes from `dashboard.figures`; the grouped totals are the
ledger's sums in the database (the same queries as the report's tables), never re-added in Python.
A page runs a fixed number of queries whatever the number of lines: each shape is one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from budget.core.figures import Execution
from budget.core.ledger import Ledger
from budget.core.models import Account, FiscalYear
from budget.core.periods import closed_through, covered_through
from budget.core.rows import ReportTable, Row
from budget.core.sections import SECTION_LABELS, section_order
from budget.reports.report import execution_row, side_summary

from .figures import (
    EARLY_EXECUTION_MONTH,
    NOT_EARLY_ELIGIBLE,
    RESERVE,
    CurvePoint,
    EarlyExecution,
    cumulative_curve,
)
from .statuses import LineStatus, furthest_behind_first, largest_first, line_statuses, own_first

# How many programs get their own small curve on the overview (a synthetic year has hundreds; the
# area pages draw the rest).
PROGRAM_CURVES = 24
# How many lines each 구분 lists under its subtotal on the overview; its area page lists them all.
SECTION_LINES = 30


@dataclass
class ForecastTotal:
    """Line forecasts added up (won): the forecast is computed per line, so its totals can only be sums."""

    label: str = ""
    current: int = 0
    spent: int = 0
    projected: int = 0

    @property
    def lapse(self) -> int:
        return self.current - self.projected

    def add(self, status: LineStatus):
        self.current += status.figures.current
        self.spent += status.figures.expenditure
        self.projected += status.projected


@dataclass
class Overview:
    year: int
    month: int
    fiscal_year: FiscalYear
    ledger: Ledger
    statuses: list[LineStatus]
    closed_through: int  # as of the month viewed (never past it)
    closed_now: int  # the year's closed-through today, for what may still be written
    covered: int  # the last month the report's cumulative figure stands for (0: none)
    headline: Execution
    without_reserve: Execution
    natures: list[Row] = field(default_factory=list)
    reserve: list[Row] = field(default_factory=list)
    areas: list[Row] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)
    summaries: list[ReportTable] = field(default_factory=list)
    curve: list[CurvePoint] = field(default_factory=list)
    planned_lines: int = 0
    program_curves: list[tuple[LineStatus, list[CurvePoint]]] = field(default_factory=list)
    programs: int = 0
    early: EarlyExecution | None = None
    forecast_total: ForecastTotal = field(default_factory=ForecastTotal)
    forecast_reserve: ForecastTotal = field(default_factory=ForecastTotal)
    forecast_natures: list[ForecastTotal] = field(default_factory=list)

    @property
    def execution_held(self) -> bool:
        # A year still open holds its execution: only a finished one is asked whether it came with any.
        return not self.fiscal_year.finished or self.ledger.execution_held

    @property
    def known(self) -> bool:
        """Whether execution to the month is known: not when the month lies inside a later cumulative figure."""
        return self.month >= self.covered

    @cached_property
    def behind(self) -> list[LineStatus]:
        return own_first(furthest_behind_first([s for s in self.statuses if s.behind]))

    @cached_property
    def committed(self) -> list[LineStatus]:
        """Over 예산현액 first, then fully, then nearly committed; in each, the highest 원인행위율 first."""
        states: dict[str, list[LineStatus]] = {"over": [], "full": [], "nearly": []}
        for s in self.statuses:
            if s.commitment:
                states[s.commitment].append(s)
        return own_first([s for lines in states.values() for s in largest_first(lines, _commitment_rate)])

    @cached_property
    def changed(self) -> list[LineStatus]:
        return own_first([s for s in self.statuses if s.large_change])

    @cached_property
    def compared_lines(self) -> int:
        """Lines with a final budget of the same code last year (0 in 2022: 2021 is known by nature only)."""
        return sum(1 for s in self.statuses if s.previous is not None)

    @cached_property
    def forecasts(self) -> list[LineStatus]:
        """Lines other than reserves, the largest projected 불용액 first."""
        lines = [s for s in self.statuses if s.projected is not None and not s.reserve]
        return sorted(lines, key=lambda s: s.projected - s.figures.current)

    @property
    def forecast_rows(self) -> list[ForecastTotal]:
        """The forecast by nature, then 예비비 apart: the chart's bars, the table's rows."""
        return self.forecast_natures + ([self.forecast_reserve] if self.reserve_lines else [])

    @cached_property
    def reserve_lines(self) -> list[LineStatus]:
        return [s for s in self.statuses if s.reserve]


def _commitment_rate(status: LineStatus) -> tuple[int, int]:
    return status.figures.commitment, status.figures.current  # 예산현액 > 0 wherever there is a commitment state


def _section_label(code: str, status: LineStatus) -> str:
    if code == status.line["area_code"]:
        return status.line["area_name"]
    return _(SECTION_LABELS.get(code, code))


def build(
    ledger: Ledger,
    fiscal_year: FiscalYear,
    *,
    own_units: frozenset[int] = frozenset(),
    summaries: bool = True,
    early: bool = True,
    program_curves: int = PROGRAM_CURVES,
    section_lines: int | None = SECTION_LINES,
) -> Overview:
    """Everything the overview draws for the ledger's scope, year and month.

    Queries: covered and closed-through (2); the line statuses (4 + 2 by line); totals, by account,
    by section, by team (2 each); curves for the whole and by program, executed and planned (4);
    with `early`, the first half by account (2, none when the month is June or earlier); with
    `summaries`, 세입·세출 총괄 against last year (4).
    """
    year, month = ledger.year, ledger.month
    covered = covered_through(year)
    statuses = line_statuses(ledger, own_units=own_units, known=month >= covered)
    total = ledger.total
    # 예비비 is one nature; "예비비 제외" is the total less that nature's sums (both from the database).
    reserve = Execution.sum(ledger.by("account", a) for a in {s.line["account_id"] for s in statuses if s.reserve})
    closed_now = closed_through(year, covered=covered)
    overview = Overview(
        year=year,
        month=month,
        fiscal_year=fiscal_year,
        ledger=ledger,
        statuses=statuses,
        # As of the month viewed: months closed after it do not change what a view as of it says.
        closed_through=min(closed_now, month),
        closed_now=closed_now,
        covered=covered,
        headline=total,
        without_reserve=total - reserve,
    )
    _natures(overview, section_lines)
    _areas(overview, section_lines)
    _teams(overview)
    _curves(overview, program_curves)
    natures: dict[int, ForecastTotal] = {}
    for status in sorted(statuses, key=lambda s: s.line["account_order"]):
        if status.projected is not None:
            (overview.forecast_reserve if status.reserve else overview.forecast_total).add(status)
            if not status.reserve:
                label = status.line["account_name"]
                natures.setdefault(status.line["account_id"], ForecastTotal(label)).add(status)
    overview.forecast_natures = list(natures.values())
    overview.forecast_reserve.label = _("예비비")
    if early:
        overview.early = _early(overview)
    if summaries:
        overview.summaries = [
            side_summary(ledger, Account.Side.REVENUE),
            side_summary(ledger, Account.Side.EXPENDITURE),
        ]
    return overview


def _natures(o: Overview, limit: int | None):
    """성질별: each nature but 예비비, their sum, and 예비비 apart with at most `limit` of its lines (None:
    all; its area page lists them all)."""
    accounts: dict[int, LineStatus] = {}
    for s in o.statuses:
        accounts.setdefault(s.line["account_id"], s)
    lines = o.reserve_lines
    more = len(lines) - limit if limit is not None and len(lines) > limit else 0
    for account_id, first in sorted(accounts.items(), key=lambda item: item[1].line["account_order"]):
        figures = o.ledger.by("account", account_id)
        if first.reserve:
            o.reserve.append(execution_row(first.line["account_name"], "item", figures, section=RESERVE, more=more))
        else:
            o.natures.append(execution_row(first.line["account_name"], "item", figures))
    if o.natures:
        o.natures.append(execution_row(_("예비비 제외 계"), "total", o.without_reserve))
    if o.reserve:
        o.reserve += [execution_row(s.line["name"], "detail", s.figures, status=s) for s in lines[: len(lines) - more]]


def _areas(o: Overview, limit: int | None):
    """정책분야와 사업 (and 행정운영경비), the user's own first; 예비비 is shown apart. Each 구분 lists at
    most `limit` lines (None: all), and says how many more its area page has."""
    sections: dict[str, list[LineStatus]] = {}
    for s in o.statuses:
        if not s.reserve:
            sections.setdefault(s.line["section"], []).append(s)
    order = sorted(sections, key=lambda code: (not any(s.own for s in sections[code]), section_order(code)))
    for code in order:
        lines = own_first(sections[code])
        label = _section_label(code, lines[0])
        more = len(lines) - limit if limit is not None and len(lines) > limit else 0
        o.areas.append(execution_row(label, "subtotal", o.ledger.by("section", code), section=code, more=more))
        o.areas += [execution_row(s.name, "item", s.figures, status=s) for s in lines[: len(lines) - more]]


def _teams(o: Overview):
    """담당 팀별: program lines only; 행정운영경비 and 예비비 belong to no team."""
    teams: dict[int, LineStatus] = {}
    programs: dict[int, int] = {}
    for s in o.statuses:
        team_id = s.line["team_id"]
        if team_id is not None:
            teams.setdefault(team_id, s)
            programs[team_id] = programs.get(team_id, 0) + 1
    for team_id, first in sorted(teams.items(), key=lambda item: not item[1].own):
        figures = o.ledger.by("team", team_id)
        o.teams.append(
            execution_row(first.line["team_name"], "item", figures, own=first.own, programs=programs[team_id])
        )


def _curves(o: Overview, limit: int):
    whole = o.ledger.monthly().get(None)
    plans = o.ledger.plan_monthly().get(None)
    o.planned_lines = sum(1 for s in o.statuses if s.plan is not None)
    o.curve = cumulative_curve(whole, o.month, plans, o.headline.current, o.covered)
    programs = own_first([s for s in o.statuses if s.line["program_id"] is not None])
    o.programs = len(programs)
    by_program = o.ledger.monthly("program")
    plans_by_program = o.ledger.plan_monthly("program")
    for s in programs[:limit]:
        key = s.line["program_id"]
        points = cumulative_curve(by_program.get(key), o.month, plans_by_program.get(key), s.figures.current, o.covered)
        o.program_curves.append((s, points))


def _early(o: Overview) -> EarlyExecution:
    """The first half's 신속집행 on eligible natures, through June or the month if earlier."""
    through = min(o.month, EARLY_EXECUTION_MONTH)
    ledger = o.ledger.earlier(through)
    eligible = {s.line["account_id"] for s in o.statuses if s.line["account_code"] not in NOT_EARLY_ELIGIBLE}
    figures = Execution.sum(ledger.by("account", a) for a in eligible)
    return EarlyExecution(
        target=o.fiscal_year.early_execution_target,
        budget=figures.current,
        expenditure=figures.expenditure,
        through=through,
        # Months inside a later cumulative figure (2022: January–September in one) are not known.
        known=o.covered <= through,
    )


def month_rows(series, plan: dict | None, through: int, covered: int) -> list[dict]:
    """A line's twelve months: each month's 원인행위액 and 지출액, the running totals and the plan (won).

    A month inside a later cumulative figure has no figure of its own (None); the month the
    cumulative record stands at is marked, and its amounts are the total since January.
    """
    covered = max(covered, series.covered if series else 0)
    months = series.months if series else {}
    rows = []
    committed = spent = planned = 0
    for month in range(1, 13):
        flow = months.get(month)
        if plan is not None:
            planned += plan[month].expenditure if month in plan else 0
        known = covered <= month <= through
        if flow and known:
            committed += flow.commitment
            spent += flow.expenditure
        rows.append(
            {
                "month": month,
                "known": known,
                "cumulative_record": month == covered,
                "commitment": (flow.commitment if flow else 0) if known else None,
                "expenditure": (flow.expenditure if flow else 0) if known else None,
                "commitment_cumulative": committed if known else None,
                "cumulative": spent if known else None,
                "plan": (plan[month].expenditure if month in plan else 0) if plan is not None else None,
                "plan_cumulative": planned if plan is not None else None,
            }
        )
    return rows
