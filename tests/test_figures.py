"""Rates, changes and display rules: pure functions, no database."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget.core import display
from budget.core.figures import NEW, NONE, Comparison, Execution, percent, round_half_up


def test_percent_is_exact():
    assert percent(51_833_000, 400_000_000) == Fraction(51_833, 4_000)


def test_rate_over_zero_base_is_none_not_zero():
    assert percent(5, 0) is None
    assert display.rate(percent(0, 0)) == "-"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 16) * 100, Decimal("6.3")),  # 6.25 exactly: half goes up
        (Fraction(-1, 16) * 100, Decimal("-6.3")),  # and away from zero below it
        (Fraction(51_833, 4_000), Decimal("13.0")),  # 12.958…
        (Fraction(6_249_999, 1_000_000), Decimal("6.2")),  # just under half stays down
        (Fraction(0), Decimal("0.0")),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value, 1) == expected


def test_half_up_is_decided_on_the_exact_value_not_a_float():
    # 0.15 is 0.1499999… as a float, which Python's round() takes down to 0.1.
    assert round(0.15, 1) == 0.1
    assert round_half_up(Fraction(15, 100), 1) == Decimal("0.2")


def test_change_rate_over_zero_base_is_a_marker():
    # The report prints 0.0% for 보증금회수수입 (0 → 238,215): that reads as "no change". The app
    # shows 순증 (new), and `-` where there was nothing in either year.
    assert Comparison(238_215_000, 0).change_rate is NEW
    assert display.rate(Comparison(238_215_000, 0).change_rate) == "순증"
    assert Comparison(0, 0).change_rate is NONE
    assert display.rate(Comparison(0, 0).change_rate) == "-"


def test_negative_change_is_written_with_a_triangle():
    comparison = Comparison(10_202_380_000, 12_032_786_000)
    assert comparison.change == -1_830_406_000
    assert display.money(comparison.change) == "△1,830,406"
    assert display.rate(comparison.change_rate) == "△15.2%"


def test_execution_derived_amounts():
    figures = Execution(current=400_000_000, commitment=60_000_000, expenditure=51_833_000)
    assert figures.remaining == 348_167_000
    assert figures.uncommitted == 340_000_000
    assert figures.unpaid == 8_167_000
    assert display.rate(figures.expenditure_rate) == "13.0%"
    assert display.rate(figures.commitment_rate) == "15.0%"


@pytest.mark.parametrize(
    ("won", "thousands"),
    [(1_499, 1), (1_500, 2), (-1_500, -2), (10_202_380_000, 10_202_380), (0, 0)],
)
def test_thousands_round_half_up(won, thousands):
    assert display.in_thousands(won) == thousands


def test_millions_are_truncated_as_the_program_pages_print_them():
    assert display.in_millions_truncated(397_700_000) == 397
    assert display.in_millions_truncated(822_500_000) == 822
    assert display.in_millions_truncated(999_999) == 0


def test_money_zero_and_staffing_zero_differ():
    assert display.money(0) == "0"
    assert display.gap(0) == "-"
    assert display.gap(3) == "+3"
    assert display.gap(-1) == "△1"
    assert display.headcount(0) == "-"


@given(won=st.integers(min_value=-(10**15), max_value=10**15), unit=st.sampled_from(sorted(display.UNITS)))
def test_a_unit_is_rounded_on_integers_as_decimal_rounds_half_up(won, unit):
    # An oracle apart from the code: Decimal's ROUND_HALF_UP is half away from zero, and won ÷ 10^k is exact.
    divisor = display.UNITS[unit][0]
    expected = (Decimal(won) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert display.in_unit(won, unit) == int(expected)


@given(numerator=st.integers(-(10**18), 10**18), denominator=st.integers(1, 10**12), places=st.integers(0, 3))
def test_round_half_up_goes_half_away_from_zero_exactly(numerator, denominator, places):
    # The oracle in Fractions: |x| + ½ truncated, the sign put back.
    scaled = Fraction(numerator, denominator) * 10**places
    magnitude = int(abs(scaled) + Fraction(1, 2))
    expected = Decimal(-magnitude if scaled < 0 else magnitude).scaleb(-places)
    assert round_half_up(Fraction(numerator, denominator), places) == expected
