"""The dashboards' rules, on exact amounts: pace against plan or the elapsed year, commitment flags,
the year-end forecast, the cumulative curve and the first-half 신속집행 rate.

Pure Python, no database. Amounts are int won. The rules compare in integers (cross-multiplied), so
that a year of 10,000 lines is judged without building a Fraction per line; a rate is a Fraction only
when it is shown, and is rounded half-up to one decimal by `budget.display` then.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from budget.core.figures import Comparison, Execution, half_up_div, percent
from budget.core.series import Flow, MonthSeries, PlanTotals

# A line without a plan is behind when its 집행률 trails the elapsed share of the year (as_of month
# ÷ 12) by more than this many percentage points. 15%p: spending is rarely even (contracts are paid on
# delivery, late in the year), so a smaller margin would flag most lines every spring; 15%p still
# catches a program at half the pace by September (e.g. 44% at 75% elapsed).
PACE_MARGIN = 15
# With a 월별 집행계획 the line's own schedule is the yardstick, so the margin is tighter: behind
# when expenditure to date is short of the plan to date by more than 10% of 예산현액.
PLAN_MARGIN = 10
# 원인행위 at or above this share of 예산현액 leaves little to commit: the line is "nearly committed".
NEARLY_COMMITTED = 95
# A line whose 예산현액 moved this much (either way) from last year's final budget needs a 사유.
LARGE_CHANGE = 30
# 신속집행 is counted over the first half, on eligible expenses only: not personnel, not reserves.
EARLY_EXECUTION_MONTH = 6
NOT_EARLY_ELIGIBLE = ("personnel", "reserve")
RESERVE = "reserve"


@dataclass(frozen=True)
class Pace:
    """Where a line stands against its plan to date, or against the elapsed share of the year."""

    figures: Execution
    month: int
    plan: PlanTotals | None

    @property
    def basis(self) -> str:
        return "plan" if self.plan is not None else "elapsed"

    @property
    def margin(self) -> int:
        return PLAN_MARGIN if self.plan is not None else PACE_MARGIN

    @property
    def expected(self) -> Fraction | None:
        """The 집행률 expected by now, in % of 예산현액: the plan to date, or month ÷ 12."""
        if self.plan is not None:
            return percent(self.plan.through.expenditure, self.figures.current)
        return Fraction(100 * self.month, 12)

    @property
    def actual(self) -> Fraction | None:
        return self.figures.expenditure_rate

    @cached_property
    def gap(self) -> Fraction | None:
        """Percentage points behind (positive) or ahead (negative): expected − actual, as one fraction."""
        parts = gap_fraction(self.figures, self.month, self.plan)
        return Fraction(*parts) if parts else None

    @property
    def behind(self) -> bool:
        return is_behind(self.figures, self.month, self.plan)


def is_behind(figures: Execution, month: int, plan: PlanTotals | None) -> bool:
    """Strictly more than the margin behind; a line with no budget cannot be behind. In integers."""
    current, spent = figures.current, figures.expenditure
    if current <= 0:
        return False
    if plan is not None:
        # (plan to date − spent) ÷ 예산현액 × 100 > PLAN_MARGIN
        return (plan.through.expenditure - spent) * 100 > PLAN_MARGIN * current
    # month ÷ 12 × 100 − spent ÷ 예산현액 × 100 > PACE_MARGIN, multiplied out by 12 × 예산현액
    return (100 * month - 12 * PACE_MARGIN) * current > 1200 * spent


def gap_fraction(figures: Execution, month: int, plan: PlanTotals | None) -> tuple[int, int] | None:
    """Pace.gap as (numerator, denominator) in integers, denominator > 0; None with no budget."""
    current, spent = figures.current, figures.expenditure
    if not current:
        return None
    if plan is not None:
        numerator, denominator = 100 * (plan.through.expenditure - spent), current
    else:
        numerator, denominator = 100 * month * current - 1200 * spent, 12 * current
    return (-numerator, -denominator) if denominator < 0 else (numerator, denominator)


def commitment_state(figures: Execution) -> str | None:
    """How far a line is committed: "over" 예산현액, "full", "nearly" (from NEARLY_COMMITTED %), or None."""
    current, committed = figures.current, figures.commitment
    if current <= 0:
        return None
    if committed > current:
        return "over"
    if committed == current:
        return "full"
    if committed * 100 >= NEARLY_COMMITTED * current:
        return "nearly"
    return None


@dataclass(frozen=True)
class Forecast:
    """A line's expected expenditure at year end and the 불용액 that would follow, in won."""

    current: int  # 예산현액 as of the month
    spent: int  # 지출액 to date
    projected: int  # 연말 지출 예상액
    method: str  # "actual" (December: the year is over), "plan", "pace"

    @property
    def lapse(self) -> int:
        """예상 불용액: 예산현액 − 예상 지출액 (carry-over to next year is not forecast)."""
        return self.current - self.projected

    @property
    def projected_rate(self) -> Fraction | None:
        return percent(self.projected, self.current)


def forecast(figures: Execution, month: int, plan: PlanTotals | None) -> Forecast:
    """Year-end expenditure: paid so far, plus the plan for the remaining months where the line has a
    plan, else the pace so far carried over twelve months (spent × 12 ÷ month, half-up to the won).

    Nothing can be paid beyond 예산현액 (a commitment past it is refused), so a projection stops there;
    it never drops below what is already paid.
    """
    projected, method = projection(figures, month, plan)
    return Forecast(figures.current, figures.expenditure, projected, method)


def projection(figures: Execution, month: int, plan: PlanTotals | None) -> tuple[int, str]:
    """The forecast's 연말 지출 예상액 and its method, as plain values (what a total of thousands of lines adds)."""
    spent = figures.expenditure
    if month >= 12:
        projected, method = spent, "actual"
    elif plan is not None:
        projected, method = spent + plan.after.expenditure, "plan"
    else:
        projected, method = half_up_div(spent * 12, month), "pace"
    return max(spent, min(projected, figures.current)), method


def change_from_last_year(current: int, previous: int | None) -> Comparison | None:
    """This year's 예산현액 against last year's final budget of the same line; None if it had none."""
    if previous is None:
        return None
    return Comparison(current, previous)


def is_large_change(comparison: Comparison | None) -> bool:
    """At least LARGE_CHANGE % up or down from last year's final budget, or new (순증); in integers."""
    return comparison is not None and changed_much(comparison.current, comparison.previous)


def changed_much(current: int, previous: int | None) -> bool:
    """is_large_change on the two amounts (None: no line of the code last year, so no change to judge)."""
    if previous is None:
        return False
    if previous == 0:
        return current != 0  # 순증 (both zero: no change at all)
    return abs(current - previous) * 100 >= LARGE_CHANGE * abs(previous)


@dataclass(frozen=True)
class CurvePoint:
    """One month of the cumulative curve, in won; None where the month is not known."""

    month: int
    plan: int | None  # 계획 지출 누계 (None: no plan in the scope)
    commitment: int | None  # 원인행위 누계
    expenditure: int | None  # 지출 누계
    even: int  # 균등 집행선: 예산현액 × month ÷ 12


def cumulative_curve(
    series: MonthSeries | None, through: int, plan: dict[int, Flow] | None, current: int, covered: int = 0
) -> list[CurvePoint]:
    """Twelve months of cumulative execution against the plan and the even pace.

    A month is known from the last month a cumulative record stands for (`covered`, or the series'
    own) through `through`; before it the figure exists only as that later total, and the curve
    shows nothing rather than an invented monthly split. After `through` it has not happened yet.
    """
    covered = max(covered, series.covered if series else 0)
    months = series.months if series else {}
    committed = spent = planned = 0
    points = []
    for month in range(1, 13):
        flow = months.get(month)
        if flow:
            committed += flow.commitment
            spent += flow.expenditure
        if plan is not None:
            planned += plan.get(month, Flow()).expenditure
        known = covered <= month <= through
        points.append(
            CurvePoint(
                month=month,
                plan=planned if plan is not None else None,
                commitment=committed if known else None,
                expenditure=spent if known else None,
                even=half_up_div(current * month, 12),
            )
        )
    return points


@dataclass(frozen=True)
class EarlyExecution:
    """상반기 신속집행: eligible expenditure from January through `through` (June at most) against the
    eligible 예산현액 at that month's end, and the target the finance lead set (in %)."""

    target: Decimal | None
    budget: int
    expenditure: int
    through: int
    known: bool = True  # False when those months exist only inside a later cumulative figure

    @property
    def rate(self) -> Fraction | None:
        return percent(self.expenditure, self.budget) if self.known else None

    @property
    def final(self) -> bool:
        return self.through >= EARLY_EXECUTION_MONTH

    @property
    def met(self) -> bool | None:
        """Whether the target is reached (exactly at it counts); None with no target or no figure."""
        if self.target is None or self.rate is None:
            return None
        return self.rate >= Fraction(self.target)

    @property
    def shortfall(self) -> int | None:
        """Won still to pay to reach the target (0 once reached)."""
        if self.target is None or not self.known:
            return None
        needed = Fraction(self.target) * self.budget / 100
        return max(0, _ceil(needed) - self.expenditure)


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
