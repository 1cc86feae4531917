"""The dashboards' rules on hand-checkable amounts: pace, commitment, forecast, curve, 신속집행.

Pure Python (dashboard.figures): no database.
"""

from decimal import Decimal
from fractions import Fraction

from budget.core.figures import Comparison, Execution
from budget.core.series import Flow, MonthSeries, PlanTotals
from dashboard.figures import (
    EarlyExecution,
    Pace,
    commitment_state,
    cumulative_curve,
    forecast,
    is_large_change,
)
from dashboard.overview import month_rows


def plan(through: int, year: int) -> PlanTotals:
    """A plan of `through` won of expenditure to date and `year` won over the year."""
    return PlanTotals(Flow(through, through), Flow(year, year))


# -- pace without a plan: behind when 집행률 < month ÷ 12 − 15%p ------------------------------------


def test_without_plan_the_yardstick_is_the_elapsed_share_of_the_year():
    pace = Pace(Execution(1_200_000, 0, 600_000), month=9, plan=None)
    assert pace.basis == "elapsed"
    assert pace.expected == Fraction(75)  # 9 ÷ 12
    assert pace.actual == Fraction(50)
    assert pace.gap == Fraction(25)
    assert pace.behind


def test_exactly_the_margin_behind_is_not_behind():
    # September: 75% elapsed; 60% spent is 15%p behind, which is the margin itself.
    assert not Pace(Execution(1_000_000, 0, 600_000), month=9, plan=None).behind
    # One won less is past it.
    assert Pace(Execution(1_000_000, 0, 599_999), month=9, plan=None).behind


def test_a_line_with_no_spending_is_behind_once_the_margin_has_passed():
    nothing = Execution(1_200_000, 0, 0)
    assert not Pace(nothing, month=1, plan=None).behind  # 8.3%p behind: within 15%p
    assert Pace(nothing, month=2, plan=None).behind  # 16.7%p behind
    assert Pace(nothing, month=2, plan=None).gap == Fraction(50, 3)


def test_a_line_without_budget_is_never_behind():
    pace = Pace(Execution(0, 0, 0), month=12, plan=None)
    assert pace.actual is None and pace.gap is None
    assert not pace.behind


# -- pace with a plan: behind when short of the plan to date by more than 10% of 예산현액 ---------------


def test_with_a_plan_the_yardstick_is_the_plan_to_date():
    pace = Pace(Execution(1_000_000, 0, 300_000), month=6, plan=plan(450_000, 1_000_000))
    assert pace.basis == "plan"
    assert pace.expected == Fraction(45)
    assert pace.gap == Fraction(15)
    assert pace.behind


def test_with_a_plan_exactly_ten_points_short_is_not_behind():
    assert not Pace(Execution(1_000_000, 0, 350_000), month=6, plan=plan(450_000, 1_000_000)).behind
    assert Pace(Execution(1_000_000, 0, 349_999), month=6, plan=plan(450_000, 1_000_000)).behind


def test_a_plan_that_spends_late_excuses_a_slow_start():
    # 20% spent by September is far behind the elapsed 75%, but the plan said 25%: within 10%p.
    slow = Execution(1_000_000, 0, 200_000)
    assert Pace(slow, month=9, plan=None).behind
    assert not Pace(slow, month=9, plan=plan(250_000, 1_000_000)).behind


# -- commitment --------------------------------------------------------------------------------------


def test_commitment_states_at_their_edges():
    assert commitment_state(Execution(1_000_000, 949_999, 0)) is None
    assert commitment_state(Execution(1_000_000, 950_000, 0)) == "nearly"  # 95.0% exactly
    assert commitment_state(Execution(1_000_000, 999_999, 0)) == "nearly"
    assert commitment_state(Execution(1_000_000, 1_000_000, 0)) == "full"
    assert commitment_state(Execution(1_000_000, 1_000_001, 0)) == "over"
    assert commitment_state(Execution(0, 0, 0)) is None


# -- forecast ---------------------------------------------------------------------------------------


def test_forecast_from_pace_for_a_line_without_plan():
    # 300,000 paid in 9 months → 400,000 a year; budget 1,000,000 → 600,000 projected to lapse.
    f = forecast(Execution(1_000_000, 500_000, 300_000), month=9, plan=None)
    assert (f.method, f.projected, f.lapse) == ("pace", 400_000, 600_000)
    assert f.projected_rate == Fraction(40)


def test_forecast_from_pace_rounds_half_up_to_the_won():
    # 1 won in 8 months → 1.5 won a year → 2 won.
    assert forecast(Execution(10, 0, 1), month=8, plan=None).projected == 2
    # 100 won in 9 months → 133.33 → 133 won.
    assert forecast(Execution(1_000, 0, 100), month=9, plan=None).projected == 133


def test_forecast_from_the_plan_adds_the_months_still_planned():
    # Paid 300,000 by June; the plan has 700,000 for the whole year of which 400,000 by June:
    # 300,000 still planned for July–December → 600,000; budget 1,000,000 → 400,000 lapse.
    f = forecast(Execution(1_000_000, 300_000, 300_000), month=6, plan=plan(400_000, 700_000))
    assert (f.method, f.projected, f.lapse) == ("plan", 600_000, 400_000)


def test_forecast_for_a_line_with_no_spending_is_zero_and_all_of_it_lapses():
    f = forecast(Execution(500_000, 0, 0), month=9, plan=None)
    assert (f.projected, f.lapse) == (0, 500_000)


def test_forecast_stops_at_the_budget():
    # 900,000 in 6 months would be 1,800,000 a year; nothing can be paid past 예산현액.
    f = forecast(Execution(1_000_000, 900_000, 900_000), month=6, plan=None)
    assert (f.projected, f.lapse) == (1_000_000, 0)


def test_forecast_never_drops_below_what_is_paid():
    # Overspent already (an error elsewhere): the projection is what is paid, the lapse negative.
    f = forecast(Execution(1_000_000, 1_100_000, 1_100_000), month=6, plan=None)
    assert (f.projected, f.lapse) == (1_100_000, -100_000)


def test_in_december_the_forecast_is_the_actual():
    f = forecast(Execution(1_000_000, 800_000, 700_000), month=12, plan=plan(900_000, 900_000))
    assert (f.method, f.projected, f.lapse) == ("actual", 700_000, 300_000)


# -- change from last year --------------------------------------------------------------------------


def test_large_change_edges():
    assert not is_large_change(None)  # no line of that code last year (2022: 2021 known by nature only)
    assert not is_large_change(Comparison(1_290_000, 1_000_000))  # +29%
    assert is_large_change(Comparison(1_300_000, 1_000_000))  # +30% exactly
    assert is_large_change(Comparison(700_000, 1_000_000))  # △30%
    assert is_large_change(Comparison(100, 0))  # 순증
    assert not is_large_change(Comparison(0, 0))


# -- the cumulative curve ---------------------------------------------------------------------------


def test_a_cumulative_record_is_one_point_not_an_invented_history():
    series = MonthSeries({9: Flow(51_833_000, 51_833_000)}, covered=9)
    points = cumulative_curve(series, through=9, plan=None, current=400_000_000)
    assert [p.expenditure for p in points] == [None] * 8 + [51_833_000] + [None] * 3
    assert all(p.plan is None for p in points)
    assert points[8].even == 300_000_000  # 400,000,000 × 9 ÷ 12
    assert points[11].even == 400_000_000


def test_monthly_records_cumulate_and_stop_at_the_month():
    series = MonthSeries({1: Flow(100, 10), 3: Flow(50, 20), 5: Flow(0, 30)})
    points = cumulative_curve(series, through=4, plan={1: Flow(0, 5), 4: Flow(0, 5)}, current=120)
    assert [p.expenditure for p in points[:5]] == [10, 10, 30, 30, None]  # an empty month stays level
    assert [p.commitment for p in points[:4]] == [100, 100, 150, 150]
    assert [p.plan for p in points[:5]] == [5, 5, 5, 10, 10]  # the plan goes on past the month
    assert [p.even for p in points[:3]] == [10, 20, 30]


def test_a_month_before_the_report_s_cumulative_figure_is_not_known():
    # As of June 2022 the report's figure (September) is not yet counted and June's is not known.
    points = cumulative_curve(None, through=6, plan=None, current=120, covered=9)
    assert all(p.expenditure is None for p in points)


def test_month_rows_mark_the_cumulative_record():
    rows = month_rows(MonthSeries({9: Flow(60, 50), 10: Flow(5, 5)}, covered=9), None, through=10, covered=9)
    assert [r["expenditure"] for r in rows[7:11]] == [None, 50, 5, None]
    assert [r["cumulative"] for r in rows[7:11]] == [None, 50, 55, None]
    assert rows[8]["cumulative_record"] and not rows[9]["cumulative_record"]


# -- 신속집행 ----------------------------------------------------------------------------------------


def test_early_execution_meets_its_target_exactly_at_it():
    met = EarlyExecution(target=Decimal("55.5"), budget=1_000_000, expenditure=555_000, through=6)
    assert met.rate == Fraction(111, 2) and met.met is True and met.shortfall == 0 and met.final
    short = EarlyExecution(target=Decimal("55.5"), budget=1_000_000, expenditure=554_999, through=6)
    assert short.met is False and short.shortfall == 1


def test_early_execution_without_target_or_without_known_months():
    assert EarlyExecution(None, 1_000, 500, 6).met is None
    unknown = EarlyExecution(Decimal("50"), 1_000, 0, 6, known=False)
    assert unknown.rate is None and unknown.met is None and unknown.shortfall is None
    assert not EarlyExecution(Decimal("50"), 1_000, 100, 3).final  # March: the half is not over


# -- the order of the lines behind: exact, though sorted by floats -------------------------------------


def test_lines_behind_are_ordered_by_their_exact_gap_where_floats_tie():
    from dashboard.statuses import LineStatus, furthest_behind_first

    def status(name, current, spent, planned=None):
        line = {"id": name, "account_code": "expense", "program_name": None, "name": name}
        budget = Execution(current, spent, spent)
        return LineStatus(line, budget, plan(planned, planned) if planned is not None else None, month=9, known=True)

    big = 3 * 10**17
    # 100/3 %p behind, and a hair less (a denominator one won larger): the same float, different fractions.
    exactly = status("exactly", big, 0, planned=10**17)
    a_hair_less = status("a hair less", big + 1, 0, planned=10**17)
    assert float(exactly.pace.gap) == float(a_hair_less.pace.gap)
    assert exactly.pace.gap > a_hair_less.pace.gap
    # Without a plan, September: 75%p expected; 10% spent is 65%p behind, 50% spent 25%p.
    far = status("far", 1_000, 100)
    near = status("near", 1_000, 500)
    ordered = furthest_behind_first([near, a_hair_less, exactly, far])
    assert [s.name for s in ordered] == ["far", "exactly", "a hair less", "near"]
    assert ordered == sorted([near, a_hair_less, exactly, far], key=lambda s: -s.pace.gap)
