"""Each line's status: its figures and what the dashboard's rules say about it.

A year may hold 10,000 lines and the overview judges all of them (how many are behind, committed, changed,
what the year-end forecast adds up to), but draws a few dozen. So the judgements are made in integers
(dashboard.figures), and the objects a row shows (its pace, forecast, change from last year) are built only
when a page asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby

from django.utils.functional import cached_property

from budget.core.figures import Comparison, Execution
from budget.core.ledger import Ledger, latest_explanations
from budget.core.models import Explanation
from budget.core.series import PlanTotals

from .figures import (
    RESERVE,
    Forecast,
    Pace,
    change_from_last_year,
    changed_much,
    commitment_state,
    forecast,
    gap_fraction,
    is_behind,
    projection,
)


@dataclass(eq=False)
class LineStatus:
    """One expenditure line with its figures and what the rules say about it."""

    line: dict  # a row of Ledger.line_rows()
    figures: Execution
    plan: PlanTotals | None
    month: int
    known: bool  # whether execution to the month is known (not inside a later cumulative figure)
    previous: int | None = None  # last year's final budget of the same line code, where there is one
    explanation: Explanation | None = None  # the newest 사유 up to the month
    own: bool = False  # the line's program belongs to the user's unit (or a unit under it)

    @property
    def reserve(self) -> bool:
        return self.line["account_code"] == RESERVE

    @property
    def judged(self) -> bool:
        # A reserve is held against the unforeseen, not spent on a schedule: it has no pace.
        return self.known and not self.reserve

    @cached_property
    def pace(self) -> Pace | None:
        """None for a reserve, or where execution to date is not known."""
        return Pace(self.figures, self.month, self.plan) if self.judged else None

    @cached_property
    def behind(self) -> bool:
        return self.judged and is_behind(self.figures, self.month, self.plan)

    @cached_property
    def commitment(self) -> str | None:
        """ "nearly", "full", "over" (figures.commitment_state)."""
        return commitment_state(self.figures)

    @cached_property
    def forecast(self) -> Forecast | None:
        return forecast(self.figures, self.month, self.plan) if self.known else None

    @cached_property
    def projected(self) -> int | None:
        """The forecast's 연말 지출 예상액 alone (what totals add up), without building the forecast."""
        return projection(self.figures, self.month, self.plan)[0] if self.known else None

    @cached_property
    def change(self) -> Comparison | None:
        """Against last year's final budget of the same line, where there is one."""
        return change_from_last_year(self.figures.current, self.previous)

    @cached_property
    def large_change(self) -> bool:
        return changed_much(self.figures.current, self.previous)

    @property
    def needs_explanation(self) -> bool:
        return self.behind or self.large_change

    @property
    def name(self) -> str:
        return self.line["program_name"] or self.line["name"]


def line_statuses(
    ledger: Ledger, *, own_units: frozenset[int] = frozenset(), known: bool = True, annotated: bool = True
) -> list[LineStatus]:
    """Every line of the ledger's scope, in budget order. Four queries (lines, plans, last year's
    finals, explanations) plus the ledger's two for figures by line; without `annotated` (a list that
    shows neither the change from last year nor the 사유) two, the finals and explanations unread."""
    plans = ledger.plan_by_line()
    previous = ledger.previous_final_by_code() if annotated else {}
    explanations = {e.line_id: e for e in latest_explanations(ledger.year, ledger.month)} if annotated else {}
    month = ledger.month
    return [
        LineStatus(
            line=line,
            figures=ledger.by("line", line["id"]),
            plan=plans.get(line["id"]),
            month=month,
            known=known,
            previous=previous.get(line["code"]),
            explanation=explanations.get(line["id"]),
            own=line["team_id"] is not None and line["team_id"] in own_units,
        )
        for line in ledger.line_rows()
    ]


def own_first(statuses: list[LineStatus]) -> list[LineStatus]:
    """The user's own programs first, each group in budget order (sorted() is stable)."""
    return sorted(statuses, key=lambda s: not s.own)


def furthest_behind_first(statuses: list[LineStatus]) -> list[LineStatus]:
    """The judged lines by their gap to the pace, largest first (gap_fraction: exact, no Fraction per line)."""
    return largest_first(statuses, lambda s: gap_fraction(s.figures, s.month, s.plan) or (0, 1))


def largest_first(items: list, ratio) -> list:
    """The items by `ratio(item)`, a (numerator, denominator > 0) pair, largest first, exactly; equal ratios
    keep their order.

    Sorted by the ratio as a float (int ÷ int is correctly rounded, and rounding never reverses an order),
    then each run of equal floats by the exact fraction: only what the floats tie on pays for a Fraction,
    where sorting thousands of Fractions (a gcd per comparison) was a tenth of a big year's dashboard.
    """
    keyed = []
    for item in items:
        numerator, denominator = ratio(item)
        keyed.append((-(numerator / denominator), numerator, denominator, item))
    keyed.sort(key=lambda entry: entry[0])
    ordered = []
    for _float, run in groupby(keyed, key=lambda entry: entry[0]):
        run = list(run)
        if len(run) > 1:
            run.sort(key=lambda entry: -Fraction(entry[1], entry[2]))
        ordered += [entry[3] for entry in run]
    return ordered
